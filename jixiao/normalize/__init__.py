"""Normalization: printed values of mapped forms → numbers, units, kinds, yuan, ISO dates.

Every normalized object keeps its ``raw`` text; normalization only adds fields, in place.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from jixiao.normalize.money import parse_amount
from jixiao.normalize.text import canon, first_decimal, to_decimal
from jixiao.normalize.values import Value, parse_value
from jixiao.schemas import Amount, Form, Indicator, Target
from jixiao.script import fold

__all__ = [
    "canon", "first_decimal", "form_year", "has_word", "is_cost", "most_named_year",
    "normalize_forms",
    "parse_amount",
    "parse_value", "percent_expected", "plan_in_percent", "to_decimal",
]

# The years a form names: in its own period or title a bare year counts (2024.1-2024.12);
# in the running text of a document only one followed by 年 (2024年部门预算), not numbers
# that happen to look like years (a 2000元 cost, 1998 visits).
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?")
_YEAR_WITH_NIAN = re.compile(r"(?:19|20)\d\d(?=\s*年)")
_COST = ("成本",)
_RATE_WORDS = ("率", "比例", "占比", "满意度", "百分比", "覆盖面")


def form_year(form: Form, default: str | None = None) -> str | None:
    """The budget year a form speaks of: its period, else its title or header note."""
    for text in (form.project.period, form.title, form.header_note):
        match = _YEAR.search(text or "")
        if match:
            return match.group(1)
    return default


def most_named_year(texts: list[str]) -> str | None:
    """The year (followed by 年) these texts name most often, for forms naming none."""
    years = Counter(y for t in texts for y in _YEAR_WITH_NIAN.findall(t))
    return years.most_common(1)[0][0] if years else None


def is_cost(indicator: Indicator) -> bool:
    """A 成本 indicator: 二级 成本指标 (older framework) or 一级 成本指标 (2021 framework)."""
    return has_word(indicator.level1 + indicator.level2, _COST)


def percent_expected(indicator: Indicator) -> bool:
    """The indicator names a rate: its bare numbers are percentages (表彰奖励率 100)."""
    return has_word(indicator.level3 + (indicator.description or ""), _RATE_WORDS) or has_word(
        indicator.level2, ("满意",)
    )


@lru_cache(maxsize=8192)
def has_word(text: str, words: tuple[str, ...]) -> bool:
    """Any of ``words`` in ``text`` (traditional script folded), remembered per text."""
    folded = fold(text)
    return any(w in folded for w in words)


def plan_in_percent(form: Form) -> bool:
    """The spending plan's label announces percent: 资金支出计划（%）."""
    label = canon(form.spending_plan_label or "")
    return "%" in label or "百分比" in label


# Normalization fills fields of models the mapping built: the values are already typed
# (Value's fields are the model's types), so they go straight into the instance's __dict__
# — pydantic's __setattr__ would cost more than the parsing (tested equal to validation).
def _set_target(target: Target, value: Value) -> None:
    target.__dict__.update(
        op=value.op, value=value.value, value_max=value.value_max, unit=value.unit,
        kind=value.kind, yuan=value.yuan, start=value.start, end=value.end,
    )


def _set_amount(amount: Amount | None, unit: str | None) -> None:
    if amount is None:
        return
    value, unit, yuan = parse_amount(amount.raw, unit)
    amount.__dict__.update(value=value, unit=unit, yuan=yuan)


def _plan_unit(form: Form, unit: str | None) -> str | None:
    """Unit of the plan's amounts. A ``（%）`` label over amounts that end at the budget (and
    not at 100) is a mislabel: the amounts are money (validation reports it)."""
    if not plan_in_percent(form):
        return unit
    last = to_decimal(form.spending_plan[-1].amount.raw) if form.spending_plan else None
    total = form.budget.total.value if form.budget.total is not None else None
    if last is not None and total is not None and last == total and last != 100:
        return unit
    return "%"


def normalize_form(form: Form, default_year: str | None = None) -> None:
    unit = form.budget.unit
    budget = form.budget
    _set_amount(budget.total, unit)
    for part in budget.parts:
        _set_amount(part.amount, unit)
    for line in budget.execution:
        for amount in (line.planned, line.adjusted, line.executed):
            _set_amount(amount, unit)
    for duty in form.duties:
        _set_amount(duty.amount, unit)
    plan_unit = _plan_unit(form, unit)
    for point in form.spending_plan:
        if plan_unit == "%":
            point.amount.value = to_decimal(point.amount.raw)
            point.amount.unit = "%" if point.amount.value is not None else None
        else:
            _set_amount(point.amount, plan_unit)
    year = form_year(form, default_year)
    for indicator in form.indicators:
        money, percent = is_cost(indicator), percent_expected(indicator)
        for target in (indicator.target, indicator.actual):
            if target is not None:
                _set_target(target, parse_value(
                    target.raw, year=year, money_hint=money, percent_hint=percent
                ))


def normalize_forms(forms: list[Form], default_year: str | None = None) -> list[Form]:
    """Normalize every form in place (and return them, for chaining)."""
    for form in forms:
        normalize_form(form, default_year)
    return forms
