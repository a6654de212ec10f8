"""The standard layout of each form kind, as logical rows (see ``table.py``).

One layout per kind, whatever the source looked like:

* project goals: 项目名称 | 项目编码, 主管部门 | 实施期, the budget total and its parts two
  pairs a line, the spending plan (milestones over amounts), other fields one a line,
  实施期绩效目标, 本年度绩效目标, then the indicator grid(s);
* department goals: 部门名称, money, other fields (部门职能…), the duties grid, 年度总体目标,
  indicators;
* self-evaluation: 项目名称 | 项目编码, 主管部门 | 实施期, the money block (年初预算数 …
  得分), 年度总体目标 as 预期目标 / 实际完成情况, indicators with results and scores, 总分;
* unknown: the table as its exact grid, merges included.

Every label is one the mapping (``jixiao.mapping``) recognises, so converting the output
gives the same forms back. The indicator grid is a table of its own, after the key/value
table, so that Word repeats its header row on every page; the mapping joins it back to the
form (``jixiao.mapping.continuation``).
"""

from __future__ import annotations

from jixiao.schemas import Document, ExecutionLine, Form, Table
from jixiao.vocabulary import FOOTER_HINTS, NOTE_ROW, looks_like_label
from jixiao.writers.docx.fields import (
    SLOTS,
    FieldPlan,
    department_text,
    plan_fields,
    role_field,
)
from jixiao.writers.docx.indicators import indicator_tables
from jixiao.writers.docx.table import C, Kind, Row, cont

LABEL_W = 16.0  # share of the table width taken by a label column
VALUE_W = 34.0


def _label(text: str) -> C:
    """A label cell; a colon is added when the mapping would not otherwise see a label."""
    shown = text if looks_like_label(text) else text + "："
    return C(shown, LABEL_W, "label")


def _single(label: str, value: str | None) -> Row:
    return [_label(label), C(value or "", 100 - LABEL_W)]


def _pairs(pairs: list[tuple[str, str]]) -> list[Row]:
    rows: list[Row] = []
    for i in range(0, len(pairs), 2):
        chunk = pairs[i : i + 2]
        if len(chunk) == 2:
            (la, va), (lb, vb) = chunk
            rows.append([_label(la), C(va, VALUE_W), _label(lb), C(vb, VALUE_W)])
        else:
            rows.append(_single(*chunk[0]))
    return rows


def _money(form: Form, plan: FieldPlan, show_total: bool) -> list[Row]:
    pairs = [(plan.total_label, form.budget.total.raw)] if (
        show_total and form.budget.total is not None) else []
    pairs += [(p.label, p.amount.raw) for p in plan.parts]
    return _pairs(pairs)


def _spending_plan(form: Form) -> list[Row]:
    if form.spending_plan_label is None and not form.spending_plan:
        return []
    label = form.spending_plan_label or "资金支出计划"
    points = form.spending_plan or []
    n = max(len(points), 1)
    width = (100 - LABEL_W) / n
    heads = [C(p.by, width, "center") for p in points] or [C("", width)]
    values = [C(p.amount.raw, width, "center") for p in points] or [C("", width)]
    return [[C(label, LABEL_W, "label"), *heads], [cont(LABEL_W), *values]]


def _extras(plan: FieldPlan) -> list[Row]:
    return [_single(f.label, f.value) for f in plan.extras]


_EXECUTION_COLUMNS = (("planned", "年初预算数"), ("adjusted", "全年预算数"),
                      ("executed", "全年执行数"), ("weight", "分值"), ("rate", "执行率"),
                      ("score", "得分"))


def _execution_value(line: ExecutionLine, name: str) -> str:
    value = getattr(line, name)
    if value is None or isinstance(value, str):
        return value or ""
    return str(value.raw)


def _execution(form: Form) -> list[Row]:
    """The self-evaluation money block: a label merged over a header row and one row per
    source of money (only the columns the form has)."""
    lines = form.budget.execution
    if not lines:
        return []
    columns = [(n, h) for n, h in _EXECUTION_COLUMNS
               if any(getattr(line, n) is not None for line in lines)]
    if len(columns) < 2:  # the mapping needs two named columns to see the block
        columns = list(_EXECUTION_COLUMNS[:3])
    group_w, row_label_w = 12.0, 16.0
    width = (100 - group_w - row_label_w) / len(columns)
    unit = form.budget.unit or "万元"
    rows: list[Row] = [[C(f"项目资金（{unit}）", group_w, "label"), C("", row_label_w, "head"),
                        *(C(h, width, "head") for _, h in columns)]]
    for line in lines:
        rows.append([cont(group_w), C(line.label, row_label_w, "label"),
                     *(C(_execution_value(line, n), width, "center") for n, _ in columns)])
    return rows


def _goals_matrix(form: Form) -> list[Row]:
    goals = form.goals
    return [
        [C("年度总体目标", LABEL_W, "label"), C("预期目标", 42, "head"),
         C("实际完成情况", 42, "head")],
        [cont(LABEL_W), C(goals.annual or "", 42), C(goals.achieved or "", 42)],
    ]


def _duties(form: Form) -> list[Row]:
    """部门职能 | 年度目标任务 | 支出项目 | 预算金额, a function merged over its tasks
    (任务名称 | 主要内容 | … for a grid that describes its tasks)."""
    duties = form.duties
    if not duties:
        return []
    described = any(d.content is not None for d in duties)
    spec = [("function", "部门职能", 18.0),
            ("task", "任务名称" if described else "年度目标任务", 24.0 if described else 40.0),
            ("content", "主要内容", 36.0), ("item", "支出项目", 26.0)]
    columns = [(n, h, w) for n, h, w in spec if any(getattr(d, n) is not None for d in duties)]
    columns.append(("amount", "预算金额", 16.0))
    numbered = len(columns) < 3  # the mapping needs three headers to see the grid
    rows: list[Row] = [([C("序号", 8, "head")] if numbered else [])
                       + [C(h, w, "head") for _, h, w in columns]]
    for i, duty in enumerate(duties):
        row: Row = [C(str(i + 1), 8, "center")] if numbered else []
        for name, _, w in columns:
            if name == "amount":
                row.append(C(duty.amount.raw if duty.amount else "", w, "center"))
            elif name == "function" and i and duty.function and \
                    duty.function == duties[i - 1].function:
                row.append(cont(w))
            else:
                row.append(C(getattr(duty, name) or "", w, "center" if name == "item" else
                             "value"))
        rows.append(row)
    return rows


def _key_values(form: Form) -> list[Row]:
    kind = form.kind
    department = kind == "department_goals"
    labels = {slot: label for slot, (_, label) in SLOTS.items()}
    if department:
        labels["department"] = "部门名称"
    if department or kind == "self_evaluation":
        labels["annual"] = "年度总体目标"
    p = form.project
    top: list[tuple[str, str | None]]
    if department:
        top = [("department", department_text(p))] + [
            (s, v) for s, v in (("name", p.name), ("code", p.code), ("period", p.period))
            if v is not None
        ]
    else:
        top = [("name", p.name), ("code", p.code), ("department", department_text(p)),
               ("period", p.period)]
    long_term = form.goals.long_term is not None or kind == "project_goals"
    matrix = kind == "self_evaluation" or form.goals.achieved is not None
    shown = {s for s, _ in top} | ({"long_term"} if long_term else set()) | (
        set() if matrix else {"annual"})
    plan = plan_fields(form, labels, shown, "资金总额" if department else "年度预算金额")
    rows = [_single(labels[s], v) for s, v in top] if department else _pairs(
        [(labels[s], v or "") for s, v in top])
    rows += _money(form, plan, _show_total(form)) + _execution(form)
    rows += _spending_plan(form) + _extras(plan) + _duties(form)
    if long_term:
        rows.append(_single(labels["long_term"], form.goals.long_term))
    rows += _goals_matrix(form) if matrix else [_single(labels["annual"], form.goals.annual)]
    return rows


def _show_total(form: Form) -> bool:
    """Whether the total gets a row: not when the header note states it (the note is printed
    as it was, a second total would be read as a part), nor when the mapping takes it from
    the money block (a self-evaluation's 全年预算数) and no field gave it."""
    total = form.budget.total
    if total is None:
        return False
    field = role_field(form, "budget.total")
    if field is not None:
        return field.cell is not None  # no cell: read from the header note
    if not form.budget.execution:
        return True
    head = form.budget.execution[0]
    derived = next((a for a in (head.adjusted, head.planned) if a and a.raw), None)
    return derived is None or derived.raw != total.raw


def form_tables(form: Form, document: Document) -> list[list[Row]]:
    """The form's tables: its key/value part, then each indicator grid (the grid's notes
    under the last), whose first row is its header; an unknown form's exact grid, one."""
    if form.kind == "unknown":
        tables = {t.id: t for t in document.tables}
        rows: list[Row] = []
        for tid in form.table_ids:
            if tid in tables:
                rows += exact_grid(tables[tid])
        return [rows] if rows else []
    notes, _ = footer_parts(form)
    grids = indicator_tables(form)
    grids[-1] += [[C(n, 100)] for n in notes]
    return [_key_values(form), *grids]


def _grid_note(line: str) -> bool:
    return bool(NOTE_ROW.match(line.lstrip())) and not any(h in line for h in FOOTER_HINTS)


def footer_parts(form: Form) -> tuple[list[str], str | None]:
    """The footer note split as the mapping read it: the note rows under the indicator grid
    (备注：…, 注：…), printed as rows of the table, and the line below the table (填表人：…),
    printed as a paragraph."""
    lines = (form.footer_note or "").split("\n")
    n = 0
    while form.kind != "unknown" and n < len(lines) and _grid_note(lines[n]):
        n += 1
    return lines[:n], "\n".join(lines[n:]) or None


def exact_grid(table: Table) -> list[Row]:
    """The table as it was: equal grid columns, spans and vertical merges as in the source."""
    grid = table.slots()
    rows: list[Row] = []
    for r in range(table.n_rows):
        row: Row = []
        c = 0
        while c < table.n_cols:
            cell = grid.at(r, c)
            if cell is None:
                row.append(C("", 1))
                c += 1
                continue
            span = min(cell.col + cell.col_span, table.n_cols) - c
            kind: Kind = "head" if cell.header else "value"
            row.append(cont(span) if cell.row != r else C(cell.text, span, kind))
            c += span
        rows.append(row)
    return rows
