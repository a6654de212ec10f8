"""The work for one file: a plain top-level function (picklable, no shared state), so a
local worker process or, later, a Dask client can run it as it is."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict

from jixiao.schemas import SEVERITIES, Document, severity_counts

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings


class FileResult(TypedDict):
    """What converting one file gave (a worker sends it back through a pipe: plain data)."""

    status: Literal["ok", "failed"]
    sha256: str | None  # of the input's bytes
    format: str | None  # the sniffed format, when it converted
    forms: int
    tables: int
    conversion_errors: int
    findings: dict[str, int]  # severity: count
    pages: int | None
    seconds: float
    outputs: list[str]  # relative to OUT
    error: str | None
    output_sizes: NotRequired[dict[str, int]]  # output: bytes (a rerun checks them)
    worker_peak_mib: NotRequired[int | None]  # the converting process's peak so far
    # The PDF settings that differ from the defaults (absent: none did, as in the lines of a
    # run without --pdf-setting): the manifest converts a PDF again for other settings.
    pdf_settings: NotRequired[dict[str, int | float]]


class ManifestRecord(FileResult):
    """One line of a batch's manifest: a file's result with where it came from and went."""

    rel: str  # the input's path under the batch folder
    path: str
    out_stem: str
    size: int | None
    mtime_ns: int | None
    formats: list[str]
    jixiao: str  # the version that converted it
    finished_at: str


@dataclass(frozen=True)
class Task:
    """One input to convert: where it is, where its outputs go (``out_root/out_stem.fmt``)."""

    id: int
    path: str
    rel: str  # the input's path relative to the batch folder, POSIX separators
    out_root: str
    out_stem: str  # relative to out_root, POSIX separators, no suffix
    formats: tuple[str, ...]
    sha256: str | None = None
    # Some page needs OCR (``converters.needs_ocr``, asked when the batch is planned): the
    # pool sends it to a worker that reads scans.
    scan: bool = False
    pdf: PdfSettings | None = None  # the PDF converter's settings (None: the defaults)


def file_sha256(path: str | Path) -> str | None:
    """The file's sha256, or None when it cannot be read."""
    try:
        from jixiao.pipeline import file_sha256 as sha256_of  # imported late, like convert

        return sha256_of(Path(path))
    except OSError:
        return None


def _pages(document: Document) -> int | None:
    """Pages of a PDF (as the converter counted them: the file is not opened again), else
    those tables and OCR name; None for formats without pages (Word, spreadsheets)."""
    if document.source.pages is not None:
        return document.source.pages
    named = {p for t in document.tables for p in t.pages} | set(document.ocr_pages)
    return len(named) or None


def failed_result(sha256: str | None, seconds: float, error: str) -> FileResult:
    """The result of a file that did not convert (no outputs, nothing counted)."""
    return {
        "status": "failed", "sha256": sha256, "format": None, "forms": 0, "tables": 0,
        "conversion_errors": 0, "findings": dict.fromkeys(SEVERITIES, 0), "pages": None,
        "seconds": round(seconds, 3), "outputs": [], "error": error,
    }


def _failure(path: str, sha256: str | None, started: float, error: str) -> FileResult:
    return failed_result(sha256 or file_sha256(path), time.perf_counter() - started, error)


def peak_mib() -> int | None:
    """This process's peak resident memory so far, MiB (None where it cannot be read)."""
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux


def convert_one(
    path: str, out_root: str, out_stem: str, formats: Sequence[str], sha256: str | None = None,
    durable: bool = True, pdf: PdfSettings | None = None,
) -> FileResult:
    """``_convert_one`` (below), its result carrying ``worker_peak_mib``: the peak resident
    memory of the process that converted it, so far (the report shows what each worker
    took)."""
    result = _convert_one(path, out_root, out_stem, formats, sha256, durable, pdf)
    result["worker_peak_mib"] = peak_mib()
    if pdf is not None and (overrides := pdf.overrides()):
        result["pdf_settings"] = overrides
    return result


def _convert_one(
    path: str, out_root: str, out_stem: str, formats: Sequence[str], sha256: str | None,
    durable: bool, pdf: PdfSettings | None = None,
) -> FileResult:
    """Convert ``path`` (a PDF with the settings ``pdf``) and write ``out_root/out_stem.<fmt>``
    for each format, atomically.

    Never raises for a bad file: the result's ``status`` is ``ok`` or ``failed`` (with
    ``error``). ``outputs`` are relative to ``out_root``, ``output_sizes`` their sizes in
    bytes (a rerun checks them). On failure no output of this file is left half-set: what
    was written before the failing one is removed. ``durable=False``: the outputs are not
    fsync'd one by one, the caller syncs them (a local batch: its manifest syncs OUT's
    file system).
    """
    from jixiao.pipeline import convert_file
    from jixiao.writers import OutputError, write_outputs

    started = time.perf_counter()
    result = convert_file(path, pdf=pdf)
    document = result.document
    if document is None:
        return _failure(path, sha256, started, str(result.error))
    try:
        written = write_outputs(document, list(formats), Path(out_root), out_stem, durable)
    except OutputError as failed:  # a writer bug too: this file fails, the batch goes on
        return _failure(path, sha256, started, failed.reason(name_target=False))
    findings = severity_counts(document.findings)
    return {
        "status": "ok", "sha256": document.source.sha256, "format": document.source.format,
        "forms": len(document.forms), "tables": len(document.tables),
        "conversion_errors": len(document.errors), "findings": findings,
        "pages": _pages(document),
        "seconds": round(time.perf_counter() - started, 3),
        "outputs": [f"{out_stem}.{fmt}" for fmt in formats], "error": None,
        "output_sizes": {f"{out_stem}.{p.suffix[1:]}": size for p, size in written.items()},
    }
