"""No cell left behind: which non-empty cells of a form's tables (its table and those
continuing its grid) the form uses, which it does not (``unmapped``), and the share used
(``coverage``).

A cell is used when it is part of an indicator grid (its header rows; in its indicator rows,
a cell in a column the grid reads, or left of them: the 年度绩效指标 label; the note rows
under it), of a money matrix or spending plan the form read, or when its text is something
the form holds: a field's label or value, the title, an amount, a goal, a note (compared
without white space, trailing colons and bracketed notes). A column no header word gives a
role (指标方向, 评分标准 …) is read by nothing: its cells are unmapped, never dropped unseen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jixiao.mapping.fields import KeyValues, inline_pairs
from jixiao.mapping.gridview import GridView, text
from jixiao.mapping.indicators import READ_ROLES, IndicatorGrid
from jixiao.schemas import Amount, CellRef, Form, Target
from jixiao.vocabulary import clean_label, key, without_stamp

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*")


def _norm(value: str) -> str:
    return _SPACE.sub("", value)


def _raw(amount: Amount | Target | None) -> str | None:
    return amount.raw if amount is not None else None


def _strings(form: Form) -> Iterator[str | None]:
    """Every text the form holds that a cell may print: its fields, project, money, goals,
    duties and indicators as read, notes and title (walked by name: dumping the whole
    model for this cost a third of the mapping's time)."""
    yield from (form.title, form.header_note, form.footer_note, form.spending_plan_label,
                form.total_score, form.weight_total)
    for f in form.fields:
        yield f.label
        yield f.value
    yield from form.project.model_dump().values()
    budget = form.budget
    yield _raw(budget.total)
    yield budget.unit
    for part in budget.parts:
        yield part.label
        yield _raw(part.amount)
    for line in budget.execution:
        yield from (line.label, _raw(line.planned), _raw(line.adjusted), _raw(line.executed),
                    line.weight, line.rate, line.score)
    for point in form.spending_plan:
        yield point.by
        yield _raw(point.amount)
    yield from (form.goals.long_term, form.goals.annual, form.goals.achieved)
    for duty in form.duties:
        yield from (duty.function, duty.task, duty.item, _raw(duty.amount))
    for ind in form.indicators:
        yield from (ind.level1, ind.level2, ind.level3, ind.description, ind.target.raw,
                    ind.basis, _raw(ind.actual), ind.weight, ind.group_weight, ind.score,
                    ind.deviation)


def _held(form: Form, kvs: Iterable[KeyValues]) -> set[str]:
    held: set[str] = set()
    for s in _strings(form):
        if not s:
            continue
        held.add(_norm(s))
        held.add(key(s))
        held.update(_norm(line) for line in s.splitlines())
    project = form.project
    for code, name in ((project.code, project.name),
                       (project.department_code, project.department)):
        if code and name:  # printed as one: 216002中国共产党…
            held.add(_norm(code + name))
    held.update(_norm(cell.text) for kv in kvs for cell in kv.headings)
    held.discard("")
    return held


def _rows_used(grids: Iterable[IndicatorGrid], kv: KeyValues, n_rows: int) -> set[int]:
    """Rows used whole: the grids' header rows and the money matrices' rows."""
    rows: set[int] = set()
    for grid in grids:
        rows.update(range(grid.header_row, grid.first_row))
    for matrix in kv.matrices:
        rows.update(matrix.rows_used)
    return {r for r in rows if r < n_rows}


def _grid_columns(grids: Iterable[IndicatorGrid]) -> dict[int, set[int]]:
    """Row → the columns the grid over it reads there (see the module)."""
    out: dict[int, set[int]] = {}
    for grid in grids:
        cols = {c for role, c in grid.columns.items() if role in READ_ROLES}
        cols.update(grid.target_parts)
        cols.update(range(min(grid.columns.values(), default=0)))
        for r in range(grid.first_row, grid.end_row):
            out.setdefault(r, set()).update(cols)  # two grids may read one row
    return out


def _is_used(cell_text: str, held: set[str]) -> bool:
    if _norm(cell_text) in held or key(cell_text) in held:
        return True
    if _norm(clean_label(cell_text)) in held or _norm(_NUMBERING.sub("", cell_text)) in held:
        return True
    if _norm(without_stamp(cell_text)) in held:  # （盖章）某某局: the filler, read without it
        return True
    pairs = inline_pairs(cell_text)
    return bool(pairs) and all(key(label) in held for label, _ in pairs)


# A table of a form: its view, its indicator grids and its key/value part.
Part = tuple[GridView, list[IndicatorGrid], KeyValues]


def _tally(part: Part, held: set[str]) -> tuple[int, list[CellRef]]:
    """(non-empty cells, those unused) of one table of the form."""
    view, grids, kv = part
    rows = _rows_used(grids, kv, view.n_rows)
    grid_columns = _grid_columns(grids)
    unread = {id(c) for m in kv.matrices for c in m.unread}
    # below a grid, a row holding a text the form took (a note, 填表人：…) is used whole
    below = min((g.end_row for g in grids), default=view.n_rows)
    note_rows = {r for r in range(below, view.n_rows)
                 if any(_norm(text(c)) in held for c in view.row(r) if c.row == r)}
    total = 0
    unmapped: list[CellRef] = []
    for cell in view.table.cells:
        t = text(cell)
        if not t:
            continue
        total += 1
        if id(cell) in unread and not _is_used(t, held):
            unmapped.append(view.ref(cell))
            continue
        if cell.row in rows or cell.row in note_rows or _is_used(t, held):
            continue
        read = grid_columns.get(cell.row)
        if read and not read.isdisjoint(range(cell.col, cell.col + max(cell.col_span, 1))):
            continue
        unmapped.append(view.ref(cell))
    return total, unmapped


def account(form: Form, parts: list[Part]) -> tuple[float | None, list[CellRef]]:
    """(coverage, unmapped cells) of ``form`` read from its tables (``parts``: the first
    and those continuing its grid); coverage is None for tables without text."""
    held = _held(form, (kv for _, _, kv in parts))
    total = 0
    unmapped: list[CellRef] = []
    for part in parts:
        n, unused = _tally(part, held)
        total += n
        unmapped += unused
    if total == 0:
        return None, []
    return round((total - len(unmapped)) / total, 4), unmapped
