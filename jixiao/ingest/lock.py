"""Two runs never overlap: a file lock on this machine, an advisory lock in PostgreSQL.

The file lock (``flock``, exclusive, non-blocking) is taken on ``<INBOX>/.jixiao-ingest.lock``
or ``--lock PATH``; the kernel drops it when the process ends, however it ends, so a killed
run never leaves a stale lock. The file itself stays (removing a lock file races with the
next run opening it) and holds the holder's ``host pid`` for the message a second run prints.

Machines sharing one PostgreSQL also take ``pg_try_advisory_lock(INGEST_LOCK_KEY)`` on a
session of their own, held for the whole run (the server drops it with the session). The key
is one constant per database, so one ingest at a time per database, whatever its inbox.
SQLite needs no such guard: its database is a file on one machine, guarded by the file lock,
and SQLite serializes writers itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from jixiao.db.engine import shown
from jixiao.exceptions import JixiaoError, UsageError
from jixiao.flock import try_exclusive, unlock
from jixiao.ingest.retry import Retrier, is_transient

LOCK_NAME = ".jixiao-ingest.lock"
INGEST_LOCK_KEY = 0x6A69_7869_616F_0001  # "jixiao" + 1, a bigint key for pg advisory locks


class LockHeld(JixiaoError):
    """Another ingest run holds the lock."""


class FileLock:
    """An exclusive, non-blocking ``flock`` on ``path``, released by ``release`` (or exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise UsageError(
                f"cannot open lock file {self.path}: {exc.strerror or exc} "
                "(choose another with --lock PATH)"
            ) from None
        try:
            taken = try_exclusive(fd)
        except OSError as exc:  # e.g. a file system without locks
            os.close(fd)
            raise UsageError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        if not taken:
            holder = _read(fd)
            os.close(fd)
            by = f" ({holder})" if holder else ""
            raise LockHeld(f"another jixiao ingest holds {self.path}{by}")
        self._fd = fd
        with contextlib.suppress(OSError):  # the note is for people; the lock is what counts
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"host {socket.gethostname()} pid {os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                unlock(fd)
            os.close(fd)


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


class AdvisoryLock:
    """``pg_try_advisory_lock`` held on a session of its own; a no-op on other databases."""

    def __init__(self, engine: Engine, retry: Retrier) -> None:
        self.engine = engine
        self.retry = retry
        self.active = engine.dialect.name == "postgresql"
        self._conn: Connection | None = None

    def acquire(self) -> None:
        if self.active:
            self._conn = self.retry("taking the database lock", self._try)

    def _try(self) -> Connection:
        conn = self.engine.connect()
        try:
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": INGEST_LOCK_KEY}
            ).scalar()
            conn.commit()  # the lock is the session's: no transaction left open
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            raise LockHeld(
                f"another jixiao ingest holds the database lock on {shown(self.engine.url)} "
                f"(pg_try_advisory_lock({INGEST_LOCK_KEY}))"
            )
        return conn

    def ensure(self) -> None:
        """Check the session still holds the lock; a lost session (network, server restart)
        lost it too, so it is taken again, or ``LockHeld`` if another run got it meanwhile."""
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT 1")).scalar()
            self._conn.commit()
            return
        except Exception as exc:
            if not is_transient(exc):
                raise
        self._drop()
        self.acquire()

    def _drop(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):
                conn.invalidate()  # never back to the pool holding the lock
                conn.close()

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INGEST_LOCK_KEY})
            self._conn.commit()
        except Exception:  # the session is gone, and its lock with it
            pass
        finally:
            self._drop()
