"""Find the indicator grids in a table and read their rows.

A header row names 一级指标 / 二级指标 / 三级指标 (or 指标名称); columns get roles from their
header words, so column order and extra columns do not matter. A header cell spanning
columns whose row below names 指标性质 / 指标值 / 度量单位 splits the target into parts, read
back as printed (``≥`` ``95`` ``%`` → ``≥95%``); so do flat headers of their own beside the
target's (指标性质 | 指标值 | 度量单位), the nature words 定性 / 定量 left out. A table may
hold several grids (长期 and 年度): each header starts one, and the label to the grid's left
says which horizon it is; a header printing a target column per horizon (中期指标值 |
年度指标值, or 中期 | 年度 under one 指标值) makes a grid of each over the same rows.

Level labels apply to the rows they are merged over; a blank unmerged label cell repeats the
one above. Points written into a label (``产出指标(50分)``) become the group weight. A row with
neither indicator nor target is a blank template row: kept, marked ``empty``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from jixiao.mapping.content_roles import by_content, looks_like_header, split_annotation
from jixiao.mapping.grid_header import (
    declared_weight,
    flat_parts,
    header_columns,
    header_top,
    horizon_above,
    horizon_left,
    horizon_targets,
    names_levels,
    target_parts,
    target_span,
)
from jixiao.mapping.gridview import GridView, text
from jixiao.schemas import Cell, Indicator, Target
from jixiao.schemas.model import Horizon
from jixiao.script import fold
from jixiao.vocabulary import (
    NOTE_ROW,
    PLACEHOLDERS,
    STRONG_LABELS,
    is_level_word,
    is_not_applicable,
    key,
    looks_like_label,
)

# The columns ``read_grid`` reads by role (an operator or unit column only as a target's part).
READ_ROLES = frozenset({"level1", "level2", "level3", "description", "target", "basis",
                        "actual", "weight", "score", "deviation", "measures"})
# What an operator column may print instead of an operator: whether the target is a number
# or text, which its value shows (never part of the target as read).
_NATURE = frozenset({"定性", "定量"})


@dataclass(frozen=True)
class IndicatorGrid:
    header_row: int
    columns: dict[str, int]  # role → first grid column of its header cell
    end_row: int  # exclusive: the next grid's header, the first note row, or the table's end
    first_row: int = 0  # first data row (after a sub-header row, if any)
    target_parts: tuple[int, ...] = field(default=())  # columns of a split target
    horizon: Horizon | None = None
    notes: tuple[str, ...] = ()  # note rows between the grid and what follows it
    declared_weight: str | None = None  # the points its weight header declares: 分值（90）


def find_grids(view: GridView) -> list[IndicatorGrid]:
    """Every indicator grid: a header row (its words name the levels, or the rows under it
    hold level labels: ``content_roles``) down to the next one, a note row, a row that opens
    another block (``opens_block``) or the end."""
    headers: list[tuple[int, dict[str, int]]] = []
    for r in range(view.n_rows):
        columns = header_columns(view, r)
        if names_levels(columns) or looks_like_header(view, r):
            headers.append((r, columns))
    tops = [header_top(view, r, columns) for r, columns in headers]
    grids: list[IndicatorGrid] = []
    for i, (r, named_columns) in enumerate(headers):
        end = tops[i + 1] if i + 1 < len(headers) else view.n_rows
        columns = by_content(view, r, end, named_columns) or named_columns
        if not names_levels(columns):
            continue
        horizons, height = horizon_targets(view, r, columns)
        named = () if horizons else target_parts(view, r, columns)
        first = r + (2 if named else height)
        parts = () if horizons else (
            named or target_span(view, r, columns) or flat_parts(view, r, columns))
        if i + 1 < len(headers):  # between two grids, a block may come before the next
            end = next((n for n in range(first, end) if opens_block(view, n)), end)
        notes = [(n, t) for n in range(first, end) if (t := note(view, n))]
        grid = IndicatorGrid(
            header_row=tops[i], columns=columns, end_row=notes[0][0] if notes else end,
            first_row=first, target_parts=parts, horizon=horizon_left(view, r, columns),
            notes=tuple(t for _, t in notes),
            declared_weight=declared_weight(view, r, columns),
        )
        grids += _by_horizon(grid, horizons) if horizons else [grid]
    if len(grids) > 1:  # several grids: each one's horizon may be told by the rows above it
        starts = [0] + [g.end_row for g in grids[:-1]]
        grids = [g if g.horizon else replace(g, horizon=horizon_above(view, top, g.header_row))
                 for g, top in zip(grids, starts, strict=True)]
    return grids


# What a self-evaluation reads against the annual target only.
_ANNUAL_ONLY = ("weight", "score", "actual", "deviation", "measures")


def _by_horizon(grid: IndicatorGrid, by: dict[Horizon, int]) -> list[IndicatorGrid]:
    """A grid whose header prints a target column per horizon (``horizon_targets``) as one
    grid per horizon over the same rows, the long-term one first (as stacked grids are
    read): each row an indicator of each, the points, score and actual the annual one's."""
    long_term = {k: c for k, c in grid.columns.items() if k not in _ANNUAL_ONLY}
    return [
        replace(grid, columns=long_term | {"target": by["long_term"]}, horizon="long_term",
                notes=(), declared_weight=None),
        replace(grid, columns=grid.columns | {"target": by["annual"]}, horizon="annual"),
    ]


def opens_block(view: GridView, r: int) -> bool:
    """Whether row ``r`` opens a block of its own inside a table of several grids: a label
    alone on its row (``年度绩效目标``), or a field label in the first column with its value
    (``年度目标`` | …): never an indicator row."""
    first = view.row(r)[0] if view.row(r) else None
    if first is None or first.row != r or not text(first):
        return False
    k = key(text(first))
    if k in STRONG_LABELS and not is_level_word(k):
        return True
    return view.alone(r) is first and looks_like_label(text(first)) and not is_level_word(k)


def note(view: GridView, r: int) -> str | None:
    """The text of row ``r`` when it is a note (its first text opens with 备注：, 注：…)."""
    first = next((c for c in view.row(r) if text(c)), None)
    if first is None or first.row != r:
        return None
    return text(first) if NOTE_ROW.match(fold(text(first)).lstrip()) else None


def find_grid(view: GridView) -> IndicatorGrid | None:
    """The first grid (where the key/value part of the form ends)."""
    grids = find_grids(view)
    return grids[0] if grids else None


def _is_indicator_row(view: GridView, grid: IndicatorGrid, r: int) -> bool:
    """False for a row-wide cell (总分, notes) that spans the level and target columns."""
    l3 = view.at(r, grid.columns["level3"])
    if l3 is None:
        return False
    first = min(grid.columns.values())
    first_cell = view.at(r, first)
    return not (first_cell is l3 and first != grid.columns["level3"])


def _value(view: GridView, r: int, cols: dict[str, int], role: str) -> str | None:
    return text(view.at(r, cols[role])) if role in cols else None


def _distinct(view: GridView, r: int, cols: tuple[int, ...]) -> list[Cell]:
    """The cells of row ``r`` in ``cols``, each once (a merged value spans several)."""
    found: list[Cell] = []
    for c in cols:
        cell = view.at(r, c)
        if cell is not None and all(cell is not seen for seen in found):
            found.append(cell)
    return found


def _deviation(view: GridView, r: int, cols: dict[str, int]) -> str | None:
    """偏差原因分析, and 改进措施 printed in a column of its own (one line each, in column
    order); None when the grid has neither column."""
    roles = sorted((c, role) for role, c in cols.items() if role in ("deviation", "measures"))
    if not roles:
        return None
    return "\n".join(t for _, role in roles if (t := _value(view, r, cols, role) or ""))


def join_parts(parts: list[str]) -> str:
    """A split target as printed, its parts (operator, number, unit) joined: a nature word
    (定性) and a placeholder (/, —) left out, and a part the one before already holds
    printed once (``≥`` | ``≥95`` | ``%``, ``95%`` | ``%``)."""
    out = ""
    for part in parts:
        if not part or part in _NATURE or (out and key(part) in PLACEHOLDERS):
            continue
        if part.startswith(out):
            out = part
        elif not out.endswith(part):
            out += part
    return out


@dataclass(frozen=True)
class Carry:
    """The level labels (and the points written into them) a grid carries down to its next
    row: where a grid continued in a table of its own picks up (``continuation``)."""

    level1: str = ""
    level2: str = ""
    weight1: str | None = None
    weight2: str | None = None


def read_indicators(view: GridView, grid: IndicatorGrid) -> list[Indicator]:
    return read_grid(view, grid, Carry())[0]


def read_grid(
    view: GridView, grid: IndicatorGrid, carry: Carry
) -> tuple[list[Indicator], Carry]:
    """The grid's indicators, its blank level cells at the top filled from ``carry``, and
    what it carries on at its end."""
    cols = grid.columns
    out: list[Indicator] = []
    carried = {"level1": carry.level1, "level2": carry.level2}
    weights: dict[str, str | None] = {"level1": carry.weight1, "level2": carry.weight2}
    for r in range(grid.first_row, grid.end_row):
        if not _is_indicator_row(view, grid, r):
            continue
        for level in ("level1", "level2"):
            if level in cols:
                cell = view.at(r, cols[level])
                if text(cell):
                    carried[level], weights[level] = split_annotation(text(cell))
        level3 = text(view.at(r, cols["level3"]))
        target_cell = view.at(r, cols["target"]) if "target" in cols else None
        if grid.target_parts:
            target_raw = join_parts([text(c) for c in _distinct(view, r, grid.target_parts)])
        else:
            target_raw = text(target_cell)
        actual = _value(view, r, cols, "actual")
        empty = not level3 and not target_raw and not actual
        out.append(
            Indicator(
                level1=carried["level1"],
                level2=carried["level2"],
                level3=level3,
                description=_value(view, r, cols, "description"),
                target=Target(raw=target_raw),
                basis=_value(view, r, cols, "basis"),
                horizon=grid.horizon,
                actual=Target(raw=actual) if actual is not None else None,
                weight=_value(view, r, cols, "weight"),
                group_weight=weights["level2"] or weights["level1"],
                score=_value(view, r, cols, "score"),
                deviation=_deviation(view, r, cols),
                empty=empty,
                not_applicable=not empty and is_not_applicable(level3, target_raw),
                cell=view.ref(target_cell) if target_cell is not None else None,
            )
        )
    return out, Carry(carried["level1"], carried["level2"], weights["level1"], weights["level2"])


def read_all_indicators(view: GridView) -> list[Indicator]:
    return [i for grid in find_grids(view) for i in read_indicators(view, grid)]
