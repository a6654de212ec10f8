"""Find the indicator grid in a table and read its rows.

The header row is the one naming 一级指标 / 二级指标 / 三级指标 (or 指标名称); columns get
roles from their header words, so column order and extra columns do not matter. Level labels
apply to the rows they are merged over; a blank unmerged label cell repeats the one above.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jixiao.mapping.gridview import GridView, text
from jixiao.mapping.vocabulary import COLUMN_ROLES, key
from jixiao.schemas import Indicator, Target


@dataclass(frozen=True)
class IndicatorGrid:
    header_row: int
    columns: dict[str, int]  # role → first grid column of its header cell
    end_row: int  # exclusive


@lru_cache(maxsize=16384)
def _role(header: str) -> str | None:
    k = key(header)
    for role, words in COLUMN_ROLES:
        if any(w in k for w in words):
            return role
    return None


def find_grid(view: GridView) -> IndicatorGrid | None:
    for r in range(view.n_rows):
        columns: dict[str, int] = {}
        for cell in view.row(r):
            if cell.row != r:
                continue
            role = _role(cell.text)
            if role and role not in columns:
                columns[role] = cell.col
        levels = {"level1", "level2", "level3"} & columns.keys()
        if len(levels) >= 2 and "level3" in columns:
            return IndicatorGrid(header_row=r, columns=columns, end_row=view.n_rows)
    return None


def _is_indicator_row(view: GridView, grid: IndicatorGrid, r: int) -> bool:
    """False for a row-wide cell (总分, notes) that spans the level and target columns."""
    l3 = view.at(r, grid.columns["level3"])
    if l3 is None:
        return False
    first = min(grid.columns.values())
    first_cell = view.at(r, first)
    return not (first_cell is l3 and first != grid.columns["level3"])


def read_indicators(view: GridView, grid: IndicatorGrid) -> list[Indicator]:
    cols = grid.columns
    out: list[Indicator] = []
    carried = {"level1": "", "level2": ""}
    for r in range(grid.header_row + 1, grid.end_row):
        if not _is_indicator_row(view, grid, r):
            continue
        for level in ("level1", "level2"):
            if level in cols:
                cell = view.at(r, cols[level])
                if text(cell):
                    carried[level] = text(cell)
        level3 = text(view.at(r, cols["level3"]))
        target_cell = view.at(r, cols["target"]) if "target" in cols else None
        if not level3 and not text(target_cell):
            continue
        out.append(
            Indicator(
                level1=carried["level1"],
                level2=carried["level2"],
                level3=level3,
                description=text(view.at(r, cols["description"])) if "description" in cols
                else None,
                target=Target(raw=text(target_cell)),
                basis=text(view.at(r, cols["basis"])) if "basis" in cols else None,
                cell=view.ref(target_cell) if target_cell is not None else None,
            )
        )
    return out
