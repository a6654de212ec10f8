"""Money that must add up: budget parts, the self-evaluation money block, execution rates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.normalize import canon, first_decimal
from jixiao.schemas import Amount, BudgetPart, ExecutionLine, Finding, Form
from jixiao.validate.rules import TOLERANCE_YUAN, finding, num, wan
from jixiao.vocabulary import key

_NOTHING = frozenset(("", "-", "/", "无", "0"))  # printed for "no money from this source"
LOW_EXECUTION = Decimal(90)


def _group(label: str) -> str | None:
    """Which breakdown of the total a part belongs to; None: not part of this total."""
    k = key(label)
    if "上级" in k:  # 该项目支出上级资金: money on top of the 本级 total
        return None
    if "基本支出" in k or k.endswith("项目支出"):
        return "spending"
    return "income"


def _yuan(amount: Amount | None) -> Decimal | None:
    """The amount in yuan; blanks and dashes count as zero; None when it is not a number."""
    if amount is None:
        return None
    if amount.yuan is not None:
        return amount.yuan
    return Decimal(0) if canon(amount.raw).strip("—-") in _NOTHING else None


def parts_sum(form: Form) -> Iterator[Finding]:
    total = form.budget.total
    if total is None or total.yuan is None:
        return
    total_yuan = total.yuan
    groups: dict[str, list[BudgetPart]] = {}
    for part in form.budget.parts:
        group = _group(part.label)
        if group is not None:
            groups.setdefault(group, []).append(part)
    for parts in groups.values():
        amounts = [(p, _yuan(p.amount)) for p in parts]
        counted = [(p, y) for p, y in amounts if y is not None]
        if not any(p.amount.yuan is not None for p, _ in counted):
            continue  # nothing printed as a number: no breakdown to check
        summed = sum((y for _, y in counted), Decimal(0))
        if abs(summed - total_yuan) > TOLERANCE_YUAN:
            terms = " + ".join(f"{p.label}{p.amount.raw or '（空）'}" for p, _ in counted)
            yield finding(
                "money.parts_sum", form,
                f"资金合计{total.raw}与其组成部分之和{wan(summed)}（{terms}）不符，"
                f"相差{wan(abs(summed - total_yuan))}。",
                cell=total.cell, value=total.raw,
            )


_COLUMNS = (("planned", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


def _execution_total(lines: list[ExecutionLine]) -> tuple[ExecutionLine, list[ExecutionLine]]:
    head = next((ln for ln in lines if "总" in key(ln.label)), lines[0])
    return head, [ln for ln in lines if ln is not head]


def execution_sum(form: Form) -> Iterator[Finding]:
    lines = form.budget.execution
    if len(lines) < 2:
        return
    head, sources = _execution_total(lines)
    for attr, name in _COLUMNS:
        total: Amount | None = getattr(head, attr)
        parts = [_yuan(getattr(ln, attr)) for ln in sources]
        if total is None or total.yuan is None or None in parts:
            continue
        summed = sum((p for p in parts if p is not None), Decimal(0))
        if abs(summed - total.yuan) > TOLERANCE_YUAN:
            yield finding(
                "money.execution_sum", form,
                f"{head.label}的{name}{total.raw}与各资金来源之和{wan(summed)}不符。",
                cell=total.cell, value=total.raw,
            )


def _rate(line: ExecutionLine) -> Decimal | None:
    """The execution rate in percent: as printed, else 全年执行数 / 全年预算数."""
    printed = first_decimal(line.rate) if line.rate else None
    if printed is not None:
        return printed
    return _computed_rate(line)


def _computed_rate(line: ExecutionLine) -> Decimal | None:
    adjusted = line.adjusted.yuan if line.adjusted else None
    executed = line.executed.yuan if line.executed else None
    if not adjusted or executed is None:
        return None
    return executed * 100 / adjusted


def execution_rate(form: Form) -> Iterator[Finding]:
    for line in form.budget.execution:
        printed = first_decimal(line.rate) if line.rate else None
        computed = _computed_rate(line)
        if printed is None or computed is None:
            continue
        if abs(printed - computed) > Decimal("0.5"):  # rates are printed rounded
            yield finding(
                "money.execution_rate", form,
                f"{line.label}执行率填报为{line.rate}，按全年执行数÷全年预算数应为"
                f"{num(computed.quantize(Decimal('0.01')))}%。",
                cell=line.executed.cell if line.executed else None, value=line.rate,
            )


_REASON_LABELS = ("偏差", "原因", "说明")


def low_execution(form: Form) -> Iterator[Finding]:
    if not form.budget.execution:
        return
    head, _ = _execution_total(form.budget.execution)
    rate = _rate(head)
    if rate is None or rate >= LOW_EXECUTION:
        return
    reasons = [f.value for f in form.fields if any(w in f.label for w in _REASON_LABELS)]
    if any(r.strip() for r in reasons):
        return
    yield finding(
        "money.low_execution", form,
        f"预算执行率{num(rate.quantize(Decimal('0.01')))}%低于90%，但未说明原因。",
        cell=head.executed.cell if head.executed else None, value=head.rate,
    )


CHECKS = (parts_sum, execution_sum, execution_rate, low_execution)
