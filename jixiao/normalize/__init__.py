"""Normalization: printed values of mapped forms → numbers, units, kinds, yuan, ISO dates.

Every normalized object keeps its ``raw`` text; normalization only adds fields. It
returns new forms and leaves the mapping's as they were: each object it fills is a copy
(``evolve``: the values are already of the model's types, so nothing is validated
again), and what it does not fill is shared.
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


def _target(target: Target, value: Value) -> Target:
    return target.evolve(
        op=value.op, value=value.value, value_max=value.value_max, unit=value.unit,
        kind=value.kind, yuan=value.yuan, start=value.start, end=value.end,
    )


def _amount(amount: Amount | None, unit: str | None) -> Amount | None:
    if amount is None:
        return None
    value, unit, yuan = parse_amount(amount.raw, unit)
    return amount.evolve(value=value, unit=unit, yuan=yuan)


def _percent(amount: Amount) -> Amount:
    value = to_decimal(amount.raw)
    return amount.evolve(value=value, unit="%" if value is not None else None)


def _plan_unit(form: Form, unit: str | None, total: Amount | None) -> str | None:
    """Unit of the plan's amounts. A ``（%）`` label over amounts that end at the budget (and
    not at 100) is a mislabel: the amounts are money (validation reports it)."""
    if not plan_in_percent(form):
        return unit
    last = to_decimal(form.spending_plan[-1].amount.raw) if form.spending_plan else None
    amount = total.value if total is not None else None
    if last is not None and amount is not None and last == amount and last != 100:
        return unit
    return "%"


def normalize_form(form: Form, default_year: str | None = None) -> Form:
    """``form`` with its amounts and targets normalized (a new form; ``form`` is kept)."""
    unit = form.budget.unit
    budget = form.budget.evolve(
        total=_amount(form.budget.total, unit),
        parts=[p.evolve(amount=_amount(p.amount, unit)) for p in form.budget.parts],
        execution=[line.evolve(
            planned=_amount(line.planned, unit), adjusted=_amount(line.adjusted, unit),
            executed=_amount(line.executed, unit),
        ) for line in form.budget.execution],
    )
    duties = [d.evolve(amount=_amount(d.amount, unit)) for d in form.duties]
    plan_unit = _plan_unit(form, unit, budget.total)
    plan = [p.evolve(amount=_percent(p.amount) if plan_unit == "%"
                     else _amount(p.amount, plan_unit))
            for p in form.spending_plan]
    year = form_year(form, default_year)
    indicators = []
    for indicator in form.indicators:
        money, percent = is_cost(indicator), percent_expected(indicator)
        update = {
            name: _target(target, parse_value(target.raw, year=year, money_hint=money,
                                              percent_hint=percent))
            for name, target in (("target", indicator.target), ("actual", indicator.actual))
            if target is not None
        }
        indicators.append(indicator.evolve(**update))
    return form.evolve(budget=budget, duties=duties, spending_plan=plan, indicators=indicators)


def normalize_forms(forms: list[Form], default_year: str | None = None) -> list[Form]:
    """Every form normalized (new forms: see the module)."""
    return [normalize_form(form, default_year) for form in forms]
