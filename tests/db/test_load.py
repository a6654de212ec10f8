"""Loading documents: every form, field, indicator and finding becomes a row with its typed
values; loading again changes nothing; a changed file replaces its rows; a failure midway
leaves the database as it was. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, inspect, select

from jixiao import convert
from jixiao.db import SchemaError, check_schema, load_document, open_engine
from jixiao.db import load as db_load
from jixiao.db.tables import documents, fields, findings, forms, indicators, metadata
from jixiao.schemas import Document
from tests.conftest import SEEDS

YUANJIANG = SEEDS / "yuanjiang-2024.docx"
LAOTING = SEEDS / "laoting-2024.docx"


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (documents, forms, fields, indicators, findings)
        }


def expected_counts(*docs: Document) -> dict[str, int]:
    return {
        "documents": len(docs),
        "forms": sum(len(d.forms) for d in docs),
        "fields": sum(len(f.fields) for d in docs for f in d.forms),
        "indicators": sum(len(f.indicators) for d in docs for f in d.forms),
        "findings": sum(len(d.findings) for d in docs),
    }


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key))]
            for t in metadata.sorted_tables
        }


@pytest.fixture
def seeds(seed_documents: dict[str, Document]) -> tuple[Document, Document]:
    return seed_documents["yuanjiang-2024"], seed_documents["laoting-2024"]


def test_load_both_seeds_counts_per_table(engine: Engine, seeds: tuple[Document, ...]) -> None:
    assert [load_document(engine, d) for d in seeds] == ["inserted", "inserted"]
    assert counts(engine) == expected_counts(*seeds)
    with engine.connect() as conn:  # and per document
        for doc in seeds:
            doc_id = conn.execute(
                select(documents.c.id).where(documents.c.sha256 == doc.source.sha256)
            ).scalar_one()
            for table, n in (
                (forms, len(doc.forms)),
                (indicators, sum(len(f.indicators) for f in doc.forms)),
                (findings, len(doc.findings)),
            ):
                got = conn.execute(
                    select(func.count()).select_from(table).where(table.c.document_id == doc_id)
                ).scalar_one()
                assert got == n, table.name


def test_typed_values_beside_raw_text(engine: Engine, seeds: tuple[Document, ...]) -> None:
    doc = seeds[0]
    load_document(engine, doc)
    with engine.connect() as conn:
        row = conn.execute(select(documents)).one()
        assert (row.path, row.format, row.size) == (
            doc.source.path, doc.source.format, doc.source.size)
        assert row.schema_version == doc.schema_version and row.loaded_at is not None
        got = conn.execute(
            select(forms.c.position, indicators).join(forms, indicators.c.form_id == forms.c.id)
            .order_by(forms.c.position, indicators.c.position)
        ).all()
        totals = conn.execute(
            select(forms.c.budget_total_raw, forms.c.budget_total_yuan).order_by(forms.c.position)
        ).all()
        finding = conn.execute(
            select(findings, forms.c.form_key.label("owner"))
            .join(forms, findings.c.form_id == forms.c.id)
            .where(findings.c.rule == "indicator.cost_over_budget")
        ).one()
    want = [ind for form in doc.forms for ind in form.indicators]
    assert len(got) == len(want)
    for r, ind in zip(got, want, strict=True):
        t = ind.target
        assert (r.level1, r.level2, r.level3, r.empty) == (
            ind.level1, ind.level2, ind.level3, ind.empty)
        assert (r.target_raw, r.target_op, r.target_unit, r.target_kind) == (
            t.raw, t.op, t.unit, t.kind)
        assert (r.target_start, r.target_end) == (t.start, t.end)
        for name in ("value", "value_max", "yuan"):
            stored, model = getattr(r, f"target_{name}"), getattr(t, name)
            assert stored == model and (stored is None or isinstance(stored, Decimal))
    assert totals == [
        (f.budget.total.raw, f.budget.total.yuan) if f.budget.total else (None, None)
        for f in doc.forms
    ]
    cost = next(f for f in doc.findings if f.rule == "indicator.cost_over_budget")
    assert (finding.owner, finding.form_key, finding.value, finding.cell_table) == (
        cost.form, cost.form, cost.value, cost.cell.table if cost.cell else None)
    assert isinstance(got[0].target_value, Decimal | None)
    assert any(r.target_op == "≥" and r.target_value is not None for r in got)


def test_a_field_row_says_what_the_mapping_took_it_for(
    engine: Engine, seeds: tuple[Document, ...],
) -> None:
    """``fields.role``: in SQL, the field each form's project name was printed in (its label
    as the form has it), and the fields nothing took."""
    load_document(engine, seeds[1])  # 乐亭: 项目名称 on each form; 资金用途 is kept, not used
    with engine.connect() as conn:
        named = conn.execute(
            select(forms.c.project_name, fields.c.label, fields.c.value)
            .join(forms, fields.c.form_id == forms.c.id)
            .where(fields.c.role == "project.name").order_by(forms.c.position)
        ).all()
        unused = set(conn.execute(select(fields.c.label).where(fields.c.role.is_(None)))
                     .scalars())
    assert len(named) == len(seeds[1].forms) == 10
    assert named[0] == ("见义勇为工作经费", "项目名称", "见义勇为工作经费")
    assert all(name == value for name, _, value in named)
    assert unused == {"资金用途"}


def test_loading_again_changes_nothing(engine: Engine, seeds: tuple[Document, ...]) -> None:
    for doc in seeds:
        load_document(engine, doc)
    before = snapshot(engine)
    assert [load_document(engine, d) for d in seeds] == ["unchanged", "unchanged"]
    reconverted = convert(YUANJIANG)  # a new conversion of the same file: same data
    assert load_document(engine, reconverted) == "unchanged"
    assert snapshot(engine) == before
    assert counts(engine) == expected_counts(*seeds)


def test_changed_file_replaces_its_rows(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    shutil.copyfile(YUANJIANG, path)
    first = convert(path)
    assert load_document(engine, first) == "inserted"
    shutil.copyfile(LAOTING, path)  # the same file, edited
    second = convert(path)
    assert load_document(engine, second) == "replaced"
    assert counts(engine) == expected_counts(second)
    with engine.connect() as conn:
        assert conn.execute(select(documents.c.sha256, documents.c.path)).all() == [
            (second.source.sha256, str(path))]
        forms_of = set(conn.execute(select(indicators.c.document_id)).scalars())
        assert len(forms_of) == 1  # no row of the old version left
    assert load_document(engine, second) == "unchanged"


def test_newer_conversion_of_same_file_replaces_rows(
    engine: Engine, seeds: tuple[Document, ...]
) -> None:
    doc = seeds[0]
    load_document(engine, doc)
    changed = doc.model_copy(deep=True)
    changed.forms = changed.forms[:2]  # as if jixiao now read it differently
    assert load_document(engine, changed) == "replaced"
    assert counts(engine)["forms"] == 2


@pytest.mark.parametrize("replacing", [False, True], ids=["new", "replacing"])
def test_failure_midway_leaves_database_unchanged(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replacing: bool
) -> None:
    path = tmp_path / "report.docx"
    shutil.copyfile(YUANJIANG, path)
    load_document(engine, convert(path))
    before = snapshot(engine)
    shutil.copyfile(LAOTING, path if replacing else tmp_path / "other.docx")
    doc = convert(path if replacing else tmp_path / "other.docx")

    calls = 0
    real = db_load._indicator_row

    def failing(*args: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 5:  # the document, a form (and, replacing, the deletes) are done
            raise RuntimeError("disk on fire")
        return real(*args)

    monkeypatch.setattr(db_load, "_indicator_row", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load_document(engine, doc)
    assert calls == 5
    assert snapshot(engine) == before
    monkeypatch.undo()
    assert load_document(engine, doc) == ("replaced" if replacing else "inserted")


def test_load_without_schema_is_refused(bare_engine: Engine, seeds: tuple[Document, ...]) -> None:
    with pytest.raises(SchemaError, match=r"no jixiao tables: run `jixiao db init --db "):
        load_document(bare_engine, seeds[0])
    assert inspect(bare_engine).get_table_names() == []  # nothing created on the way


def test_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    with pytest.raises(SchemaError, match="does not exist: run `jixiao db init"):
        open_engine(url)
    assert not (tmp_path / "none.db").exists()


def test_check_schema_passes_after_init(engine: Engine) -> None:
    with engine.connect() as conn:
        check_schema(conn)
