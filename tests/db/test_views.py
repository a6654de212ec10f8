"""Copies of one report (Word and PDF) marked ``duplicate_of``, numbers for scores and
weights, null kinds for empty rows, and the views and README example queries that count
each report once: on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text

from jixiao import convert
from jixiao.db import load_document
from jixiao.db.load import delete_documents, forms_digest
from jixiao.db.tables import documents
from jixiao.schemas import Document
from tests.conftest import FIXTURES, ROOT, SEEDS


@pytest.fixture(scope="module")
def copies() -> tuple[Document, Document]:
    return convert(SEEDS / "yuanjiang-2024.docx"), convert(SEEDS / "yuanjiang-2024.pdf")


@pytest.fixture(scope="module")
def scored() -> Document:
    return convert(FIXTURES / "variants/self-evaluation-national.docx")


def _query(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def test_the_word_and_pdf_copies_are_one_report(
    engine: Engine, copies: tuple[Document, Document]
) -> None:
    word, pdf = copies
    assert forms_digest(word) == forms_digest(pdf) is not None
    assert load_document(engine, word) == "inserted"
    assert load_document(engine, pdf) == "inserted"
    with engine.connect() as conn:
        rows = {r.format: r for r in conn.execute(
            select(documents.c.id, documents.c.format, documents.c.duplicate_of))}
    assert rows["docx"].duplicate_of is None and rows["pdf"].duplicate_of == rows["docx"].id
    # every form counted once by the views
    assert _query(engine, "SELECT COUNT(*) FROM v_forms") == [(len(word.forms),)]
    live = sum(not i.empty for f in word.forms for i in f.indicators)
    counted = _query(engine, "SELECT COUNT(*) FROM v_indicators WHERE NOT empty")
    assert counted == [(live,)]
    want = sum(f.budget.total.yuan for f in word.forms
               if f.kind == "project_goals" and f.budget.total and f.budget.total.yuan)
    got = _query(engine, "SELECT SUM(budget_total_yuan) FROM v_budget_by_department "
                         "WHERE kind = 'project_goals'")
    assert Decimal(str(got[0][0])) == want
    # the original deleted: the copy stands for the report
    with engine.begin() as conn:
        delete_documents(conn, [rows["docx"].id])
    assert _query(engine, "SELECT format, duplicate_of FROM documents") == [("pdf", None)]
    assert _query(engine, "SELECT COUNT(*) FROM v_forms") == [(len(word.forms),)]


def test_scores_and_weights_are_numbers(engine: Engine, scored: Document) -> None:
    load_document(engine, scored)
    [form] = scored.forms
    want_score = sum(Decimal(re.sub(r"[^\d.]", "", i.score)) for i in form.indicators
                     if i.score)
    [(total,)] = _query(engine, "SELECT SUM(score_value) FROM indicators")
    assert Decimal(str(total)) == want_score > 0  # summed by the database, no cast
    [(value, raw)] = _query(engine, "SELECT total_score_value, total_score FROM forms")
    assert raw == form.total_score and Decimal(str(value)) == Decimal(raw)


def test_an_empty_template_row_has_no_kind(engine: Engine) -> None:
    doc = convert(FIXTURES / "real/shenzhen-songgang-2023-xmsb-c"
                  / "二级项目支出绩效目标申报表 (14).xlsx")
    empty = [i for f in doc.forms for i in f.indicators if i.empty]
    assert empty, "the fixture has blank indicator rows"
    load_document(engine, doc)
    kinds = _query(engine, "SELECT target_kind FROM indicators WHERE empty")
    assert kinds == [(None,)] * len(empty)


def _readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Database"):readme.index("## Scheduled ingestion")]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return [q.strip() for q in blocks[0].split(";") if q.strip()]


def test_the_readme_queries_run(
    engine: Engine, copies: tuple[Document, Document], scored: Document
) -> None:
    for doc in (*copies, scored):
        load_document(engine, doc)
    queries = _readme_queries()
    assert len(queries) == 5
    results = [_query(engine, q) for q in queries]
    assert all(results), [q for q, r in zip(queries, results, strict=True) if not r]
    copies_of = results[-1]
    assert copies_of == [(copies[1].source.path, copies[0].source.path)]
