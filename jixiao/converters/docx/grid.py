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

from jixiao.converters.docx.ooxml import (
    CUSTOM_XML,
    SDT,
    TC,
    TC_PR,
    TR,
    P,
    W,
    flag,
    int_val,
    unwrap,
    wattr,
)
from jixiao.schemas import Cell, Provenance


@dataclass(slots=True)
class CellContent:
    text: str
    paragraphs: list[int] = field(default_factory=list)  # global paragraph indices
    nested_tables: list[str] = field(default_factory=list)


@dataclass
class Grid:
    n_rows: int
    n_cols: int
    cells: list[Cell]  # model cells, provenance filled in (table index, paragraph range)
    header_rows: list[int]


# read_cell(tc, row, col, paragraphs): ``paragraphs`` lists the cell's w:p children when
# they (and a tcPr) are all it holds, else None and the reader walks the cell itself.
ReadCell = Callable[[etree._Element, int, int, "list[etree._Element] | None"], CellContent]


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


def _new_cell(
    row: int, col: int, span: int, content: CellContent, header: bool, table_index: int
) -> Cell:
    paras = content.paragraphs
    return Cell(
        row, col, 1, span, content.text, header, content.nested_tables,
        provenance=Provenance(table_index, [min(paras), max(paras)] if paras else None),
    )


@dataclass(slots=True)
class _Draft:
    """A cell a merge may still grow (vMerge / hMerge): its contents gathered while the
    rows are read, made into a ``Cell`` once, when the grid is done."""

    row: int
    col: int
    col_span: int
    header: bool
    contents: list[CellContent]
    row_span: int = 1

    def cell(self, table_index: int) -> Cell:
        """Content of merged-away cells joins the origin's: nothing is dropped."""
        text = ""
        paragraphs: list[int] = []
        nested: list[str] = []
        for content in self.contents:
            if content.text.strip() or content is self.contents[0]:
                text = f"{text}\n{content.text}" if text else content.text
            paragraphs.extend(content.paragraphs)
            nested.extend(content.nested_tables)
        span = [min(paragraphs), max(paragraphs)] if paragraphs else None
        return Cell(self.row, self.col, self.row_span, self.col_span, text, self.header, nested,
                    provenance=Provenance(table_index, span))


_GRID_SPAN, _V_MERGE, _H_MERGE = W + "gridSpan", W + "vMerge", W + "hMerge"


def _scan_cell(
    tc: etree._Element,
) -> tuple[int, str | None, str | None, list[etree._Element] | None]:
    """gridSpan, vMerge state, hMerge state and (for a plain cell) its paragraphs.

    One pass over the cell's children. A merge state is ``restart`` or ``continue`` (a merge
    element without ``w:val`` continues); ``None`` when the cell is not in that kind of merge.
    """
    span, v_state, h_state = 1, None, None
    paragraphs: list[etree._Element] | None = []
    for child in tc:
        tag = child.tag
        if tag == P:
            if paragraphs is not None:
                paragraphs.append(child)
        elif tag == TC_PR:
            # Direct children only (a w:tcPrChange holds the old, superseded values);
            # filtering by tag in C leaves width, borders and shading unvisited.
            for el in child.iterchildren(_GRID_SPAN, _V_MERGE, _H_MERGE):
                tag = el.tag
                if tag == _GRID_SPAN:
                    span = max(1, int_val(el, 1))
                elif tag == _V_MERGE:
                    v_state = wattr(el, "val") or "continue"
                else:
                    h_state = wattr(el, "val") or "continue"
        else:
            paragraphs = None  # tables, content controls, …: the careful path
    return span, v_state, h_state, paragraphs


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    if tr.find(SDT) is None and tr.find(CUSTOM_XML) is None:
        return tr.findall(TC)
    return list(unwrap(tr, TC))


# One cell as the assembler sees it: gridSpan, vMerge state, hMerge state, and its content,
# or a reader called with the slot (row, col) the content belongs to once merges are
# resolved (so a nested table's parent is the merged cell, not a merged-away slot).
CellSpec = tuple[
    int, str | None, str | None, CellContent | Callable[[int, int], CellContent]
]


@dataclass(slots=True)
class RowSpec:
    header: bool  # w:tblHeader set on the row
    before: int  # gridBefore
    after: int  # gridAfter
    cells: list[CellSpec]


def assemble(rows: list[RowSpec], grid_cols: int, table_index: int = 0) -> Grid:
    """Resolve gridSpan / vMerge / hMerge / gridBefore / gridAfter into a span-exact grid."""
    cells: list[Cell | _Draft] = []
    header_rows: list[int] = []
    open_v: dict[int, _Draft] = {}  # column start -> cell whose vertical merge may continue
    n_cols = grid_cols
    for r, row in enumerate(rows):
        # A header row only repeats when it is joined to the first row by header rows; a
        # tblHeader further down is ignored (ECMA-376, tblHeader).
        is_header = row.header and len(header_rows) == r
        if is_header:
            header_rows.append(r)
        col = row.before
        next_open: dict[int, _Draft] = {}
        h_origin: _Draft | None = None
        for span, v_state, h_state, read in row.cells:
            if v_state is None and h_state is None:  # the common case, kept short
                content = _content(read, r, col)
                cells.append(_new_cell(r, col, span, content, is_header, table_index))
                h_origin = None
                col += span
                continue
            v_origin = open_v.get(col)
            if h_state == "continue" and h_origin is not None:
                h_origin.contents.append(_content(read, h_origin.row, h_origin.col))
                h_origin.col_span += span
            elif v_state == "continue" and v_origin is not None and v_origin.col_span == span:
                v_origin.contents.append(_content(read, v_origin.row, v_origin.col))
                v_origin.row_span += 1
                next_open[col] = v_origin
                h_origin = None
            else:
                draft = _Draft(r, col, span, is_header, [_content(read, r, col)])
                cells.append(draft)
                if v_state is not None:
                    next_open[col] = draft
                h_origin = draft if h_state == "restart" else None
            col += span
        open_v = next_open
        # The widest row counts its trailing skipped slots (gridAfter) too.
        n_cols = max(n_cols, col + row.after)
    made = [c.cell(table_index) if isinstance(c, _Draft) else c for c in cells]
    return Grid(n_rows=len(rows), n_cols=n_cols, cells=made, header_rows=header_rows)


def _content(
    read: CellContent | Callable[[int, int], CellContent], row: int, col: int
) -> CellContent:
    return read if isinstance(read, CellContent) else read(row, col)


def _reader(
    read_cell: ReadCell, tc: etree._Element, paragraphs: list[etree._Element] | None
) -> Callable[[int, int], CellContent]:
    return lambda row, col: read_cell(tc, row, col, paragraphs)


def build_grid(tbl: etree._Element, read_cell: ReadCell, table_index: int = 0) -> Grid:
    """The grid of one ``w:tbl``, reading cell content through ``read_cell``."""
    specs: list[RowSpec] = []
    for tr in table_rows(tbl):
        trpr = tr.find(W + "trPr")
        cells: list[CellSpec] = []
        for tc in _row_cells(tr):
            span, v_state, h_state, paras = _scan_cell(tc)
            cells.append((span, v_state, h_state, _reader(read_cell, tc, paras)))
        if trpr is None:
            specs.append(RowSpec(False, 0, 0, cells))
        else:
            specs.append(RowSpec(
                flag(trpr.find(W + "tblHeader")),
                max(0, int_val(trpr.find(W + "gridBefore"), 0)),
                max(0, int_val(trpr.find(W + "gridAfter"), 0)),
                cells,
            ))
    return assemble(specs, grid_width(tbl), table_index)
