"""Image-level steps on synthetic pages whose geometry is known exactly."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from jixiao.converters.ocr.raster import (
    PageImage,
    estimate_skew,
    find_segments,
    straighten,
    trim_overshoot,
)
from jixiao.converters.pdf.gridfind import find_regions
from jixiao.converters.pdf.rulings import Segment
from jixiao.converters.pdf.textlines import full_width_punctuation


def grid_image(angle: float = 0.0) -> np.ndarray:
    """A white 150-dpi page with a 3x2 ruled table: rows at 300/400/500/600 px, columns at
    200/600/1000 px, and the middle row's inner line missing (a merged cell)."""
    img = np.full((1754, 1241), 255, np.uint8)
    for y in (300, 400, 500, 600):
        cv2.line(img, (200, y), (1000, y), 0, 2)
    for x in (200, 1000):
        cv2.line(img, (x, 300), (x, 600), 0, 2)
    cv2.line(img, (600, 300), (600, 400), 0, 2)
    cv2.line(img, (600, 500), (600, 600), 0, 2)
    if angle:
        matrix = cv2.getRotationMatrix2D((620, 877), angle, 1.0)
        img = cv2.warpAffine(img, matrix, (1241, 1754), borderValue=255)
    return img


@pytest.mark.parametrize("angle", [0.0, 0.6, -1.2])
def test_skew_is_measured_from_ruling_lines(angle: float) -> None:
    # warpAffine turns by +angle counter-clockwise; in image rows (y down) the lines then
    # fall to the right by -angle degrees.
    assert estimate_skew(grid_image(angle)) == pytest.approx(-angle, abs=0.15)


def test_straightened_page_gives_the_drawn_grid() -> None:
    image = straighten(grid_image(0.8), 150)
    region = find_regions(find_segments(image), tol=3.0)[0]
    to_pt = 72 / 150
    assert [round(x / to_pt) for x in region.xs] == pytest.approx([200, 600, 1000], abs=4)
    assert [round(y / to_pt) for y in region.ys] == pytest.approx([300, 400, 500, 600], abs=4)
    assert region.cells == [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 2), (2, 0, 1, 1), (2, 1, 1, 1)]


def test_blank_page_has_no_lines() -> None:
    blank = PageImage(np.full((1754, 1241), 255, np.uint8), 150, 0.0)
    assert find_segments(blank) == []


def test_line_touching_a_glyph_is_cut_back_to_its_last_crossing() -> None:
    h1 = Segment("h", 100.0, 0.0, 300.0)
    h2 = Segment("h", 150.0, 0.0, 300.0)
    overshooting = Segment("v", 120.0, 100.0, 159.0)  # 9 pt past the line at 150
    real = Segment("v", 0.0, 100.0, 150.0)
    trimmed = trim_overshoot([h1, h2, overshooting, real])
    assert Segment("v", 120.0, 100.0, 150.0) in trimmed and real in trimmed


def test_ocr_punctuation_becomes_full_width_next_to_chinese() -> None:
    assert full_width_punctuation("资金支出计划(%)") == "资金支出计划（%）"
    assert full_width_punctuation("单位:万元") == "单位：万元"
    assert full_width_punctuation("12.8万元, 1:2") == "12.8万元， 1:2"


def test_a_break_inside_a_cell_is_bridged_but_a_merged_cell_stays_open() -> None:
    from jixiao.converters.ocr.raster import bridge_breaks
    from jixiao.converters.pdf.rulings import Segment

    verticals = [Segment("v", x, 100.0, 300.0) for x in (120.0, 189.0, 258.0)]
    # damage: the line under a cell breaks between 151.7 and 162.2, at no vertical line
    damaged = [Segment("h", 291.6, 120.0, 151.7), Segment("h", 291.6, 162.2, 258.0)]
    lines = [s for s in bridge_breaks(damaged + verticals) if s.orient == "h"]
    assert [(s.start, s.end) for s in lines] == [(120.0, 258.0)]
    # a merged cell (20 pt wide): the line is missing from one vertical line to the next
    narrow = [Segment("v", x, 100.0, 300.0) for x in (100.0, 120.0, 140.0, 160.0)]
    merged = [Segment("h", 200.0, 100.0, 120.0), Segment("h", 200.0, 140.0, 160.0)]
    lines = [s for s in bridge_breaks(merged + narrow) if s.orient == "h"]
    assert [(s.start, s.end) for s in lines] == [(100.0, 120.0), (140.0, 160.0)]
    # a long gap is never bridged
    far = [Segment("h", 50.0, 0.0, 40.0), Segment("h", 50.0, 80.0, 120.0)]
    assert len(bridge_breaks(far)) == 2
