"""One scanned page → the same ``PageLayout`` a digital page gives.

The page image is straightened, its ruling lines become segments in points, and the OCR'd
characters become ``Char``s (with their confidence), so grids, cell text, borderless rows
and page stitching are the digital path's own code.

The tables' cells are cut into text lines from their pixels (``cells``) and only the rest of
the page goes through the text detector; ``JIXIAO_OCR_CELLS=0`` detects on the whole page
instead (slower, the same text).
"""

from __future__ import annotations

import os
from itertools import pairwise
from typing import Any

from jixiao.converters.ocr.cells import crossing_runs, line_height, page_ink, page_lines
from jixiao.converters.ocr.correct import (
    UNSURE,
    correct,
    nearest_label,
    to_traditional,
    traditional_page,
)
from jixiao.converters.ocr.engine import Glyph, read, recognize
from jixiao.converters.ocr.raster import find_segments, page_masks, render, straighten
from jixiao.converters.pdf.gridfind import GridRegion, TextRun, find_regions
from jixiao.converters.pdf.layout import PageLayout, page_layout
from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings
from jixiao.converters.pdf.textlines import Char

# OCR boxes are taller than the glyphs' em square; this brings their height to a font size.
BOX_TO_FONT = 0.8


def read_scanned_page(
    pdf_page: Any, number: int, height: float, settings: PdfSettings = DEFAULTS
) -> PageLayout:
    """``pdf_page`` is a pypdfium2 page; ``height`` its height in points."""
    dpi = settings.scan_dpi
    image = straighten(render(pdf_page, dpi), dpi)
    s = image.scale
    masks = page_masks(image.gray)
    segments = find_segments(image, masks, settings)
    if os.environ.get("JIXIAO_OCR_CELLS", "1") == "0":
        glyphs = [g for g in recognize(image.gray) if g.text.strip()]
        regions = find_regions(segments, settings.scan_snap, _runs(glyphs, s), settings)
    else:
        glyphs, regions = _read_by_cells(image.gray, masks, segments, s, settings)
    chars = [
        Char(g.text, g.x0 * s, g.x1 * s, g.top * s, g.bottom * s,
             (g.bottom - g.top) * s * BOX_TO_FONT, False, g.confidence)
        for g in glyphs
    ]
    layout = page_layout(number, height, regions, chars, ocr=True, settings=settings)
    cells = [cell for table in layout.tables for cell in table.cells]
    traditional = traditional_page([cell.text for cell in cells])
    for cell in cells:
        fixed = correct(cell.text)
        label = nearest_label(fixed, cell.confidence is not None and cell.confidence < UNSURE)
        if label is not None:
            fixed = label
        if traditional:
            fixed = to_traditional(fixed)
        if fixed != cell.text:
            cell.read_as, cell.text = cell.text, fixed
    return layout


def _read_by_cells(
    gray: Any, masks: Any, segments: Any, scale: float, settings: PdfSettings
) -> tuple[list[Glyph], list[GridRegion]]:
    ink = page_ink(gray, masks.binary, masks.vertical, masks.horizontal, scale)
    tol = settings.scan_snap
    regions = find_regions(segments, tol, settings=settings)
    height = line_height(ink, regions)
    runs = crossing_runs(ink, regions, height)
    if runs:  # glyphs touching a line made a "border" where text runs on
        regions = find_regions(segments, tol, runs, settings)
    glyphs = [g for g in read(page_lines(ink, regions, height)) if g.text.strip()]
    return glyphs, regions


def _runs(glyphs: list[Glyph], scale: float) -> list[TextRun]:
    """Pairs of neighbouring characters set solid (no gap) in one OCR line, as (centre of
    the first, centre of the second, vertical centre) in points. A real cell border has
    padding on both sides, so solid text across a "border" means the border is noise. (Whole
    OCR lines are no evidence: the detector sometimes reads across a thin border.)"""
    lines: dict[int, list[Glyph]] = {}
    for g in glyphs:
        lines.setdefault(g.run, []).append(g)
    pairs: list[TextRun] = []
    for gs in lines.values():
        gs.sort(key=lambda g: g.x0)
        for a, b in pairwise(gs):
            height = max(a.bottom - a.top, b.bottom - b.top)
            if b.x0 - a.x1 < 0.15 * height:
                cy = (a.top + a.bottom + b.top + b.bottom) / 4
                pairs.append(((a.x0 + a.x1) / 2 * scale, (b.x0 + b.x1) / 2 * scale, cy * scale))
    return pairs
