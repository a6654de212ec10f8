"""Segments -> tables: column and row boundaries and span-exact cells, worked out by hand.

Cells are (row, col, row_span, col_span) in the table's slot grid.
"""

from __future__ import annotations

import pytest

from jixiao.converters.pdf.gridfind import GridRegion, find_regions, segments_to_groups
from jixiao.converters.pdf.rulings import Segment


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment("h", y, x0, x1)


def v(x: float, top: float, bottom: float) -> Segment:
    return Segment("v", x, top, bottom)


def full_grid(xs: list[float], ys: list[float]) -> list[Segment]:
    """Every boundary drawn across the whole table."""
    return [h(y, xs[0], xs[-1]) for y in ys] + [v(x, ys[0], ys[-1]) for x in xs]


def only(segments: list[Segment]) -> GridRegion:
    (region,) = find_regions(segments)
    return region


def all_single(n_rows: int, n_cols: int) -> list[tuple[int, int, int, int]]:
    return [(r, c, 1, 1) for r in range(n_rows) for c in range(n_cols)]


def test_a_fully_ruled_grid() -> None:
    region = only(full_grid([50, 150, 250], [100, 120, 140]))
    assert region.xs == [50, 150, 250]
    assert region.ys == [100, 120, 140]
    assert (region.n_rows, region.n_cols) == (2, 2)
    assert region.cells == all_single(2, 2)
    assert region.bbox == (50, 100, 250, 140)


def test_outer_border_missing_is_inferred_from_where_the_inner_lines_end() -> None:
    # Only the two inner row lines and the two inner column lines of a 3 x 3 table.
    segments = [h(125, 50, 260), h(150, 50, 260), v(120, 100, 175), v(190, 100, 175)]
    region = only(segments)
    assert region.xs == [50, 120, 190, 260]
    assert region.ys == [100, 125, 150, 175]
    assert region.cells == all_single(3, 3)


def test_left_and_right_borders_missing() -> None:
    # Row lines drawn full width, column lines only inside (an open-sided table).
    segments = [h(y, 50, 260) for y in (100, 125, 150)] + [v(120, 100, 150), v(190, 100, 150)]
    region = only(segments)
    assert region.xs == [50, 120, 190, 260]
    assert region.ys == [100, 125, 150]
    assert region.cells == all_single(2, 3)


def test_missing_inner_lines_merge_cells_across_columns_and_rows() -> None:
    # 3 x 3 on xs 60/100/140/180, ys 200/220/240/260. No column line at x=100 in row 0
    # (cell spans 2 columns); no row line at y=240 in column 0 (cell spans rows 1-2).
    segments = [
        h(200, 60, 180), h(220, 60, 180), h(240, 100, 180), h(260, 60, 180),
        v(60, 200, 260), v(100, 220, 260), v(140, 200, 260), v(180, 200, 260),
    ]
    region = only(segments)
    assert region.xs == [60, 100, 140, 180]
    assert region.ys == [200, 220, 240, 260]
    assert region.cells == [
        (0, 0, 1, 2), (0, 2, 1, 1),
        (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1),
        (2, 1, 1, 1), (2, 2, 1, 1),
    ]


def test_a_cell_spanning_two_rows_and_two_columns() -> None:
    segments = [
        h(200, 60, 180), h(220, 140, 180), h(240, 60, 180), h(260, 60, 180),
        v(60, 200, 260), v(100, 240, 260), v(140, 200, 260), v(180, 200, 260),
    ]
    assert only(segments).cells == [
        (0, 0, 2, 2), (0, 2, 1, 1), (1, 2, 1, 1),
        (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1),
    ]


def test_misaligned_pieces_of_one_border_are_one_boundary() -> None:
    # The middle column line drawn row by row, 1pt apart: one boundary at their mean.
    segments = [h(y, 50, 250) for y in (100, 120, 140)] + [
        v(50, 100, 140), v(150, 100, 120), v(151, 120, 140), v(250, 100, 140),
    ]
    region = only(segments)
    assert region.xs == pytest.approx([50, 150.5, 250])
    assert region.cells == all_single(2, 2)


def test_two_separate_tables_on_one_page_top_to_bottom() -> None:
    lower = full_grid([80, 180, 280, 380], [300, 330])
    upper = full_grid([50, 150, 250], [100, 120, 140])
    regions = find_regions(lower + upper)
    assert [(r.xs, r.ys) for r in regions] == [
        ([50, 150, 250], [100, 120, 140]),
        ([80, 180, 280, 380], [300, 330]),
    ]
    assert regions[0].cells == all_single(2, 2)
    assert regions[1].cells == all_single(1, 3)


def test_lone_rules_are_not_tables() -> None:
    # A rule under a heading, and an L-shaped corner mark elsewhere.
    segments = [h(60, 50, 500), h(400, 50, 90), v(50, 400, 440)]
    assert segments_to_groups(segments) == []
    assert find_regions(segments) == []


def test_a_single_stroked_box_is_a_one_cell_table() -> None:
    region = only(full_grid([50, 500], [100, 160]))
    assert region.cells == [(0, 0, 1, 1)]


def test_slot_at() -> None:
    region = GridRegion(xs=[0, 10, 30], ys=[0, 5, 20], cells=all_single(2, 2))
    assert region.slot_at(5, 2) == (0, 0)
    assert region.slot_at(15, 10) == (1, 1)
    assert region.slot_at(30, 20) == (1, 1)  # the far corner belongs to the last slot
    assert region.slot_at(10, 5) == (1, 1)  # a boundary belongs to the slot after it
    assert region.slot_at(31, 10) is None
    assert region.slot_at(5, -1) is None
