"""Each rule on small forms built by hand: it fires on the fault and stays quiet without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.normalize import normalize_forms
from jixiao.schemas import (
    Amount,
    Budget,
    BudgetPart,
    ExecutionLine,
    FormField,
    Goals,
    Indicator,
    ProjectInfo,
    SpendingPoint,
    Target,
)
from jixiao.schemas import Form as FormModel
from jixiao.validate import RULES, validate_forms


def form(**kw: Any) -> FormModel:
    kw.setdefault("id", "f0")
    kw.setdefault("kind", "project_goals")
    kw.setdefault("title", "2024年项目支出绩效目标表")
    return FormModel(**kw)


def ind(l1: str, l2: str, l3: str, target: str, **kw: Any) -> Indicator:
    return Indicator(level1=l1, level2=l2, level3=l3, target=Target(raw=target), **kw)


def budget(total: str, *parts: tuple[str, str], unit: str | None = None) -> Budget:
    return Budget(total=Amount(raw=total), unit=unit,
                  parts=[BudgetPart(label=lab, amount=Amount(raw=v)) for lab, v in parts])


# Rules about a whole indicator set (are 产出 and 效益 there?): the small forms here hold only
# the indicators a test needs, so these are left out unless a test asks for them.
WHOLE_SET = ("indicators.missing_category", "indicators.category_not_applicable")


def rules(*forms: FormModel, whole_set: bool = False) -> list[str]:
    return [f.rule for f in validate_forms(normalize_forms(list(forms), "2024"), "2024")
            if whole_set or f.rule not in WHOLE_SET]


# --- money -----------------------------------------------------------------------------

def test_parts_must_add_up_per_breakdown() -> None:
    ok = budget("335.6", ("一般公共预算", "335.6"), ("政府性基金拨款", "0"),
                ("基本支出", "275.8"), ("项目支出", "59.8"))
    assert rules(form(budget=ok)) == []
    bad = budget("335.6", ("一般公共预算", "335.6"), ("基本支出", "275.8"), ("项目支出", "49.8"))
    assert rules(form(budget=bad)) == ["money.parts_sum"]


def test_parts_blank_counts_as_zero_and_tolerance_is_half_a_cent_of_wan() -> None:
    assert rules(form(budget=budget("5.00", ("财政资金", "5.00"), ("其他资金", "")))) == []
    assert rules(form(budget=budget("5.00", ("财政资金", "4.996"), ("其他资金", "—")))) == []
    assert rules(form(budget=budget("5.00", ("财政资金", "4.99"), ("其他资金", "")))) == [
        "money.parts_sum"]


def test_superior_funds_and_prompts_are_not_parts() -> None:
    b = budget("9.6", ("该项目支出上级资金", "3"))
    assert rules(form(budget=b)) == []


def test_units_in_cells_are_respected() -> None:
    assert rules(form(budget=budget("1.5", ("财政资金", "15000元")))) == []


def _execution(rows: list[tuple[str, str, str, str, str, str, str]]) -> Budget:
    lines = []
    for label, planned, adjusted, executed, weight, rate, score in rows:
        lines.append(ExecutionLine(
            label=label, planned=Amount(raw=planned), adjusted=Amount(raw=adjusted),
            executed=Amount(raw=executed), weight=weight, rate=rate, score=score))
    return Budget(total=Amount(raw=rows[0][2]), execution=lines)


def test_execution_block() -> None:
    good = _execution([("年度资金总额", "50", "52", "49.4", "10", "95.00%", "9.5"),
                       ("当年财政拨款", "50", "52", "49.4", "—", "95.00%", "—"),
                       ("其他资金", "0", "0", "0", "—", "—", "—")])
    assert rules(form(kind="self_evaluation", budget=good)) == []
    bad_sum = _execution([("年度资金总额", "50", "52", "49.4", "10", "95.00%", "9.5"),
                          ("当年财政拨款", "50", "50", "49.4", "—", "98.80%", "—")])
    assert rules(form(kind="self_evaluation", budget=bad_sum)) == ["money.execution_sum"]
    bad_rate = _execution([("年度资金总额", "50", "52", "49.4", "10", "99%", "9.5")])
    assert rules(form(kind="self_evaluation", budget=bad_rate)) == ["money.execution_rate"]


def test_low_execution_needs_a_reason() -> None:
    low = _execution([("年度资金总额", "50", "50", "40", "10", "80%", "8")])
    assert rules(form(kind="self_evaluation", budget=low)) == ["money.low_execution"]
    reason = FormField(label="偏差原因分析", value="部分采购延至次年")
    assert rules(form(kind="self_evaluation", budget=low, fields=[reason])) == []


# --- indicators ------------------------------------------------------------------------

def test_cost_over_budget() -> None:
    inds = [ind("产出指标", "成本指标", "专项资金", "1.6万元")]
    assert rules(form(budget=budget("1.28"), indicators=inds)) == ["indicator.cost_over_budget"]
    assert rules(form(budget=budget("1.6"), indicators=inds)) == []
    per_head = [ind("成本指标", "经济成本指标", "人均成本", "≤800元")]  # 2021 framework
    assert rules(form(budget=budget("24"), indicators=per_head)) == []
    big = [ind("成本指标", "经济成本指标", "总成本", "≤30万元")]
    assert rules(form(budget=budget("24"), indicators=big)) == ["indicator.cost_over_budget"]


@pytest.mark.parametrize(("l3", "target", "fires"), [
    ("合格率", "292%", True), ("合格率", "≥92%", False), ("资金到位", "905", True),
    ("资金到位率", "100", False), ("受理案件数", "526", False), ("增长幅度", "-5%", True),
])
def test_percent_range(l3: str, target: str, fires: bool) -> None:
    found = rules(form(indicators=[ind("产出指标", "质量指标", l3, target)]))
    assert found == (["indicator.percent_range"] if fires else [])


@pytest.mark.parametrize(("target", "period", "fires"), [
    ("2024年12月31日前", None, False), ("及时表彰", None, True), ("1年", None, False),
    ("2025年6月30日前", None, True), ("2025年6月30日前", "2024年1月-2025年12月", False),
    ("2023.07-2024.01", "2023-2024", False), ("100%", None, True),
])
def test_timeliness(target: str, period: str | None, fires: bool) -> None:
    f = form(project=ProjectInfo(period=period),
             indicators=[ind("产出指标", "时效指标", "完成时间", target)])
    assert rules(f) == (["indicator.timeliness"] if fires else [])


def test_timeliness_accepts_a_rate_of_timeliness() -> None:
    assert rules(form(indicators=[ind("产出指标", "时效指标", "案件受理及时率", "100%")])) == []


@pytest.mark.parametrize(("target", "fires"), [
    ("≥90%", False), ("100%", False), ("≥100%", False), ("90%", True), ("≤90%", True),
    ("满意度逐步提高", True), ("不低于95%", False),
])
def test_satisfaction(target: str, fires: bool) -> None:
    found = rules(form(indicators=[ind("满意度指标", "服务对象满意度指标", "群众满意度", target)]))
    assert found == (["indicator.satisfaction"] if fires else [])


# --- spending plan ---------------------------------------------------------------------

def plan(*values: str) -> list[SpendingPoint]:
    return [SpendingPoint(by=by, amount=Amount(raw=v))
            for by, v in zip(("3月底", "6月底", "10月底", "12月底"), values, strict=False)]


def test_plan_cumulative_to_the_budget() -> None:
    assert rules(form(budget=budget("5"), spending_plan=plan("1", "2.5", "4", "5"))) == []
    assert rules(form(budget=budget("5"), spending_plan=plan("1", "2.5", "2", "5"))) == [
        "plan.decreasing"]
    assert rules(form(budget=budget("5"), spending_plan=plan("1", "2.5", "4", "4.5"))) == [
        "plan.end"]


def test_plan_in_percent() -> None:
    label = "资金支出计划（%）"
    ok = form(budget=budget("5"), spending_plan=plan("20", "50", "80", "100"),
              spending_plan_label=label)
    assert rules(ok) == []
    short = form(budget=budget("5"), spending_plan=plan("20", "50", "80", "90"),
                 spending_plan_label=label)
    assert rules(short) == ["plan.end"]
    amounts = form(budget=budget("5"), spending_plan=plan("1", "2.5", "4", "5"),
                   spending_plan_label=label)
    assert rules(amounts) == ["plan.percent_header"]
    [normalized] = normalize_forms([amounts], "2024")
    assert normalized.spending_plan[-1].amount.yuan == 50000
    assert amounts.spending_plan[-1].amount.yuan is None  # the mapping's form is kept


# --- scores ----------------------------------------------------------------------------

def _scored(*rows: tuple[str, str], total: str | None) -> FormModel:
    inds = [ind("产出指标", "数量指标", f"指标{i}", "≥1次", weight=w, score=s)
            for i, (w, s) in enumerate(rows)]
    return form(kind="self_evaluation", indicators=inds, total_score=total)


def test_scores() -> None:
    assert rules(_scored(("60", "55"), ("40", "40"), total="95")) == []
    assert rules(_scored(("60", "65"), ("40", "40"), total="105")) == ["score.over_weight"]
    assert rules(_scored(("60", "55"), ("40", "40"), total="90")) == ["score.total"]
    assert rules(_scored(("60", "55"), ("30", "30"), total="85")) == ["score.weights_total"]


def test_execution_points_count_toward_totals() -> None:
    f = _scored(("50", "50"), ("40", "38"), total="97.5")
    f.budget = _execution([("年度资金总额", "50", "52", "49.4", "10", "95.00%", "9.5")])
    assert rules(f) == []


# --- boilerplate -----------------------------------------------------------------------

def test_template_prompts() -> None:
    f = form(fields=[FormField(label="项目概况", value="（100字以内）")])
    assert rules(f) == ["template.prompt"]
    f = form(indicators=[ind("产出指标", "数量指标", "XX指标", "≥1次")])
    assert rules(f) == ["template.prompt"]
    assert rules(form(fields=[FormField(label="项目概况", value="用于XXL号服装采购")])) == []


def test_identical_goals() -> None:
    same = Goals(long_term="完成年度任务。", annual="完成 年度任务。")
    assert rules(form(goals=same)) == ["goals.identical"]
    assert rules(form(goals=Goals(long_term="三年建成", annual="本年建成一半"))) == []


def test_reused_indicator_sets() -> None:
    inds = [("产出指标", "数量指标", "研判量", "≥12次"), ("产出指标", "质量指标", "评估率", "≥90%"),
            ("效益指标", "社会效益指标", "法制观念", "增强")]

    def project(i: int, name: str, values: bool = True) -> FormModel:
        return form(id=f"f{i}", project=ProjectInfo(name=name),
                    indicators=[ind(a, b, c, d if values else f"{d}{i}") for a, b, c, d in inds])

    assert rules(project(0, "甲"), project(1, "乙")) == ["indicators.reused"] * 2
    assert rules(project(0, "甲"), project(1, "甲")) == []  # one project, two tables
    assert rules(project(0, "甲"), project(1, "乙", values=False)) == ["indicators.reused"] * 2


def test_every_rule_is_exercised() -> None:
    """Each catalogued rule is expected to fire somewhere in this module or in the one on
    the errors of real documents."""
    here = Path(__file__).parent
    source = "".join((here / n).read_text("utf-8")
                     for n in ("test_rules.py", "test_rules_real_errors.py"))
    assert [r for r in RULES if f'"{r}"' not in source] == []
