"""One page → its tables (cells with text and boxes) and the text lines outside them.

A line of text sitting right on top of a table (no more than half a line above its top
border) and within its width is the table's borderless first row, as Word writes
``填报单位：…  单位：万元`` or ``216002中国共产党… | 单位：万元``: it becomes row 0, split into
cells where the text has gaps that are not spaces, each cell starting at the column its
text starts in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from jixiao.converters.pdf.gridfind import GridRegion, Span
from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings
from jixiao.converters.pdf.textlines import (
    Char,
    Line,
    chars_to_lines,
    full_width_punctuation,
    join_lines,
)

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class PageCell:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    bbox: BBox
    page: int
    confidence: float | None = None  # lowest OCR confidence of the cell's characters
    read_as: str | None = None  # what OCR read, when ``ocr.correct`` changed the text


@dataclass
class PageTable:
    page: int
    xs: list[float]
    ys: list[float]  # row boundaries on the first page (a stitched table has more rows)
    cells: list[PageCell] = field(default_factory=list)
    n_rows: int = 0
    pages: list[int] = field(default_factory=list)
    borderless_row: bool = False

    def __post_init__(self) -> None:
        self.n_rows = self.n_rows or len(self.ys) - 1
        self.pages = self.pages or [self.page]

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> BBox:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass
class PageLayout:
    page: int
    height: float
    tables: list[PageTable]
    lines: list[Line]  # text outside tables, top to bottom
    ocr: bool = False  # read from an image by OCR


def _cell_text(chars: list[Char], bbox: BBox) -> str:
    return join_lines(chars_to_lines(chars), bbox[0], bbox[2])


def region_to_table(
    region: GridRegion, chars: list[Char], page: int, ocr: bool = False
) -> PageTable:
    """Fill a region's cells with the characters whose centres fall inside them."""
    slot_cell: dict[tuple[int, int], int] = {}
    for i, (r, c, rs, cs) in enumerate(region.cells):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                slot_cell[(rr, cc)] = i
    bins: list[list[Char]] = [[] for _ in region.cells]
    for ch in chars:
        slot = region.slot_at(ch.cx, ch.cy)
        if slot is not None and slot in slot_cell:
            bins[slot_cell[slot]].append(ch)
    table = PageTable(page=page, xs=region.xs, ys=region.ys)
    for (r, c, rs, cs), members in zip(region.cells, bins, strict=True):
        bbox = (region.xs[c], region.ys[r], region.xs[c + cs], region.ys[r + rs])
        confidence = min((ch.confidence for ch in members), default=None) if ocr else None
        text = _cell_text(members, bbox)
        if ocr:
            text = full_width_punctuation(text)
        table.cells.append(PageCell(r, c, rs, cs, text, bbox, page, confidence))
    return table


def _segments(line: Line) -> list[list[Char]]:
    """Split a line where the gap between glyphs is wide and holds no space character."""
    parts: list[list[Char]] = [[]]
    for ch in line.chars:
        prev = parts[-1][-1] if parts[-1] else None
        if prev is not None and ch.x0 - prev.x1 > 1.5 * ch.size:
            parts.append([])  # spaces fill a gap they make: only an empty gap splits
        parts[-1].append(ch)
    return [p for p in parts if any(c.text.strip() for c in p)]


def _starts_cell(table: PageTable, part: list[Char], pad: float, tol: float) -> int | None:
    """The column a text part starts, if it sits where a cell's text would begin (within
    ``tol``: ``PdfSettings.column_start``)."""
    x = part[0].x0 - pad
    col = min(range(table.n_cols), key=lambda c: abs(table.xs[c] - x))
    return col if abs(table.xs[col] - x) <= tol else None


def attach_borderless_row(
    table: PageTable, line: Line, settings: PdfSettings = DEFAULTS
) -> None:
    """Prepend ``line`` to ``table`` as row 0 (see the module docstring).

    The line splits into cells only at a wide gap holding no space characters and only where
    the text after the gap starts at a column (plus the padding the first part shows); any
    other gap is space inside one cell (scans have no space characters to tell).
    """
    tol = settings.column_start
    for cell in table.cells:
        cell.row += 1
    top = line.top
    table.ys = [top, *table.ys]
    table.n_rows += 1
    table.borderless_row = True
    parts = _segments(line)
    first = parts[0]
    pad = max(0.0, first[0].x0 - table.xs[max(0, bisect_right(table.xs, first[0].x0) - 1)])
    starts: list[tuple[int, list[Char]]] = [(_starts_cell(table, first, pad, tol) or 0, first)]
    for part in parts[1:]:
        col = _starts_cell(table, part, pad, tol)
        if col is None or col <= starts[-1][0]:
            space = Char(" ", part[0].x0 - 1, part[0].x0, part[0].top, part[0].bottom,
                         part[0].size, False, part[0].confidence)
            starts[-1][1].extend([space, *part])
        else:
            starts.append((col, part))
    new: list[PageCell] = []
    for i, (col, chars) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else table.n_cols
        bbox = (table.xs[col], top, table.xs[end], table.ys[1])
        text = join_lines(chars_to_lines(chars), bbox[0], bbox[2])
        ocr = bool(table.cells) and table.cells[0].confidence is not None
        confidence = min(ch.confidence for ch in chars) if ocr else None
        new.append(PageCell(0, col, 1, end - col, text, bbox, table.page, confidence))
    table.cells = new + table.cells


def _area(bbox: BBox) -> float:
    return (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])


def _parts_ignoring_spaces(line: Line) -> int:
    """Pieces of the line separated by wide gaps, spaces counted as gap."""
    visible = [c for c in line.chars if c.text.strip()]
    return 1 + sum(1 for a, b in pairwise(visible) if b.x0 - a.x1 > 1.5 * b.size)


# A single run of text that still belongs to the table: the unit or filler note.
_NOTE = re.compile(r"^\s*(?:填报单位|单位|金额单位|计量单位)\s*[：:]")


def _belongs_above(line: Line, table: PageTable, overhang: float) -> bool:
    """Right on top of the table, within its width (give or take ``overhang``:
    ``PdfSettings.row_overhang``), and in parts (``填报单位：…   单位：万元``) or a unit note:
    a caption above a table is one run of text and stays a paragraph."""
    x0, top, x1, _ = table.bbox
    gap = top - line.bottom  # OCR boxes are taller than the glyphs: they may overlap a little
    return (
        -0.5 * line.size <= gap <= 0.5 * line.size
        and line.x0 >= x0 - overhang
        and line.x1 <= x1 + overhang
        and (_parts_ignoring_spaces(line) >= 2 or bool(_NOTE.match(line.text)))
    )


def page_layout(
    page: int, height: float, regions: list[GridRegion], chars: list[Char], ocr: bool = False,
    settings: PdfSettings = DEFAULTS,
) -> PageLayout:
    inside: list[list[Char]] = [[] for _ in regions]
    outside: list[Char] = []
    # Smallest first: a character inside a table inside a frame belongs to the table.
    by_area = sorted(range(len(regions)), key=lambda i: _area(regions[i].bbox))
    for ch in chars:
        for i in by_area:
            if regions[i].slot_at(ch.cx, ch.cy) is not None:
                inside[i].append(ch)
                break
        else:
            outside.append(ch)
    tables = [
        region_to_table(r, cs, page, ocr) for r, cs in zip(regions, inside, strict=True)
    ]
    lines = [ln for ln in chars_to_lines(outside) if ln.text.strip()]
    kept: list[Line] = []
    overhang = settings.row_overhang
    for line in lines:
        owner = next((t for t in tables if _belongs_above(line, t, overhang)), None)
        if owner is not None and not owner.borderless_row:
            attach_borderless_row(owner, line, settings)
        else:
            kept.append(line)
    return PageLayout(page=page, height=height, tables=tables, lines=kept, ocr=ocr)


def cell_spans(table: PageTable) -> list[Span]:
    return [(c.row, c.col, c.row_span, c.col_span) for c in table.cells]
