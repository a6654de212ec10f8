"""Open a database by URL: SQLite (the default) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

from jixiao.exceptions import JixiaoError, UsageError

DEFAULT_URL = "sqlite:///jixiao.db"


class DatabaseError(JixiaoError):
    """The database cannot be used: the message says why, in one line."""


class SchemaError(DatabaseError):
    """The database has no jixiao schema, or one of another version."""


def parse_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it; ``postgresql://`` means psycopg 3 (the driver we ship)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(f"not a database URL: {url!r} (e.g. sqlite:///jixiao.db)") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def shown(url: URL) -> str:
    """The URL for messages, with any password masked."""
    return url.render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    db = url.database
    if url.get_backend_name() != "sqlite" or not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def open_engine(url: str | URL, *, create: bool = False) -> Engine:
    """An engine for ``url``. Without ``create`` a SQLite file must already exist: a missing
    one is reported as a missing schema rather than silently created empty."""
    parsed = parse_url(url) if isinstance(url, str) else url
    path = sqlite_file(parsed)
    if path is not None and not create and not path.is_file():
        raise SchemaError(
            f"database {shown(parsed)} does not exist: "
            f"run `jixiao db init --db {shown(parsed)}` first"
        )
    try:
        engine = create_engine(parsed)
    except ArgumentError as exc:
        raise UsageError(f"unsupported database URL {shown(parsed)}: {exc}") from None
    except ImportError as exc:
        raise DatabaseError(f"no driver for {shown(parsed)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    """Real transactions on SQLite: the sqlite3 module's own handling starts them late (not
    before DDL, nor before reads), so BEGIN is sent here, as SQLAlchemy's docs advise.
    IMMEDIATE takes the write lock at once, so concurrent loaders wait instead of failing.
    Foreign keys (and their ON DELETE CASCADE) are off in SQLite unless asked for."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def reason(exc: BaseException) -> str:
    """One line on why a database call failed, without SQLAlchemy's SQL and link lines."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first
