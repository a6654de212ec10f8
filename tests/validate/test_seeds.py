"""The findings the seeds must give (issue 5, acceptance 2), read off the documents by hand:
Yuanjiang 办案经费 has budget 1.28万元 and a 专项资金 cost indicator of 1.6万元, and 资金到位
printed as ``905``; Laoting's ten spending plans are headed （%） over cumulative 万元; four
Laoting projects carry the same nine indicators; Yuanjiang's department money adds up."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import convert
from jixiao.schemas import Document, Finding, Form
from tests.conftest import FIXTURES


def _form(doc: Document, name: str) -> Form:
    return next(f for f in doc.forms if f.project.name == name)


def _of(doc: Document, form: Form, rule: str) -> list[Finding]:
    return [f for f in doc.findings if f.form == form.id and f.rule == rule]


def test_cost_indicator_above_its_budget(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["yuanjiang-2024"]
    form = _form(doc, "办案经费")
    (found,) = _of(doc, form, "indicator.cost_over_budget")
    assert found.severity == "error"
    assert found.value == "1.6万元" and "1.28万元" in found.message
    cost = next(i for i in form.indicators if i.level3 == "专项资金")
    assert found.cell == cost.cell
    others = [f for f in doc.findings if f.rule == "indicator.cost_over_budget"]
    assert others == [found]  # the other seven projects' costs are within budget


def test_905_is_a_suspicious_percentage(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["yuanjiang-2024"]
    form = _form(doc, "办案经费")
    (found,) = _of(doc, form, "indicator.percent_range")
    assert found.value == "905" and found.severity == "warning"
    assert "90%" in found.message  # % is Shift+5: the suggested reading


def test_percent_header_over_amounts_on_all_ten_laoting_plans(
    seed_documents: dict[str, Document],
) -> None:
    doc = seed_documents["laoting-2024"]
    flagged = [f for f in doc.findings if f.rule == "plan.percent_header"]
    assert len(doc.forms) == 10
    assert {f.form for f in flagged} == {f.id for f in doc.forms}
    assert all(f.severity == "warning" for f in flagged)
    for form in doc.forms:  # the amounts are read as what they are: cumulative 万元
        last = form.spending_plan[-1].amount
        assert last.unit == "万元" and form.budget.total is not None
        assert last.yuan == form.budget.total.yuan
    assert not [f for f in doc.findings if f.rule in ("plan.end", "plan.decreasing")]


def test_laoting_indicator_set_reused(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["laoting-2024"]
    reused = {f.form for f in doc.findings if f.rule == "indicators.reused"}
    names = {f.project.name for f in doc.forms if f.id in reused}
    # the same nine names, descriptions and targets in four projects …
    assert {"维稳工作经费", "政法工作经费", "政法信息化经费", "综治工作经费"} <= names
    # … and the same names and descriptions with other targets in two more
    assert {"“雪亮工程”政府购买服务项目经费", "政法网运行维护经费"} <= names
    assert len(names) >= 5
    assert all(f.severity == "info" for f in doc.findings if f.rule == "indicators.reused")
    assert not [f for f in seed_documents["yuanjiang-2024"].findings
                if f.rule == "indicators.reused"]


def test_yuanjiang_department_money_adds_up(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["yuanjiang-2024"]
    department = doc.forms[0]
    assert department.kind == "department_goals"
    assert department.budget.total is not None and department.budget.total.yuan == 3356000
    assert not [f for f in doc.findings if f.form == department.id]
    assert not [f for f in doc.findings if f.rule.startswith("money.")]


def test_money_in_yuan(seed_documents: dict[str, Document]) -> None:
    form = _form(seed_documents["yuanjiang-2024"], "办案经费")
    assert form.budget.total is not None
    assert (form.budget.total.value, form.budget.total.unit, form.budget.total.yuan) == (
        Decimal("1.28"), "万元", 12800)
    laoting = seed_documents["laoting-2024"].forms[0]
    parts = {p.label: p.amount for p in laoting.budget.parts}
    assert parts["财政资金"].yuan == 50000
    assert parts["其他资金"].raw == "" and parts["其他资金"].yuan is None


@pytest.mark.parametrize("name", ["yuanjiang-2024.pdf", "laoting-2024.pdf"])
def test_pdf_gives_the_same_findings(name: str, seed_documents: dict[str, Document]) -> None:
    pdf = convert(FIXTURES / "seeds" / name)
    original = seed_documents[Path(name).stem]
    key = lambda f: (f.rule, f.form, f.value)  # noqa: E731
    assert sorted(map(key, pdf.findings)) == sorted(map(key, original.findings))


def test_clean_fixture_has_no_error_or_warning() -> None:
    for suffix in (".docx", ".pdf"):
        doc = convert(FIXTURES / "variants" / f"clean-project{suffix}")
        assert doc.forms and doc.forms[0].spending_plan
        assert [f for f in doc.findings if f.severity in ("error", "warning")] == []


@pytest.mark.parametrize("name", ["framework-2021", "department-duties",
                                  "self-evaluation-national", "long-and-annual"])
def test_consistent_variants_have_no_error(name: str) -> None:
    doc = convert(FIXTURES / "variants" / f"{name}.docx")
    assert [f for f in doc.findings if f.severity == "error"] == []
