"""Indicator values that cannot be right: costs above the budget, impossible percentages,
时效 without a date, 满意度 that is not a ≥ percentage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.normalize import form_year, has_word, is_cost
from jixiao.schemas import Finding, Form, Target
from jixiao.validate.rules import TOLERANCE_YUAN, finding, live, num, wan

_RATE_NAMES = ("率", "比例", "占比", "到位", "满意")
# A recurring deadline or a clock time states a time limit too: 每月/次, 每天早上6点半前.
_RECURRING = re.compile(
    r"每(?:天|日|周|月|季度?|年)|\d{1,2}[:：]\d{2}|[\d一二三四五六七八九十]{1,3}点")


def _upper_yuan(target: Target) -> Decimal | None:
    """The largest amount a money target allows, in yuan."""
    if target.yuan is None:
        return None
    if target.value_max is not None and target.value:
        return target.yuan * target.value_max / target.value
    return target.yuan


def cost_over_budget(form: Form) -> Iterator[Finding]:
    budget = form.budget.total.yuan if form.budget.total is not None else None
    if not budget:
        return  # no budget, or 0: money.zero_budget says so
    for ind in live(form):
        if not is_cost(ind) or ind.target.kind != "money":
            continue
        amount = _upper_yuan(ind.target)
        if amount is not None and amount > budget + TOLERANCE_YUAN:
            yield finding(
                "indicator.cost_over_budget", form,
                f"成本指标“{ind.level3}”为{ind.target.raw}，超过本表预算{wan(budget)}。",
                cell=ind.cell, value=ind.target.raw,
            )


def _percent_typo(raw: str) -> str | None:
    """``905`` → ``90%``: % is Shift+5, so a dropped Shift types a 5 after the number."""
    digits = raw.strip()
    if re.fullmatch(r"\d{2,3}5", digits) and int(digits[:-1]) <= 100:
        return f"{digits[:-1]}%"
    return None


def percent_range(form: Form) -> Iterator[Finding]:
    for ind in live(form):
        for target, what in ((ind.target, "指标值"), (ind.actual, "实际完成值")):
            if target is None or target.value is None:
                continue
            top = target.value_max if target.value_max is not None else target.value
            if target.kind == "percent" and target.unit is not None:
                if top > 100 or target.value < 0:
                    yield finding(
                        "indicator.percent_range", form,
                        f"“{ind.level3}”的{what}{target.raw}超出0–100%，请核实（如≥92%误录为292%）。",
                        cell=ind.cell, value=target.raw,
                    )
            elif (target.unit is None and target.kind in ("count", "percent") and top > 100
                  and has_word(ind.level3, _RATE_NAMES)):
                guess = _percent_typo(target.raw)
                hint = f"，是否应为{guess}" if guess else ""
                yield finding(
                    "indicator.percent_range", form,
                    f"“{ind.level3}”应为百分比，{what}却为{target.raw}{hint}？",
                    cell=ind.cell, value=target.raw,
                )


def _years(form: Form, year: str | None) -> tuple[int, int] | None:
    """The years a form's dates may fall in: its implementation period, else its budget year."""
    found = [int(y) for y in re.findall(r"(?:19|20)\d\d", form.project.period or "")]
    if found:
        return min(found), max(found)
    return (int(year), int(year)) if year else None


def timeliness(form: Form, default_year: str | None = None) -> Iterator[Finding]:
    span = _years(form, form_year(form, default_year))
    for ind in live(form):
        if not has_word(ind.level2, ("时效",)):
            continue
        t = ind.target
        if t.kind == "percent" and "率" in ind.level3:
            continue  # 及时率 100%: a rate of timeliness, its deadline is defined elsewhere
        if t.kind not in ("date", "period") and not _RECURRING.search(t.raw):
            yield finding(
                "indicator.timeliness", form,
                f"时效指标“{ind.level3}”的指标值“{t.raw}”未写明完成时限（日期、期间或时长）。",
                cell=ind.cell, value=t.raw,
            )
            continue
        years = [int(d[:4]) for d in (t.start, t.end) if d]
        if span and years and (min(years) < span[0] or max(years) > span[1]):
            period = str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"
            yield finding(
                "indicator.timeliness", form,
                f"时效指标“{ind.level3}”的时限{t.raw}不在预算年度或实施期（{period}年）内。",
                cell=ind.cell, value=t.raw,
            )


def satisfaction(form: Form) -> Iterator[Finding]:
    for ind in live(form):
        if not has_word(ind.level2 + ind.level3, ("满意",)):
            continue
        t = ind.target
        if t.kind != "percent":
            message = f"满意度指标“{ind.level3}”的指标值“{t.raw}”不是百分比，应写作如“≥90%”。"
        elif t.op in ("≤", "<") or (t.op == "=" and t.value is not None and t.value < 100):
            shown = num(t.value) if t.value is not None else ""
            message = f"满意度指标“{ind.level3}”为{t.raw}，应为下限，写作“≥{shown}%”。"
        else:
            continue
        yield finding("indicator.satisfaction", form, message, cell=ind.cell, value=t.raw)


CHECKS = (cost_over_budget, percent_range, satisfaction)
