"""Which of a form's fields the standard layout shows in its own rows, and which are left
over (``项目属性``, ``资金用途``, ``实施单位`` …) to be shown as rows of their own.

Labels are chosen so that the mapping (``jixiao.mapping``) reads the same values back: the
vocabulary below is the mapping's own, and a left-over field is only shown when it cannot
win over the standard row of the same meaning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jixiao.mapping.fields import inline_pairs
from jixiao.mapping.vocabulary import (
    BUDGET_TOTAL,
    DEPARTMENT,
    GOALS_ANNUAL,
    GOALS_LONG,
    MONEY_PART_HINTS,
    NOT_MONEY_ENDINGS,
    PERIOD,
    PROJECT_CODE,
    PROJECT_NAME,
    key,
)
from jixiao.schemas import BudgetPart, Form, FormField

UNIT_KEYS = ("单位", "金额单位")
FILLER_KEY = "填报单位"
# Slot → (the mapping's labels in priority order, the label the standard layout prints)
SLOTS: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (PROJECT_NAME, "项目名称"),
    "code": (PROJECT_CODE, "项目编码"),
    "department": (DEPARTMENT, "主管部门"),
    "period": (PERIOD, "实施期"),
    "long_term": (GOALS_LONG, "实施期绩效目标"),
    "annual": (GOALS_ANNUAL, "本年度绩效目标"),
}


def first(fields: list[FormField], labels: tuple[str, ...]) -> FormField | None:
    """The field the mapping takes for one of ``labels`` (first by label priority)."""
    by_key: dict[str, FormField] = {}
    for f in fields:
        by_key.setdefault(key(f.label), f)
    return next((by_key[label] for label in labels if label in by_key), None)


def is_money_label(label: str) -> bool:
    k = key(label)
    return any(h in k for h in MONEY_PART_HINTS) and not k.endswith(NOT_MONEY_ENDINGS)


def header_lines(form: Form) -> list[str]:
    return [line for line in (form.header_note or "").split("\n") if line.strip()]


@dataclass
class FieldPlan:
    """What the key/value part of a standard form shows."""

    labels: dict[str, str]  # slot → printed label
    total_label: str
    parts: list[BudgetPart]  # budget parts not already given by the header note
    extras: list[FormField] = field(default_factory=list)
    filler: str | None = None  # 填报单位, when the header note does not already say it


def plan_fields(form: Form, labels: dict[str, str], shown: set[str],
                default_total: str) -> FieldPlan:
    """``labels``: slot → label for this kind; ``shown``: slots that get a row."""
    fields = form.fields
    in_header = Counter(
        (key(lab), val) for line in header_lines(form) for lab, val in inline_pairs(line)
    )
    header_keys = {k for k, _ in in_header}
    parts: list[BudgetPart] = []
    for part in form.budget.parts:  # a part the header note states is not repeated below
        pair = (key(part.label), part.amount.raw)
        if in_header[pair] > 0:
            in_header[pair] -= 1
        else:
            parts.append(part)
    # The total's label outranks any part labelled like a total (预算数 twice: the first is
    # the total, the second a part), so the mapping takes the total again.
    ranks = [BUDGET_TOTAL.index(key(p.label)) for p in parts if key(p.label) in BUDGET_TOTAL]
    total_label = BUDGET_TOTAL[min([BUDGET_TOTAL.index(default_total), *ranks])]
    used: set[int] = set()
    for group, _ in SLOTS.values():
        taken = first(fields, group)
        if taken is not None:
            used.add(id(taken))
    total = first(fields, BUDGET_TOTAL)
    if total is not None:
        used.add(id(total))
    filler = next((f.value for f in fields if key(f.label) == FILLER_KEY), None)
    extras = []
    for f in fields:
        k = key(f.label)
        if id(f) in used or is_money_label(f.label) or k in UNIT_KEYS or k == FILLER_KEY:
            continue
        if k in header_keys and f.cell is None:
            continue  # read from the header note, which is printed as it was
        if not _safe_extra(k, labels, shown):
            continue
        extras.append(f)
    return FieldPlan(
        labels=labels, total_label=total_label, parts=parts, extras=extras,
        filler=None if FILLER_KEY in header_keys else filler,
    )


def _safe_extra(k: str, labels: dict[str, str], shown: set[str]) -> bool:
    """A left-over field labelled like a slot is shown only below a standard row whose label
    the mapping prefers (``实施单位`` under ``主管部门``); otherwise it would replace it."""
    for slot, (group, _) in SLOTS.items():
        if k in group:
            mine = key(labels[slot])
            return slot in shown and mine in group and group.index(k) > group.index(mine)
    return k not in BUDGET_TOTAL
