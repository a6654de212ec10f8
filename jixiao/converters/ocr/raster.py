"""Scanned pages as images: render, straighten, and find the ruling lines.

Everything here works on a grayscale numpy image at a known resolution; segments come out
in PDF points so the digital path's grid builder (``pdf.gridfind``) reads them unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from jixiao.converters.pdf.rulings import Segment, merge_segments
from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings

# The resolution, the gaps bridged and the snap are settings (``PdfSettings.scan_dpi``,
# ``scan_bridge``, ``scan_max_break``, ``scan_snap``). The default resolution: scans are
# rarely finer; OCR models read 20-30 px tall text best.
DPI = DEFAULTS.scan_dpi
MAX_SKEW_DEGREES = 5.0


@dataclass
class PageImage:
    gray: Any  # numpy uint8 array (height, width), straightened
    dpi: float
    skew_degrees: float

    @property
    def scale(self) -> float:
        """Points per pixel."""
        return 72.0 / self.dpi


def render(pdf_page: Any, dpi: float = DPI) -> Any:
    """A pypdfium2 page → grayscale numpy image: its red channel, in which a red seal
    stamped over the text (红章, over the unit's name) is nearly white while black and blue
    ink stay dark; a gray scan's channels are all the same."""
    bitmap = pdf_page.render(scale=dpi / 72.0, rev_byteorder=True)
    image = bitmap.to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    return np.ascontiguousarray(image)


def _binary(gray: Any) -> Any:
    import cv2

    # Dark ink on light paper; adaptive so uneven scans still separate.
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )


def _line_mask(binary: Any, horizontal: bool) -> Any:
    import cv2

    h, w = binary.shape
    length = max(20, (w if horizontal else h) // 40)
    shape = (length, 1) if horizontal else (1, length)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
    return cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)


def estimate_skew(gray: Any) -> float:
    """Degrees the page is turned, from the long horizontal lines (0 when there are none)."""
    import cv2

    mask = _line_mask(_binary(gray), horizontal=True)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    angles: list[float] = []
    weights: list[float] = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < gray.shape[1] // 8:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        if len(xs) < 10:
            continue
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(math.degrees(math.atan(slope)))
        weights.append(float(w))
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return median if abs(median) <= MAX_SKEW_DEGREES else 0.0


def straighten(gray: Any, dpi: float) -> PageImage:
    import cv2

    angle = estimate_skew(gray)
    if abs(angle) < 0.05:
        return PageImage(gray, dpi, 0.0)
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255
    )
    return PageImage(rotated, dpi, angle)


@dataclass
class PageMasks:
    binary: Any  # uint8 (h, w): dark pixels (255)
    horizontal: Any  # uint8 (h, w): pixels of horizontal ruling lines
    vertical: Any


def page_masks(gray: Any) -> PageMasks:
    binary = _binary(gray)
    return PageMasks(binary, _line_mask(binary, True), _line_mask(binary, False))


def find_segments(
    image: PageImage, masks: PageMasks | None = None, settings: PdfSettings = DEFAULTS
) -> list[Segment]:
    """Ruling lines of a straightened page, in points."""
    import cv2

    masks = masks or page_masks(image.gray)
    segments: list[Segment] = []
    length = settings.scan_bridge
    for horizontal in (True, False):
        mask = masks.horizontal if horizontal else masks.vertical
        # Close pinholes and JPEG breaks along a line.
        bridge = (length, 1) if horizontal else (1, length)
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        grow = length // 2  # what the dilation added at each end
        s = image.scale
        for i in range(1, count):
            x, y, w, h, _ = stats[i]
            if horizontal:
                segments.append(Segment("h", (y + h / 2) * s, (x + grow) * s, (x + w - grow) * s))
            else:
                segments.append(Segment("v", (x + w / 2) * s, (y + grow) * s, (y + h - grow) * s))
    tol = settings.scan_snap
    return trim_overshoot(
        bridge_breaks(merge_segments(segments, tol), tol, settings.scan_max_break), tol)


def bridge_breaks(
    segments: list[Segment], tol: float = DEFAULTS.scan_snap,
    max_break: float = DEFAULTS.scan_max_break,
) -> list[Segment]:
    """Join two pieces of one ruling line whose gap (up to ``max_break``: a few characters)
    ends at no crossing line on either side. A merged cell leaves a gap from one crossing
    line to the next; a gap inside a cell is damage (a scan's faint stretch, a glyph
    touching the line), and left open it would merge two cells and their text."""
    out: list[Segment] = []
    pairs: tuple[tuple[Literal["h", "v"], str], ...] = (("h", "v"), ("v", "h"))
    for orient, others in pairs:
        across = [o for o in segments if o.orient == others]
        lines = sorted((x for x in segments if x.orient == orient),
                       key=lambda x: (x.pos, x.start))

        for seg in lines:
            last = out[-1] if out and out[-1].orient == orient else None
            if (last is not None and abs(last.pos - seg.pos) <= tol
                    and 0 < seg.start - last.end <= max_break
                    and not _crossed(across, last.pos, last.end, tol)
                    and not _crossed(across, seg.pos, seg.start, tol)):
                out[-1] = Segment(orient, (last.pos + seg.pos) / 2, last.start,
                                  max(last.end, seg.end))
            else:
                out.append(seg)
    return out


def _crossed(across: list[Segment], pos: float, at: float, tol: float) -> bool:
    """Whether a line of ``across`` crosses the point ``at`` along a line at ``pos``."""
    return any(abs(o.pos - at) <= tol and o.start - tol <= pos <= o.end + tol for o in across)


MAX_OVERSHOOT = 12.0  # pt: about a text line; a ruling line running on past its last crossing
# by less than this is the line touching a glyph (scan noise), not a real line


def _trim(seg: Segment, crossings: list[float]) -> Segment:
    if not crossings:
        return seg
    start, end = seg.start, seg.end
    first, last = min(crossings), max(crossings)
    if 0 < first - start < MAX_OVERSHOOT:
        start = first
    if 0 < end - last < MAX_OVERSHOOT:
        end = last
    return Segment(seg.orient, seg.pos, start, end)


def trim_overshoot(segments: list[Segment], tol: float = DEFAULTS.scan_snap) -> list[Segment]:
    """Cut each line back to its outermost crossing lines when it overshoots them a little."""
    hs = [s for s in segments if s.orient == "h"]
    vs = [s for s in segments if s.orient == "v"]

    def crossings(seg: Segment, others: list[Segment]) -> list[float]:
        return [
            o.pos for o in others
            if o.start - tol <= seg.pos <= o.end + tol and seg.start - tol <= o.pos <= seg.end + tol
        ]

    return [_trim(h, crossings(h, vs)) for h in hs] + [_trim(v, crossings(v, hs)) for v in vs]
