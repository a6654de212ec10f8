"""One converter per input format, chosen by the sniffed format (not the file name)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.converters.base import Extraction
from jixiao.converters.sniff import sniff
from jixiao.exceptions import UnsupportedFormatError

Converter = Callable[[Path], Extraction]


def _docx(path: Path) -> Extraction:
    from jixiao.converters.docx import extract

    return extract(path)


def _pdf(path: Path) -> Extraction:
    from jixiao.converters.pdf import extract

    return extract(path)


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


def converter_for(fmt: str) -> Converter:
    try:
        return CONVERTERS[fmt]
    except KeyError:
        known = ", ".join(FORMAT_NAMES.get(f, f) for f in sorted(CONVERTERS))
        raise UnsupportedFormatError(
            f"{FORMAT_NAMES.get(fmt, fmt)} files are not supported yet (supported: {known})"
        ) from None


__all__ = ["CONVERTERS", "Converter", "Extraction", "converter_for", "sniff"]
