"""What ``jixiao ingest`` remembers, in the database: one row per file (``ingest_files``) and
one per run (``ingest_runs``). Every function here is one short transaction, so the caller
can retry it whole after a transient failure."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from jixiao.db.load import delete_documents
from jixiao.db.tables import documents, ingest_files, ingest_runs


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Counts:
    """A run's counts, as stored in ``ingest_runs`` (see the columns' comments there)."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    retried: int = 0
    loaded: int = 0
    skipped: int = 0
    missing: int = 0
    pruned: int = 0
    db_retries: int = 0


COUNT_NAMES = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class Known:
    """A file as the last run that processed it left it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str  # ok | failed
    attempts: int


def start_run(engine: Engine, inbox: Path, host: str, *, everywhere: bool) -> int:
    """Record a new run (status ``running``) and return its id. Runs still ``running`` that
    this one's lock proves dead (killed, machine lost) become ``interrupted``: all of them
    when the lock is the database's (``everywhere``), else those of the same inbox."""
    with engine.begin() as conn:
        stale = ingest_runs.c.status == "running"
        if not everywhere:
            stale = and_(stale, ingest_runs.c.inbox == str(inbox))
        conn.execute(update(ingest_runs).where(stale).values(
            status="interrupted", error="ended without finishing (killed or lost)",
        ))
        result = conn.execute(insert(ingest_runs).values(
            started_at=now(), host=host, pid=os.getpid(), inbox=str(inbox), status="running",
            **asdict(Counts()),
        ))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def finish_run(
    engine: Engine, run_id: int, counts: Counts, status: str, error: str | None = None
) -> None:
    with engine.begin() as conn:
        conn.execute(update(ingest_runs).where(ingest_runs.c.id == run_id).values(
            finished_at=now(), status=status, error=error, **asdict(counts),
        ))


def _under(inbox: Path) -> str:
    return str(inbox).rstrip(os.sep) + os.sep


def known_files(engine: Engine, inbox: Path) -> dict[str, Known]:
    """Every file recorded under ``inbox``, by path."""
    prefix = _under(inbox)
    with engine.connect() as conn:
        rows = conn.execute(select(
            ingest_files.c.path, ingest_files.c.size, ingest_files.c.mtime_ns,
            ingest_files.c.sha256, ingest_files.c.status, ingest_files.c.attempts,
        )).all()
    return {r.path: Known(*r) for r in rows if r.path.startswith(prefix)}


def is_loaded(engine: Engine, sha256: str) -> bool:
    with engine.connect() as conn:
        found = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256))
        return found.first() is not None


@dataclass(frozen=True)
class Done:
    """What a run learnt about one file."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    error: str | None  # None: its document is in the database

    @property
    def status(self) -> str:
        return "failed" if self.error else "ok"


def record_file(engine: Engine, done: Done, run_id: int, before: Known | None) -> None:
    """Store ``done``. A file whose new content was already loaded (a copy, or content it
    had before) leaves no document of its previous content behind."""
    stamp = now()
    values = {
        "size": done.size, "mtime_ns": done.mtime_ns, "sha256": done.sha256,
        "status": done.status, "last_error": done.error, "last_done": stamp, "run_id": run_id,
    }
    with engine.begin() as conn:
        if before is None:
            conn.execute(insert(ingest_files).values(
                path=done.path, attempts=1, first_seen=stamp, **values,
            ))
        else:
            conn.execute(update(ingest_files).where(ingest_files.c.path == done.path).values(
                attempts=ingest_files.c.attempts + 1, **values,
            ))
        if before is not None and before.sha256 != done.sha256 and not done.error:
            _drop_orphan(conn, before)


def _drop_orphan(conn: Connection, before: Known) -> None:
    """Delete the document loaded from ``before`` (its path, its former content) unless
    another recorded file has that content too."""
    shared = conn.execute(select(func.count()).select_from(ingest_files).where(
        ingest_files.c.sha256 == before.sha256, ingest_files.c.path != before.path,
    )).scalar_one()
    if shared:
        return
    ids = conn.execute(select(documents.c.id).where(
        documents.c.sha256 == before.sha256, documents.c.path == before.path,
    )).scalars().all()
    if ids:
        delete_documents(conn, list(ids))


def prune(engine: Engine, gone: list[Known]) -> int:
    """Forget files no longer in the inbox and delete the documents loaded from their paths
    (but not one whose content a file still recorded has). Returns the documents deleted."""
    deleted = 0
    with engine.begin() as conn:
        for start in range(0, len(gone), 500):
            paths = [k.path for k in gone[start:start + 500]]
            conn.execute(delete(ingest_files).where(ingest_files.c.path.in_(paths)))
            loaded = conn.execute(select(documents.c.id, documents.c.sha256).where(
                documents.c.path.in_(paths)
            )).all()
            still = set(conn.execute(select(ingest_files.c.sha256).where(
                ingest_files.c.sha256.in_([r.sha256 for r in loaded])
            )).scalars())
            ids = [r.id for r in loaded if r.sha256 not in still]
            if ids:
                delete_documents(conn, ids)
                deleted += len(ids)
    return deleted
