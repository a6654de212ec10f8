"""A form's indicator grid continued in a Word table of its own.

Word documents often split one form into several tables: the key/value part in one, the
indicator grid in the next (so that its header row repeats on every page, which Word does
only at the top of a table), or a long grid cut in two at a page break with its header
typed again. Such a table continues the form of the table before it when

* both are Word tables (their provenance numbers paragraphs: nothing but empty paragraphs
  lies between two tables that follow each other in reading order, since every paragraph
  with text is a block of its own; ``map_forms`` also lets a line that only names the grid,
  绩效指标：, lie between them). PDF tables are stitched across pages by the converter
  and workbook sheets are tables of their own: neither is joined here;
* the table holds only indicator grids: its first row with text is a grid's header row,
  and every other row outside the grids' indicator rows is empty or a note (备注：…,
  填表人：…); no title, no field label (项目名称, 资金…) and no row that opens a block of
  its own (``indicators.opens_block``) anywhere in it.

The form builder appends its indicators (``read_grids``): the first grid picks up the level
labels the previous table's last grid carried down (its top rows blank: a merged 一级 / 二级
cell cut by the split) only when it is the same grid, that is its header prints the same
column headings (and the same label left of them, when it prints one); its horizon, when
it names none, is then that grid's too. Any other grid starts afresh, as in one table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jixiao.mapping.grid_header import is_header_row
from jixiao.mapping.gridview import GridView, text
from jixiao.mapping.indicators import (
    Carry,
    IndicatorGrid,
    find_grids,
    note,
    opens_block,
    read_grid,
)
from jixiao.schemas import Indicator, Table
from jixiao.schemas.model import Horizon
from jixiao.vocabulary import key


@dataclass(frozen=True)
class Tail:
    """How a table's last grid ends: its header's texts (left of the level columns, and
    from them on), its horizon and the labels it carries down."""

    left: tuple[str, ...]
    heads: tuple[str, ...]
    horizon: Horizon | None
    carry: Carry


def _paragraphs(table: Table) -> list[int] | None:
    prov = table.provenance
    if table.parent is not None or prov is None or prov.page is not None:
        return None
    return prov.paragraphs if prov.paragraphs and len(prov.paragraphs) == 2 else None


def adjacent(before: Table, table: Table) -> bool:
    """Whether ``table`` is a Word table right after the Word table ``before`` (the caller
    has seen no text between them in reading order)."""
    a, b = _paragraphs(before), _paragraphs(table)
    return a is not None and b is not None and a[1] < b[0]


def _filled(view: GridView, r: int) -> bool:
    return any(text(c) for c in view.row(r) if c.row == r)


def grids_only(table: Table) -> bool:
    """Whether ``table`` holds indicator grids and nothing else (see the module)."""
    view = GridView(table)
    first = next((r for r in range(view.n_rows) if _filled(view, r)), None)
    if first is None or not any(is_header_row(view, r) for r in (first, first + 1)
                                if r < view.n_rows):  # a header may be two rows high
        return False
    grids = find_grids(view)
    if not grids or first != grids[0].header_row:
        return False
    ends = [g.header_row for g in grids[1:]] + [view.n_rows]
    for grid, nxt in zip(grids, ends, strict=True):
        if any(opens_block(view, r) for r in range(grid.first_row, grid.end_row)):
            return False
        if any(_filled(view, r) and note(view, r) is None for r in range(grid.end_row, nxt)):
            return False
    return True


def _header(view: GridView, grid: IndicatorGrid) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The grid's header texts: (left of its first column, from it on), row by row."""
    first = min(grid.columns.values())
    left: list[str] = []
    heads: list[str] = []
    for r in range(grid.header_row, grid.first_row):
        for cell in view.row(r):
            if cell.row == r:
                (left if cell.col < first else heads).append(key(text(cell)))
    return tuple(left), tuple(heads)


def _same_grid(tail: Tail, view: GridView, grid: IndicatorGrid) -> bool:
    left, heads = _header(view, grid)
    if heads != tail.heads or (any(left) and left != tail.left):
        return False
    return grid.horizon is None or grid.horizon == tail.horizon


def read_grids(
    view: GridView, grids: list[IndicatorGrid], before: Tail | None
) -> tuple[list[Indicator], list[IndicatorGrid], Tail | None]:
    """The indicators of ``grids`` (of ``view``'s table), the grids as read (a continued
    grid takes the horizon of the one it continues) and the table's tail; ``before``: the
    tail of the table this one continues, None for a form's first table."""
    out: list[Indicator] = []
    read: list[IndicatorGrid] = []
    tail = before
    for i, grid in enumerate(grids):
        carry = Carry()
        if i == 0 and tail is not None and _same_grid(tail, view, grid):
            carry = tail.carry
            if grid.horizon is None:
                grid = replace(grid, horizon=tail.horizon)
        indicators, carried = read_grid(view, grid, carry)
        out += indicators
        read.append(grid)
        left, heads = _header(view, grid)
        tail = Tail(left, heads, grid.horizon, carried)
    return out, read, tail
