"""Ruling lines of a PDF page: lines, thin filled rectangles, stroked boxes and path pieces,
normalized to horizontal and vertical segments and merged where they touch.

Coordinates are pdfplumber's: x from the left, y (``top``) from the top of the page, in points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings

# The tolerances (what is thin, how close is one line, what is too short) are settings:
# ``PdfSettings.thin_line``, ``snap``, ``min_line_length``, ``max_rule_width``.


@dataclass(frozen=True, slots=True)
class Segment:
    orient: Literal["h", "v"]
    pos: float  # y of a horizontal segment, x of a vertical one
    start: float  # x0 / top
    end: float  # x1 / bottom

    @property
    def length(self) -> float:
        return self.end - self.start


def _segment(
    x0: float, top: float, x1: float, bottom: float, thin: float, min_length: float
) -> Segment | None:
    """An axis-aligned segment from a (possibly slightly thick) line, or None: no thicker
    than ``thin``, at least ``min_length`` long."""
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(top, bottom)
    if bottom - top <= thin and x1 - x0 >= min_length:
        return Segment("h", (top + bottom) / 2, x0, x1)
    if x1 - x0 <= thin and bottom - top >= min_length:
        return Segment("v", (x0 + x1) / 2, top, bottom)
    return None


def _rect_segments(rect: Mapping[str, Any], settings: PdfSettings) -> Iterable[Segment | None]:
    x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
    min_length = settings.min_line_length
    short, long = sorted((bottom - top, x1 - x0))
    # a rule drawn as a filled bar: thin, or thick up to max_rule_width and 4 times as long
    if short <= settings.thin_line or (short <= settings.max_rule_width and long >= 4 * short):
        if bottom - top <= x1 - x0:
            yield Segment("h", (top + bottom) / 2, x0, x1) if long >= min_length else None
        else:
            yield Segment("v", (x0 + x1) / 2, top, bottom) if long >= min_length else None
    elif rect.get("stroke"):  # a stroked box: its four sides are borders
        yield Segment("h", top, x0, x1)
        yield Segment("h", bottom, x0, x1)
        yield Segment("v", x0, top, bottom)
        yield Segment("v", x1, top, bottom)
    # a large box that is only filled is shading, not a border


def _curve_segments(
    curve: Mapping[str, Any], thin: float, min_length: float
) -> Iterable[Segment | None]:
    if curve.get("fill") and not curve.get("stroke"):
        return  # a filled shape (shading, a logo): its outline is not a ruling line
    points = curve.get("pts") or []
    for (ax, ay), (bx, by) in pairwise(points):
        yield _segment(ax, ay, bx, by, thin, min_length)


def page_segments(
    lines: Iterable[Mapping[str, Any]],
    rects: Iterable[Mapping[str, Any]],
    curves: Iterable[Mapping[str, Any]],
    settings: PdfSettings = DEFAULTS,
) -> list[Segment]:
    """Raw pdfplumber objects → merged horizontal and vertical segments."""
    thin, min_length = settings.thin_line, settings.min_line_length
    found: list[Segment | None] = []
    for line in lines:
        found.append(
            _segment(line["x0"], line["top"], line["x1"], line["bottom"], thin, min_length))
    for rect in rects:
        found.extend(_rect_segments(rect, settings))
    for curve in curves:
        found.extend(_curve_segments(curve, thin, min_length))
    return merge_segments([s for s in found if s is not None], settings.snap)


def cluster(values: Iterable[float], tol: float = DEFAULTS.snap) -> list[float]:
    """Sorted values with neighbours closer than ``tol`` replaced by their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] < tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def merge_segments(segments: list[Segment], tol: float = DEFAULTS.snap) -> list[Segment]:
    """Snap collinear segments to one position and join pieces that touch or overlap."""
    merged: list[Segment] = []
    for orient in ("h", "v"):
        same = sorted((s for s in segments if s.orient == orient), key=lambda s: s.pos)
        groups: list[list[Segment]] = []
        for seg in same:
            if groups and seg.pos - groups[-1][-1].pos < tol:
                groups[-1].append(seg)
            else:
                groups.append([seg])
        for group in groups:
            pos = sum(s.pos for s in group) / len(group)
            runs = sorted(group, key=lambda s: s.start)
            start, end = runs[0].start, runs[0].end
            for seg in runs[1:]:
                if seg.start <= end + tol:
                    end = max(end, seg.end)
                else:
                    merged.append(Segment(orient, pos, start, end))
                    start, end = seg.start, seg.end
            merged.append(Segment(orient, pos, start, end))
    return merged
