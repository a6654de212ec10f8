"""``--to md`` (forms and tables as Markdown) and ``--to jsonl`` (one form per line)."""

from __future__ import annotations

import json

import pytest

from jixiao import convert
from jixiao.schemas import Cell, Document, Form, Source, Table
from jixiao.writers import WRITERS, parse_formats
from jixiao.writers.jsonl import render as render_jsonl
from jixiao.writers.markdown import render as render_md
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed() -> Document:
    return convert(SEEDS / "yuanjiang-2024.docx")


def test_both_are_output_formats() -> None:
    assert {"md", "jsonl"} <= set(WRITERS)
    assert parse_formats("md,jsonl") == ["md", "jsonl"]


def test_jsonl_has_one_self_contained_line_per_form(seed: Document) -> None:
    lines = render_jsonl(seed).decode("utf-8").splitlines()
    assert len(lines) == len(seed.forms) == 9
    for line, form in zip(lines, seed.forms, strict=True):
        record = json.loads(line)
        assert record["source"]["sha256"] == seed.source.sha256
        assert record["source"]["path"] == seed.source.path
        assert [f["rule"] for f in record["findings"]] == [
            f.rule for f in seed.findings if f.form == form.id]
        again = Form.model_validate({k: record[k] for k in Form.model_fields})
        assert again == form  # the whole form, as the JSON output has it


def test_jsonl_of_a_document_without_forms_is_empty() -> None:
    doc = Document(source=Source(path="x.docx", sha256="0" * 64, format="docx", size=1))
    assert render_jsonl(doc) == b""


def test_markdown_shows_every_form_and_indicator(seed: Document) -> None:
    text = render_md(seed).decode("utf-8")
    assert text.count("\n## ") == len(seed.forms) + 1  # the forms, then "表格 tables"
    for form in seed.forms:
        assert f"## {form.project.name or form.title}" in text
        for indicator in form.indicators:
            if not indicator.empty:
                assert f"| {indicator.level3} |" in text.replace("\\|", "|")
    assert text.count("\n### 表 ") == len(seed.tables)


def test_markdown_notes_merges_and_escapes_cells() -> None:
    cells = [
        Cell(row=0, col=0, row_span=2, text="项目名称"),  # A1:A2
        Cell(row=0, col=1, col_span=2, text="a|b\nc"),  # B1:C1
        Cell(row=1, col=1, text="x"), Cell(row=1, col=2, text="y"),
    ]
    doc = Document(source=Source(path="t.docx", sha256="0" * 64, format="docx", size=1),
                   tables=[Table(id="t0", n_rows=2, n_cols=3, cells=cells)])
    text = render_md(doc).decode("utf-8")
    assert "| 项目名称 | a\\|b<br>c | ← |" in text
    assert "| ↑ | x | y |" in text
    assert "合并单元格 merged: A1:A2, B1:C1" in text


def test_markdown_says_where_a_finding_is_as_validate_does() -> None:
    from jixiao.locate import location
    from tests.conftest import FIXTURES

    [workbook] = sorted((FIXTURES / "real/shenzhen-songgang-2023-xmsb-a").glob("*.xlsx"))
    doc = convert(workbook)
    text = render_md(doc).decode("utf-8")
    placed = [f for f in doc.findings if f.cell is not None]
    assert placed and all(f.cell.a1 for f in placed if f.cell is not None)
    for finding in placed:
        assert finding.cell is not None
        assert f"`{finding.rule}` ({location(finding.cell)}):" in text
