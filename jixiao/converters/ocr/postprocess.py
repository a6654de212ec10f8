"""What the two networks' outputs mean: text line boxes from the detector's probability
map, and characters from the recogniser's columns.

These are PaddleOCR's own post-processing steps (as RapidOCR runs them: DB with
``thresh=0.3, box_thresh=0.5, unclip_ratio=1.6``, a 2x2 dilation and the fast box score;
CTC greedy decoding), written here on numpy and OpenCV so that jixiao needs no module of
the OCR package, only its model files (``runtime``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

THRESH = 0.3  # a pixel is text when the detector's probability is above this
BOX_THRESH = 0.5  # a box is kept when its mean probability is above this
UNCLIP_RATIO = 1.6  # each box grows by area x ratio / perimeter on every side
MIN_SIZE = 3  # px of the map: shorter boxes are noise
MAX_CANDIDATES = 1000
SAME_ROW = 10  # px: boxes whose tops differ by less are one row, read left to right


def db_boxes(prob: Any, scale: float = 1.0) -> list[Any]:
    """Text line boxes (4x2 float32, clockwise from top left) in the detector's input
    pixels divided by ``scale``, from its probability map (H x W, same size as its input).
    """
    import cv2

    mask = cv2.dilate((prob > THRESH).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    h, w = prob.shape
    boxes = []
    for contour in contours[:MAX_CANDIDATES]:
        rect = cv2.minAreaRect(contour)
        if min(rect[1]) < MIN_SIZE:
            continue
        if _mean_inside(prob, _corners(rect)) < BOX_THRESH:
            continue
        grown = _unclip(rect)
        if min(grown[1]) < MIN_SIZE + 2:
            continue
        box = _corners(grown)
        box[:, 0] = np.clip(np.round(box[:, 0]), 0, w)
        box[:, 1] = np.clip(np.round(box[:, 1]), 0, h)
        boxes.append(box / scale)
    return boxes


def _corners(rect: Any) -> Any:
    """A rotated rectangle's corners, clockwise from the top left (as PaddleOCR orders
    them: the two leftmost, upper one first)."""
    import cv2

    pts = sorted(cv2.boxPoints(rect).tolist(), key=lambda p: p[0])
    left = sorted(pts[:2], key=lambda p: p[1])
    right = sorted(pts[2:], key=lambda p: p[1])
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float32)


def _unclip(rect: Any) -> Any:
    """The rectangle grown by ``area x UNCLIP_RATIO / perimeter`` on every side. (PaddleOCR
    offsets the polygon with rounded corners, then takes the smallest rectangle around it:
    the same rectangle.)"""
    (cx, cy), (rw, rh), angle = rect
    distance = rw * rh * UNCLIP_RATIO / (2 * (rw + rh))
    return (cx, cy), (rw + 2 * distance, rh + 2 * distance), angle


def _mean_inside(prob: Any, box: Any) -> float:
    """The mean probability inside ``box`` (PaddleOCR's fast box score)."""
    import cv2

    h, w = prob.shape
    x0 = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1))
    x1 = int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    y0 = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1))
    y1 = int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, (box - np.array([x0, y0], dtype=np.float32)).reshape(1, -1, 2)
                 .astype(np.int32), 1)
    return float(cv2.mean(prob[y0:y1 + 1, x0:x1 + 1], mask)[0])


def reading_order(boxes: list[Any]) -> list[Any]:
    """Boxes top to bottom; boxes on one row (tops within ``SAME_ROW``) left to right."""
    out = sorted(boxes, key=lambda b: (float(b[0][1]), float(b[0][0])))
    for i in range(len(out) - 1):
        for j in range(i, -1, -1):
            if abs(out[j + 1][0][1] - out[j][0][1]) < SAME_ROW and out[j + 1][0][0] < out[j][0][0]:
                out[j], out[j + 1] = out[j + 1], out[j]
            else:
                break
    return out


@dataclass(frozen=True, slots=True)
class Decoded:
    """One line read by the recogniser: its text, mean confidence, and for each character
    its column (of ``columns``) and confidence."""

    text: str
    score: float
    columns: int
    cols: list[int]
    confs: list[float]


def ctc_decode(scores: Any, characters: list[str]) -> Decoded:
    """Greedy CTC decoding of one line's (columns x classes) scores: the best class of each
    column, repeats merged, blanks dropped. Class 0 is the blank, the last one a space."""
    best = scores.argmax(axis=1)
    prob = scores.max(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    cols = np.flatnonzero(keep)
    confs = prob[cols].tolist()
    text = "".join(_char(characters, int(i)) for i in best[cols])
    return Decoded(text, float(np.mean(confs)) if confs else 0.0, len(best), cols.tolist(),
                   confs)


def _char(characters: list[str], index: int) -> str:
    return characters[index - 1] if index <= len(characters) else " "


def words(text: str, cols: list[int]) -> list[tuple[str, list[int], bool]]:
    """The decoded characters grouped as PaddleOCR groups them to place them: runs of
    Chinese characters and runs of anything else, split where the columns jump by more
    than 4. Each run: its characters, their columns, and whether it is Chinese."""
    out: list[tuple[str, list[int], bool]] = []
    if not text:
        return out
    han = ["\u4e00" <= ch <= "\u9fff" for ch in text]
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or han[i] != han[start] or cols[i] - cols[i - 1] > 4:
            out.append((text[start:i], cols[start:i], han[start]))
            start = i
    return out
