"""Text lines found from a page's pixels inside table cells, on synthetic pages whose
geometry is known exactly (no OCR model involved)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from jixiao.converters.ocr.cells import (
    PageInk,
    _interior,
    _px,
    cell_lines,
    crossing_runs,
    line_height,
    outside_windows,
    page_ink,
)
from jixiao.converters.ocr.raster import PageImage, find_segments, page_masks
from jixiao.converters.pdf.gridfind import GridRegion, find_regions

FONT = cv2.FONT_HERSHEY_SIMPLEX


def write(img: np.ndarray, text: str, x: int, baseline: int, scale: float = 0.8) -> None:
    cv2.putText(img, text, (x, baseline), FONT, scale, 0, 2, cv2.LINE_AA)


def ruled(rows: list[int], cols: list[int]) -> np.ndarray:
    """A white 150-dpi page with a grid drawn at the given pixel positions."""
    img = np.full((1754, 1241), 255, np.uint8)
    for y in rows:
        cv2.line(img, (cols[0], y), (cols[-1], y), 0, 2)
    for x in cols:
        cv2.line(img, (x, rows[0]), (x, rows[-1]), 0, 2)
    return img


def analyse(img: np.ndarray) -> tuple[PageInk, list[GridRegion]]:
    image = PageImage(img, 150, 0.0)
    masks = page_masks(img)
    ink = page_ink(img, masks.binary, masks.vertical, masks.horizontal, image.scale)
    return ink, find_regions(find_segments(image, masks), tol=3.0)


def lines_of(ink: PageInk, region: GridRegion, row: int, col: int) -> list | None:
    span = next(s for s in region.cells if s[:2] == (row, col))
    height = line_height(ink, [region])
    return cell_lines(ink, _interior(ink, _px(region, span, ink.scale)), height)


@pytest.fixture(scope="module")
def form() -> tuple[PageInk, GridRegion]:
    img = ruled([300, 360, 420, 480], [200, 600, 1000])
    write(img, "Budget", 220, 340)
    write(img, "Line one", 620, 328)
    write(img, "Line two", 620, 352)
    write(img, "AB", 220, 460)
    write(img, "CD", 500, 460)
    cv2.ellipse(img, (800, 450), (13, 20), 0, 0, 360, 0, -1)  # a blot: no clean lines
    for y in (372, 380, 388):  # 三: three strokes apart
        cv2.line(img, (620, y), (642, y), 0, 2)
    ink, regions = analyse(img)
    assert len(regions) == 1
    return ink, regions[0]


def test_cell_text_is_cut_into_lines_at_blank_rows(form: tuple[PageInk, GridRegion]) -> None:
    ink, region = form
    height = line_height(ink, [region])
    assert 14 <= height <= 22
    one = lines_of(ink, region, 0, 0)
    two = lines_of(ink, region, 0, 1)
    assert one is not None and len(one) == 1
    assert two is not None and len(two) == 2
    (x0, top, x1, bottom), = one
    assert 210 <= x0 <= 222 < 300 < x1 < 400  # round the text
    assert top < 340 - 17 and bottom > 340  # the detector's margins round the ink
    assert bottom - top >= 1.3 * height - 1
    assert two[0][3] <= two[1][1] + 2 * 0.2 * height + 1  # one above the other


def test_empty_cell_has_no_lines(form: tuple[PageInk, GridRegion]) -> None:
    ink, region = form
    assert lines_of(ink, region, 1, 0) == []


def test_strokes_apart_stay_one_line(form: tuple[PageInk, GridRegion]) -> None:
    ink, region = form
    found = lines_of(ink, region, 1, 1)
    assert found is not None and len(found) == 1


def test_wide_gap_splits_a_line_and_a_blot_goes_to_the_detector(
    form: tuple[PageInk, GridRegion],
) -> None:
    ink, region = form
    pieces = lines_of(ink, region, 2, 0)
    assert pieces is not None and len(pieces) == 2
    assert pieces[0][2] < 300 < pieces[1][0]
    assert lines_of(ink, region, 2, 1) is None


def test_text_across_a_border_makes_it_noise_but_padded_text_does_not() -> None:
    img = ruled([300, 360, 420], [200, 600, 1000])
    cv2.line(img, (400, 300), (400, 420), 0, 2)  # the "border" between 200 and 600
    for x in range(330, 472, 3):  # row 0: text set solid right through it
        cv2.line(img, (x, 322), (x, 338), 0, 1)
    write(img, "left", 220, 400)  # row 1: text on both sides, padded
    write(img, "right", 420, 400)
    ink, regions = analyse(img)
    runs = crossing_runs(ink, regions, line_height(ink, regions))
    assert len(runs) == 1
    x0, x1, cy = runs[0]
    assert x0 < 400 * 72 / 150 < x1 and 300 * 72 / 150 < cy < 360 * 72 / 150
    region = find_regions(find_segments(PageImage(img, 150, 0.0)), tol=3.0, runs=runs)[0]
    assert (0, 0, 1, 2) in region.cells  # row 0: one cell across the noise
    assert (1, 0, 1, 1) in region.cells and (1, 1, 1, 1) in region.cells


def test_detector_reads_only_outside_the_tables() -> None:
    img = ruled([300, 360, 420], [200, 600, 1000])
    write(img, "Title", 500, 200, 1.2)
    write(img, "Inside", 220, 340)
    write(img, "Note", 220, 470)
    ink, regions = analyse(img)
    gray, windows = outside_windows(ink, regions)
    assert len(windows) == 2  # the title, the note
    title, note = windows
    assert title[3] < 300 and note[1] > 420
    assert gray[330:345, 220:300].min() >= ink.paper  # the table is blanked out
    assert img[330:345, 220:300].min() < 100  # on a copy
