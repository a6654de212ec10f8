"""Open an OOXML (Word) package safely: bounded decompression, no DTDs, no entities.

Every failure is a ``DocumentLoadError`` whose message names the reason in one line.
"""

from __future__ import annotations

import lzma
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from jixiao.exceptions import DocumentLoadError, UnsafeDocumentError

MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "/officeDocument"
_CHUNK = 1 << 16
# What a damaged member can raise while it is inflated (zlib/lzma raise their own types).
_CORRUPT = (
    zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, zlib.error, lzma.LZMAError
)


# "<!DOCTYPE" as it appears in a part encoded in UTF-8 (or any ASCII superset) or UTF-16.
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))


def _why(exc: BaseException) -> str:
    """A one-line reason, never empty (EOFError() has no message)."""
    return " ".join(str(exc).split()) or type(exc).__name__


@dataclass(frozen=True)
class PackageLimits:
    max_part_bytes: int = MAX_PART_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_members: int = MAX_MEMBERS


DEFAULT_LIMITS = PackageLimits()  # looked up at open time, so tests can lower it


def _parser() -> etree.XMLParser:
    # resolve_entities=False: an entity is never expanded, so no file or URL is read;
    # no_network=True as a second lock; load_dtd=False so no external DTD is fetched.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one package part, refusing any DOCTYPE (OOXML never needs one).

    The refusal comes before parsing, so an entity bomb or XXE is named as such even when
    libxml2 would have stopped on it with a syntax error; the DocInfo check after parsing
    is a second lock for encodings the byte scan does not cover.
    """
    if any(mark in data for mark in _DOCTYPE_MARKS):
        raise UnsafeDocumentError(_refused(part))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(exc.msg).split())  # libxml2 messages can span lines
        raise DocumentLoadError(f"{part} is not well-formed XML ({reason})") from None
    info: Any = root.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnsafeDocumentError(_refused(part))
    return root


def _refused(part: str) -> str:
    return f"{part} declares a DTD or entities; refused (possible XXE or entity bomb)"


class WordPackage:
    """A read-only view of a .docx zip with size-capped member reads."""

    def __init__(self, path: Path, limits: PackageLimits | None = None) -> None:
        self.path = path
        self.limits = limits or DEFAULT_LIMITS
        self._read_total = 0
        if path.stat().st_size == 0:
            raise DocumentLoadError("empty file")
        try:
            self._zip = zipfile.ZipFile(path)
        except NotImplementedError as exc:
            raise DocumentLoadError(f"unsupported or damaged ZIP package ({_why(exc)})") from None
        except _CORRUPT:
            raise DocumentLoadError(
                "not a Word .docx package (not a ZIP archive, or truncated)"
            ) from None
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_members:
            self._zip.close()
            raise UnsafeDocumentError(
                f"ZIP has {len(infos)} members; limit is {self.limits.max_members}"
            )
        self._names = {info.filename for info in infos}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> WordPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        """Read a member, counting real decompressed bytes against the caps."""
        info = self._zip.getinfo(name)
        cap = self.limits.max_part_bytes
        if info.file_size > cap:
            raise UnsafeDocumentError(
                f"{name} would decompress to {info.file_size} bytes; limit is {cap}"
            )
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    out += chunk
                    self._read_total += len(chunk)
                    if len(out) > cap or self._read_total > self.limits.max_total_bytes:
                        raise UnsafeDocumentError(
                            f"{name} decompresses past the size limit (zip bomb?)"
                        )
        except _CORRUPT as exc:
            raise DocumentLoadError(f"{name} is corrupt in the ZIP ({_why(exc)})") from None
        except NotImplementedError as exc:
            raise DocumentLoadError(
                f"{name} uses an unsupported ZIP feature ({_why(exc)})"
            ) from None
        except RuntimeError as exc:  # zipfile's way of saying "encrypted, password required"
            raise DocumentLoadError(f"{name} is encrypted or unreadable ({_why(exc)})") from None
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), name)

    def main_part(self) -> str:
        """The main document part, found through _rels/.rels like Word does."""
        if self.has("_rels/.rels"):
            rels = self.xml("_rels/.rels")
            for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
                if (rel.get("Type") or "").endswith(_OFFICE_DOC) and rel.get("TargetMode") != (
                    "External"
                ):
                    target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                    if self.has(target):
                        return target
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise DocumentLoadError("not a Word document: the package has no word/document.xml")
