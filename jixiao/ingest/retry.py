"""Transient database failures, retried with exponential backoff, one operation at a time.

Transient means the database could not be reached or was busy — not that the data is bad:
``OperationalError`` (connection refused or lost, server shutting down, SQLite's
``database is locked``, PostgreSQL serialization failures), ``InterfaceError``, a
connection SQLAlchemy saw invalidated, and pool timeouts. Anything else (a constraint
violated, a bug) is raised at once: retrying would fail the same way.

Each retried operation is a whole transaction, so a retry never repeats half of one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from jixiao.db.engine import DatabaseError, reason

T = TypeVar("T")

FIRST_DELAY = 0.5  # seconds; then 1, 2, 4 … (doubling)
MAX_DELAY = 30.0
DEFAULT_RETRIES = 4  # 0.5 + 1 + 2 + 4 = 7.5 s of waiting before giving up


class DatabaseUnavailable(DatabaseError):
    """The database stayed unreachable (or locked) through every retry."""


# SQLite reports a missing table or a bad statement as an OperationalError too: not transient.
_NOT_TRANSIENT = ("no such table", "no such column", "syntax error")


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` says the database was unreachable or busy, not that the data is bad."""
    if isinstance(exc, OperationalError):
        return not str(exc.orig).startswith(_NOT_TRANSIENT)
    if isinstance(exc, InterfaceError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def delays(retries: int) -> list[float]:
    """The waits before each retry: 0.5 s, 1 s, 2 s, 4 s … (at most ``MAX_DELAY``)."""
    return [min(FIRST_DELAY * 2**n, MAX_DELAY) for n in range(retries)]


def sleep(seconds: float) -> None:
    """``time.sleep``, by name so tests can replace it."""
    time.sleep(seconds)


@dataclass
class Retrier:
    """Runs database operations, retrying transient failures ``retries`` times."""

    retries: int = DEFAULT_RETRIES
    retried: int = 0  # retries done so far, over all operations
    log: Callable[[str], None] | None = None

    def __call__(self, what: str, operation: Callable[[], T]) -> T:
        """``operation()``; on a transient failure wait and try again. Raises
        ``DatabaseUnavailable`` naming ``what`` when the last try fails too."""
        waits = delays(self.retries)
        for attempt in range(len(waits) + 1):
            try:
                return operation()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if attempt == len(waits):
                    tries = f"{attempt + 1} tries" if attempt else "1 try"
                    raise DatabaseUnavailable(
                        f"database unavailable ({what}, {tries}): {reason(exc)}"
                    ) from exc
                if self.log is not None:
                    self.log(
                        f"database busy or unreachable ({what}: {reason(exc)}); "
                        f"retrying in {waits[attempt]:g} s"
                    )
                sleep(waits[attempt])
                self.retried += 1
        raise AssertionError("unreachable")  # pragma: no cover
