"""Characters of a PDF page read by PDFium (pypdfium2), with their boxes and fonts.

PDFium decodes text the way viewers do (ToUnicode maps, CID fonts, font fallbacks), where
pdfminer sometimes gives the wrong character for every glyph of a font (seen: a whole table
read as 填填填…). pdfminer's characters are kept unless its reading is visibly wrong, because
they include the space characters PDFium only infers (see ``prefer_pdfium``). Boxes are
PDFium's "loose" boxes: the font's full height, like pdfplumber's, not the tight ink box.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

from jixiao.converters.pdf.textlines import Char

_FONT_NAME_BYTES = 128


AGREEMENT = 0.98  # share of characters both engines must read alike


def prefer_pdfium(chars: list[Char], page: Any) -> bool:
    """True when pdfminer visibly misread the page and PDFium did not: the engines disagree,
    PDFium reads about as many characters, and clearly more distinct ones (a misdecoded font
    repeats one character; a damaged one makes PDFium drop characters instead)."""
    from collections import Counter

    textpage = page.get_textpage()
    try:
        theirs = Counter(ch for ch in textpage.get_text_range() if not ch.isspace())
    finally:
        textpage.close()
    ours = Counter(c.text for c in chars if not c.text.isspace())
    total = max(sum(theirs.values()), sum(ours.values()))
    if total == 0 or sum((ours & theirs).values()) / total >= AGREEMENT:
        return False
    return sum(theirs.values()) >= 0.9 * sum(ours.values()) and len(theirs) > 1.2 * len(ours)


def page_chars(page: Any) -> list[Char]:
    """Every character a person would read on ``page`` (a pypdfium2 page), top-left origin."""
    import pypdfium2.raw as raw

    height = page.get_height()
    textpage = page.get_textpage()
    try:
        rect = raw.FS_RECTF()
        name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        flags = ctypes.c_int()
        out: list[Char] = []
        for i in range(textpage.count_chars()):
            if raw.FPDFText_IsGenerated(textpage, i):  # spaces and breaks PDFium made up
                continue
            code = raw.FPDFText_GetUnicode(textpage, i)
            if code < 0x20 or (abs(raw.FPDFText_GetCharAngle(textpage, i)) > 0.01 and (
                abs(raw.FPDFText_GetCharAngle(textpage, i) - 2 * math.pi) > 0.01
            )):
                continue  # control characters, rotated text
            if not raw.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect)):
                continue
            size = raw.FPDFText_GetFontSize(textpage, i)
            raw.FPDFText_GetFontInfo(textpage, i, name, _FONT_NAME_BYTES, ctypes.byref(flags))
            font = name.value.decode("latin-1", "replace")
            weight = raw.FPDFText_GetFontWeight(textpage, i)
            bold = "Bold" in font or "bold" in font or weight >= 600
            out.append(Char(chr(code), rect.left, rect.right, height - rect.top,
                            height - rect.bottom, size, bold))
        return out
    finally:
        textpage.close()
