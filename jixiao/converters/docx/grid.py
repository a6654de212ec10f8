"""Turn one ``w:tbl`` into a span-exact sparse grid.

Handles ``gridSpan``, ``vMerge`` restart/continue, legacy ``hMerge``, ``gridBefore`` /
``gridAfter`` (the skipped slots simply hold no cell), rows and cells wrapped in content
controls (``w:sdt``) or ``w:customXml``, deleted rows, and ``tblHeader`` rows.
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


def build_grid(tbl: etree._Element, read_cell: ReadCell) -> Grid:
    cells: list[GridCell] = []
    header_rows: list[int] = []
    open_v: dict[int, GridCell] = {}  # column start -> cell whose vertical merge may continue
    n_cols = grid_width(tbl)
    rows = table_rows(tbl)
    for r, tr in enumerate(rows):
        trpr = tr.find(W + "trPr")
        is_header = trpr is not None and flag(trpr.find(W + "tblHeader"))
        if is_header:
            header_rows.append(r)
        col = int_val(trpr.find(W + "gridBefore"), 0) if trpr is not None else 0
        next_open: dict[int, GridCell] = {}
        h_origin: GridCell | None = None
        for tc in unwrap(tr, TC):
            tcpr = tc.find(W + "tcPr")
            span = max(1, int_val(tcpr.find(W + "gridSpan"), 1)) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            content = read_cell(tc, r, col)
            h_state = None if hmerge is None else (wattr(hmerge, "val") or "continue")
            if h_state == "continue" and h_origin is not None:
                h_origin.col_span += span
                _merge_content(h_origin.content, content)
                col += span
                continue
            v_state = None if vmerge is None else (wattr(vmerge, "val") or "continue")
            origin = open_v.get(col)
            if v_state == "continue" and origin is not None and origin.col_span == span:
                origin.row_span += 1
                _merge_content(origin.content, content)
                next_open[col] = origin
                h_origin = None
            else:
                cell = GridCell(r, col, 1, span, content, header=is_header)
                cells.append(cell)
                if v_state is not None:
                    next_open[col] = cell
                h_origin = cell if h_state == "restart" else None
            col += span
        open_v = next_open
        n_cols = max(n_cols, col)
    return Grid(n_rows=len(rows), n_cols=n_cols, cells=cells, header_rows=header_rows)
