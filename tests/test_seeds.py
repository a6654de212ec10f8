"""Acceptance on the two seed documents: exact grids and forms against the truth files.

The truth files were written from the original documents, not from jixiao's output.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.schemas import Document, Form
from tests.conftest import SEED_NAMES, collapse, load_truth

KIND = {"department_overall": "department_goals", "project": "project_goals"}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_grid_equals_truth(name: str, seed_documents: dict[str, Document]) -> None:
    doc = seed_documents[name]
    truth = load_truth(name)
    top_level = [t for t in doc.tables if t.parent is None]
    assert len(top_level) == len(truth["tables"])
    for table, expected in zip(top_level, truth["tables"], strict=True):
        assert (table.n_rows, table.n_cols) == (expected["n_rows"], expected["n_cols"]), table.id
        got = sorted((c.row, c.col, c.row_span, c.col_span, collapse(c.text)) for c in table.cells)
        want = sorted((r, c, rs, cs, collapse(t)) for r, c, rs, cs, t in expected["cells"])
        assert got == want, table.id


def _fields(form: Form) -> dict[str, str]:
    return {f.label: collapse(f.value) for f in form.fields}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_forms_equal_truth(name: str, seed_documents: dict[str, Document]) -> None:
    doc = seed_documents[name]
    truth = load_truth(name)
    assert [f.kind for f in doc.forms] == [KIND[t["kind"]] for t in truth["forms"]]
    for form, expected in zip(doc.forms, truth["forms"], strict=True):
        tid = doc.tables[expected["table"]].id
        assert form.table_ids == [tid]
        assert collapse(form.title) == collapse(expected["title"])
        fields = _fields(form)
        for label, value in expected["fields"].items():
            assert fields.get(label) == collapse(value), (form.id, label)
        project = form.project
        assert project.name == expected.get("name")
        assert project.code == expected.get("code")
        assert project.department == expected["department"]
        assert project.department_code == expected.get("department_code")
        assert form.budget.total is not None
        assert form.budget.total.raw == expected["budget_total_wan"]
        plan = [(p.by, p.amount.raw) for p in form.spending_plan]
        assert plan == [(p["by"], p["value"]) for p in expected.get("spending_plan", [])]
        _check_indicators(form, expected)


def _check_indicators(form: Form, expected: dict[str, Any]) -> None:
    got = [
        (i.level1, i.level2, i.level3, collapse(i.target.raw), i.description, i.basis)
        for i in form.indicators
    ]
    want = [
        (
            i["l1"], i["l2"], i["l3"], collapse(i["value"]),
            collapse(i["desc"]) if "desc" in i else None,
            collapse(i["basis"]) if "basis" in i else None,
        )
        for i in expected["indicators"]
    ]
    got = [(a, b, c, d, collapse(e) if e is not None else None,
            collapse(f) if f is not None else None) for a, b, c, d, e, f in got]
    assert got == want, form.id


def test_form_counts(seed_documents: dict[str, Document]) -> None:
    yuanjiang = seed_documents["yuanjiang-2024"].forms
    assert [f.kind for f in yuanjiang].count("department_goals") == 1
    assert [f.kind for f in yuanjiang].count("project_goals") == 8
    laoting = seed_documents["laoting-2024"].forms
    assert len(laoting) == 10 and {f.kind for f in laoting} == {"project_goals"}


def test_yuanjiang_department_money_fields(seed_documents: dict[str, Document]) -> None:
    form = seed_documents["yuanjiang-2024"].forms[0]
    fields = _fields(form)
    assert {k: fields[k] for k in (
        "资金总额", "一般公共预算", "基本支出", "政府性基金拨款", "项目支出",
        "纳入专户管理的非税收入拨款", "其他资金",
    )} == {
        "资金总额": "335.6", "一般公共预算": "335.6", "基本支出": "275.8", "政府性基金拨款": "0",
        "项目支出": "59.8", "纳入专户管理的非税收入拨款": "0", "其他资金": "0",
    }
    assert form.budget.unit == "万元"


def test_laoting_narrative_part_is_blocks(seed_documents: dict[str, Document]) -> None:
    blocks = seed_documents["laoting-2024"].blocks
    headings = [b.text.strip() for b in blocks if b.kind == "heading"]
    assert headings[:4] == ["第一部分", "部门整体绩效目标", "一、总体绩效目标", "二、分项绩效目标"]
    assert any("社会稳定形势分析研判量≥12次" in b.text for b in blocks)


def test_titles_footers_and_header_rows(seed_documents: dict[str, Document]) -> None:
    yj = seed_documents["yuanjiang-2024"]
    dept = yj.forms[0]
    assert dept.header_note == "填报单位：（盖章）沅江市委政法委员会"
    assert dept.footer_note is not None and dept.footer_note.startswith("填表人")
    project = yj.forms[1]
    first_row = [c for c in yj.tables[1].cells if c.row == 0]
    assert len(first_row) == 1 and first_row[0].col_span == 6  # the borderless one-cell row
    assert _fields(project)["单位"] == "万元"
    laoting = seed_documents["laoting-2024"].forms[7]
    assert laoting.title == "“雪亮工程”政府购买服务项目经费绩效目标表"
