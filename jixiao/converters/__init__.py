"""One converter per input format, chosen by the sniffed format (not the file name)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.converters.base import Extraction
from jixiao.converters.sniff import is_pdf, sniff
from jixiao.exceptions import UnsupportedFormatError

if TYPE_CHECKING:  # imported by the PDF converter when it runs
    from jixiao.converters.pdf.settings import PdfSettings

Converter = Callable[[Path], Extraction]


def _docx(path: Path) -> Extraction:
    from jixiao.converters.docx import extract

    return extract(path)


def _pdf(path: Path, settings: PdfSettings | None = None) -> Extraction:
    from jixiao.converters.pdf import extract

    return extract(path) if settings is None else extract(path, settings)


def _legacy(fmt: str) -> Converter:
    def convert(path: Path) -> Extraction:
        from jixiao.converters.legacy import extract

        return extract(path, fmt)

    return convert


def _xlsx(path: Path) -> Extraction:
    from jixiao.converters.xlsx import extract

    return extract(path)


CONVERTERS: dict[str, Converter] = {
    "docx": _docx,
    "pdf": _pdf,
    "xlsx": _xlsx,
    "xls": _legacy("xls"),
    "doc": _legacy("doc"),
    "rtf": _legacy("rtf"),
    "odf": _legacy("odf"),
}


FORMAT_NAMES = {
    "docx": "Word (.docx)",
    "ole2": "legacy Office (OLE2, neither Word nor Excel)",
    "doc": "legacy Word/WPS (.doc/.wps)",
    "xls": "legacy Excel (.xls/.et)",
    "pdf": "PDF",
    "rtf": "RTF",
    "xlsx": "Excel (.xlsx)",
    "odf": "OpenDocument",
}


def needs_ocr(path: Path, pdf: PdfSettings | None = None) -> bool:
    """Whether converting ``path`` (with ``pdf`` settings) will read a page by OCR: a cheap
    hint, for deciding where a file runs (a batch sends it to a worker with the OCR engine
    loaded). Only PDFs have such pages, told by the file's first KB (a batch plan asks this
    of every file); an unreadable file is False (its conversion says why)."""
    if not is_pdf(path):
        return False
    from jixiao.converters.pdf.probe import has_scanned_pages
    from jixiao.converters.pdf.settings import DEFAULTS

    return has_scanned_pages(path, pdf or DEFAULTS)


def converter_for(fmt: str, pdf: PdfSettings | None = None) -> Converter:
    """The converter of ``fmt``; ``pdf``: the PDF converter's settings (the only format
    with tolerances to tune; None: the defaults)."""
    try:
        converter = CONVERTERS[fmt]
        return partial(_pdf, settings=pdf) if pdf is not None and converter is _pdf else converter
    except KeyError:
        known = ", ".join(FORMAT_NAMES.get(f, f) for f in sorted(CONVERTERS))
        raise UnsupportedFormatError(
            f"{FORMAT_NAMES.get(fmt, fmt)} files are not supported yet (supported: {known})"
        ) from None


__all__ = ["CONVERTERS", "Converter", "Extraction", "converter_for", "needs_ocr", "sniff"]
