"""Pair labels with values in the key/value part of a form table.

A label and its value may sit in neighbouring cells (``项目名称`` | ``…``), in one cell
(``资金总额：335.6``, several pairs in a line), under a vertically merged group label
(``预算规模及资金用途`` over 预算数 … and a row of its own, which is then 资金用途), or each
label over its value in a row of labels over a row of values (``项目名称`` | ``主管部门`` over
``…`` | ``…``).
Cells that fit none of these are returned as loose texts for the form builder to place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.mapping.gridview import GridView, text
from jixiao.mapping.matrix import Matrix, find_header_matrix, find_matrix
from jixiao.schemas import Amount, Cell, FormField, SpendingPoint
from jixiao.vocabulary import (
    SPENDING_PLAN_HINTS,
    clean_label,
    is_strong_label,
    key,
    looks_like_label,
)

# A score label with its points in brackets, alone in its cell: 执行率分值（10）.
_SCORE_CELL = re.compile(
    r"^(?P<label>[^\d（()）：:]{1,16}(?:分值|权重))\s*[（(]\s*(?P<value>\d+(?:\.\d+)?)\s*[)）]$"
)
# A numbered section heading: 一、项目基本情况, （二）项目年度目标完成情况, 3.绩效指标 (short,
# no digits or sentence punctuation after the number).
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])"
    r"\s*[^\d，。；,;：:]{2,24}$"
)
# A label inside running text: CJK-led, no digits or punctuation, ended by a colon.
_INLINE_LABEL = re.compile(r"([^\s：:，。；、,;（）()\d]{1,24})[：:]")


@dataclass
class KeyValues:
    fields: list[FormField] = field(default_factory=list)
    loose: list[Cell] = field(default_factory=list)  # texts that are neither label nor value
    unit_labels: list[str] = field(default_factory=list)  # label texts with unit notes
    spending_plan: list[SpendingPoint] = field(default_factory=list)
    spending_plan_label: str | None = None
    matrices: list[Matrix] = field(default_factory=list)
    headings: list[Cell] = field(default_factory=list)  # labels heading other labels


@lru_cache(maxsize=16384)
def inline_pairs(cell_text: str) -> tuple[tuple[str, str], ...]:
    """``'填报单位：X   单位：万元'`` → ``[('填报单位', 'X'), ('单位', '万元')]``.

    Returns () unless the text starts with a label (after an optional ``其中：``).
    """
    body = re.sub(r"^\s*其中[：:]\s*", "", cell_text)
    matches = list(_INLINE_LABEL.finditer(body))
    if not matches or body[: matches[0].start()].strip():
        return ()
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        pairs.append((clean_label(m.group(1)), body[m.end() : end].strip()))
    return tuple(pairs)


@lru_cache(maxsize=16384)
def _opens_with_label(cell_text: str) -> bool:
    """Whether a cell opens with a label and a colon (``资金总额：335.6``), so that it is
    not the value of the label before it. Prose that merely has a colon
    (``根据年初经费安排：…``, ``研制…装置：1.…``) is a value."""
    pairs = inline_pairs(cell_text)
    return bool(pairs) and looks_like_label(pairs[0][0])


def _opens_with_known_label(cell_text: str) -> bool:
    """Whether a cell after a label opens with a label the lexicon knows for sure and a
    colon (资金来源 | ``财政拨款：100``): pairs the label before heads. A cell whose first
    inline label is not one (测算依据 | ``食堂伙食支出：56.77万元；…``) is that label's value,
    as printed."""
    pairs = inline_pairs(cell_text)
    return bool(pairs) and is_strong_label(pairs[0][0])


@lru_cache(maxsize=16384)
def _is_spending_label(text: str) -> bool:
    k = key(text)
    return any(h in k for h in SPENDING_PLAN_HINTS)


def _spending_plan(view: GridView, label: Cell) -> tuple[list[SpendingPoint], set[int]]:
    """Milestones in the label's first row, amounts in the row below, column by column."""
    top = label.row
    points: list[SpendingPoint] = []
    for head in view.row(top):
        if head.col <= label.col or head.row != top:
            continue
        value = view.at(top + 1, head.col)
        if value is None or value is head or not (text(head) or text(value)):
            continue  # no value below, or a blank column padding the row
        points.append(
            SpendingPoint(by=text(head), amount=Amount(raw=text(value), cell=view.ref(value)))
        )
    return points, {top, top + 1}


# A spending plan's milestone: 3月底, 第二季度, 1-6月, 12月31日前, 上半年.
_MILESTONE = re.compile(r"月|季|年|日|底|前|旬")


def _is_timeline(points: list[SpendingPoint]) -> bool:
    """Whether the cells after a spending-plan label are milestones (most of them name a
    time), not a value in prose (资金使用计划 | 按工程进度拨付)."""
    return len(points) >= 2 and 2 * sum(bool(_MILESTONE.search(p.by)) for p in points) >= len(
        points)


def _group_tail(label: str) -> str:
    """``预算规模及资金用途`` used for a row of its own → ``资金用途``."""
    return label.split("及")[-1] if "及" in label else label


def _runs(rows: Iterable[int]) -> dict[int, int]:
    """Each row → the end (exclusive) of the run of consecutive rows it belongs to."""
    ordered = sorted(set(rows))
    ends: dict[int, int] = {}
    start = 0
    for i, r in enumerate(ordered):
        if i + 1 == len(ordered) or ordered[i + 1] != r + 1:
            for rr in ordered[start : i + 1]:
                ends[rr] = r + 1
            start = i + 1
    return ends


def _value_below(view: GridView, label: Cell, end: int) -> Cell | None:
    """A label alone on its row (``年度绩效目标：``) whose value is alone on the row below."""
    below = label.row + label.row_span
    if below >= end or view.alone(label.row) is not label:
        return None
    value = view.alone(below)
    if value is None or looks_like_label(text(value)) or _opens_with_label(text(value)):
        return None
    return value


_ITEM = re.compile(r"^\s*[（(]?(\d{1,2})[.．、)）]")


def _list_goes_on(view: GridView, first: Cell, end: int) -> list[Cell]:
    """The rows below a value printed as a numbered list (``1.…``), each item alone on its
    row (``2.…``, ``3.…``): the rest of that value, never headings."""
    match = _ITEM.match(text(first))
    if match is None:
        return []
    items: list[Cell] = []
    number, row = int(match.group(1)), first.row + first.row_span
    while row < end and (cell := view.alone(row)) is not None:
        nxt = _ITEM.match(text(cell))
        if nxt is None or int(nxt.group(1)) != number + 1:
            break
        items.append(cell)
        number, row = number + 1, row + cell.row_span
    return items


def _labels_over_values(
    view: GridView, r: int, stop_row: int
) -> tuple[list[FormField], Cell | None] | None:
    """Row ``r`` a row of labels (two at least naming a role for sure; the first cell may
    instead head them, ``资金情况（万元）``, with nothing under it) and the row below a row of
    values, each under its label and no wider (one value, never a text across several
    labels, nothing under no label): the pairs and the heading, or None."""
    if r + 1 >= stop_row:
        return None
    labels = [c for c in view.row(r) if c.row == r and text(c)]
    heading = labels[0] if labels and not looks_like_label(text(labels[0])) else None
    if heading is not None:
        labels = labels[1:]
    if len(labels) < 2 or not all(looks_like_label(text(c)) for c in labels):
        return None
    if sum(is_strong_label(text(c)) for c in labels) < 2:
        return None
    row = [c for c in view.row(r + 1) if c.row == r + 1]
    values = [c for c in row if text(c)]
    if not values or any(looks_like_label(text(v)) or _opens_with_label(text(v))
                         for v in values):
        return None
    if heading is not None and any(heading.col <= v.col < heading.col + heading.col_span
                                   for v in values):
        return None
    pairs: list[FormField] = []
    taken: set[int] = set()
    for label in labels:
        under = [v for v in row
                 if label.col <= v.col and v.col + v.col_span <= label.col + label.col_span]
        filled = [v for v in under if text(v)]
        if len(filled) > 1:
            return None
        if filled or len(under) == 1:  # one cell under it: its value, even an empty one
            value = (filled or under)[0]
            taken.update(id(v) for v in filled)
            pairs.append(FormField(label=clean_label(text(label)), value=text(value),
                                   cell=view.ref(value)))
    return (pairs, heading) if len(taken) == len(values) else None


def is_heading(view: GridView, cell: Cell, nxt: Cell | None) -> bool:
    """A section heading: a short numbered text (``一、项目基本情况``, ``（二）项目年度目标完成
    情况``) alone on its row or merged down the left of the rows it heads; a label with no
    value in a row of labels (``资金来源：`` alone, ``按收入性质分：`` | ``按支出性质分：``);
    or a text merged down the left of labels (``年度预算`` over 资金总额 …)."""
    t = text(cell)
    if _HEADING.match(t):
        return view.alone(cell.row) is cell or cell.row_span > 1
    if looks_like_label(t):
        return all(looks_like_label(text(c)) for c in view.row(cell.row) if text(c))
    return cell.row_span > 1 and nxt is not None and looks_like_label(text(nxt))


def read_key_values(view: GridView, rows: Iterable[int]) -> KeyValues:
    """Fields, matrices and loose cells of ``rows`` (the rows outside the indicator grids)."""
    out = KeyValues()
    ends = _runs(rows)
    skip_rows: set[int] = set()
    group_labels: set[int] = set()  # ids of labels already seen heading other labels
    for r, stop_row in sorted(ends.items()):
        if r in skip_rows:
            continue
        cells = view.row(r)
        spending = next((c for c in cells if c.row == r and _is_spending_label(c.text)), None)
        plan = _spending_plan(view, spending) if spending is not None else None
        if spending is not None and plan is not None and _is_timeline(plan[0]):
            out.spending_plan, used = plan
            out.spending_plan_label = clean_label(spending.text)
            skip_rows |= used
            continue
        matrix = next(
            (m for c in cells if c.row == r and (m := find_matrix(view, c))), None
        ) or find_header_matrix(view, r, stop_row)
        if matrix is not None:
            out.matrices.append(matrix)
            skip_rows |= matrix.rows_used
            continue
        over = _labels_over_values(view, r, stop_row)
        if over is not None:
            out.fields.extend(over[0])
            out.headings.extend([over[1]] if over[1] is not None else [])
            out.unit_labels.extend(t for c in cells if c.row == r and (t := text(c))
                                   and key(t) != clean_label(t))
            skip_rows.add(r + 1)
            continue
        i = 0
        while i < len(cells):
            cell = cells[i]
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            i += 1
            t = text(cell)
            if not t:
                continue
            is_label = looks_like_label(t) or _is_spending_label(t)  # a plan in prose
            if is_label:
                if key(t) != clean_label(t) and cell.row == r:
                    out.unit_labels.append(t)
                if nxt is None:
                    below = _value_below(view, cell, stop_row) if cell.row == r else None
                    if below is not None:
                        rest = _list_goes_on(view, below, stop_row)
                        value = "\n".join(text(c) for c in [below, *rest])
                        out.fields.append(FormField(label=clean_label(t), value=value,
                                                    cell=view.ref(below)))
                        skip_rows.update(c.row for c in [below, *rest])
                    elif cell.row == r and is_heading(view, cell, None):
                        out.headings.append(cell)
                    continue
                nt = text(nxt)
                nxt_is_label = _opens_with_known_label(nt) or (
                    looks_like_label(nt) and (not is_strong_label(t) or is_strong_label(nt)
                                              or nt.endswith(("：", ":")))
                )
                if nxt_is_label:
                    group_labels.add(id(cell))
                    out.headings.append(cell)
                    continue
                label = clean_label(t)
                if cell.row != r and id(cell) in group_labels:
                    label = _group_tail(label)
                elif cell.row != r:
                    continue  # a merged label already paired in its first row
                out.fields.append(FormField(label=label, value=nt, cell=view.ref(nxt)))
                i += 1
                continue
            if cell.row != r:
                continue
            pairs = inline_pairs(t)
            score = _SCORE_CELL.match(re.sub(r"\s+", "", t))
            if pairs and any(v for _, v in pairs):
                out.fields.extend(
                    FormField(label=lab, value=val, cell=view.ref(cell))
                    for lab, val in pairs
                    if lab != "其中"
                )
            elif score:
                out.fields.append(
                    FormField(label=score["label"], value=score["value"], cell=view.ref(cell)))
            elif is_heading(view, cell, nxt):
                out.headings.append(cell)
            else:
                out.loose.append(cell)
    return out
