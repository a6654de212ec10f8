"""Schema creation and upgrades happen only through ``init_schema`` (``jixiao db init``), and
record their version; loading refuses a schema of another version."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, inspect, select, text

from jixiao.db import SCHEMA_VERSION, InitResult, SchemaError, init_schema, load_document
from jixiao.db import schema as db_schema
from jixiao.db.tables import meta, metadata
from jixiao.schemas import Document

TABLES = {"jixiao_meta", "documents", "forms", "fields", "indicators", "findings",
          "ingest_runs", "ingest_files"}


def version(engine: Engine) -> str:
    with engine.connect() as conn:
        value: str = conn.execute(select(meta.c.value)).scalar_one()
        return value


def test_init_creates_tables_and_records_version(bare_engine: Engine) -> None:
    assert init_schema(bare_engine) == InitResult(None, SCHEMA_VERSION)
    assert set(inspect(bare_engine).get_table_names()) == TABLES
    assert version(bare_engine) == str(SCHEMA_VERSION)
    again = init_schema(bare_engine)
    assert again == InitResult(SCHEMA_VERSION, SCHEMA_VERSION)
    assert again.describe() == f"schema already at version {SCHEMA_VERSION}"


def test_cascading_foreign_keys(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in ("forms", "fields", "indicators", "findings"):
        keys = inspector.get_foreign_keys(table)
        assert {"documents"} <= {k["referred_table"] for k in keys}
        assert all(k["options"].get("ondelete") == "CASCADE" for k in keys), table


def test_every_version_after_the_first_has_an_upgrade_step() -> None:
    assert set(db_schema.UPGRADES) == set(range(2, SCHEMA_VERSION + 1))


def test_older_schema_is_upgraded_by_init_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, seed_documents: dict[str, Document]
) -> None:
    doc = seed_documents["laoting-2024"]

    def add_note(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE documents ADD COLUMN note TEXT"))

    monkeypatch.setattr(db_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(db_schema, "UPGRADES", {SCHEMA_VERSION + 1: add_note})
    with pytest.raises(SchemaError, match=r"older than .* run `jixiao db init --db .*` to upgrade"):
        load_document(engine, doc)
    result = init_schema(engine)
    assert result == InitResult(SCHEMA_VERSION, SCHEMA_VERSION + 1)
    assert result.describe() == (
        f"upgraded schema from version {SCHEMA_VERSION} to {SCHEMA_VERSION + 1}"
    )
    assert "note" in {c["name"] for c in inspect(engine).get_columns("documents")}
    assert version(engine) == str(SCHEMA_VERSION + 1)
    assert load_document(engine, doc) == "inserted"
    monkeypatch.undo()  # this jixiao again, on the newer database
    with pytest.raises(SchemaError, match=r"newer than this jixiao's .*: upgrade jixiao"):
        load_document(engine, doc)
    with pytest.raises(SchemaError, match="newer"):
        init_schema(engine)


def test_failed_upgrade_changes_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE documents ADD COLUMN note TEXT"))
        raise RuntimeError("step failed")

    monkeypatch.setattr(db_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(db_schema, "UPGRADES", {SCHEMA_VERSION + 1: broken})
    with pytest.raises(RuntimeError):
        init_schema(engine)
    assert version(engine) == str(SCHEMA_VERSION)
    assert "note" not in {c["name"] for c in inspect(engine).get_columns("documents")}


def test_foreign_tables_without_meta_are_not_taken_over(bare_engine: Engine) -> None:
    metadata.tables["documents"].create(bare_engine)
    with pytest.raises(SchemaError, match="not a jixiao database"):
        init_schema(bare_engine)
