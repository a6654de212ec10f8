"""Blocks of a form laid out as a small matrix under one merged label: a header row of
column names, then rows of values, e.g. a self-evaluation's money block

    项目资金（万元） |              | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
                    | 年度资金总额 | 100        | 100        | 95         | 10   | 95%    | 9.5

or its goals (``年度总体目标`` over ``预期目标`` | ``实际完成情况``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.mapping.gridview import GridView, text
from jixiao.schemas import Cell, CellRef
from jixiao.vocabulary import is_strong_label, key, looks_like_label

MATRIX_HEADERS = frozenset((
    "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "预期目标", "实际完成情况",
    "预算数", "执行数", "年度目标任务", "支出项目", "预算金额", "部门职能", "主要任务",
    "任务名称", "主要内容",
))
DUTY_HEADERS = frozenset(("部门职能", "年度目标任务", "主要任务", "支出项目", "预算金额",
                          "任务名称", "主要内容"))


@dataclass
class Matrix:
    label: str  # the merged label on the left
    columns: list[str]
    rows: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (row label, values)
    rows_used: set[int] = field(default_factory=set)
    refs: list[dict[str, CellRef]] = field(default_factory=list)  # rows' value cells, by column
    # cells of its rows under no column it reads (the 财政拨款 | 其他资金 parts of a 预算金额
    # it reads as its 总额): for the coverage to list, never dropped unseen
    unread: list[Cell] = field(default_factory=list)


EXECUTION_HEADERS = frozenset(("年初预算数", "全年预算数", "全年执行数"))
GOAL_HEADERS = frozenset(("预期目标", "实际完成情况"))


def _under(view: GridView, rr: int, named: list[Cell]) -> list[Cell | None] | None:
    """The cells of row ``rr`` under the named columns, one each; None when one text spans
    several of them (the next block)."""
    under = [view.at(rr, head.col) for head in named]
    return under if len({id(c) for c in under}) == len(under) else None


def _row_goes_on(view: GridView, rr: int, label_col: int, named: list[Cell]) -> bool:
    """Whether row ``rr`` is one more row of a matrix whose row labels are in ``label_col``
    (under an unmerged block label): a label of its own, a cell of its own under each named
    column (a text spanning them starts another block)."""
    label = view.at(rr, label_col)
    if label is None or label.row != rr or not text(label):
        return False
    under = _under(view, rr, named)
    return under is not None and all(c is not None and c.row == rr for c in under)


# What the row under a matrix header may name below a header spanning several columns: the
# total first, then its parts (预算金额（万元） over 总额 | 财政拨款 | 其他资金).
_TOTALS = frozenset(("总额", "合计", "小计", "金额", "总计"))


def _sub_header(view: GridView, r: int, named: list[Cell]) -> dict[int, int] | None:
    """Row ``r`` under the header row, when it only names the parts of named headers that
    span several columns (总额 | 财政拨款 | 其他资金 under 预算金额): each such header's
    column → the column of its total (the sub-column naming one, else its first); None when
    the row is a row of values."""
    cells = [c for c in view.row(r) if c.row == r and text(c)]
    spanning = [h for h in named if h.col_span > 1]
    if not cells or not spanning:
        return None
    out: dict[int, int] = {}
    for head in spanning:
        under = [c for c in cells if head.col <= c.col < head.col + head.col_span]
        if under:
            total = next((c for c in under if key(text(c)) in _TOTALS), under[0])
            out[head.col] = total.col
    inside = sum(1 for c in cells if any(h.col <= c.col < h.col + h.col_span for h in spanning))
    if inside != len(cells) or not all(looks_like_label(text(c)) or key(text(c)) in _TOTALS
                                       for c in cells):
        return None
    return out


def find_matrix(view: GridView, group: Cell) -> Matrix | None:
    """A matrix headed in ``group``'s first row: over the rows ``group`` is merged over, or,
    for a money block whose label is not merged (``项目资金（万元）`` | 年初预算数 | …, its
    rows labelled in the same column below), down to the first row that is not one of it."""
    if group.row_span < 2:  # checked first: most cells are not a merged group label
        nxt = view.at(group.row, group.col + group.col_span)
        if nxt is None or key(nxt.text) not in EXECUTION_HEADERS:
            return None
    r = group.row
    header = [c for c in view.row(r) if c.col > group.col and c.row == r]
    named = [c for c in header if key(c.text) in MATRIX_HEADERS]
    if len(named) < 2:
        return None
    sub = _sub_header(view, r + 1, named) if r + 1 < view.n_rows else None
    start = r + 2 if sub else r + 1
    value_col = {h.col: (sub or {}).get(h.col, h.col) for h in named}
    if group.row_span >= 2:
        body = range(start, r + group.row_span)
    else:
        end = r + 1
        while end < view.n_rows and _row_goes_on(view, end, group.col, named):
            end += 1
        body = range(r + 1, end)
        if not body:
            return None
    first_col = named[0].col
    matrix = Matrix(label=text(group), columns=[text(c) for c in named])
    matrix.rows_used = {r, *range(r + 1, start), *body}
    for rr in body:
        cells = [c for c in view.row(rr) if c.col >= group.col and c is not group]
        row_label = " ".join(text(c) for c in cells if c.col < first_col and text(c))
        values, refs = {}, {}
        taken: list[Cell] = []
        for head in named:
            cell = view.at(rr, value_col[head.col])
            mine = cell is not None and cell.row == rr and all(cell is not t for t in taken)
            values[text(head)] = text(cell) if mine and cell is not None else ""
            if mine and cell is not None:
                refs[text(head)] = view.ref(cell)
                taken.append(cell)
        matrix.unread += [c for c in cells if c.row == rr and c.col >= first_col and text(c)
                          and all(c is not t for t in taken)]
        matrix.rows.append((row_label, values))
        matrix.refs.append(refs)
    return matrix


def find_header_matrix(view: GridView, r: int, stop_row: int) -> Matrix | None:
    """A row of column names with no label on its left, its values in the rows below: a
    department's duties grid (部门职能 | 年度目标任务 | 支出项目 | 预算金额, three or more) or
    goals against results (预期目标 | 实际完成情况), down to the next row that is not filled
    under those columns, or whose text spans several of them."""
    cells = [c for c in view.row(r) if c.row == r]
    if len(cells) >= 2 and all(key(c.text) in GOAL_HEADERS for c in cells):
        named = cells
    elif len(cells) >= 3 and all(key(c.text) in DUTY_HEADERS for c in cells[1:]):
        named = cells if key(cells[0].text) in DUTY_HEADERS else cells[1:]
    else:
        return None
    matrix = Matrix(label=text(cells[0]), columns=[text(c) for c in named])
    matrix.rows_used = {r}
    for rr in range(r + 1, stop_row):
        first = view.at(rr, cells[0].col)
        if first is not None and first.row == rr and is_strong_label(first.text):
            break  # the form goes on (年度总体目标 …)
        under = _under(view, rr, named)
        if under is None:
            break  # a text across the columns: the next block
        values, refs = {}, {}
        for head, cell in zip(named, under, strict=True):
            values[text(head)] = text(cell) if cell is not None else ""
            if cell is not None:
                refs[text(head)] = view.ref(cell)
        if not any(values.values()):
            break
        matrix.rows.append(("", values))
        matrix.refs.append(refs)
        matrix.rows_used.add(rr)
    return matrix
