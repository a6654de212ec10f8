"""Where the text lines of a scanned page are, found from its pixels where that is safe.

Inside a ruled table the lines are known: each cell's ink (ruling lines taken out) is cut
into text lines where its rows run blank, and each line into pieces where its columns run
blank for two characters or more. The recogniser then reads those pieces directly, so the
text detector (a third of the OCR time) only looks at what lies outside the tables, and at a
cell whose ink does not fall into clean lines (a stamp, text packed too tight).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jixiao.converters.ocr.engine import TextImage, crop, detect
from jixiao.converters.pdf.gridfind import GridRegion, TextRun

MIN_INK = 8  # px: less ink than this in a line or a piece is noise (JPEG specks)
ROW_INK = 2  # px: a pixel row with fewer dark pixels than this counts as blank
# Margins round a line's ink, in line heights, as the detector's boxes have them (measured
# on the seed scans: 4 px above and below 20 px ink, 3 px before, 5 px after, and never
# less than 26 px tall): the recogniser reads best what it was trained on.
PAD_Y = 0.2
PAD_LEFT = 0.15
PAD_RIGHT = 0.25
MIN_BOX = 1.3
OUTSIDE_GAP = 24  # px of blank rows that separate two stretches the detector reads apart
OUTSIDE_MARGIN = 16  # px of blank paper round what the detector reads


@dataclass
class PageInk:
    gray: Any  # uint8 (h, w), the straightened page
    clean: Any  # the same with its ruling lines painted over in the paper's shade
    paper: int  # the paper's shade
    text: Any  # bool (h, w): dark pixels that are not ruling lines
    lines: Any  # bool (h, w): ruling-line pixels (vertical)
    scale: float  # points per pixel


def page_ink(gray: Any, binary: Any, vertical: Any, horizontal: Any, scale: float) -> PageInk:
    """``binary`` is the page's dark pixels and ``vertical``/``horizontal`` its ruling-line
    masks (all uint8, as ``raster`` makes them)."""
    import cv2

    lines = cv2.dilate(cv2.bitwise_or(vertical, horizontal), np.ones((3, 3), np.uint8)) > 0
    paper = int(np.median(gray[::8, ::8]))
    clean = gray.copy()
    clean[lines] = paper
    return PageInk(gray, clean, paper, (binary > 0) & ~lines, vertical > 0, scale)


def _runs_of(on: Any) -> list[tuple[int, int]]:
    """Maximal runs of True as [start, end) pairs."""
    padded = np.concatenate([[False], on, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _px(region: GridRegion, span: tuple[int, int, int, int], scale: float) -> tuple[int, ...]:
    r, c, rs, cs = span
    return (round(region.xs[c] / scale), round(region.ys[r] / scale),
            round(region.xs[c + cs] / scale), round(region.ys[r + rs] / scale))


def _interior(ink: PageInk, box: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A cell's box in pixels less its border lines (and a pixel more)."""
    h, w = ink.text.shape
    x0, y0, x1, y1 = box
    return max(0, x0 + 3), max(0, y0 + 3), min(w, x1 - 2), min(h, y1 - 2)


def _bands(text: Any) -> list[tuple[int, int]]:
    rows = text.sum(axis=1)
    return [(a, b) for a, b in _runs_of(rows >= ROW_INK) if int(rows[a:b].sum()) >= MIN_INK]


def line_height(ink: PageInk, regions: list[GridRegion]) -> float:
    """The page's usual text height (px), from the heights of the cells' ink rows."""
    heights: list[int] = []
    for region in regions:
        for span in region.cells:
            x0, y0, x1, y1 = _interior(ink, _px(region, span, ink.scale))
            if x1 > x0 and y1 > y0:
                heights.extend(b - a for a, b in _bands(ink.text[y0:y1, x0:x1]) if b - a >= 8)
    if not heights:
        return 22.0
    # The upper quartile: cells of digits alone (shorter than Chinese) are many.
    return float(min(60.0, max(12.0, np.percentile(heights, 75))))


def _merged(bands: list[tuple[int, int]], height: float) -> list[tuple[int, int]]:
    """Pieces of one line split by a blank row (三, 二, an accent) joined again."""
    out: list[tuple[int, int]] = []
    for a, b in bands:
        if out and b - out[-1][0] <= 1.25 * height:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def cell_lines(ink: PageInk, box: tuple[int, int, int, int], height: float) -> list[Any] | None:
    """The text lines in a cell's interior, as page rectangles (x0, top, x1, bottom) with
    the detector's margins, which may reach past the interior; None when its ink does not
    fall into clean lines (the detector then reads the cell)."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    text = ink.text[y0:y1, x0:x1]
    rects = []
    for a, b in _merged(_bands(text), height):
        if b - a > 1.6 * height:
            return None
        cols = text[a:b].sum(axis=0) > 0
        pieces: list[tuple[int, int]] = []
        for c0, c1 in _runs_of(cols):  # gaps of two characters or more split the line
            if pieces and c0 - pieces[-1][1] < 2 * height:
                pieces[-1] = (pieces[-1][0], c1)
            else:
                pieces.append((c0, c1))
        pad = max(PAD_Y * height, (MIN_BOX * height - (b - a)) / 2)
        for c0, c1 in pieces:
            if int(text[a:b, c0:c1].sum()) < MIN_INK:
                continue
            rects.append((x0 + round(c0 - PAD_LEFT * height), y0 + round(a - pad),
                          x0 + round(c1 + PAD_RIGHT * height), y0 + round(b + pad)))
    return rects


def crossing_runs(ink: PageInk, regions: list[GridRegion], height: float) -> list[TextRun]:
    """Text set solid across a vertical "border" (so the border is a glyph touching a line,
    not a line), as ``gridfind`` takes OCR runs: ink right against the line on both sides
    along the same rows. A real border has padding on both sides."""
    runs: list[TextRun] = []
    s = ink.scale
    w = ink.text.shape[1]
    for region in regions:
        for r in range(region.n_rows):
            top = round(region.ys[r] / s) + 3
            bottom = round(region.ys[r + 1] / s) - 2
            if bottom - top < 4:
                continue
            for x in region.xs[1:-1]:
                cx = round(x / s)
                window = ink.lines[top:bottom, max(0, cx - 6):min(w, cx + 7)]
                cols: Any = np.flatnonzero(window.mean(axis=0) > 0.5) if window.size else []
                if len(cols) == 0:
                    continue
                left = max(0, cx - 6) + int(cols[0]) - 1
                right = max(0, cx - 6) + int(cols[-1]) + 1
                before = ink.text[top:bottom, max(0, left - 4):max(0, left - 1)].any(axis=1)
                after = ink.text[top:bottom, min(w, right + 2):min(w, right + 5)].any(axis=1)
                both = np.flatnonzero(before & after)
                if len(both) >= 0.3 * height:
                    cy = (top + float(both.mean())) * s
                    runs.append(((left - 4) * s, (right + 4) * s, cy))
    return runs


def outside_windows(ink: PageInk, regions: list[GridRegion]) -> tuple[Any, list[Any]]:
    """The page with its tables blanked out, and the windows (x0, top, x1, bottom) of it
    where there is ink: stretches of rows apart by ``OUTSIDE_GAP``, each cut to its ink's
    width, with a blank margin round."""
    gray = ink.gray
    text = ink.text
    if regions:
        gray = gray.copy()
        text = text.copy()
        for region in regions:
            x0, y0, x1, y1 = (round(v / ink.scale) for v in region.bbox)
            gray[max(0, y0 - 1):y1 + 2, max(0, x0 - 1):x1 + 2] = ink.paper
            text[max(0, y0 - 1):y1 + 2, max(0, x0 - 1):x1 + 2] = False
    h, w = text.shape
    rows = text.sum(axis=1) >= ROW_INK
    stretches: list[tuple[int, int]] = []
    for a, b in _runs_of(rows):
        if stretches and a - stretches[-1][1] < OUTSIDE_GAP:
            stretches[-1] = (stretches[-1][0], b)
        else:
            stretches.append((a, b))
    windows = []
    for a, b in stretches:
        part = text[a:b]
        if int(part.sum()) < MIN_INK:
            continue
        cols = np.flatnonzero(part.any(axis=0))
        m = OUTSIDE_MARGIN
        windows.append((max(0, int(cols[0]) - m), max(0, a - m), min(w, int(cols[-1]) + 1 + m),
                        min(h, b + m)))
    return gray, windows


def _line_image(ink: PageInk, rect: tuple[int, int, int, int], cell: tuple[int, ...]) -> TextImage:
    """The line ``rect`` cut from the page without its ruling lines; what lies past the
    cell's borders (the next cell) is blank paper."""
    x0, y0, x1, y1 = rect
    image = np.full((y1 - y0, x1 - x0), ink.paper, dtype=np.uint8)
    cx0, cy0 = max(x0, cell[0], 0), max(y0, cell[1], 0)
    cx1, cy1 = min(x1, cell[2], ink.gray.shape[1]), min(y1, cell[3], ink.gray.shape[0])
    if cx1 > cx0 and cy1 > cy0:
        image[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0] = ink.clean[cy0:cy1, cx0:cx1]
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return TextImage(image, quad)


def page_lines(
    ink: PageInk, regions: list[GridRegion], height: float | None = None
) -> list[TextImage]:
    """Every text line on the page, ready for the recogniser; ``height`` is
    ``line_height(ink, regions)`` when known."""
    height = height or line_height(ink, regions)
    lines: list[TextImage] = []
    for region in regions:
        for span in region.cells:
            cell = _px(region, span, ink.scale)
            box = _interior(ink, cell)
            rects = cell_lines(ink, box, height)
            if rects is None:
                lines.extend(crop(ink.clean, q) for q in detect(ink.clean, box))
                continue
            lines.extend(_line_image(ink, rect, cell) for rect in rects)
    gray, windows = outside_windows(ink, regions)
    for window in windows:
        lines.extend(crop(gray, q) for q in detect(gray, window))
    return lines
