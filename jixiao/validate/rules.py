"""The catalogue of validation rules: stable ids, severities and what each one checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.schemas import CellRef, Finding, Form, Indicator
from jixiao.schemas.model import Severity

# Money must add up to 0.005 万元 (DOMAIN.md), i.e. 50 yuan.
TOLERANCE_YUAN = Decimal(50)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # Chinese, short
    checks: str  # English, one line


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("money.parts_sum", "error", "金额合计不符",
         "A budget total equals the sum of its parts (by income, by spending nature, 财政+其他)."),
    Rule("money.execution_sum", "error", "资金总额合计不符",
         "Self-evaluation: 年度资金总额 equals the sum of its sources, column by column."),
    Rule("money.execution_rate", "warning", "执行率计算不符",
         "Self-evaluation: 执行率 equals 全年执行数 / 全年预算数."),
    Rule("money.low_execution", "warning", "执行率低于90%",
         "Self-evaluation: an execution rate below 90% comes with a reason."),
    Rule("money.unit_scale", "error", "金额单位疑误",
         "A 万元 budget is not 10,000 (or 1,000) times the form's own cost targets or 测算依据: "
         "typed in 元."),
    Rule("money.implausible", "warning", "金额过大",
         "A 万元 budget within what a project of the applying unit's level can be."),
    Rule("money.zero_budget", "error", "预算金额为零",
         "A form with indicators has a budget above 0."),
    Rule("form.blank_indicators", "error", "绩效指标未填写",
         "A form's indicator rows are not all blank."),
    Rule("indicator.cost_over_budget", "error", "成本指标超出预算",
         "A cost indicator in money does not exceed the budget of its form."),
    Rule("indicator.percent_range", "warning", "百分比超出范围",
         "Percentages lie within 0–100; a bare number over 100 under a rate is suspect."),
    Rule("indicator.timeliness", "warning", "时效指标无时限",
         "时效 indicators name a date, period or duration inside the budget year or period."),
    Rule("indicator.satisfaction", "warning", "满意度指标不规范",
         "满意度 targets are percentages with ≥."),
    Rule("plan.percent_header", "warning", "支出计划单位有误",
         "A spending plan labelled （%） holds percentages, not cumulative amounts."),
    Rule("plan.decreasing", "warning", "支出计划递减",
         "A cumulative spending plan never decreases."),
    Rule("plan.end", "warning", "支出计划未到预算数",
         "A spending plan ends at the budget (or at 100 when in percent)."),
    Rule("score.over_weight", "error", "得分超过分值",
         "Each 得分 is at most its 分值."),
    Rule("score.total", "error", "总分不符",
         "The scores (indicators and budget execution) add up to 总分."),
    Rule("score.weights_total", "warning", "分值合计不为100",
         "The weights (indicators and budget execution) add up to 100."),
    Rule("indicator.packed", "warning", "一行填写多项指标",
         "One indicator per row: names and targets are not stacked line by line in one cell."),
    Rule("indicator.misfiled", "info", "指标归类有误",
         "A rate of quality (合格率, 达标率 …) is not filed under 数量指标."),
    Rule("indicators.missing_category", "warning", "缺少指标类别",
         "A form's indicators include 产出 and 效益."),
    Rule("indicators.category_not_applicable", "info", "指标类别均不适用",
         "A required category (产出, 效益) holds more than 不适用 rows."),
    Rule("text.truncated", "warning", "文字疑被截断",
         "A text does not stop at a field limit (exactly 300 characters …) or on a colon."),
    Rule("text.placeholder", "warning", "内容未填写",
         "A text field (依据, 目标, 用途 …) holds more than one or two characters or a number."),
    Rule("text.duplicate_fields", "info", "字段内容重复",
         "Two different fields (政策依据, 测算依据 …) do not hold the same text."),
    Rule("text.typography", "info", "文字录入瑕疵",
         "No word typed twice in a row, no lone ASCII quote, brackets that match."),
    Rule("goals.identical", "info", "实施期目标与年度目标相同",
         "实施期 (long-term) and 本年度 goals are not the same text."),
    Rule("indicators.reused", "info", "指标套用",
         "The same indicator set is not copied across different projects."),
    Rule("template.prompt", "warning", "模板提示未删除",
         "No template prompt is left in a cell: (100字以内), XX, …, （分级填报）."),
)}


def finding(
    rule: str, form: Form | None, message: str, cell: CellRef | None = None,
    value: str | None = None,
) -> Finding:
    """A finding of a catalogued rule (its severity comes from the catalogue)."""
    return Finding(
        rule=rule, severity=RULES[rule].severity, message=message,
        form=form.id if form is not None else None, cell=cell, value=value,
    )


def live(form: Form) -> list[Indicator]:
    """The indicators the rules about targets and scores look at: not blank, not 不适用."""
    return [i for i in form.indicators if not i.empty and not i.not_applicable]


def wan(yuan: Decimal) -> str:
    """Yuan shown in 万元 as finance officers write it: ``12800`` → ``1.28万元``."""
    amount = (yuan / 10000).normalize()
    text = format(amount, "f")
    return f"{text}万元"


def num(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent."""
    return format(value.normalize(), "f")
