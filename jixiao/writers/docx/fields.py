"""Which of a form's fields the standard layout shows in its own rows, and which are left
over (``项目属性``, ``资金用途``, ``实施单位`` …) to be shown as rows of their own.

What the mapping took each field for is in the model (``FormField.role``; a field without a
cell was read from the header note, printed as it was): this module never matches labels
to find out. It only uses the mapping's wording (``jixiao.vocabulary``) to print
labels that the mapping reads back the same: a left-over field is only shown when its
label cannot win over the standard row of the same meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.schemas import BudgetPart, Form, FormField, ProjectInfo
from jixiao.schemas.model import FieldRole
from jixiao.vocabulary import (
    BUDGET_TOTAL,
    DEPARTMENT,
    GOALS_ANNUAL,
    GOALS_LONG,
    PERIOD,
    PROJECT_CODE,
    PROJECT_NAME,
    key,
)

# The header line's labels: printed there, so a field of the table labelled so would compete.
HEADER_KEYS = ("填报单位", "单位", "金额单位")
# Slot → (the mapping's labels in priority order, the label the standard layout prints)
SLOTS: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (PROJECT_NAME, "项目名称"),
    "code": (PROJECT_CODE, "项目编码"),
    "department": (DEPARTMENT, "主管部门"),
    "period": (PERIOD, "实施期"),
    "long_term": (GOALS_LONG, "实施期绩效目标"),
    "annual": (GOALS_ANNUAL, "本年度绩效目标"),
}
# Roles whose value the layout prints elsewhere: in a slot's row, the money rows (the total
# and the parts) or the header line (filler, unit). Not project.implementer or goals.achieved:
# their fields are shown as left-overs, below the slot the mapping prefers.
PRINTED_ELSEWHERE: frozenset[FieldRole | None] = frozenset({
    "project.name", "project.code", "project.department", "project.period",
    "goals.long_term", "goals.annual", "budget.total", "budget.part", "budget.unit", "filler",
})


def role_field(form: Form, role: FieldRole) -> FormField | None:
    """The field the mapping took for ``role``, if any."""
    return next((f for f in form.fields if f.role == role), None)


def department_text(project: ProjectInfo) -> str | None:
    """The department as the mapping reads its code back: ``[216002]某某委员会``."""
    if project.department and project.department_code:
        return f"[{project.department_code}]{project.department}"
    return project.department


@dataclass
class FieldPlan:
    """What the key/value part of a standard form shows."""

    labels: dict[str, str]  # slot → printed label
    total_label: str
    parts: list[BudgetPart]  # budget parts not already given by the header note
    extras: list[FormField] = field(default_factory=list)


def plan_fields(form: Form, labels: dict[str, str], shown: set[str],
                default_total: str) -> FieldPlan:
    """``labels``: slot → label for this kind; ``shown``: slots that get a row."""
    # A part read from the header note (no cell) is printed there, as it was.
    parts = [p for p in form.budget.parts if p.amount.cell is not None]
    # The total's label outranks any part labelled like a total (预算数 twice: the first is
    # the total, the second a part), so the mapping takes the total again.
    ranks = [BUDGET_TOTAL.index(key(p.label)) for p in parts if key(p.label) in BUDGET_TOTAL]
    total_label = BUDGET_TOTAL[min([BUDGET_TOTAL.index(default_total), *ranks])]
    extras = [
        f for f in form.fields
        if f.role not in PRINTED_ELSEWHERE
        and f.cell is not None  # read from the header note, which is printed as it was
        and _safe_extra(key(f.label), labels, shown)
    ]
    return FieldPlan(labels=labels, total_label=total_label, parts=parts, extras=extras)


def _safe_extra(k: str, labels: dict[str, str], shown: set[str]) -> bool:
    """A left-over field labelled like a slot is shown only below a standard row whose label
    the mapping prefers (``实施单位`` under ``主管部门``); otherwise it would replace it. One
    labelled like the total or the header line's labels is never shown."""
    for slot, (group, _) in SLOTS.items():
        if k in group:
            mine = key(labels[slot])
            return slot in shown and mine in group and group.index(k) > group.index(mine)
    return k not in BUDGET_TOTAL and k not in HEADER_KEYS
