"""pdfplumber lines / rects / curves -> merged horizontal and vertical ``Segment``s.

Inputs are dicts shaped like pdfplumber's objects (x from the left, ``top``/``bottom`` from
the top of the page, in points); every expected segment is worked out by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.converters.pdf.rulings import Segment, cluster, merge_segments, page_segments


def rect(
    x0: float, top: float, x1: float, bottom: float, *, stroke: bool, fill: bool
) -> dict[str, Any]:
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "stroke": stroke, "fill": fill}


def line(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}


def curve(*pts: tuple[float, float]) -> dict[str, Any]:
    xs = [p[0] for p in pts]
    tops = [p[1] for p in pts]
    return {"x0": min(xs), "top": min(tops), "x1": max(xs), "bottom": max(tops), "pts": list(pts)}


def ordered(segments: list[Segment]) -> list[Segment]:
    return sorted(segments, key=lambda s: (s.orient, s.pos, s.start))


def approx(segments: list[Segment]) -> list[tuple[str, Any, Any, Any]]:
    return [
        (s.orient, pytest.approx(s.pos), pytest.approx(s.start), pytest.approx(s.end))
        for s in ordered(segments)
    ]


# --- rectangles ----------------------------------------------------------------------------


def test_thin_filled_rectangles_are_lines() -> None:
    # A border drawn as a 0.5pt-high filled box, and a 0.75pt-wide one.
    got = page_segments([], [
        rect(50, 100, 300, 100.5, stroke=False, fill=True),
        rect(50, 120, 50.75, 220, stroke=False, fill=True),
    ], [])
    assert approx(got) == [("h", 100.25, 50, 300), ("v", 50.375, 120, 220)]


def test_a_stroked_box_gives_its_four_sides() -> None:
    got = page_segments([], [rect(40, 60, 240, 160, stroke=True, fill=False)], [])
    assert approx(got) == [
        ("h", 60, 40, 240),
        ("h", 160, 40, 240),
        ("v", 40, 60, 160),
        ("v", 240, 60, 160),
    ]


def test_a_stroked_and_filled_box_still_gives_its_sides() -> None:
    got = page_segments([], [rect(0, 0, 20, 10, stroke=True, fill=True)], [])
    assert len(got) == 4


def test_a_large_fill_only_rectangle_is_shading_not_a_border() -> None:
    assert page_segments([], [rect(50, 100, 300, 140, stroke=False, fill=True)], []) == []


def test_tiny_pieces_are_not_lines() -> None:
    # 1pt x 1pt dot, and a 2pt-long tick: both below the minimum length.
    got = page_segments([line(10, 10, 11, 10), line(30, 10, 30, 12)], [], [])
    assert got == []


# --- lines and curves ----------------------------------------------------------------------


def test_lines_are_horizontal_or_vertical_by_their_box() -> None:
    got = page_segments([line(300, 80, 100, 80), line(70, 200, 70, 90)], [], [])
    # Reversed ends are normalized: start < end.
    assert approx(got) == [("h", 80, 100, 300), ("v", 70, 90, 200)]


def test_a_diagonal_line_is_ignored() -> None:
    assert page_segments([line(0, 0, 50, 50)], [], []) == []


def test_a_closed_curve_gives_its_straight_sides() -> None:
    # A cell border drawn as one path: (10,10) -> (110,10) -> (110,40) -> (10,40) -> back.
    got = page_segments([], [], [curve((10, 10), (110, 10), (110, 40), (10, 40), (10, 10))])
    assert approx(got) == [
        ("h", 10, 10, 110),
        ("h", 40, 10, 110),
        ("v", 10, 10, 40),
        ("v", 110, 10, 40),
    ]


def test_a_curve_without_points_gives_nothing() -> None:
    assert page_segments([], [], [{"x0": 0, "top": 0, "x1": 1, "bottom": 1}]) == []


# --- merging and snapping ------------------------------------------------------------------


def test_collinear_pieces_are_merged() -> None:
    # Word draws a row's bottom border cell by cell: 3 pieces end to end, one with a 1pt gap.
    pieces = [line(10, 200, 60, 200), line(60, 200, 130, 200), line(131, 200, 180, 200)]
    assert approx(page_segments(pieces, [], [])) == [("h", 200, 10, 180)]


def test_pieces_far_apart_on_one_line_stay_separate() -> None:
    pieces = [line(10, 200, 60, 200), line(70, 200, 120, 200)]
    assert approx(page_segments(pieces, [], [])) == [("h", 200, 10, 60), ("h", 200, 70, 120)]


def test_lines_within_two_points_are_snapped_together() -> None:
    # The same border, once as a line at y=100 and once as a thin box centred at y=101.
    got = page_segments(
        [line(10, 100, 100, 100)], [rect(50, 100.5, 150, 101.5, stroke=False, fill=True)], []
    )
    assert approx(got) == [("h", 100.5, 10, 150)]


def test_lines_three_points_apart_are_different_lines() -> None:
    got = merge_segments([Segment("v", 40, 0, 50), Segment("v", 43, 0, 50)])
    assert approx(got) == [("v", 40, 0, 50), ("v", 43, 0, 50)]


def test_overlapping_pieces_merge_to_their_union() -> None:
    got = merge_segments([Segment("v", 40, 30, 80), Segment("v", 40, 0, 50)])
    assert approx(got) == [("v", 40, 0, 80)]


def test_cluster_replaces_close_values_by_their_mean() -> None:
    assert cluster([30.0, 10.0, 11.0, 13.5, 50.0]) == pytest.approx([10.5, 13.5, 30.0, 50.0])


def test_segment_length() -> None:
    assert Segment("h", 5, 10, 35).length == 25


def test_a_filled_shape_without_stroke_is_not_a_border() -> None:
    shading = curve((0, 0), (100, 0), (100, 20), (0, 20), (0, 0))
    shading["fill"], shading["stroke"] = True, False
    assert page_segments([], [], [shading]) == []


def test_a_rule_drawn_as_a_three_point_bar_is_a_line() -> None:
    # 3pt wide and 100pt tall: a thick vertical rule, at its centre line x=51.5.
    got = page_segments([], [rect(50, 0, 53, 100, stroke=False, fill=True)], [])
    assert approx(got) == [("v", 51.5, 0, 100)]
    # 3pt tall but only 10pt long is a small filled box (a bullet), not a rule.
    assert page_segments([], [rect(50, 0, 60, 3, stroke=False, fill=True)], []) == []
