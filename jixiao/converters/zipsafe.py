"""Read members of a ZIP package (.docx, .xlsx) under caps: real bytes, not declared ones.

``SafeZip`` opens a package and refuses one with too many members; ``read`` inflates a member
counting the bytes it really gives (a header can lie about them) against a per-member and a
per-package cap, and refuses a member that inflates far more than compressed data ever does
(a zip bomb). ``read_xml`` does the same for an XML part and also refuses a DOCTYPE (no
Office part needs one: it is how XXE and entity bombs start) and counts the part's elements
against a per-package cap, before any parser builds them. The caps are ``jixiao.limits``'
(``ZIP_*``, ``XML_ELEMENTS``) unless a ``ZipLimits`` passes numbers in code.

Every failure is a ``DocumentLoadError`` whose message names the reason in one line.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from jixiao import limits
from jixiao.exceptions import DocumentLoadError, UnsafeDocumentError
from jixiao.limits import Cap, too_large

_CHUNK = 1 << 16
# What a damaged member can raise while it is inflated (zlib/lzma raise their own types).
CORRUPT = (
    zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, zlib.error, lzma.LZMAError
)
# "<!DOCTYPE" as it appears in a part encoded in UTF-8 (or any ASCII superset) or UTF-16.
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))


def why(exc: BaseException) -> str:
    """A one-line reason, never empty (EOFError() has no message)."""
    return " ".join(str(exc).split()) or type(exc).__name__


# libxml2's own caps (no huge_tree), said without the parser option they name.
_XML_LIMITS = (("Excessive depth in document", "elements nested more than 256 deep"),
               ("Text node too long", "a text run longer than 10000000 bytes"))


def xml_error(exc: BaseException) -> str:
    """A libxml2 syntax error in one line, its own caps named for what they refuse."""
    reason = " ".join(str(getattr(exc, "msg", exc)).split())  # messages can span lines
    for mark, said in _XML_LIMITS:
        if mark in reason:
            return f"{said}; refused"
    return reason


def refused_dtd(part: str) -> str:
    return f"{part} declares a DTD or entities; refused (possible XXE or entity bomb)"


def has_doctype(data: bytes) -> bool:
    return any(mark in data for mark in DOCTYPE_MARKS)


def count_elements(data: bytes) -> int:
    """Start tags in XML bytes: every ``<`` that opens no end tag, declaration or comment.

    Markup characters inside comments or CDATA count too: an overestimate, never less."""
    closing = data.count(b"</") + data.count(b"<?") + data.count(b"<!")
    return data.count(b"<") - closing


@dataclass(frozen=True)
class ZipLimits:
    """Caps given in code; a cap left ``None`` is the documented one (``jixiao.limits``),
    read from its environment variable when the package is opened."""

    max_part_bytes: int | None = None
    max_total_bytes: int | None = None
    max_members: int | None = None
    max_ratio: int | None = None
    max_elements: int | None = None


@dataclass(frozen=True)
class _Bound:
    value: int
    cap: Cap | None  # None: a number given in code, with no variable to raise it

    def refuse(self, what: str) -> UnsafeDocumentError:
        return too_large(what, self.value, self.cap)


def _bound(given: int | None, cap: Cap) -> _Bound:
    return _Bound(cap.value(), cap) if given is None else _Bound(given, None)


class SafeZip:
    """A read-only view of a ZIP package whose members are inflated under caps.

    ``source`` is a path or the package's bytes; ``not_zip`` is the message for input that
    is no ZIP at all (or a truncated one).
    """

    def __init__(self, source: Path | bytes, limits_: ZipLimits | None = None,
                 not_zip: str = "not a ZIP package (or truncated)") -> None:
        given = limits_ or ZipLimits()
        self._part = _bound(given.max_part_bytes, limits.ZIP_PART_BYTES)
        self._total = _bound(given.max_total_bytes, limits.ZIP_BYTES)
        self._ratio = _bound(given.max_ratio, limits.ZIP_RATIO)
        self._elements = _bound(given.max_elements, limits.XML_ELEMENTS)
        members = _bound(given.max_members, limits.ZIP_MEMBERS)
        self.read_total = 0
        self.elements = 0
        if not source or (isinstance(source, Path) and source.stat().st_size == 0):
            raise DocumentLoadError("empty file")
        try:
            self._zip = zipfile.ZipFile(source if isinstance(source, Path)
                                        else io.BytesIO(source))
        except NotImplementedError as exc:
            raise DocumentLoadError(f"unsupported or damaged ZIP package ({why(exc)})") from None
        except CORRUPT:
            raise DocumentLoadError(not_zip) from None
        infos = self._zip.infolist()
        if len(infos) > members.value:
            self._zip.close()
            raise members.refuse(f"ZIP has {len(infos)} members")
        self._names = {info.filename for info in infos}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        """Read a member, counting real inflated bytes against the caps."""
        info = self._zip.getinfo(name)
        if info.file_size > self._part.value:
            raise self._part.refuse(f"{name} would decompress to {info.file_size} bytes")
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    out += chunk
                    self.read_total += len(chunk)
                    self._check_size(name, len(out), info.compress_size)
        except CORRUPT as exc:
            raise DocumentLoadError(f"{name} is corrupt in the ZIP ({why(exc)})") from None
        except NotImplementedError as exc:
            raise DocumentLoadError(
                f"{name} uses an unsupported ZIP feature ({why(exc)})"
            ) from None
        except RuntimeError as exc:  # zipfile's way of saying "encrypted, password required"
            raise DocumentLoadError(f"{name} is encrypted or unreadable ({why(exc)})") from None
        return bytes(out)

    def _check_size(self, name: str, size: int, compressed: int) -> None:
        bomb = f"{name} decompresses past the size limit (zip bomb?)"
        if size > self._part.value:
            raise self._part.refuse(f"{bomb}: {size} bytes so far")
        if self.read_total > self._total.value:
            raise self._total.refuse(f"{bomb}: {self.read_total} bytes from the package so far")
        ratio = size // max(1, compressed)
        if size > limits.RATIO_FLOOR_BYTES and ratio > self._ratio.value:
            raise self._ratio.refuse(
                f"{name} inflates to {ratio} times its compressed size (zip bomb?)"
            )

    def read_xml(self, name: str) -> bytes:
        """Read an XML part: no DOCTYPE, and its elements counted against the cap."""
        data = self.read(name)
        if has_doctype(data):
            raise UnsafeDocumentError(refused_dtd(name))
        self.elements += count_elements(data)
        if self.elements > self._elements.value:
            raise self._elements.refuse(
                f"{name}: the package's XML holds {self.elements} elements so far"
            )
        return data
