"""Amounts that cannot be what the form says: a budget printed in 元 under a 万元 label (the
most expensive error these forms carry: a factor of 10,000), a budget of 0 for a form that
sets targets, a form whose indicator rows are all blank.

The unit check compares the budget total with the form's own evidence of its size: the
money cost targets of its 成本 indicators (totals, not per-unit costs such as 人均 or
元/人) and the amounts its 测算依据 / 资金用途 text names (each, and their sum). When the
total read in its label's unit is 10,000 (or 1,000) times one of them, within
``RATIO_TOLERANCE``, the amount was typed in 元 (or 千元): an error naming both cells. Without
such evidence, a total too large for the level of the unit that applies (``SIZE_LIMITS``:
a 社区 project above 1,000万元, a 街道 / 乡镇 one above 1亿元, a 县 / 区 one above 10亿元) is a
warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.locate import location
from jixiao.normalize import has_word, is_cost, to_decimal
from jixiao.normalize.money import to_yuan
from jixiao.schemas import Amount, CellRef, Finding, Form, Target
from jixiao.validate.rules import finding, live, num, wan
from jixiao.vocabulary import key

SCALES = ((Decimal(10000), "元"), (Decimal(1000), "千元"))
RATIO_TOLERANCE = Decimal("0.02")  # the evidence may be rounded: ≤201万元 for 200.8万元
# (words in the applying unit's name, the largest plausible project budget in yuan)
SIZE_LIMITS: tuple[tuple[tuple[str, ...], Decimal], ...] = (
    (("社区", "村委", "居委", "村民委员会", "居民委员会", "工作站"), Decimal(10_000_000)),
    (("街道", "乡人民政府", "镇人民政府", "乡政府", "镇政府"), Decimal(100_000_000)),
    (("县", "区"), Decimal(1_000_000_000)),
)
_PER_UNIT = ("人均", "户均", "次均", "单个", "单位", "每", "/人", "/次", "/户", "/场", "/个",
             "标准")
_BASIS_LABELS = ("测算依据", "资金用途", "测算")
_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)(?![/／每])")


def _where(cell: CellRef | None) -> str:
    return f"（{location(cell)}）" if cell is not None else ""


def _evidence(form: Form) -> Iterator[tuple[Decimal, str, CellRef | None]]:
    """(yuan, what it is, its cell) for each amount the form gives of its own size."""
    for ind in form.indicators:
        t: Target = ind.target
        if ind.empty or ind.not_applicable or not is_cost(ind) or t.kind != "money":
            continue
        if t.yuan is None or t.yuan <= 0 or has_word(ind.level3 + t.raw, _PER_UNIT):
            continue
        yield t.yuan, f"成本指标“{ind.level3}”的指标值“{t.raw}”", ind.cell
    for field in form.fields:
        if not any(w in key(field.label) for w in _BASIS_LABELS):
            continue
        found = [(Decimal(n.replace(",", "")), u) for n, u in _AMOUNT.findall(field.value)]
        for value, unit in found:
            if value > 0:
                yield to_yuan(value, unit), f"{field.label}中的“{num(value)}{unit}”", field.cell
        in_wan = [to_yuan(v, u) for v, u in found if u != "元"]
        if len(in_wan) > 1:
            summed = sum(in_wan, Decimal(0))
            yield summed, f"{field.label}各项合计{wan(summed)}", field.cell


def amount_scale(form: Form) -> Iterator[Finding]:
    """``money.unit_scale`` where the form's own evidence shows the factor, else
    ``money.implausible`` where the size alone does."""
    total = form.budget.total
    if total is None or total.yuan is None or total.yuan <= 0 or total.unit != "万元":
        return
    scale = _unit_scale(form, total, total.yuan)
    if scale is not None:
        yield scale
        return
    limit = _size_limit(form)
    if limit is not None and total.yuan > limit:
        yield finding(
            "money.implausible", form,
            f"预算金额填报为{total.raw}（万元），即{wan(total.yuan)}，对“{form.project.department}”"
            f"的单个项目而言过大（通常不超过{wan(limit)}）：请核实单位是否应为元。",
            cell=total.cell, value=total.raw,
        )


def _unit_scale(form: Form, total: Amount, yuan: Decimal) -> Finding | None:
    """The evidence that ``total`` (``yuan`` read in its label's unit) was typed in 元."""
    for amount, what, cell in _evidence(form):
        ratio = yuan / amount
        for factor, unit in SCALES:
            if abs(ratio - factor) <= factor * RATIO_TOLERANCE:
                meant = yuan / factor
                return finding(
                    "money.unit_scale", form,
                    f"预算金额填报为{total.raw}（万元），即{wan(yuan)}；而{what}{_where(cell)}"
                    f"约为其{num(factor)}分之一：金额似以{unit}填报，应为{wan(meant)}。",
                    cell=total.cell, value=total.raw,
                )
    return None


def _size_limit(form: Form) -> Decimal | None:
    name = form.project.department or form.project.implementer or ""
    for words, limit in SIZE_LIMITS:
        if has_word(name, words):
            return limit
    return None


def blank_indicators(form: Form) -> Iterator[Finding]:
    if form.indicators and all(i.empty for i in form.indicators):
        yield finding(
            "form.blank_indicators", form,
            f"绩效指标{len(form.indicators)}行全部未填写：本表没有可考核的绩效目标。",
        )


def zero_budget(form: Form) -> Iterator[Finding]:
    total = form.budget.total
    filled = live(form)
    if total is None or to_decimal(total.raw or "x") != 0 or not filled:
        return
    costs = [i.target.raw for i in form.indicators
             if not i.empty and is_cost(i) and i.target.kind == "money"]
    also = f"，且仍设有金额成本指标（{'、'.join(costs)}）" if costs else ""
    yield finding(
        "money.zero_budget", form,
        f"预算金额为{total.raw}，但本表设有{len(filled)}项绩效指标{also}：预算金额缺失或有误。",
        cell=total.cell, value=total.raw,
    )


CHECKS = (amount_scale, zero_budget, blank_indicators)
