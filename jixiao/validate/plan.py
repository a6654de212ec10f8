"""Spending plans by date (3月底 / 6月底 / 10月底 / 12月底): cumulative, ending at the budget."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from jixiao.normalize import plan_in_percent, to_decimal
from jixiao.schemas import Finding, Form
from jixiao.validate.rules import TOLERANCE_YUAN, finding, num


def spending_plan(form: Form) -> Iterator[Finding]:
    points = [(p, to_decimal(p.amount.raw)) for p in form.spending_plan]
    numbers = [(p, v) for p, v in points if v is not None]
    if not numbers:
        return
    label = form.spending_plan_label or "资金支出计划"
    last, last_value = numbers[-1]
    total = form.budget.total
    in_percent = plan_in_percent(form)
    as_money = last.amount.unit not in (None, "%")  # normalization read the values as money
    if in_percent and as_money:
        yield finding(
            "plan.percent_header", form,
            f"“{label}”标注为百分比，但所填数值是累计金额（末期{last.amount.raw}等于预算数"
            f"{total.raw if total else ''}），单位应为{last.amount.unit}。",
            cell=last.amount.cell, value=label,
        )
    for (prev, a), (point, b) in pairwise(numbers):
        if b < a:
            yield finding(
                "plan.decreasing", form,
                f"{label}应为累计数，{point.by}的{point.amount.raw}小于{prev.by}的{prev.amount.raw}。",
                cell=point.amount.cell, value=point.amount.raw,
            )
    if in_percent and not as_money:
        if last_value != 100:
            yield finding(
                "plan.end", form,
                f"{label}按百分比填报，末期（{last.by}）应为100%，实为{last.amount.raw}。",
                cell=last.amount.cell, value=last.amount.raw,
            )
    elif (total is not None and total.value is not None and total.yuan is not None
          and last.amount.yuan is not None
          and abs(last.amount.yuan - total.yuan) > TOLERANCE_YUAN):
        yield finding(
            "plan.end", form,
            f"{label}末期（{last.by}）累计{last.amount.raw}，与预算数{total.raw}不符"
            f"（相差{num(abs(last_value - total.value))}）。",
            cell=last.amount.cell, value=last.amount.raw,
        )


CHECKS = (spending_plan,)
