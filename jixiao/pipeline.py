"""Compose the stages: sniff → extract → map → normalize → validate.

Each file gives a ``Result``, never a crash.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.converters import converter_for, sniff
from jixiao.discovery import path_text
from jixiao.exceptions import DocumentLoadError, JixiaoError
from jixiao.mapping import map_forms
from jixiao.normalize import most_named_year, normalize_forms
from jixiao.schemas import Block, Document, Finding, Form, Source
from jixiao.validate import RULES, validate_forms

if TYPE_CHECKING:  # the PDF converter imports it when it runs
    from jixiao.converters.pdf.settings import PdfSettings


@dataclass(frozen=True)
class Result:
    """The outcome for one input: a document, or the one-line reason it failed."""

    path: Path
    document: Document | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (hex), read in 1 MiB chunks; raises OSError."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def convert(path: str | os.PathLike[str], *, pdf: PdfSettings | None = None) -> Document:
    """Convert one file to a ``Document``; raises ``DocumentLoadError`` for bad input.
    ``pdf``: the PDF table finder's tolerances (``jixiao.PdfSettings``; None: the defaults)."""
    p = Path(path)
    if not p.is_file():
        raise DocumentLoadError("no such file" if not p.exists() else "not a regular file")
    fmt = sniff(p)
    extraction = converter_for(fmt, pdf)(p)
    forms, content_findings = _normalize_and_validate(extraction.blocks,
                                                      map_forms(extraction))
    return Document(
        source=Source(
            path=path_text(p), sha256=file_sha256(p), format=fmt, size=p.stat().st_size,
            converted_by=extraction.converted_by, pages=extraction.pages,
        ),
        ocr_pages=extraction.ocr_pages,
        tables=extraction.tables,
        blocks=extraction.blocks,
        forms=forms,
        findings=extraction.findings + content_findings,
    )


def _normalize_and_validate(blocks: list[Block],
                            forms: list[Form]) -> tuple[list[Form], list[Finding]]:
    """The forms normalized (dates without a year take the document's) and the validation
    rules' findings on them."""
    year = document_year(blocks, forms)
    normalized = normalize_forms(forms, year)
    return normalized, validate_forms(normalized, year)


def document_year(blocks: list[Block], forms: list[Form]) -> str | None:
    """The budget year most titles of the document name (2024年…), for forms naming none."""
    texts = [f.title or "" for f in forms] + [b.text for b in blocks[:50] if len(b.text) < 80]
    return most_named_year(texts)


def revalidate(document: Document) -> Document:
    """A converted document (e.g. read back from its JSON) normalized and validated again
    with the current rules; conversion findings (OCR confidence …) are kept."""
    kept = [f for f in document.findings if f.rule not in RULES]
    forms, findings = _normalize_and_validate(document.blocks, document.forms)
    return document.evolve(forms=forms, findings=kept + findings)


def convert_file(path: str | os.PathLike[str], *, pdf: PdfSettings | None = None) -> Result:
    """Like ``convert`` but total: bad input and unexpected bugs both become a ``Result``."""
    p = Path(path)
    try:
        return Result(path=p, document=convert(p, pdf=pdf))
    except JixiaoError as exc:
        return Result(path=p, error=str(exc))
    except RecursionError:
        return Result(path=p, error="document nesting too deep to process")
    except MemoryError:
        return Result(path=p, error="out of memory while converting")
    except Exception as exc:  # a bug: report it for this file, keep the batch going
        return Result(path=p, error=f"internal error ({type(exc).__name__}: {exc})")
