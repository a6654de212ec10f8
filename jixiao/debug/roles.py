"""What each cell on a page was to the mapping: its role, read from the ``Document``.

The mapping records the cells it used as ``CellRef`` s: a field's value (``FormField.cell``),
an amount's cell (``Amount.cell``), an indicator's target (``Indicator.cell``) and the cells
no part of the form took (``Form.unmapped``). Those are drawn as they are. The mapping does
not keep a reference to a field's label nor to an indicator's level cells; they are found
here from those references, never by mapping again: a level cell is the cell left of the
indicator's target, on its row, that prints the indicator's level text; a label is the
nearest filled cell left of (or above) the field's value that prints the field's label.
Every other filled cell of a form's table was used by the form (``coverage``: it is not
unmapped); cells of tables that are no form have no role, only their box.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from jixiao.schemas import Amount, Cell, CellRef, Document, Form, Indicator, Table
from jixiao.schemas.model import Slots

Role = Literal["label", "value", "level1", "level2", "level3", "target", "used", "unmapped"]
# The legend's order. When two roles claim a cell, the mapping's own references win
# (target, value, unmapped), then what is found from them (levels, labels), then ``used``.
ROLES: tuple[Role, ...] = ("label", "value", "level1", "level2", "level3", "target", "used",
                           "unmapped")

_SPACE = re.compile(r"\s+")
Key = tuple[str, int, int]  # table id, row, col of the cell's top-left slot


@dataclass(frozen=True)
class CellBox:
    """A cell on the page: its box in points (x0, top, x1, bottom; top-left origin) and its
    role (None: an empty cell, or a cell of a table that is no form)."""

    bbox: tuple[float, float, float, float]
    role: Role | None
    table: str
    row: int
    col: int


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def _key(ref: CellRef) -> Key:
    return (ref.table, ref.row, ref.col)


def _amounts(form: Form) -> Iterator[Amount | None]:
    budget = form.budget
    yield budget.total
    yield from (part.amount for part in budget.parts)
    for line in budget.execution:
        yield from (line.planned, line.adjusted, line.executed)
    yield from (point.amount for point in form.spending_plan)
    yield from (duty.amount for duty in form.duties)


def _distinct(covering: Iterable[Cell | None], starts_before: Callable[[Cell], bool]
              ) -> list[Cell]:
    """The distinct cells of ``covering`` (slots walked away from a cell) that start before
    it, nearest first."""
    found: list[Cell] = []
    for cell in covering:
        if cell is not None and starts_before(cell) and all(cell is not f for f in found):
            found.append(cell)
    return found


def _row_left_of(slots: Slots, row: int, col: int) -> list[Cell]:
    """The distinct cells covering ``row`` that start left of column ``col``, nearest first."""
    return _distinct((slots.at(row, c) for c in range(col - 1, -1, -1)),
                     lambda cell: cell.col < col)


def _column_above(slots: Slots, row: int, col: int) -> list[Cell]:
    """The distinct cells covering column ``col`` above ``row``, nearest first."""
    return _distinct((slots.at(r, col) for r in range(row - 1, -1, -1)),
                     lambda cell: cell.row < row)


def level_cells(slots: Slots, indicator: Indicator) -> dict[Role, Cell]:
    """The cells printing ``indicator``'s level 3, 2 and 1 texts on its target's row, found
    right to left from the target (the levels' columns come in that order): level 3 as
    printed; levels 1 and 2 as printed before a points note (``产出指标(50分)``). A level
    carried down from a row above (an unmerged cell) is not on this row: it is not found."""
    ref = indicator.cell
    if ref is None:
        return {}
    found: dict[Role, Cell] = {}
    candidates = [c for c in _row_left_of(slots, ref.row, ref.col) if c.text.strip()]
    wanted: tuple[tuple[Role, str, bool], ...] = (
        ("level3", indicator.level3, True), ("level2", indicator.level2, False),
        ("level1", indicator.level1, False))
    at = 0
    for role, printed, exact in wanted:
        text = _norm(printed)
        if not text:
            continue
        for i in range(at, len(candidates)):
            cell_text = _norm(candidates[i].text)
            if cell_text == text or (not exact and cell_text.startswith(text)):
                found[role] = candidates[i]
                at = i + 1
                break
    return found


def label_cell(slots: Slots, value: CellRef, label: str) -> Cell | None:
    """The cell printing ``label`` next to the value at ``value``: the nearest filled cell
    on its left, else the nearest filled one above it (None: the label is printed inside
    the value's own cell, ``填报单位：…``, or elsewhere)."""
    text = _norm(label)
    if not text:
        return None
    for candidates in (_row_left_of(slots, value.row, value.col),
                       _column_above(slots, value.row, value.col)):
        nearest = next((c for c in candidates if c.text.strip()), None)
        if nearest is not None and text in _norm(nearest.text):
            return nearest
    return None


def _form_roles(form: Form, tables: dict[str, Table]) -> dict[Key, Role]:
    roles: dict[Key, Role] = {}
    grids: dict[str, Slots] = {}

    def slots(ref: CellRef | None) -> Slots | None:
        """The grid of the table ``ref`` points into (computed once per table)."""
        if ref is None or ref.table not in tables:
            return None
        if ref.table not in grids:
            grids[ref.table] = tables[ref.table].slots()
        return grids[ref.table]

    def give(key: Key, role: Role) -> None:
        roles.setdefault(key, role)

    for indicator in form.indicators:
        if indicator.cell is not None:
            give(_key(indicator.cell), "target")
    for field in form.fields:
        if field.cell is not None:
            give(_key(field.cell), "value")
    for amount in _amounts(form):
        if amount is not None and amount.cell is not None:
            give(_key(amount.cell), "value")
    for ref in form.unmapped:
        give(_key(ref), "unmapped")
    for indicator in form.indicators:
        grid = slots(indicator.cell)
        if grid is not None and indicator.cell is not None:
            for role, cell in level_cells(grid, indicator).items():
                give((indicator.cell.table, cell.row, cell.col), role)
    for field in form.fields:
        grid = slots(field.cell)
        if grid is not None and field.cell is not None:
            label = label_cell(grid, field.cell, field.label)
            if label is not None:
                give((field.cell.table, label.row, label.col), "label")
    for table_id in form.table_ids:
        for cell in tables[table_id].cells if table_id in tables else []:
            if cell.text.strip():
                give((table_id, cell.row, cell.col), "used")
    return roles


def _on_page(table: Table, cell: Cell, page: int) -> bool:
    prov = cell.provenance
    if prov is not None and prov.page is not None:
        return prov.page == page
    return table.pages == [page]


def cell_boxes(document: Document, page: int) -> list[CellBox]:
    """Every cell of ``page`` (1-based) that has a box, with its role."""
    tables = {t.id: t for t in document.tables}
    roles: dict[Key, Role] = {}
    for form in document.forms:
        for key, role in _form_roles(form, tables).items():
            roles.setdefault(key, role)
    boxes: list[CellBox] = []
    for table in document.tables:
        if table.pages and page not in table.pages:
            continue
        for cell in table.cells:
            bbox = cell.provenance.bbox if cell.provenance is not None else None
            if bbox is None or len(bbox) != 4 or not _on_page(table, cell, page):
                continue
            x0, top, x1, bottom = bbox
            boxes.append(CellBox((x0, top, x1, bottom), roles.get((table.id, cell.row, cell.col)),
                                 table.id, cell.row, cell.col))
    return boxes
