"""Logical rows → one ``w:tbl`` with real merges.

A layout is a list of rows; each row lists its cells left to right with relative widths
(each row is scaled to the table width on its own). A cell marked ``cont`` continues the
cell above it (vertical merge): it must cover the same horizontal extent. The grid columns
are the union of every row's cell boundaries (as Word builds a drawn table), so each part
of a form keeps its own proportions; a cell then spans as many grid columns as it covers
(``w:gridSpan``), and vertical merges become ``w:vMerge`` restart / continue.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Kind = Literal["label", "head", "value", "center", "title"]
STEPS = 400  # boundaries are rounded to 1/400 of the table width: rows agree on them
CELL_FONT_HALF_POINTS = 18  # 9 pt
ROW_MIN_TWIPS = 397  # 7 mm
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class C:
    """One logical cell: its text, relative width, look, and whether it continues the cell
    above (a vertical merge)."""

    text: str = ""
    width: float = 1.0
    kind: Kind = "value"
    cont: bool = False


def cont(width: float) -> C:
    return C("", width, "value", True)


Row = list[C]


def _w(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, W + tag)
    for name, value in attrs.items():
        el.set(W + name, value)
    return el


def _positions(row: Row) -> list[tuple[int, int]]:
    """Each cell's (start, end) in steps of the table width."""
    total = sum(c.width for c in row) or 1.0
    out, acc = [], 0.0
    for cell in row:
        start = round(acc / total * STEPS)
        acc += cell.width
        out.append((start, round(acc / total * STEPS)))
    return out


def add_text(parent: etree._Element, text: str, *, bold: bool = False,
             half_points: int | None = None, align: str | None = None,
             breaks: bool = False) -> None:
    """Paragraphs for ``text`` into ``parent`` (a ``w:tc`` or the body): one per line, or
    with ``breaks`` one paragraph with line breaks. Tabs and spaces are kept."""
    lines = _NOT_XML.sub("", text).split("\n")
    for block in [lines] if breaks else [[line] for line in lines]:
        p = _w(parent, "p")
        ppr = _w(p, "pPr")
        if align:
            _w(ppr, "jc", val=align)
        if not any(block):
            continue
        r = _w(p, "r")
        rpr = _w(r, "rPr")
        if bold:
            _w(rpr, "b")
            _w(rpr, "bCs")
        if half_points:
            _w(rpr, "sz", val=str(half_points))
            _w(rpr, "szCs", val=str(half_points))
        for n, line in enumerate(block):
            if n:
                _w(r, "br")
            for i, piece in enumerate(line.split("\t")):
                if i:
                    _w(r, "tab")
                if piece:
                    t = _w(r, "t")
                    t.text = piece
                    if piece != piece.strip():
                        t.set(XML_SPACE, "preserve")


_ALIGN = {"label": "center", "head": "center", "center": "center", "title": "center",
          "value": "left"}


def build_table(tbl: etree._Element, rows: Sequence[Row], width_twips: int,
                header_rows: int = 0) -> None:
    """Fill ``tbl`` (a ``w:tbl`` with its ``w:tblPr``) with grid and rows; the first
    ``header_rows`` rows repeat at the top of every page the table runs onto
    (``w:tblHeader``) and are kept with the row after them."""
    placed = [_positions(row) for row in rows]
    bounds = sorted({b for row in placed for span in row for b in span} | {0, STEPS})
    index = {b: i for i, b in enumerate(bounds)}
    twips = [round(b / STEPS * width_twips) for b in bounds]
    tblpr = tbl.find(W + "tblPr")
    if tblpr is None:
        tblpr = etree.Element(W + "tblPr")
        tbl.insert(0, tblpr)
    for child in list(tblpr):  # keep the style; the rest is rewritten in schema order
        if child.tag != W + "tblStyle":
            tblpr.remove(child)
    _w(tblpr, "tblW", w=str(width_twips), type="dxa")
    _w(tblpr, "jc", val="center")
    _w(tblpr, "tblLayout", type="fixed")
    margins = _w(tblpr, "tblCellMar")
    for side, size in (("top", "29"), ("left", "85"), ("bottom", "29"), ("right", "85")):
        _w(margins, side, w=size, type="dxa")
    _w(tblpr, "tblLook", val="04A0", firstRow="0", lastRow="0", firstColumn="0",
       lastColumn="0", noHBand="1", noVBand="1")
    for old in tbl.findall(W + "tblGrid"):
        tbl.remove(old)
    grid = etree.Element(W + "tblGrid")
    tblpr.addnext(grid)
    for a, b in itertools.pairwise(twips):
        _w(grid, "gridCol", w=str(b - a))
    for r, (row, spans) in enumerate(zip(rows, placed, strict=True)):
        below = set(zip(placed[r + 1], (c.cont for c in rows[r + 1]), strict=True)) \
            if r + 1 < len(rows) else set()
        tr = _w(tbl, "tr")
        trpr = _w(tr, "trPr")
        _w(trpr, "cantSplit")
        _w(trpr, "trHeight", val=str(ROW_MIN_TWIPS), hRule="atLeast")
        if r < header_rows:
            _w(trpr, "tblHeader")
        above = set(placed[r - 1]) if r > 0 else set()
        for cell, (start, end) in zip(row, spans, strict=True):
            if cell.cont and (start, end) not in above:
                cell = C("", cell.width)  # nothing above to continue: a blank cell
            tc = _w(tr, "tc")
            tcpr = _w(tc, "tcPr")
            _w(tcpr, "tcW", w=str(twips[index[end]] - twips[index[start]]), type="dxa")
            if index[end] - index[start] > 1:
                _w(tcpr, "gridSpan", val=str(index[end] - index[start]))
            if cell.cont:
                _w(tcpr, "vMerge")
            elif ((start, end), True) in below:
                _w(tcpr, "vMerge", val="restart")
            _w(tcpr, "vAlign", val="center")
            if cell.cont:
                _w(tc, "p")
            else:
                add_text(tc, cell.text, bold=cell.kind in ("head", "title"),
                         half_points=CELL_FONT_HALF_POINTS, align=_ALIGN[cell.kind])
            if r < header_rows:  # never alone at the foot of a page
                for p in tc.findall(W + "p"):
                    ppr = p.find(W + "pPr")
                    if ppr is None:
                        ppr = etree.Element(W + "pPr")
                        p.insert(0, ppr)
                    ppr.insert(0, etree.Element(W + "keepNext"))
