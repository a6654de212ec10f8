"""Find the indicator grids in a table and read their rows.

A header row names 一级指标 / 二级指标 / 三级指标 (or 指标名称); columns get roles from their
header words, so column order and extra columns do not matter. A header cell spanning
columns whose row below names 指标性质 / 指标值 / 度量单位 splits the target into parts, read
back as printed (``≥`` ``95`` ``%`` → ``≥95%``). A table may hold several grids (长期 and
年度): each header starts one, and the label to the grid's left says which horizon it is.

Level labels apply to the rows they are merged over; a blank unmerged label cell repeats the
one above. Points written into a label (``产出指标(50分)``) become the group weight. A row with
neither indicator nor target is a blank template row: kept, marked ``empty``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from jixiao.mapping.content_roles import by_content, looks_like_header
from jixiao.mapping.gridview import GridView, text
from jixiao.schemas import Cell, Indicator, Target
from jixiao.schemas.model import Horizon
from jixiao.script import fold
from jixiao.vocabulary import (
    COLUMN_ROLES,
    NOTE_ROW,
    STRONG_LABELS,
    is_level_word,
    is_not_applicable,
    key,
    looks_like_label,
)

_SUB_TARGET = ("性质", "指标值", "单位", "符号", "运算")
_ANNOTATION = re.compile(
    r"^(?P<label>.*?)\s*[（(]\s*(?P<points>\d+(?:\.\d+)?(?:\s*[-~～—至]\s*\d+(?:\.\d+)?)?)\s*分?\s*[)）]"
    r"\s*分?$"
)


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


@lru_cache(maxsize=16384)
def _role(header: str) -> str | None:
    k = key(header)
    for role, words in COLUMN_ROLES:
        if any(w in k for w in words):
            return role
    return None


def _header_columns(view: GridView, r: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    for cell in view.row(r):
        if cell.row != r:
            continue
        role = _role(cell.text)
        if role and role not in columns:
            columns[role] = cell.col
    return columns


def _is_header(columns: dict[str, int]) -> bool:
    levels = {"level1", "level2", "level3"} & columns.keys()
    return len(levels) >= 2 and "level3" in columns


def _target_span(view: GridView, r: int, columns: dict[str, int]) -> tuple[int, ...]:
    """Every column under a target header that spans several (operator | number | unit
    printed in cells of their own, no row naming them); () for a one-column header."""
    if "target" not in columns:
        return ()
    head = view.at(r, columns["target"])
    if head is None or head.col_span < 2:
        return ()
    return tuple(range(head.col, head.col + head.col_span))


def _target_parts(view: GridView, r: int, columns: dict[str, int]) -> tuple[int, ...]:
    """Columns under a spanning target header when the row below names its parts."""
    if "target" not in columns or r + 1 >= view.n_rows:
        return ()
    head = view.at(r, columns["target"])
    if head is None or head.col_span < 2:
        return ()
    parts = [
        c for c in view.row(r + 1)
        if c.row == r + 1 and head.col <= c.col < head.col + head.col_span
    ]
    if len(parts) >= 2 and all(any(w in fold(c.text) for w in _SUB_TARGET) for c in parts):
        return tuple(c.col for c in parts)
    return ()


def _horizon(view: GridView, r: int, columns: dict[str, int]) -> Horizon | None:
    """The label left of the grid (``长期绩效指标`` / ``年度绩效指标``), if any."""
    first = min(columns.values())
    for cell in view.row(r):
        if cell.col >= first:
            break
        horizon = _horizon_word(key(cell.text))
        if horizon:
            return horizon
    return None


def is_header_row(view: GridView, r: int) -> bool:
    """Whether row ``r`` may head a grid (its words, or the level labels under it)."""
    return _is_header(_header_columns(view, r)) or looks_like_header(view, r)


def find_grids(view: GridView) -> list[IndicatorGrid]:
    """Every indicator grid: a header row (its words name the levels, or the rows under it
    hold level labels: ``content_roles``) down to the next one, a note row, a row that opens
    another block (``opens_block``) or the end."""
    headers: list[tuple[int, dict[str, int]]] = []
    for r in range(view.n_rows):
        columns = _header_columns(view, r)
        if _is_header(columns) or looks_like_header(view, r):
            headers.append((r, columns))
    grids: list[IndicatorGrid] = []
    for i, (r, named_columns) in enumerate(headers):
        end = headers[i + 1][0] if i + 1 < len(headers) else view.n_rows
        columns = by_content(view, r, end, named_columns) or named_columns
        if not _is_header(columns):
            continue
        named = _target_parts(view, r, columns)
        first = r + (2 if named else 1)
        parts = named or _target_span(view, r, columns)
        if i + 1 < len(headers):  # between two grids, a block may come before the next
            end = next((n for n in range(first, end) if opens_block(view, n)), end)
        notes = [(n, t) for n in range(first, end) if (t := note(view, n))]
        grids.append(IndicatorGrid(
            header_row=r, columns=columns, end_row=notes[0][0] if notes else end,
            first_row=first, target_parts=parts, horizon=_horizon(view, r, columns),
            notes=tuple(t for _, t in notes),
            declared_weight=_declared_weight(view, r, columns),
        ))
    if len(grids) > 1:  # several grids: each one's horizon may be told by the rows above it
        tops = [0] + [g.end_row for g in grids[:-1]]
        grids = [g if g.horizon else replace(g, horizon=_horizon_above(view, top, g.header_row))
                 for g, top in zip(grids, tops, strict=True)]
    return grids


def _declared_weight(view: GridView, r: int, columns: dict[str, int]) -> str | None:
    """The points printed in the weight column's header (``分值权重（90）`` → ``90``)."""
    if "weight" not in columns:
        return None
    _, points = split_annotation(re.sub(r"\s+", "", text(view.at(r, columns["weight"]))))
    return points


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


def _horizon_above(view: GridView, top: int, header: int) -> Horizon | None:
    """The horizon named by the nearest row above ``header`` (down to ``top``) whose first
    text says it (``长期绩效目标``, ``年度目标`` | …)."""
    for r in range(header - 1, top - 1, -1):
        first = next((c for c in view.row(r) if text(c)), None)
        if first is None:
            continue
        horizon = _horizon_word(key(text(first)))
        if horizon:
            return horizon
    return None


def _horizon_word(k: str) -> Horizon | None:
    if any(w in k for w in ("长期", "中期", "实施期")):
        return "long_term"
    return "annual" if "年度" in k else None


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


def split_annotation(label: str) -> tuple[str, str | None]:
    """``产出指标(50分)`` → (``产出指标``, ``50``); ``成本指标(0-20)分`` → (…, ``0-20``)."""
    match = _ANNOTATION.match(label.strip())
    if not match or not match.group("label"):
        return label, None
    return match.group("label").strip(), re.sub(r"\s+", "", match.group("points"))


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
            target_raw = "".join(text(cell) for cell in _distinct(view, r, grid.target_parts))
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
                deviation=_value(view, r, cols, "deviation"),
                empty=empty,
                not_applicable=not empty and is_not_applicable(level3, target_raw),
                cell=view.ref(target_cell) if target_cell is not None else None,
            )
        )
    return out, Carry(carried["level1"], carried["level2"], weights["level1"], weights["level2"])


def read_all_indicators(view: GridView) -> list[Indicator]:
    return [i for grid in find_grids(view) for i in read_indicators(view, grid)]
