"""Tell an input's format from its bytes, never from its name."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from jixiao.exceptions import DocumentLoadError, UnsupportedFormatError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HEAD = 2048


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except NotImplementedError as exc:  # e.g. "zip file version 63.0" from a damaged header
        raise DocumentLoadError(f"unsupported or damaged ZIP package ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        raise DocumentLoadError("corrupt or truncated ZIP package") from None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "mimetype" in names or "content.xml" in names:
        return "odf"
    if "[Content_Types].xml" in names:
        return "docx"  # an OOXML package whose main part the converter will look for
    raise UnsupportedFormatError(
        "a ZIP archive but not an Office document (no word/ or xl/ part)"
    )


def _pdf_head(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a PDF by ``sniff``'s rule (not a ZIP or
    OLE2 file, ``%PDF-`` in the first KB)."""
    return not head.startswith((*ZIP_MAGICS, OLE2_MAGIC)) and b"%PDF-" in head[:1024]


def is_pdf(path: Path) -> bool:
    """``sniff(path) == "pdf"``, from the file's first KB alone (no ZIP or OLE2 directory
    read); False for a file that cannot be read."""
    try:
        with path.open("rb") as fh:
            return _pdf_head(fh.read(1024))
    except OSError:
        return False


def sniff(path: Path) -> str:
    """Return a format name ('docx', 'pdf', 'doc', 'xls', 'ole2', 'rtf', 'xlsx', 'odf')."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
    except IsADirectoryError:
        raise DocumentLoadError("is a directory") from None
    except FileNotFoundError:
        raise DocumentLoadError("no such file") from None
    except PermissionError:
        raise DocumentLoadError("permission denied") from None
    if not head:
        raise DocumentLoadError("empty file")
    if head.startswith(ZIP_MAGICS):
        return _zip_format(path)
    if head.startswith(OLE2_MAGIC):
        return _ole2_format(path)
    if _pdf_head(head):
        return "pdf"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    kind = "text" if _looks_like_text(head) else "binary data"
    raise UnsupportedFormatError(
        f"unknown file type: the content is {kind}, not a Word, PDF or spreadsheet file"
    )


# Names of the main stream of an OLE2 compound file, as UTF-16LE directory entries.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
# A password-protected .docx/.xlsx is an OLE2 file holding the encrypted package.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))
MAX_OLE2_SCAN = 64 * 1024 * 1024


def _ole2_format(path: Path) -> str:
    """'doc' (Word and WPS Writer), 'xls' (Excel and WPS Spreadsheets) or plain 'ole2'."""
    with path.open("rb") as fh:
        data = fh.read(MAX_OLE2_SCAN)
    if all(name in data for name in _ENCRYPTED_STREAMS):
        raise DocumentLoadError(
            "encrypted Office document: it needs a password to open (save it without one)")
    if _WORD_STREAM in data:
        return "doc"
    if any(name in data for name in _EXCEL_STREAMS):
        return "xls"
    return "ole2"


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head
