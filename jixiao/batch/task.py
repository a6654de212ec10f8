"""The work for one file: a plain top-level function (picklable, no shared state), so a
local worker process or, later, a Dask client can run it as it is."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.schemas import SEVERITIES, Document, severity_counts

FileResult = dict[str, Any]
DEFERRED = "deferred"  # the status of a file given back for a worker with the OCR engine


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
    ocr: bool = True  # may load the OCR engine; else a scan comes back "deferred"


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
    durable: bool = True, ocr: bool = True,
) -> FileResult:
    """``_convert_one`` (below), its result carrying ``worker_peak_mib``: the peak resident
    memory of the process that converted it, so far (the report shows what each worker
    took)."""
    result = _convert_one(path, out_root, out_stem, formats, sha256, durable, ocr)
    result["worker_peak_mib"] = peak_mib()
    return result


def _convert_one(
    path: str, out_root: str, out_stem: str, formats: Sequence[str], sha256: str | None,
    durable: bool, ocr: bool,
) -> FileResult:
    """Convert ``path`` and write ``out_root/out_stem.<fmt>`` for each format, atomically.

    Never raises for a bad file: the result's ``status`` is ``ok`` or ``failed`` (with
    ``error``). ``outputs`` are relative to ``out_root``, ``output_sizes`` their sizes in
    bytes (a rerun checks them). On failure no output of this file is left half-set: what
    was written before the failing one is removed. ``durable=False``: the outputs are not
    fsync'd one by one, the caller syncs them (a local batch: its manifest syncs OUT's
    file system). ``ocr=False``: a file that needs the OCR engine, not loaded in this process,
    is not converted: its result's status is ``deferred`` (nothing written).
    """
    from jixiao.pipeline import convert_file
    from jixiao.writers import OutputError, write_outputs

    started = time.perf_counter()
    if ocr:
        result = convert_file(path)
    else:
        from jixiao.converters.ocr_gate import OcrDeferred, refusing_to_load

        try:
            with refusing_to_load():
                result = convert_file(path)
        except OcrDeferred:
            return {**failed_result(sha256, time.perf_counter() - started, "deferred"),
                    "status": DEFERRED}
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
