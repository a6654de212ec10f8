"""The detector's and the recogniser's outputs read as PaddleOCR reads them (DB boxes, CTC
decoding), on maps and scores made by hand."""

from __future__ import annotations

import numpy as np
import pytest

from jixiao.converters.ocr.postprocess import (
    UNCLIP_RATIO,
    ctc_decode,
    db_boxes,
    reading_order,
    words,
)


def _map(*rects: tuple[int, int, int, int, float]) -> np.ndarray:
    prob = np.zeros((120, 240), np.float32)
    for x0, y0, x1, y1, p in rects:
        prob[y0:y1, x0:x1] = p
    return prob


def test_a_text_region_becomes_its_box_grown_by_the_unclip_distance() -> None:
    [box] = db_boxes(_map((50, 40, 150, 60, 0.9)))
    # DB grows a w x h box by w*h*ratio / perimeter on every side: 100 x 20 → 13.3 px
    grow = 100 * 20 * UNCLIP_RATIO / (2 * (100 + 20))
    assert box.shape == (4, 2)
    x0, y0 = box[0]  # clockwise from the top left
    x1, y1 = box[2]
    assert (x0, y0) == pytest.approx((50 - grow, 40 - grow), abs=2)
    assert (x1, y1) == pytest.approx((150 + grow, 60 + grow), abs=2)
    assert box[1][0] > box[0][0] and box[3][1] > box[0][1]


def test_faint_and_tiny_regions_are_not_text() -> None:
    assert db_boxes(_map((50, 40, 150, 60, 0.45))) == []  # above 0.3, mean below 0.5
    assert db_boxes(_map((10, 10, 12, 12, 0.9))) == []  # 2 px: noise


def test_boxes_are_scaled_back_to_the_page() -> None:
    [box] = db_boxes(_map((50, 40, 150, 60, 0.9)), scale=2.0)
    assert box[0][0] == pytest.approx((50 - 13.3) / 2, abs=1)


def test_reading_order_is_rows_then_left_to_right() -> None:
    def box(x: float, y: float) -> np.ndarray:
        return np.array([[x, y], [x + 20, y], [x + 20, y + 10], [x, y + 10]], np.float32)

    ordered = reading_order([box(50, 100), box(10, 105), box(10, 40)])
    assert [(b[0][0], b[0][1]) for b in ordered] == [(10, 40), (10, 105), (50, 100)]


def test_ctc_merges_repeats_drops_blanks_and_knows_the_space() -> None:
    classes = ["项", "目", "1"]  # ids 1..3; 0 is the blank, 4 the space
    ids = [0, 1, 1, 0, 2, 4, 3, 0, 3]
    scores = np.full((len(ids), 5), 0.01, np.float32)
    for col, i in enumerate(ids):
        scores[col, i] = 0.9
    scores[6, 3] = 0.5
    found = ctc_decode(scores, classes)
    assert found.text == "项目 11"
    assert found.cols == [1, 4, 5, 6, 8]
    assert found.columns == 9
    assert found.confs == pytest.approx([0.9, 0.9, 0.9, 0.5, 0.9])
    assert found.score == pytest.approx(np.mean([0.9, 0.9, 0.9, 0.5, 0.9]))


def test_nothing_read_has_no_confidence() -> None:
    scores = np.zeros((4, 3), np.float32)
    scores[:, 0] = 1.0
    found = ctc_decode(scores, ["a", "b"])
    assert (found.text, found.score, found.cols) == ("", 0.0, [])


def test_words_split_by_script_and_by_gaps() -> None:
    assert words("项目ab12", [1, 4, 7, 9, 15, 17]) == [
        ("项目", [1, 4], True), ("ab", [7, 9], False), ("12", [15, 17], False)]
    assert words("", []) == []
