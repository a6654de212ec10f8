"""``run_batch``: a folder of documents to OUT, resumable, one bad file never stopping it."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import __version__
from jixiao.batch.manifest import Manifest, ManifestLockedError
from jixiao.batch.pool import WorkerPool, failure
from jixiao.batch.progress import Progress, make_progress
from jixiao.batch.report import (
    INTERRUPTED,
    build_report,
    file_entry,
    skipped_entry,
    write_html_index,
    write_report,
)
from jixiao.batch.scan import Entry, remove_stale_temps, scan, unplannable
from jixiao.batch.task import FileResult, ManifestRecord, Task, failed_result, file_sha256
from jixiao.converters import needs_ocr
from jixiao.discovery import output_name
from jixiao.ledger import Ledger, LedgerLockedError, real

if TYPE_CHECKING:
    from jixiao.batch.dask_executor import DaskPool
    from jixiao.converters.pdf.settings import PdfSettings


class BatchError(Exception):
    """The batch cannot run at all (the output folder is unusable or locked)."""


def default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def ocr_threads(requested: int, running: int, cores: int) -> int:
    """OCR threads for each of ``running`` workers: ``--workers`` (``requested``; 0: every
    core) is the number of cores the batch may use, shared out (at least one each), so
    ``--workers 1`` keeps a batch to one core and spare cores (fewer files than workers)
    go to OCR."""
    allowed = min(requested, cores) if requested > 0 else cores
    return max(1, allowed // max(1, running))


@dataclass
class BatchOptions:
    root: Path
    out: Path
    formats: list[str] = field(default_factory=lambda: ["json"])
    workers: int = 0  # 0: every core this process may use
    timeout: float = 300.0  # seconds per file
    memory_limit_mb: int = 8192  # per worker (RLIMIT_AS; OCR reserves ~4 GB of it); 0: none
    executor: str = "local"  # "local": a pool of processes here; "dask": a Dask cluster
    scheduler: str | None = None  # the Dask scheduler's address (tcp://HOST:8786)
    pdf: PdfSettings | None = None  # the PDF converter's settings (None: the defaults)


@dataclass
class BatchOutcome:
    report: dict[str, Any]
    report_path: Path | None
    interrupted: bool = False
    index_path: Path | None = None  # OUT/index.html, with --to html (None: not written)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.report["totals"]["failed"] else 0


def _plan(
    entries: list[Entry], manifest: Manifest, ledger: Ledger, opts: BatchOptions, out: Path
) -> tuple[list[Task], dict[str, dict[str, Any]]]:
    """Tasks for the documents not done yet, and report entries for those already done or
    refused (their outputs would replace an input, a file not jixiao's, another's)."""
    refused = unplannable(entries, opts.formats)
    inputs = {real(e.path) for e in entries if e.document}
    # a PDF converted with other settings is not done (manifest.done)
    pdf_overrides = opts.pdf.overrides() if opts.pdf is not None else {}
    tasks: list[Task] = []
    sizes: list[int] = []
    done: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not entry.document:
            continue
        why = refused.get(entry.rel)
        if why is not None:
            done[entry.rel] = _refused(entry, why)
            continue
        sha: str | None = None
        size = 0
        try:
            info = entry.path.stat()
            size = info.st_size
            sha = manifest.known_sha256(entry.rel, info.st_size, info.st_mtime_ns)
        except OSError:
            pass
        stem = entry.rel  # outputs: OUT/<rel>.<format> (jixiao.discovery)
        if sha is None and manifest.may_be_done(stem):
            sha = file_sha256(entry.path)  # only to tell whether it is done
        # else the task runs without one: its result (or _record) carries the file's sha256
        record = manifest.done(sha, stem, out, opts.formats, pdf_overrides) if sha else None
        if record is not None:
            done[entry.rel] = file_entry(str(entry.path), entry.rel, record, resumed=True)
            continue
        # outputs a batch recorded in its manifest before the ledger existed are jixiao's too
        why = ledger.first_refusal(
            (output_name(entry.rel, fmt) for fmt in opts.formats), entry.path, inputs, sha,
            excuse=partial(manifest.wrote, entry.rel),
        )
        if why is not None:
            done[entry.rel] = _refused(entry, why)
            continue
        tasks.append(Task(
            id=len(tasks), path=str(entry.path), rel=entry.rel, out_root=str(out),
            out_stem=stem, formats=tuple(opts.formats), sha256=sha,
            scan=needs_ocr(entry.path, opts.pdf), pdf=opts.pdf,
        ))
        sizes.append(size)
    # Biggest first (size stands for work: a scan is big and slow): no long file left to
    # run alone at the end while the other workers idle.
    order = sorted(range(len(tasks)), key=lambda i: -sizes[i])
    return [tasks[i] for i in order], done


def _refused(entry: Entry, why: str) -> dict[str, Any]:
    return file_entry(str(entry.path), entry.rel, failed_result(None, 0.0, why), resumed=False)


def _record(task: Task, result: FileResult) -> ManifestRecord:
    """The manifest line of a finished file. Its sha256 comes from the conversion (or the
    plan); hashed here only for a file its worker gave no result for (timed out, died)."""
    try:
        info = os.stat(task.path)
        size, mtime_ns = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime_ns = None, None
    sha = result.get("sha256") or task.sha256 or file_sha256(task.path) or ""
    return ManifestRecord(
        **result, rel=task.rel, path=task.path, out_stem=task.out_stem, size=size,
        mtime_ns=mtime_ns, formats=list(task.formats), jixiao=__version__,
        finished_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    ) | {"sha256": sha}


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchOutcome:
    """Convert every document under ``opts.root`` into ``opts.out`` (see ``jixiao batch``)."""
    t0 = time.monotonic()
    root, out = opts.root.resolve(), opts.out.resolve()
    if root.is_relative_to(out):  # outputs could land on (and replace) the inputs
        raise BatchError(
            f"cannot use output folder {opts.out}: it is, or contains, the input folder"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BatchError(f"cannot use output folder {opts.out}: it is not a folder") from None
    except OSError as exc:
        raise BatchError(f"cannot use output folder {opts.out}: {exc.strerror or exc}") from None
    try:
        # a local pool's workers leave the outputs' fsync to the manifest's commits
        manifest = Manifest.open(out, sync_outputs=opts.executor == "local")
    except OSError as exc:
        raise BatchError(f"cannot use output folder {opts.out}: {exc.strerror or exc}") from None
    except ManifestLockedError as exc:
        raise BatchError(f"cannot use output folder {opts.out}: {exc}") from None
    try:
        ledger = Ledger.open(out)
    except (OSError, LedgerLockedError) as exc:
        manifest.close()
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BatchError(f"cannot use output folder {opts.out}: {why}") from None
    progress = progress or make_progress()
    workers = opts.workers or default_workers()
    files: dict[str, dict[str, Any]] = {}
    interrupted = False
    pool: WorkerPool | DaskPool
    if opts.executor == "dask":
        from jixiao.batch.dask_executor import DaskPool, DaskUnavailableError

        pool = DaskPool(opts.scheduler or "", opts.timeout, opts.workers)
        try:
            pool.warm_up()
        except DaskUnavailableError as exc:
            manifest.close()
            ledger.close()
            raise BatchError(str(exc)) from None
        workers = pool.size  # --workers, else every thread of the cluster
    else:
        pool = WorkerPool(workers, opts.timeout, opts.memory_limit_mb)
        pool.warm_up()
    try:
        remove_stale_temps(out)
        entries = scan(root, exclude=out if out.is_relative_to(root) else None)
        for e in entries:
            if not e.document:
                files[e.rel] = skipped_entry(str(e.path), e.rel, e.reason)
        tasks, done = _plan(entries, manifest, ledger, opts, out)
        files.update(done)
        workers = max(1, min(workers, len(tasks))) if tasks else workers
        progress.begin(len(tasks), len(done), len(entries) - len(done) - len(tasks), workers)
        pool.size = workers
        pool.ocr_threads = ocr_threads(opts.workers, workers, default_workers())
        pool_started = time.monotonic()
        try:
            for event in pool.run(tasks):
                if event.kind == "started":
                    progress.started(event.task.rel)
                    continue
                result = event.result or failure(event.task, "no result")
                record = _record(event.task, result)
                manifest.append(record)
                for name in record["outputs"] if record["status"] == "ok" else []:
                    ledger.record(name, Path(event.task.path), record["sha256"] or "")
                files[event.task.rel] = file_entry(
                    event.task.path, event.task.rel, record, resumed=False
                )
                progress.finished(event.task.rel, result)
        except KeyboardInterrupt:
            interrupted = True
        for task in tasks:
            if task.rel not in files:
                files[task.rel] = file_entry(
                    task.path, task.rel, failure(task, INTERRUPTED), False
                )
        progress.end()
        settings = {
            "root": str(root), "out": str(out), "formats": list(opts.formats),
            "workers": workers, "timeout": opts.timeout, "memory_limit_mb": opts.memory_limit_mb,
            "interrupted": interrupted, "replaced_workers": pool.replaced,
            "convert_seconds": round(time.monotonic() - pool_started, 3),
            "pdf_settings": opts.pdf.overrides() if opts.pdf is not None else {},
        }
        report = build_report(list(files.values()), settings, time.monotonic() - t0)
        try:  # still holding the manifest's lock: no other batch writes OUT meanwhile
            report_path: Path | None = write_report(out, report)
        except OSError:
            report_path = None
        index_path: Path | None = None
        if "html" in opts.formats:
            with contextlib.suppress(OSError):
                index_path = write_html_index(ledger, report)
    finally:
        try:
            try:
                ledger.close()
            finally:
                manifest.close()
        except OSError as exc:
            raise BatchError(
                f"cannot save the outputs in {opts.out}: {exc.strerror or exc}"
            ) from None
    return BatchOutcome(report, report_path, interrupted, index_path)
