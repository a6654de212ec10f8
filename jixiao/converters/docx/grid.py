"""Turn one ``w:tbl`` into a span-exact sparse grid.

Handles ``gridSpan``, ``vMerge`` restart/continue, legacy ``hMerge``, ``gridBefore`` /
``gridAfter`` (the skipped slots simply hold no cell), rows and cells wrapped in content
controls (``w:sdt``) or ``w:customXml``, deleted rows, and ``tblHeader`` rows (only the
run of header rows at the top of the table counts, as in Word).
Cell content is read by a callback so nested tables and text stay the extractor's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from jixiao.converters.docx.ooxml import TC, TR, W, flag, int_val, unwrap, wattr


@dataclass
class CellContent:
    text: str
    paragraphs: list[int] = field(default_factory=list)  # global paragraph indices
    nested_tables: list[str] = field(default_factory=list)


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    content: CellContent
    header: bool = False


@dataclass
class Grid:
    n_rows: int
    n_cols: int
    cells: list[GridCell]
    header_rows: list[int]


ReadCell = Callable[[etree._Element, int, int], CellContent]


def table_rows(tbl: etree._Element) -> list[etree._Element]:
    """The rows of a table in order, skipping rows deleted with tracked changes."""
    rows = []
    for tr in unwrap(tbl, TR):
        trpr = tr.find(W + "trPr")
        if trpr is not None and trpr.find(W + "del") is not None:
            continue
        rows.append(tr)
    return rows


def grid_width(tbl: etree._Element) -> int:
    grid = tbl.find(W + "tblGrid")
    return 0 if grid is None else len(grid.findall(W + "gridCol"))


def _merge_content(into: CellContent, extra: CellContent) -> None:
    """Content of a merged-away cell joins its origin: nothing is dropped."""
    if extra.text.strip():
        into.text = f"{into.text}\n{extra.text}" if into.text else extra.text
    into.paragraphs.extend(extra.paragraphs)
    into.nested_tables.extend(extra.nested_tables)


_TC_PR, _GRID_SPAN, _V_MERGE, _H_MERGE = W + "tcPr", W + "gridSpan", W + "vMerge", W + "hMerge"


def _cell_props(tc: etree._Element) -> tuple[int, str | None, str | None]:
    """gridSpan, vMerge state and hMerge state of a ``w:tc`` (one pass over its tcPr).

    A merge state is ``restart`` or ``continue`` (a merge element without ``w:val``
    continues); ``None`` when the cell is not part of that kind of merge.
    """
    # tcPr comes first when present (ECMA-376 order); iter() with tags filters in C, so
    # the usual properties (width, borders) never become Python objects.
    first = tc[0] if len(tc) else None
    tcpr = first if first is not None and first.tag == _TC_PR else tc.find(_TC_PR)
    span, v_state, h_state = 1, None, None
    if tcpr is None:
        return span, v_state, h_state
    for el in tcpr.iter(_GRID_SPAN, _V_MERGE, _H_MERGE):
        tag = el.tag
        if tag == _GRID_SPAN:
            span = max(1, int_val(el, 1))
        elif tag == _V_MERGE:
            v_state = wattr(el, "val") or "continue"
        elif tag == _H_MERGE:
            h_state = wattr(el, "val") or "continue"
    return span, v_state, h_state


def build_grid(tbl: etree._Element, read_cell: ReadCell) -> Grid:
    cells: list[GridCell] = []
    header_rows: list[int] = []
    open_v: dict[int, GridCell] = {}  # column start -> cell whose vertical merge may continue
    n_cols = grid_width(tbl)
    rows = table_rows(tbl)
    for r, tr in enumerate(rows):
        trpr = tr.find(W + "trPr")
        # A header row only repeats when it is joined to the first row by header rows; a
        # tblHeader further down is ignored (ECMA-376, tblHeader).
        is_header = (
            trpr is not None and flag(trpr.find(W + "tblHeader")) and len(header_rows) == r
        )
        if is_header:
            header_rows.append(r)
        col = max(0, int_val(trpr.find(W + "gridBefore"), 0)) if trpr is not None else 0
        next_open: dict[int, GridCell] = {}
        h_origin: GridCell | None = None
        for tc in unwrap(tr, TC):
            span, v_state, h_state = _cell_props(tc)
            v_origin = open_v.get(col)
            # Merged-away content is read against the merged cell's top-left slot, so
            # anything inside it (a nested table's parent) points at a real cell.
            if h_state == "continue" and h_origin is not None:
                _merge_content(h_origin.content, read_cell(tc, h_origin.row, h_origin.col))
                h_origin.col_span += span
            elif v_state == "continue" and v_origin is not None and v_origin.col_span == span:
                _merge_content(v_origin.content, read_cell(tc, v_origin.row, v_origin.col))
                v_origin.row_span += 1
                next_open[col] = v_origin
                h_origin = None
            else:
                cell = GridCell(r, col, 1, span, read_cell(tc, r, col), header=is_header)
                cells.append(cell)
                if v_state is not None:
                    next_open[col] = cell
                h_origin = cell if h_state == "restart" else None
            col += span
        open_v = next_open
        # The widest row counts its trailing skipped slots (gridAfter) too.
        after = max(0, int_val(trpr.find(W + "gridAfter"), 0)) if trpr is not None else 0
        n_cols = max(n_cols, col + after)
    return Grid(n_rows=len(rows), n_cols=n_cols, cells=cells, header_rows=header_rows)
