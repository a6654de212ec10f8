"""What the header of an indicator grid says: each column's role (from its words), where a
target printed in parts lies (operator | number | unit), which horizon a grid or a target
column is for, and the points its weight column declares. ``indicators`` finds the grids
and reads their rows from this."""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.mapping.content_roles import looks_like_header, split_annotation
from jixiao.mapping.gridview import GridView, text
from jixiao.schemas import Cell
from jixiao.schemas.model import Horizon
from jixiao.script import fold
from jixiao.vocabulary import COLUMN_ROLES, key

_SUB_TARGET = ("性质", "指标值", "单位", "符号", "运算")


@lru_cache(maxsize=16384)
def _role(header: str) -> str | None:
    k = key(header)
    for role, words in COLUMN_ROLES:
        if any(w in k for w in words):
            return role
    return None


def _merged_down_to(cell: Cell, r: int) -> bool:
    """Whether ``cell`` starts on a row above ``r`` and ends on it (a header merged down)."""
    return cell.row < r and cell.row + cell.row_span - 1 == r


def _spanning_target(view: GridView, r: int, columns: dict[str, int]) -> Cell | None:
    """The target's header cell on row ``r`` when it spans several columns."""
    head = view.at(r, columns["target"]) if "target" in columns else None
    return head if head is not None and head.col_span > 1 else None


def _under(view: GridView, head: Cell, r: int) -> list[Cell]:
    """The cells starting on row ``r`` within ``head``'s columns."""
    return [c for c in view.row(r) if c.row == r and head.col <= c.col < head.col + head.col_span]


def header_columns(view: GridView, r: int) -> dict[str, int]:
    """Row ``r``'s columns by role: the first cell naming each among the cells starting on
    the row; when these name the levels, also the cells merged down from the row above that
    end on it (指标值 and 分值 beside 一级指标 | 二级指标 | 三级指标 under a 绩效指标 that
    spans them)."""
    columns: dict[str, int] = {}
    for cell in view.row(r):
        if cell.row != r:
            continue
        role = _role(cell.text)
        if role and role not in columns:
            columns[role] = cell.col
    if names_levels(columns):
        for cell in view.row(r):
            if _merged_down_to(cell, r):
                role = _role(cell.text)
                if role and role not in columns:
                    columns[role] = cell.col
    return columns


def names_levels(columns: dict[str, int]) -> bool:
    """Whether a row's roles make it a grid's header: the names (三级指标, 指标名称) and
    another level, or the names and their targets (指标名称 | 指标值: a grid without levels,
    whose indicators have none)."""
    if "level3" not in columns:
        return False
    levels = {"level1", "level2"} & columns.keys()
    return bool(levels) or ("target" in columns and columns["target"] > columns["level3"])


def target_span(view: GridView, r: int, columns: dict[str, int]) -> tuple[int, ...]:
    """Every column under a target header that spans several (operator | number | unit
    printed in cells of their own, no row naming them); () for a one-column header."""
    head = _spanning_target(view, r, columns)
    return tuple(range(head.col, head.col + head.col_span)) if head is not None else ()


def target_parts(view: GridView, r: int, columns: dict[str, int]) -> tuple[int, ...]:
    """Columns under a spanning target header when the row below names its parts."""
    head = _spanning_target(view, r, columns)
    if head is None or r + 1 >= view.n_rows:
        return ()
    parts = _under(view, head, r + 1)
    if len(parts) >= 2 and all(any(w in fold(c.text) for w in _SUB_TARGET) for c in parts):
        return tuple(c.col for c in parts)
    return ()


def flat_parts(view: GridView, r: int, columns: dict[str, int]) -> tuple[int, ...]:
    """The target's columns when its operator and unit have flat headers of their own right
    beside its header (指标性质 | 指标值 | 度量单位); () when neither is there."""
    if "target" not in columns:
        return ()
    head = view.at(r, columns["target"])
    if head is None or head.col_span != 1:
        return ()
    parts = [head.col]
    for role, col in (("operator", head.col - 1), ("unit", head.col + 1)):
        cell = view.at(r, col) if 0 <= col < view.n_cols else None
        if cell is not None and cell.col_span == 1 and columns.get(role) == col:
            parts.append(col)
    return tuple(sorted(parts)) if len(parts) > 1 else ()


def horizon_left(view: GridView, r: int, columns: dict[str, int]) -> Horizon | None:
    """The label left of the grid (``长期绩效指标`` / ``年度绩效指标``), if any."""
    first = min(columns.values())
    for cell in view.row(r):
        if cell.col >= first:
            break
        horizon = horizon_word(key(cell.text))
        if horizon:
            return horizon
    return None


def header_top(view: GridView, r: int, columns: dict[str, int]) -> int:
    """The first row of the header named on row ``r``: above it when a column's header is
    merged down from a row above (绩效指标 over the levels, 指标值 beside them)."""
    return min([r] + [c.row for c in view.row(r) if _merged_down_to(c, r)
                      and c.col in columns.values()])


def is_header_row(view: GridView, r: int) -> bool:
    """Whether row ``r`` may head a grid (its words, or the level labels under it)."""
    return names_levels(header_columns(view, r)) or looks_like_header(view, r)


_YEAR = re.compile(r"^\d{4}年?度?$")
_YEARS = re.compile(r"^\d{4}年?[-—–~～至]\d{4}年?度?$")


def _sub_horizon(label: str) -> Horizon | None:
    """The horizon a target column's own heading names: 中期 / 长期 / 实施期, 年度 / 当年, a
    span of years (2024-2026年) or one year (2024年)."""
    k = key(label)
    if _YEARS.match(k):
        return "long_term"
    if _YEAR.match(k) or "当年" in k:
        return "annual"
    return horizon_word(k)


def horizon_targets(
    view: GridView, r: int, columns: dict[str, int]
) -> tuple[dict[Horizon, int], int]:
    """Target columns by horizon, when the header prints one per horizon, and the header's
    height in rows: flat headers of their own (中期指标值 | 年度指标值: 1), or the cells under
    one spanning 指标值 header (中期 | 年度, 2024-2026年 | 2024年: 2); ({}, 1) otherwise."""
    head = _spanning_target(view, r, columns)
    if head is not None and head.row == r and r + 1 < view.n_rows:
        under = _under(view, head, r + 1)
        named = {h: c.col for c in under if (h := _sub_horizon(text(c))) is not None}
        if len(under) == 2 and len(named) == 2:
            return named, 2
    by: dict[Horizon, int] = {}
    for cell in view.row(r):  # its own cells, and those merged down to it (header_columns)
        if (cell.row == r or _merged_down_to(cell, r)) and _role(cell.text) == "target":
            horizon = horizon_word(key(cell.text))
            if horizon is not None:
                by.setdefault(horizon, cell.col)
    return (by, 1) if len(by) == 2 else ({}, 1)


def declared_weight(view: GridView, r: int, columns: dict[str, int]) -> str | None:
    """The points printed in the weight column's header (``分值权重（90）`` → ``90``)."""
    if "weight" not in columns:
        return None
    _, points = split_annotation(re.sub(r"\s+", "", text(view.at(r, columns["weight"]))))
    return points


def horizon_above(view: GridView, top: int, header: int) -> Horizon | None:
    """The horizon named by the nearest row above ``header`` (down to ``top``) whose first
    text says it (``长期绩效目标``, ``年度目标`` | …)."""
    for r in range(header - 1, top - 1, -1):
        first = next((c for c in view.row(r) if text(c)), None)
        if first is None:
            continue
        horizon = horizon_word(key(text(first)))
        if horizon:
            return horizon
    return None


def horizon_word(k: str) -> Horizon | None:
    """The horizon a label's key names: 长期 / 中期 / 实施期, else 年度; None for neither."""
    if any(w in k for w in ("长期", "中期", "实施期")):
        return "long_term"
    return "annual" if "年度" in k else None
