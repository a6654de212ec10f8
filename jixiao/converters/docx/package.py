"""Open an OOXML (Word) package safely: bounded decompression, no DTDs, no entities.

The capped reading is ``jixiao.converters.zipsafe``'s, shared with .xlsx; this module adds
what is Word's: the strict XML parser and finding the main document part.
Every failure is a ``DocumentLoadError`` whose message names the reason in one line.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from lxml import etree

from jixiao import limits as caps
from jixiao.converters.zipsafe import (
    SafeZip,
    ZipLimits,
    has_doctype,
    refused_dtd,
    xml_error,
)
from jixiao.exceptions import DocumentLoadError, UnsafeDocumentError

MAX_PART_BYTES = caps.ZIP_PART_BYTES.default
MAX_TOTAL_BYTES = caps.ZIP_BYTES.default
MAX_MEMBERS = caps.ZIP_MEMBERS.default

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "/officeDocument"

PackageLimits = ZipLimits  # caps given in code (tests); None fields: jixiao.limits'
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
    if has_doctype(data):
        raise UnsafeDocumentError(refused_dtd(part))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentLoadError(f"{part} is not well-formed XML ({xml_error(exc)})") from None
    info: Any = root.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnsafeDocumentError(refused_dtd(part))
    return root


class WordPackage(SafeZip):
    """A read-only view of a .docx zip with size-capped member reads."""

    def __init__(self, path: Path, limits: PackageLimits | None = None) -> None:
        self.path = path
        super().__init__(path, limits or DEFAULT_LIMITS,
                         not_zip="not a Word .docx package (not a ZIP archive, or truncated)")

    def __enter__(self) -> WordPackage:
        return self

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read_xml(name), name)

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
