"""Schema version 2 adds ``ingest_runs`` and ``ingest_files``: ``jixiao db init`` creates them
on a new database and adds them, by the upgrade step, to a version-1 one — keeping its
documents — giving the same tables either way. On SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from typer.testing import CliRunner, Result

from jixiao.cli import app
from jixiao.db import SCHEMA_VERSION, SchemaError, load_document, open_engine
from jixiao.db.load import content_digest, insert_document
from jixiao.db.tables import INGEST_TABLES, meta, metadata
from jixiao.schemas import Document
from tests.conftest import SEEDS
from tests.db.test_load import counts, expected_counts

INGEST = {t.name for t in INGEST_TABLES}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, list(map(str, args)))


def make_version_1(engine: Engine, document: Document) -> None:
    """A database as jixiao's schema version 1 left it, holding one document."""
    with engine.begin() as conn:
        metadata.create_all(conn, tables=[t for t in metadata.sorted_tables
                                          if t.name not in INGEST])
        conn.execute(meta.insert(), {"key": "schema_version", "value": "1"})
        insert_document(conn, document, content_digest(document))


def shape(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, keys and indexes, as the database reports them."""
    inspector = inspect(engine)
    return {
        name: {
            "columns": [(c["name"], str(c["type"]), c["nullable"])
                        for c in inspector.get_columns(name)],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted((k["constrained_columns"], k["referred_table"],
                           k["options"].get("ondelete")) for k in inspector.get_foreign_keys(name)),
            "indexes": sorted((tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(name)),
            "unique": sorted(tuple(u["column_names"])
                             for u in inspector.get_unique_constraints(name)),
        }
        for name in sorted(inspector.get_table_names())
    }


def version(engine: Engine) -> str:
    with engine.connect() as conn:
        value: str = conn.execute(select(meta.c.value)).scalar_one()
        return value


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Another new, empty database of the same kind."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    server: Any = request.getfixturevalue("postgres")
    url: str = server.database()
    return url


def test_schema_version_is_6() -> None:
    assert SCHEMA_VERSION == 6


def test_init_creates_the_ingest_tables_on_a_new_database(db_url: str) -> None:
    result = run("db", "init", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "created schema version 6" in result.stderr
    engine = open_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= INGEST
        assert version(engine) == "6"
    finally:
        engine.dispose()


def test_version_1_database_is_upgraded_keeping_its_documents(
    bare_engine: Engine, db_url: str, fresh_url: str, tmp_path: Path,
    seed_documents: dict[str, Document],
) -> None:
    doc = seed_documents["yuanjiang-2024"]
    make_version_1(bare_engine, doc)
    assert not INGEST & set(inspect(bare_engine).get_table_names())
    with pytest.raises(SchemaError, match=r"version 1 is older .* `jixiao db init --db .*` to up"):
        load_document(bare_engine, doc)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "yuanjiang-2024.docx", inbox)
    refused = run("ingest", inbox, "--db", db_url)
    assert refused.exit_code == 5 and "to upgrade it" in refused.stderr

    upgraded = run("db", "init", "--db", db_url)
    assert upgraded.exit_code == 0, upgraded.output
    assert "upgraded schema from version 1 to 6" in upgraded.stderr
    bare_engine.dispose()  # SQLite caches table lists per connection
    assert version(bare_engine) == "6"
    assert counts(bare_engine) == expected_counts(doc)

    assert run("db", "init", "--db", fresh_url).exit_code == 0
    fresh = open_engine(fresh_url)
    try:
        assert shape(bare_engine) == shape(fresh)
    finally:
        fresh.dispose()

    ingested = run("ingest", inbox, "--db", db_url)  # that content is loaded: just recorded
    assert ingested.exit_code == 0, ingested.output
    assert "1 new, 0 changed, 0 unchanged, 0 failed" in ingested.stderr
    assert "already loaded" in ingested.stderr
    assert counts(bare_engine) == expected_counts(doc)


@pytest.mark.parametrize(("old", "table", "column"), [
    (2, "forms", "implementer"), (3, "indicators", "not_applicable"), (4, "fields", "role"),
    (5, "indicators", "score_value")])
def test_an_older_database_gets_the_columns_added_since(
    bare_engine: Engine, db_url: str, fresh_url: str, old: int, table: str, column: str
) -> None:
    with bare_engine.begin() as conn:
        metadata.create_all(conn)
        for table, column in (("forms", "total_score_value"), ("indicators", "weight_value"),
                              ("indicators", "group_weight_value"),
                              ("indicators", "score_value")):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        if old <= 4:
            conn.execute(text("ALTER TABLE fields DROP COLUMN role"))
        if old <= 3:
            conn.execute(text("ALTER TABLE indicators DROP COLUMN not_applicable"))
        if old <= 2:
            conn.execute(text("ALTER TABLE forms DROP COLUMN implementer"))
        conn.execute(meta.insert(), {"key": "schema_version", "value": str(old)})
    upgraded = run("db", "init", "--db", db_url)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"upgraded schema from version {old} to 6" in upgraded.stderr
    bare_engine.dispose()
    assert column in {c["name"] for c in inspect(bare_engine).get_columns(table)}
    assert run("db", "init", "--db", fresh_url).exit_code == 0
    fresh = open_engine(fresh_url)
    try:
        # the same columns (an added one comes last)
        for name in ("forms", "indicators", "fields"):
            assert sorted(shape(bare_engine)[name]["columns"]) == sorted(
                shape(fresh)[name]["columns"])
    finally:
        fresh.dispose()
