"""Compose the stages: sniff → extract → map. Each file gives a ``Result``, never a crash."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from jixiao.converters import converter_for, sniff
from jixiao.exceptions import DocumentLoadError, JixiaoError
from jixiao.mapping import map_forms
from jixiao.schemas import Document, Source


@dataclass(frozen=True)
class Result:
    """The outcome for one input: a document, or the one-line reason it failed."""

    path: Path
    document: Document | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def convert(path: str | os.PathLike[str]) -> Document:
    """Convert one file to a ``Document``; raises ``DocumentLoadError`` for bad input."""
    p = Path(path)
    if not p.is_file():
        raise DocumentLoadError("no such file" if not p.exists() else "not a regular file")
    fmt = sniff(p)
    extraction = converter_for(fmt)(p)
    return Document(
        source=Source(
            path=str(p), sha256=_sha256(p), format=fmt, size=p.stat().st_size,
            converted_by=extraction.converted_by,
        ),
        ocr_pages=extraction.ocr_pages,
        tables=extraction.tables,
        blocks=extraction.blocks,
        forms=map_forms(extraction),
        findings=extraction.findings,
    )


def convert_file(path: str | os.PathLike[str]) -> Result:
    """Like ``convert`` but total: bad input and unexpected bugs both become a ``Result``."""
    p = Path(path)
    try:
        return Result(path=p, document=convert(p))
    except JixiaoError as exc:
        return Result(path=p, error=str(exc))
    except RecursionError:
        return Result(path=p, error="document nesting too deep to process")
    except MemoryError:
        return Result(path=p, error="out of memory while converting")
    except Exception as exc:  # a bug: report it for this file, keep the batch going
        return Result(path=p, error=f"internal error ({type(exc).__name__}: {exc})")
