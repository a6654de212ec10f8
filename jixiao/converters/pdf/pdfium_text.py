"""Characters of a PDF page read by PDFium (pypdfium2), with their boxes and fonts.

PDFium decodes text the way viewers do (ToUnicode maps, CID fonts, font fallbacks), where
pdfminer sometimes gives the wrong character for every glyph of a font (seen: a whole table
read as 填填填…), and it does so in C++. Spaces and line breaks PDFium makes up between
words are dropped: ``textlines`` decides spacing from the gaps, the same for every reader.
Boxes are PDFium's "loose" boxes: the font's full height, like pdfminer's, not the tight
ink box. What a character shares with the rest of its text object (font, size, angle) is
asked once per object.
"""

from __future__ import annotations

import ctypes
import math
from bisect import bisect_left, bisect_right
from typing import Any

from jixiao.converters.pdf.pdfium_page import Frame, page_frame
from jixiao.converters.pdf.textlines import Char

_FONT_NAME_BYTES = 128
BOLD_WEIGHT = 600
_BOLD_NAMES = ("Bold", "bold", "Heavy", "Black")
# What PDFium may insert itself, besides line breaks (control characters, skipped anyway)
_GENERATED = frozenset(" \ufffe")


def _upright(degrees: float) -> bool:
    return abs((degrees + 180.0) % 360.0 - 180.0) < 0.5


class _Run:
    """What the characters of one text object share (asked once per object): whether they
    stand upright on the displayed page, their size in points, and boldness."""

    __slots__ = ("bold", "size", "upright")

    def __init__(self, textpage: Any, index: int, raw: Any, name: Any, rotation: int) -> None:
        m = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(textpage, index, ctypes.byref(m))
        # The character's direction on the page (counter-clockwise), then as displayed
        # (/Rotate turns the page clockwise).
        self.upright = _upright(math.degrees(math.atan2(m.b, m.a)) - rotation)
        # PDFium's font size is the Tf operand; the text and page matrices scale it.
        scale = math.hypot(m.c, m.d) or 1.0
        self.size = raw.FPDFText_GetFontSize(textpage, index) * scale
        raw.FPDFText_GetFontInfo(textpage, index, name, _FONT_NAME_BYTES, None)
        font = name.value.decode("latin-1", "replace")
        self.bold = any(word in font for word in _BOLD_NAMES) or (
            raw.FPDFText_GetFontWeight(textpage, index) >= BOLD_WEIGHT
        )


def _drop_covered(chars: list[Char], spaces: list[int]) -> list[Char]:
    """Drop the spaces (indices into ``chars``) whose gap holds another character: PDFium
    marks a gap in a text object as a space even when another object's glyph fills it."""
    if not spaces:
        return chars
    centres = sorted((c.cx, c.cy) for c in chars if c.text != " ")
    xs = [x for x, _ in centres]
    covered = set()
    for i in spaces:
        space = chars[i]
        lo, hi = bisect_right(xs, space.x0), bisect_left(xs, space.x1)
        if any(space.top < y < space.bottom for _, y in centres[lo:hi]):
            covered.add(i)
    return [c for i, c in enumerate(chars) if i not in covered]


def page_chars(page: Any, frame: Frame | None = None) -> list[Char]:
    """Every upright character a person would read on ``page`` (a pypdfium2 page), in the
    displayed page's coordinates (``Frame``)."""
    import pypdfium2.raw as raw

    frame = frame or page_frame(page)
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        text = textpage.get_text_range(0, count) if count > 0 else ""
        rect = raw.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        runs: dict[int, _Run] = {}
        out: list[Char] = []
        spaces: list[int] = []
        aligned = len(text) == count  # one UTF-16 unit per character: no surrogate pairs
        for i in range(count):
            code = ord(text[i]) if aligned else raw.FPDFText_GetUnicode(handle, i)
            if code < 0x20:
                continue  # control characters
            ch = chr(code)
            obj = raw.FPDFText_GetTextObject(handle, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value
            if not key:
                continue  # a space or break PDFium made up between text objects
            run = runs.get(key)
            if run is None:
                run = runs[key] = _Run(handle, i, raw, name, frame.rotation)
            if ch in _GENERATED and raw.FPDFText_IsGenerated(handle, i):
                if ch != " " or not out or not run.upright:
                    continue
                # A gap inside a text object, where the PDF most often has a space glyph
                # (PDFium lists those as made up): a space spanning the gap, unless
                # another object's glyph fills it.
                raw.FPDFText_GetLooseCharBox(handle, i, rect_ref)
                x0, _, x1, _ = frame.box(rect.left, rect.bottom, rect.right, rect.top)
                prev = out[-1]
                if x1 > prev.x1:
                    spaces.append(len(out))
                    out.append(Char(" ", prev.x1, x1, prev.top, prev.bottom, prev.size,
                                    prev.bold))
                continue
            if not run.upright or not raw.FPDFText_GetLooseCharBox(handle, i, rect_ref):
                continue  # rotated text; a character with no box
            x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
            out.append(Char(ch, x0, x1, top, bottom, run.size, run.bold))
        return _drop_covered(out, spaces)
    finally:
        textpage.close()
