"""Schema creation and upgrades, done only when asked (``jixiao db init``).

The version is kept in ``jixiao_meta`` (key ``schema_version``). A new database gets the
current tables at once; an older one is taken up one version at a time by ``UPGRADES``,
all in one transaction (DDL is transactional in PostgreSQL and, as opened here, in SQLite).
Loading never creates or alters tables: ``check_schema`` refuses a database whose schema is
missing or of another version, saying what to run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, select, text

from jixiao.db.engine import SchemaError, shown
from jixiao.db.tables import INGEST_TABLES, meta, metadata
from jixiao.db.views import create_views

SCHEMA_VERSION = 6
VERSION_KEY = "schema_version"

Step = Callable[[Connection], None]


def _add_ingest_tables(conn: Connection) -> None:
    """Version 2: ``ingest_runs`` and ``ingest_files`` (``jixiao ingest``); nothing else."""
    metadata.create_all(conn, tables=list(INGEST_TABLES))


def _add_implementer(conn: Connection) -> None:
    """Version 3: ``forms.implementer`` (实施单位); empty for the forms already loaded until
    ``jixiao load`` loads their files again (this jixiao reads them differently: their rows
    are replaced)."""
    if "implementer" not in {c["name"] for c in inspect(conn).get_columns("forms")}:
        conn.execute(text("ALTER TABLE forms ADD COLUMN implementer VARCHAR"))


def _add_not_applicable(conn: Connection) -> None:
    """Version 4: ``indicators.not_applicable`` (rows printed 不适用); false for the rows
    already loaded until ``jixiao load`` loads their files again."""
    if "not_applicable" not in {c["name"] for c in inspect(conn).get_columns("indicators")}:
        conn.execute(text(
            "ALTER TABLE indicators ADD COLUMN not_applicable BOOLEAN NOT NULL DEFAULT FALSE"))


def _add_field_role(conn: Connection) -> None:
    """Version 5: ``fields.role`` (what the mapping took the field for: project.name …);
    empty for the fields already loaded until ``jixiao load`` loads their files again."""
    if "role" not in {c["name"] for c in inspect(conn).get_columns("fields")}:
        conn.execute(text("ALTER TABLE fields ADD COLUMN role VARCHAR(32)"))


# Columns of version 6: (table, column, SQL type).
_V6_COLUMNS = (
    ("documents", "forms_digest", "VARCHAR(64)"),
    ("documents", "duplicate_of", "INTEGER REFERENCES documents(id) ON DELETE SET NULL"),
    ("forms", "total_score_value", "NUMERIC"),
    ("indicators", "weight_value", "NUMERIC"),
    ("indicators", "group_weight_value", "NUMERIC"),
    ("indicators", "score_value", "NUMERIC"),
)


def _numbers_copies_views(conn: Connection) -> None:
    """Version 6: scores and weights as numbers beside the text (``*_value``); a document's
    ``forms_digest`` and ``duplicate_of`` (the Word and PDF copies of one report); the views
    that count each report once (``jixiao.db.views``). The rows already loaded get them when
    ``jixiao load`` loads their files again."""
    have = {t: {c["name"] for c in inspect(conn).get_columns(t)}
            for t in ("documents", "forms", "indicators")}
    for table, column, sql_type in _V6_COLUMNS:
        if column not in have[table]:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
    for column in ("forms_digest", "duplicate_of"):
        conn.execute(text(
            f"CREATE INDEX IF NOT EXISTS ix_documents_{column} ON documents ({column})"))
    create_views(conn)


# UPGRADES[n] takes a database from version n - 1 to n (CREATE / ALTER TABLE …); one per
# version after the first.
UPGRADES: dict[int, Step] = {
    2: _add_ingest_tables, 3: _add_implementer, 4: _add_not_applicable, 5: _add_field_role,
    6: _numbers_copies_views}


@dataclass(frozen=True)
class InitResult:
    before: int | None  # None: there was no jixiao schema
    after: int

    def describe(self) -> str:
        if self.before is None:
            return f"created schema version {self.after}"
        if self.before == self.after:
            return f"schema already at version {self.after}"
        return f"upgraded schema from version {self.before} to {self.after}"


def recorded_version(conn: Connection) -> int | None:
    """The version in ``jixiao_meta``; None when the database has no jixiao schema."""
    if not inspect(conn).has_table(meta.name):
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == VERSION_KEY)).scalar()
    if value is None or not value.isdigit():
        raise SchemaError(f"{meta.name} holds no valid {VERSION_KEY} ({value!r})")
    return int(value)


def _init_hint(conn: Connection) -> str:
    return f"`jixiao db init --db {shown(conn.engine.url)}`"


def check_schema(conn: Connection) -> None:
    """Raise ``SchemaError`` unless the database holds the current jixiao schema."""
    version = recorded_version(conn)
    if version is None:
        raise SchemaError(
            f"database {shown(conn.engine.url)} has no jixiao tables: "
            f"run {_init_hint(conn)} first"
        )
    if version < SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {version} is older than this jixiao's "
            f"({SCHEMA_VERSION}): run {_init_hint(conn)} to upgrade it"
        )
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {version} is newer than this jixiao's "
            f"({SCHEMA_VERSION}): upgrade jixiao"
        )


def init_schema(engine: Engine) -> InitResult:
    """Create the tables, or upgrade them to ``SCHEMA_VERSION``; one transaction."""
    with engine.begin() as conn:
        before = recorded_version(conn)
        if before is None:
            taken = [t for t in metadata.sorted_tables if inspect(conn).has_table(t.name)]
            if taken:
                names = ", ".join(t.name for t in taken)
                raise SchemaError(
                    f"database {shown(engine.url)} has tables named like jixiao's ({names}) "
                    f"but no {meta.name}: not a jixiao database"
                )
            metadata.create_all(conn)
            create_views(conn)
            conn.execute(meta.insert(), {"key": VERSION_KEY, "value": str(SCHEMA_VERSION)})
            return InitResult(None, SCHEMA_VERSION)
        if before > SCHEMA_VERSION:
            raise SchemaError(
                f"database schema version {before} is newer than this jixiao's "
                f"({SCHEMA_VERSION}): upgrade jixiao"
            )
        for version in range(before + 1, SCHEMA_VERSION + 1):
            step = UPGRADES.get(version)
            if step is None:
                raise SchemaError(f"no upgrade step to schema version {version}")
            step(conn)
        if before != SCHEMA_VERSION:
            conn.execute(
                meta.update().where(meta.c.key == VERSION_KEY), {"value": str(SCHEMA_VERSION)}
            )
        return InitResult(before, SCHEMA_VERSION)
