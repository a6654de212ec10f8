"""Self-evaluation scores: each 得分 within its 分值, Σ得分 = 总分, Σ分值 = 100."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.normalize import to_decimal
from jixiao.schemas import Finding, Form
from jixiao.validate.rules import finding, live, num

_EPS = Decimal("0.01")


def _execution_points(form: Form) -> tuple[Decimal | None, Decimal | None]:
    """分值 and 得分 of budget execution: the money block's first row that has them, else a
    score field of the form (执行率分值（10）)."""
    for line in form.budget.execution:
        weight = to_decimal(line.weight or "")
        if weight is not None:
            return weight, to_decimal(line.score or "")
    for field in form.fields:
        if "执行" in field.label and field.label.endswith(("分值", "权重")):
            return to_decimal(field.value), None
    return None, None


def scores(form: Form) -> Iterator[Finding]:
    rows = live(form)
    weights = [to_decimal(i.weight or "") for i in rows]
    points = [to_decimal(i.score or "") for i in rows]
    if not any(w is not None for w in weights) and not any(p is not None for p in points):
        return
    for ind, w, p in zip(rows, weights, points, strict=True):
        if w is not None and p is not None and p > w + _EPS:
            yield finding(
                "score.over_weight", form,
                f"“{ind.level3}”得分{ind.score}超过其分值{ind.weight}。",
                cell=ind.cell, value=ind.score,
            )
    exec_weight, exec_score = _execution_points(form)
    declared = to_decimal(form.weight_total or "")
    if all(w is not None for w in weights):
        summed_weights = sum((w for w in weights if w is not None), Decimal(0))
        if declared is not None and abs(summed_weights - declared) > _EPS:
            yield finding(
                "score.weights_total", form,
                f"各项指标分值合计为{num(summed_weights)}，与表头所列{form.weight_total}分不符。",
                value=num(summed_weights),
            )
        elif declared is None and abs(summed_weights + (exec_weight or 0) - 100) > _EPS:
            total_weight = summed_weights + (exec_weight or 0)
            yield finding(
                "score.weights_total", form,
                f"各项分值合计为{num(total_weight)}，不等于100。", value=num(total_weight),
            )
    total = to_decimal(form.total_score or "")
    if total is not None and all(p is not None for p in points):
        summed = sum((p for p in points if p is not None), Decimal(0)) + (exec_score or 0)
        if abs(summed - total) > _EPS:
            yield finding(
                "score.total", form,
                f"总分填报为{form.total_score}，而各项得分之和为{num(summed)}。",
                value=form.total_score,
            )


CHECKS = (scores,)
