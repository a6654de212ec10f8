"""Text detection and recognition with PaddleOCR's models (see ``runtime``).

The steps and settings are RapidOCR's (``RapidOCR.__call__`` without the angle classifier),
with these changes:

- each text line is recognised at its own width: RapidOCR pads every line to at least
  320 px (6.7 times the 48 px line height), which more than doubles the work for the short
  lines of a form's cells and reads no better;
- detection can be limited to parts of a page (``detect`` in a window): the caller knows
  where the table cells are and finds their lines itself (``cells``);
- characters are placed as RapidOCR's ``CalRecBoxes`` places them, except that a Latin or
  digit word's rounding to the recogniser's columns is evened out (``_even``), which
  otherwise reads as a space inside a number now and then;
- a line the 8-bit recogniser reads with a confidence under ``SECOND_READING`` is read
  again by the float one, and the surer reading kept (``_better``): a few lines a page,
  which the fast one misreads most (a ≥ alone in its cell, a character left out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any

import numpy as np

from jixiao.converters.ocr.postprocess import Decoded, ctc_decode, db_boxes, reading_order, words
from jixiao.converters.ocr.runtime import (
    DET_MODEL,
    REC_HEIGHT_FLOAT,
    REC_MODEL,
    OcrUnavailableError,
    characters,
    float_characters,
    int8,
    load,
    rec_height,
)
from jixiao.converters.pdf.textlines import full_width_punctuation

__all__ = ["Glyph", "OcrUnavailableError", "TextImage", "detect", "read", "recognize"]

MAX_SIDE = 2000  # px: larger images are shrunk first (RapidOCR's max_side_len)
MIN_SIDE = 30
DET_MIN_SIDE = 736  # the detector reads images whose shorter side is at least this
TEXT_SCORE = 0.5  # lines read with a lower mean confidence are dropped
OPERATORS = frozenset("≥≤＞＜><=＝")
HOLE = 1.7  # a step this many times the usual between Chinese characters: one is missing
WIDE = 1.4  # a line of Chinese characters this much wider per character lacks one
SECOND_READING = 0.8  # lines the 8-bit recogniser reads less surely are read by the float one
# Line widths are padded up to a multiple of this (the recogniser reads one column per 8 px).
# OpenVINO prepares and caches its kernels once per input shape, and the 8-bit recogniser's
# take more memory: steps of 64 px make half the shapes of 32 (peak 893 MiB on the seed
# scans instead of 1150, the same speed); steps of 32 instead of 8 made a quarter of the
# shapes (a fresh worker's first two pages 0.4 s faster). RapidOCR pads lines to 320 px.
REC_WIDTH_STEP = 64


@dataclass(frozen=True, slots=True)
class Glyph:
    """One recognised character with its box in image pixels and the engine's confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    run: int = 0  # index of the OCR text line the character was read in


@dataclass(frozen=True, slots=True)
class TextImage:
    """One line of text to read: its upright image and the quadrilateral (4 points,
    clockwise from top left, in page pixels) it was taken from."""

    image: Any
    quad: Any
    turned: bool = False  # taken from a tall box and turned a quarter (RapidOCR's rule)


def _gray(img: Any) -> Any:
    return img if img.ndim == 2 else img[:, :, 0]


def recognize(rgb: Any) -> list[Glyph]:
    """Every character on an image (numpy, gray or RGB), with per-character boxes."""
    import cv2

    gray = _gray(rgb)
    raw_h, raw_w = gray.shape
    scale = 1.0  # very large or very small images are resized first, as RapidOCR does
    if max(raw_h, raw_w) > MAX_SIDE:
        scale = MAX_SIDE / max(raw_h, raw_w)
    elif min(raw_h, raw_w) < MIN_SIDE:
        scale = MIN_SIDE / min(raw_h, raw_w)
    if scale != 1.0:
        gray = cv2.resize(gray, (max(1, round(raw_w * scale)), max(1, round(raw_h * scale))))
    lines = [crop(gray, quad) for quad in detect(gray)]
    glyphs = read(lines)
    if scale == 1.0:
        return glyphs
    return [
        Glyph(g.text, g.x0 / scale, g.top / scale, g.x1 / scale, g.bottom / scale,
              g.confidence, g.run)
        for g in glyphs
    ]


def detect(gray: Any, window: tuple[int, int, int, int] | None = None) -> list[Any]:
    """Text line boxes (4x2 arrays, clockwise from top left, in ``gray``'s pixels) inside
    ``window`` (x0, top, x1, bottom; the whole image when None), top to bottom."""
    import cv2

    h, w = gray.shape
    x0, y0, x1, y1 = window or (0, 0, w, h)
    part = gray[y0:y1, x0:x1]
    if part.size == 0:
        return []
    ratio = 1.0
    short = min(gray.shape)  # the page's scale decides, not the window's
    if short < DET_MIN_SIDE:
        ratio = DET_MIN_SIDE / short
        part = cv2.resize(part, (max(1, round(part.shape[1] * ratio)),
                                 max(1, round(part.shape[0] * ratio))))
    ph, pw = part.shape
    # Pad (white) to a multiple of 32, as the network needs, rather than stretch.
    padded = np.full((-(-ph // 32) * 32, -(-pw // 32) * 32), 255, dtype=np.uint8)
    padded[:ph, :pw] = part
    plane = padded.astype(np.float32) * (1 / 127.5) - 1.0
    batch = np.ascontiguousarray(np.broadcast_to(plane, (1, 3, *plane.shape)))
    kept = []
    for box in db_boxes(load(DET_MODEL)(batch)[0, 0]):
        box = _clockwise(box.astype(np.int32).astype(np.float32))
        box[:, 0] = np.clip(box[:, 0], 0, pw - 1).astype(int)
        box[:, 1] = np.clip(box[:, 1], 0, ph - 1).astype(int)
        if int(np.linalg.norm(box[0] - box[1])) <= 3 or int(np.linalg.norm(box[0] - box[3])) <= 3:
            continue
        kept.append(box / ratio + np.array([x0, y0], dtype=np.float32))
    if not kept:
        return []
    return reading_order(kept)


def _clockwise(pts: Any) -> Any:
    by_x = pts[np.argsort(pts[:, 0]), :]
    left = by_x[:2][np.argsort(by_x[:2, 1])]
    right = by_x[2:][np.argsort(by_x[2:, 1])]
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float32)


def crop(gray: Any, quad: Any) -> TextImage:
    """The quadrilateral ``quad`` straightened into an upright line image."""
    import cv2

    quad = np.asarray(quad, dtype=np.float32)
    width = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    image = cv2.warpPerspective(gray, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE,
                                flags=cv2.INTER_CUBIC)
    if image.shape[0] >= 1.5 * image.shape[1]:
        return TextImage(np.ascontiguousarray(np.rot90(image)), quad, turned=True)
    return TextImage(image, quad)


def _rec_input(image: Any, height: int = 0) -> tuple[Any, float]:
    """One line image → (1, 3, H, W) normalised, H the recogniser's line height
    (``runtime.rec_height``), W its own width rounded up to ``REC_WIDTH_STEP``; and W / H
    (RapidOCR's ``max_wh_ratio``, which places the characters)."""
    import cv2

    gray = _gray(image)
    h, w = gray.shape
    height = height or rec_height()
    width = max(1, math.ceil(height * w / h))
    padded = math.ceil(width / REC_WIDTH_STEP) * REC_WIDTH_STEP
    batch = np.zeros((1, 3, height, padded), dtype=np.float32)
    plane = cv2.resize(gray, (width, height)).astype(np.float32) * (1 / 127.5) - 1.0
    batch[0, :, :, :width] = plane
    return batch, padded / height


def read(lines: Sequence[TextImage]) -> list[Glyph]:
    """Recognise each line; characters placed on the page through each line's quad. Lines
    read with a mean confidence under ``TEXT_SCORE`` are dropped (as RapidOCR does)."""
    classes = characters()
    model = load(REC_MODEL)
    glyphs: list[Glyph] = []
    run = 0
    for line in lines:
        batch, ratio = _rec_input(line.image)
        found = ctc_decode(model(batch)[0], classes)
        if found.text and int8() and (found.score < SECOND_READING or _hole(found)
                                      or _too_few(found, line)):
            batch2, ratio2 = _rec_input(line.image, REC_HEIGHT_FLOAT)
            again = ctc_decode(load(REC_MODEL, "float")(batch2)[0], float_characters())
            if _better(found, again):
                found, ratio = again, ratio2
        if found.score < TEXT_SCORE or not found.text:
            continue
        glyphs.extend(_line_glyphs(line, found, ratio, run))
        run += 1
    return glyphs


def _hole(found: Decoded) -> bool:
    """Whether two Chinese characters of the line stand a character apart: where one was
    left out (the 8-bit recogniser drops one now and then, 增 of 增长, 著 of 显著, surely
    enough that the line's confidence stays high)."""
    placed = list(zip(found.text, found.cols, strict=True))
    steps = [b - a for (x, a), (y, b) in pairwise(placed)
             if "\u4e00" <= x <= "\u9fff" and "\u4e00" <= y <= "\u9fff"]
    if len(steps) < 2:
        return False
    usual = median(steps)
    return max(steps) >= HOLE * usual


def _too_few(found: Decoded, line: TextImage) -> bool:
    """Whether a line read as Chinese characters alone is far wider than they are: one at
    an end was left out (``增长`` read as ``长``). A Chinese character is about as wide as
    the line is tall (0.8-1.05 times, measured on the seed scans)."""
    if not all("\u4e00" <= ch <= "\u9fff" for ch in found.text):
        return False
    h, w = line.image.shape[:2]
    return bool(w / h >= WIDE * len(found.text))


def _better(first: Decoded, second: Decoded) -> bool:
    """Whether the float recogniser's ``second`` reading of a line the 8-bit one read
    unsurely is to be taken. It must be surer. A line the first reading would keep, the
    second replaces only when sure itself; a line it would drop (noise, mostly: a stroke
    of a ruling line, which the float recogniser reads surely as 1 or 一), only with a
    comparison sign, which the 8-bit one cannot read alone in its cell (N, И for ≥, ≤)."""
    if second.score <= first.score:
        return False
    if first.score >= TEXT_SCORE:
        return second.score >= SECOND_READING
    return second.text in OPERATORS and second.score >= TEXT_SCORE


def _line_glyphs(line: TextImage, found: Decoded, ratio: float, run: int) -> list[Glyph]:
    text, score = found.text, found.score
    h, w = line.image.shape[:2]
    # The recogniser's columns span the padded input; the line is the first w/h of ratio.
    columns = found.columns * (w / h) / ratio
    chars, spans, confs = _char_spans(text, found, columns, w)
    boxes = _to_page(line, spans)
    fixed = full_width_punctuation("".join(chars))
    if len(fixed) == len(chars):  # same characters, punctuation mapped
        chars = list(fixed)
    if not boxes or len(boxes) != len(chars):
        return _spread(line.quad, full_width_punctuation(text), score, run)
    out = []
    for i, (box, ch) in enumerate(zip(boxes, chars, strict=True)):
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        conf = float(confs[i]) if i < len(confs) else score
        out.append(Glyph(ch, min(xs), min(ys), max(xs), max(ys), conf, run))
    return out


def _char_spans(text: str, found: Decoded, columns: float,
                width: int) -> tuple[list[str], list[list[float]], list[float]]:
    """Each character's (x0, x1) on the line image, from the recogniser's columns — as
    PaddleOCR places them: a character is centred on its column and as wide as the mean
    pitch of the Chinese (or of the other) characters in the line."""
    cell = width / columns
    pitch: dict[bool, list[float]] = {True: [], False: []}
    placed: list[tuple[str, float, bool]] = []
    for word, word_cols, state in words(text, found.cols):
        cols = [float(c) for c in word_cols] if state else _even(word_cols)
        if len(cols) > 1:
            pitch[state].append((cols[-1] - cols[0]) * cell / (len(cols) - 1))
        placed.extend((ch, col, state) for ch, col in zip(word, cols, strict=True))
    fallback = width / len(text)
    mean = {k: float(np.mean(v)) if v else fallback for k, v in pitch.items()}
    spans = []
    for _, col, state in placed:
        centre = (col + 0.5) * cell
        half = mean[state] / 2
        spans.append([float(max(int(centre - half), 0)), float(min(int(centre + half), width))])
    for cur, nxt in pairwise(spans):  # overlapping neighbours: halve
        if cur[1] > nxt[0]:
            gap = cur[1] - nxt[0]
            cur[1] -= gap / 2
            nxt[0] += gap - gap / 2
    return [ch for ch, _, _ in placed], spans, found.confs


def _even(cols: list[int]) -> list[float]:
    """A Latin or digit word's columns evened out. The recogniser places each character on
    a whole column (8 px of its input), so a pitch of 2.9 columns reads as steps of 3 with
    a stray 4 — a gap that looks like a space (``130225 23P000``) — and a narrow "."
    shortens a step (``75 0.00``). A step longer than the usual one by 1.5 columns or more
    is a real gap; shorter deviations are that rounding."""
    if len(cols) < 3:
        return [float(c) for c in cols]
    steps = [b - a for a, b in pairwise(cols)]
    usual = max(float(median(steps)), float(np.mean(steps)))
    out: list[float] = []
    start = 0
    for i in range(1, len(cols) + 1):
        if i == len(cols) or steps[i - 1] >= usual + 1.5:
            piece = cols[start:i]
            out.extend(np.linspace(piece[0], piece[-1], len(piece)).tolist())
            start = i
    return out


def _to_page(line: TextImage, spans: list[list[float]]) -> list[Any]:
    """Spans on the line image → 4-point boxes on the page."""
    import cv2

    if not spans:
        return []
    h, w = line.image.shape[:2]
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    # A turned line's image is its crop turned a quarter left: its top left corner was the
    # crop's top right.
    quad = np.roll(line.quad, -1, axis=0) if line.turned else line.quad
    matrix = cv2.getPerspectiveTransform(source, quad.astype(np.float32))
    xs = np.asarray(spans, dtype=np.float32)
    points = np.stack([
        np.stack([xs[:, 0], np.zeros(len(xs))], axis=1),
        np.stack([xs[:, 1], np.zeros(len(xs))], axis=1),
        np.stack([xs[:, 1], np.full(len(xs), h)], axis=1),
        np.stack([xs[:, 0], np.full(len(xs), h)], axis=1),
    ], axis=1).astype(np.float32)
    mapped = cv2.perspectiveTransform(points.reshape(-1, 1, 2), matrix).reshape(-1, 4, 2)
    return [box.tolist() for box in mapped]


def _spread(box: Any, text: str, score: float, run: int) -> list[Glyph]:
    """A line box without character boxes: share its width evenly among its characters."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if not text:
        return []
    step = (x1 - x0) / len(text)
    return [
        Glyph(ch, x0 + i * step, top, x0 + (i + 1) * step, bottom, score, run)
        for i, ch in enumerate(text)
    ]
