"""One ingest run: lock, walk the inbox, convert and load what is new or changed, record.

A file is skipped without being opened when its (path, size, mtime_ns) are those recorded
when it was last done. Otherwise it is hashed: content already loaded (a copy, a file only
touched) is just recorded; anything else is converted (``convert_file``) and loaded
(``load_document``). A file that fails to convert is recorded ``failed`` with the reason
and left alone until it changes (it is a bad document, not a passing fault); transient
database errors are retried per operation (``Retrier``), and a database that stays
unreachable stops the run (``DatabaseUnavailable``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jixiao.db.engine import DatabaseError, reason
from jixiao.db.load import load_document
from jixiao.db.schema import check_schema
from jixiao.discovery import discover
from jixiao.exceptions import UsageError
from jixiao.guard import GuardedConverter
from jixiao.ingest import state
from jixiao.ingest.lock import LOCK_NAME, AdvisoryLock, FileLock, LockHeld
from jixiao.ingest.retry import DEFAULT_RETRIES, DatabaseUnavailable, Retrier
from jixiao.ingest.state import Counts, Done, Known
from jixiao.pipeline import file_sha256

Log = Callable[[str], None]

# Names an uploader or editor uses while a file is not finished: never candidates, not counted.
TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")


@dataclass
class Report:
    run_id: int
    counts: Counts
    status: str  # ok | failed
    failures: list[tuple[Path, str]] = field(default_factory=list)


def ignored(path: Path, inbox: Path, lock: Path) -> bool:
    """Hidden files and folders (the lock file, rsync's ``.name.XXXXXX``), Office owner
    files (``~$x.docx``), LibreOffice's ``.~lock.x#`` and unfinished downloads."""
    if path == lock:
        return True
    parts = path.relative_to(inbox).parts
    name = path.name.lower()
    return any(p.startswith((".", "~$")) for p in parts) or name.endswith(TEMP_SUFFIXES)


def candidates(inbox: Path, lock: Path) -> tuple[list[Path], int]:
    """The documents in ``inbox`` (``jixiao.discovery``: by suffix, each real file once,
    symlinked folders not followed) and how many other files were skipped, ignored files
    (see ``ignored``) being neither."""
    found = discover([inbox])
    kept = [f.path for f in found.documents if not ignored(f.path, inbox, lock)]
    skipped = [f for f in found.skipped if not ignored(f.path, inbox, lock)]
    return kept, len(skipped)


def ingest(
    engine: Engine, inbox: Path, *, lock: Path | None = None, retries: int = DEFAULT_RETRIES,
    prune: bool = False, retry_failed: bool = False, log: Log | None = None,
    guard: GuardedConverter | None = None,
) -> Report:
    """One run over ``inbox``. Raises ``LockHeld`` when another run holds a lock,
    ``SchemaError`` / ``DatabaseUnavailable`` when the database cannot be used, and
    ``UsageError`` for an inbox that is not a folder or a lock file that cannot be made.
    Each file is converted by ``guard`` (default: a ``GuardedConverter`` with its default
    memory and time limits)."""
    inbox = Path(os.path.abspath(inbox))
    if not inbox.is_dir():
        raise UsageError(f"inbox {inbox} is not a folder")
    lock_path = Path(os.path.abspath(lock)) if lock else inbox / LOCK_NAME
    file_lock = FileLock(lock_path)
    file_lock.acquire()
    try:
        retry = Retrier(retries, log=log)
        retry("opening the database", lambda: _check(engine))
        advisory = AdvisoryLock(engine, retry)
        advisory.acquire()
        try:
            with nullcontext(guard) if guard else GuardedConverter() as converter:
                run = _Run(engine, inbox, lock_path, retry, advisory, log or (lambda _: None))
                return run.go(converter, prune=prune, retry_failed=retry_failed)
        finally:
            advisory.release()
    finally:
        file_lock.release()


def _check(engine: Engine) -> None:
    with engine.connect() as conn:
        check_schema(conn)


class _Run:
    def __init__(
        self, engine: Engine, inbox: Path, lock: Path, retry: Retrier, guard: AdvisoryLock,
        log: Log,
    ) -> None:
        self.engine, self.inbox, self.lock = engine, inbox, lock
        self.retry, self.guard, self.log = retry, guard, log
        self.counts = Counts()
        self.failures: list[tuple[Path, str]] = []
        self.run_id = 0

    def go(self, converter: GuardedConverter, *, prune: bool, retry_failed: bool) -> Report:
        self.converter = converter  # converts each file (jixiao.guard)
        host = socket.gethostname()
        self.run_id = self.retry("recording the run", lambda: state.start_run(
            self.engine, self.inbox, host, everywhere=self.guard.active,
        ))
        try:
            files, self.counts.skipped = candidates(self.inbox, self.lock)
            known = self.retry("reading the inbox state", lambda: state.known_files(
                self.engine, self.inbox,
            ))
            for path in files:
                self._one(path, known.get(str(path)), retry_failed)
            present = {str(p) for p in files}
            gone = [k for p, k in known.items() if p not in present]
            self.counts.missing = len(gone)
            if prune and gone and files:  # an empty inbox may be a share not mounted
                self.counts.pruned = self.retry("pruning", lambda: state.prune(self.engine, gone))
        except BaseException as exc:
            self._finish("interrupted" if isinstance(exc, KeyboardInterrupt) else "failed",
                         _why(exc))
            raise
        status = "failed" if self.counts.failed else "ok"
        self.retry("recording the run", lambda: self._finish(status, None, strict=True))
        return Report(self.run_id, self.counts, status, self.failures)

    def _finish(self, status: str, error: str | None, *, strict: bool = False) -> None:
        self.counts.db_retries = self.retry.retried
        try:
            state.finish_run(self.engine, self.run_id, self.counts, status, error)
        except Exception:
            if strict:
                raise
            # the run is ending on an error already; the next run marks it interrupted

    def _one(self, path: Path, before: Known | None, retry_failed: bool) -> None:
        try:
            st = path.stat()
        except FileNotFoundError:  # gone since the walk: as if never seen
            return
        except OSError as exc:  # recorded with no size (-1): tried again on every run
            st = None
            unreadable = f"cannot read: {exc.strerror or exc}"
        if (st is not None and before is not None
                and (before.size, before.mtime_ns) == (st.st_size, st.st_mtime_ns)
                and not (retry_failed and before.status == "failed")):
            self.counts.unchanged += 1
            return
        self.guard.ensure()
        if st is None:
            done = Done(str(path), -1, -1, "", unreadable)
        else:
            done = self._process(path, st.st_size, st.st_mtime_ns)
        self.retry("recording a file", lambda: state.record_file(
            self.engine, done, self.run_id, before,
        ))
        if before is not None and before.status == "failed":
            self.counts.retried += 1
        if done.error:
            self.counts.failed += 1
            self.failures.append((path, done.error))
            self.log(f"error: {path}: {done.error}")
        elif before is None:
            self.counts.new += 1
        else:
            self.counts.changed += 1

    def _process(self, path: Path, size: int, mtime_ns: int) -> Done:
        """Hash, then convert and load unless that content is already loaded."""
        try:
            sha = file_sha256(path)
        except OSError as exc:
            return Done(str(path), -1, -1, "", f"cannot read: {exc.strerror or exc}")
        if self.retry("looking up a document", lambda: state.is_loaded(self.engine, sha)):
            self.log(f"ingest: {path}: already loaded")
            return Done(str(path), size, mtime_ns, sha, None)
        result = self.converter.convert(path)
        document = result.document
        if document is None:
            return Done(str(path), size, mtime_ns, sha, result.error or "cannot convert")
        sha = document.source.sha256  # what was converted, should the file have moved on
        try:
            outcome = self.retry("loading a document", lambda: load_document(
                self.engine, document,
            ))
        except DatabaseError:  # unavailable, or the schema gone: the run cannot go on
            raise
        except SQLAlchemyError as exc:
            return Done(str(path), size, mtime_ns, sha, f"database error: {reason(exc)}")
        except Exception as exc:  # a bug: report it for this file, keep the run going
            error = f"internal error ({type(exc).__name__}: {exc})"
            return Done(str(path), size, mtime_ns, sha, error)
        self.counts.loaded += 1
        forms = len(document.forms)
        self.log(f"ingest: {path}: {outcome} ({forms} form{'' if forms == 1 else 's'})")
        return Done(str(path), size, mtime_ns, sha, None)


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (SIGINT or SIGTERM)"
    if isinstance(exc, DatabaseUnavailable | LockHeld | DatabaseError):
        return str(exc)
    return f"internal error ({type(exc).__name__}: {exc})"
