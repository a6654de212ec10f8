"""Damage that PDF readers pass over in silence, found (with pdfminer's objects) before a
page is read.

Readers recover from a damaged file wherever they can: a content stream whose compressed
data is corrupt decodes to nothing (or to its first part), and a content stream whose object
is gone reads as empty; a font whose object or map from glyphs to text (ToUnicode) is gone
gives "(cid:12)" (pdfminer) or guessed characters for every glyph. The page would then
come out blank, cut short or garbled, its tables lost without a word; here that is a
``DocumentLoadError`` naming the page instead. A bad checksum at the very end of a
compressed content stream is tolerated.

PDFium, which reads the pages' content, needs the embedded font programs too: where one is
damaged it silently turns some characters into spaces. ``font_programs_damaged`` finds
those pages, for pdfminer (which reads only the fonts' maps to text) to read instead.

Streams are inflated by ``flate`` (counted, never kept), which refuses one inflating past
``PDF_STREAM_BYTES`` before PDFium or pdfminer would inflate it whole.
"""

from __future__ import annotations

from typing import Any

from jixiao.converters.pdf.flate import inflates
from jixiao.exceptions import DocumentLoadError


def wrapped(exc: BaseException) -> BaseException:
    """The pdfminer exception inside pdfplumber's ``PdfminerException`` wrapper."""
    inner = exc.args[0] if exc.args else None
    return inner if isinstance(inner, BaseException) else exc


def is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    return isinstance(exc, PDFPasswordIncorrect) or isinstance(wrapped(exc), PDFPasswordIncorrect)


def _damaged(stream: Any, strict: bool = False) -> bool:
    """True when a Flate-compressed stream not yet decoded does not inflate (``strict``:
    or its checksum is wrong)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is not None or stream.rawdata is None:
        return False  # already decoded
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return False
    data = stream.rawdata
    if stream.decipher is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    return not inflates(data, bad_checksum_ok=not strict)


def _font_table(page_obj: Any) -> dict[str, Any] | None:
    """The page's fonts (name → reference): empty when it names none, None when its font
    table is gone."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(page_obj.resources)
    if not isinstance(resources, dict) or "Font" not in resources:
        return {}
    fonts = resolve1(resources["Font"])
    return fonts if isinstance(fonts, dict) else None


_FONT_PROGRAMS = ("FontFile", "FontFile2", "FontFile3")


def _descriptors(font: dict[str, Any]) -> list[Any]:
    """The font's descriptor, or those of a composite font's descendants."""
    from pdfminer.pdftypes import resolve1

    found = [font.get("FontDescriptor")]
    descendants = resolve1(font.get("DescendantFonts"))
    if isinstance(descendants, list):
        for ref in descendants:
            child = resolve1(ref)
            if isinstance(child, dict):
                found.append(child.get("FontDescriptor"))
    return [d for d in (resolve1(x) for x in found) if isinstance(d, dict)]


def font_programs_damaged(page_obj: Any, seen: dict[int, bool]) -> bool:
    """True when an embedded font program of the page does not decompress whole (each
    program checked once per document: ``seen`` maps object numbers to the verdict)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    for ref in (_font_table(page_obj) or {}).values():
        font = resolve1(ref)
        if not isinstance(font, dict):
            continue  # check_page has said so already
        for descriptor in _descriptors(font):
            for key in _FONT_PROGRAMS:
                stream = resolve1(descriptor.get(key))
                if not isinstance(stream, PDFStream):
                    continue
                objid = stream.objid if stream.objid is not None else id(stream)
                if objid not in seen:
                    seen[objid] = _damaged(stream, strict=True)
                if seen[objid]:
                    return True
    return False


def _fonts_damaged(page_obj: Any) -> bool:
    """True when a font of the page, or its map from glyphs to text, is gone or corrupt."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

    fonts = _font_table(page_obj)
    if fonts is None:
        return True  # a font table gone
    for ref in fonts.values():
        font = resolve1(ref)
        if not isinstance(font, dict):
            return True
        to_unicode = font.get("ToUnicode")
        if isinstance(to_unicode, PDFObjRef):
            text_map = resolve1(to_unicode)
            if text_map is None or (isinstance(text_map, PDFStream) and _damaged(text_map)):
                return True
    return False


def check_page(page_obj: Any, number: int) -> None:
    """Raise ``DocumentLoadError`` when a content stream of pdfminer's page, or a font's map
    from glyphs to text, is damaged."""
    from pdfminer.pdftypes import PDFStream, resolve1

    for ref in page_obj.contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            raise DocumentLoadError(f"page {number}: its content stream is missing (damaged PDF)")
        if _damaged(stream):
            raise DocumentLoadError(f"page {number}: its content stream is corrupt (damaged PDF)")
    if _fonts_damaged(page_obj):
        raise DocumentLoadError(f"page {number}: a font is missing or corrupt (damaged PDF)")
