"""Text recognition with RapidOCR (PP-OCR models run by onnxruntime).

The models ship inside the ``rapidocr_onnxruntime`` wheel: nothing is downloaded, ever.
One engine is created per process on first use and reused for every page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jixiao.converters.pdf.textlines import full_width_punctuation
from jixiao.exceptions import JixiaoError


class OcrUnavailableError(JixiaoError):
    """The OCR engine is not installed (the scanned page cannot be read)."""


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


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise OcrUnavailableError(f"OCR engine not installed ({exc})") from None
    threads = int(os.environ.get("JIXIAO_OCR_THREADS", "0")) or -1
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads)


def recognize(rgb: Any) -> list[Glyph]:
    """Every character on an RGB image (numpy), with per-character boxes."""
    result, _ = _engine()(rgb, use_cls=False, return_word_box=True)
    glyphs: list[Glyph] = []
    for run, item in enumerate(result or []):
        box, text, score = item[0], item[1], float(item[2])
        word_boxes = item[3] if len(item) > 3 else None
        words = item[4] if len(item) > 4 else None
        scores = item[5] if len(item) > 5 else None
        if words:
            fixed = full_width_punctuation("".join(words))
            if len(fixed) == len("".join(words)):  # same characters, punctuation mapped
                it = iter(fixed)
                words = ["".join(next(it) for _ in w) for w in words]
        text = full_width_punctuation(text)
        if word_boxes and words and len(word_boxes) == len(words):
            for i, (wbox, word) in enumerate(zip(word_boxes, words, strict=True)):
                conf = float(scores[i]) if scores and i < len(scores) else score
                glyphs.extend(_spread(wbox, word, conf, run))  # a Latin word: several chars
            continue
        glyphs.extend(_spread(box, text, score, run))
    return glyphs


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
