"""Drawing a page's picture: cells tinted by role, cell boxes, ruling lines, a legend.

Pure functions of numpy images (OpenCV draws). The page keeps its size at the chosen scale
and nothing is drawn over its margins: the legend is a strip added below it. OpenCV's
fonts have no Chinese, so every word drawn is English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np

from jixiao.converters.pdf.rulings import Segment
from jixiao.debug.roles import ROLES, CellBox, Role
from jixiao.debug.source import PageView

BGR = tuple[int, int, int]
Swatch = Role | Literal["ruling", "edge"]

# Colours (BGR, as OpenCV takes them) chosen apart from each other and from the red lines.
COLOURS: dict[Role, BGR] = {
    "label": (200, 110, 30),  # blue
    "value": (230, 200, 0),  # cyan
    "level1": (0, 140, 255),  # orange
    "level2": (0, 215, 255),  # yellow
    "level3": (60, 190, 60),  # green
    "target": (200, 50, 150),  # purple
    "used": (150, 150, 150),  # gray
    "unmapped": (200, 0, 255),  # magenta
}
NAMES: dict[Role, str] = {
    "label": "field label",
    "value": "field value / amount",
    "level1": "indicator level 1",
    "level2": "indicator level 2",
    "level3": "indicator level 3",
    "target": "target (value)",
    "used": "other used cell",
    "unmapped": "unmapped cell",
}
ALPHA = 0.45  # how strongly a role's colour tints its cell (the text stays readable)
RULING: BGR = (0, 0, 230)  # red: the segments the grid finder was given
EDGE: BGR = (110, 40, 0)  # dark blue: each cell's box, drawn just inside it
INK: BGR = (0, 0, 0)
PAPER: BGR = (255, 255, 255)


def tint(role: Role) -> BGR:
    """The colour white paper takes inside a cell of ``role``."""
    colour = COLOURS[role]
    return (round(ALPHA * colour[0] + (1 - ALPHA) * 255),
            round(ALPHA * colour[1] + (1 - ALPHA) * 255),
            round(ALPHA * colour[2] + (1 - ALPHA) * 255))


def _thickness(scale: float) -> int:
    """Lines one pixel wide at 100 dpi and below, wider on larger pictures."""
    return max(1, round(scale * 72 / 100))


def draw_page(view: PageView, boxes: list[CellBox], title: str) -> Any:
    """The page with its cells tinted by role, every cell's box, and the segments; the
    legend (with ``title`` above it) below the page."""
    import cv2

    canvas = view.image.copy()
    tinted = canvas.copy()
    thick = _thickness(view.scale)
    corners = [(box, view.pixel(box.bbox[0], box.bbox[1]), view.pixel(box.bbox[2], box.bbox[3]))
               for box in boxes]
    for box, (x0, y0), (x1, y1) in corners:
        if box.role is not None:
            cv2.rectangle(tinted, (x0, y0), (x1, y1), COLOURS[box.role], cv2.FILLED)
    canvas = cv2.addWeighted(tinted, ALPHA, canvas, 1 - ALPHA, 0)
    inset = 1 + thick
    for box, (x0, y0), (x1, y1) in corners:
        if x1 - x0 > 2 * inset and y1 - y0 > 2 * inset:
            cv2.rectangle(canvas, (x0 + inset, y0 + inset), (x1 - inset, y1 - inset), EDGE, 1)
        if box.role == "unmapped":  # the cells to look at by hand stand out
            cv2.rectangle(canvas, (x0 + inset, y0 + inset), (x1 - inset, y1 - inset),
                          COLOURS["unmapped"], 2 * thick + 1)
    _segments(canvas, view, view.segments, thick)
    counts = Counter(box.role for box in boxes if box.role is not None)
    return np.vstack([canvas, legend(canvas.shape[1], counts, title, view.scale)])


def _segments(canvas: Any, view: PageView, segments: Iterable[Segment], thick: int) -> None:
    import cv2

    for seg in segments:
        if seg.orient == "h":
            a, b = view.pixel(seg.start, seg.pos), view.pixel(seg.end, seg.pos)
        else:
            a, b = view.pixel(seg.pos, seg.start), view.pixel(seg.pos, seg.end)
        cv2.line(canvas, a, b, RULING, thick)


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def legend(width: int, counts: Counter[Role], title: str, scale: float) -> Any:
    """A white strip ``width`` pixels wide: ``title`` (wrapped), then a swatch and a name
    for each role (with how many cells of the page have it), the ruling line and the box."""
    import cv2

    font, size = cv2.FONT_HERSHEY_SIMPLEX, max(0.4, min(1.2, 0.5 * scale * 72 / 100))
    (_, text_h), _ = cv2.getTextSize("Ag", font, size, 1)
    line = round(text_h * 2.2)
    pad = line // 2
    swatch = text_h + 4
    entries: list[tuple[str, Swatch]] = [
        (f"{NAMES[role]} ({counts.get(role, 0)})", role) for role in ROLES]
    entries += [("ruling line", "ruling"), ("cell box", "edge")]
    # lay the entries out left to right, wrapping at the width
    places: list[tuple[int, int]] = []
    x, row = pad, 0
    for text, _ in entries:
        need = swatch + pad // 2 + cv2.getTextSize(text, font, size, 1)[0][0] + pad
        if x + need > width - pad and x > pad:
            x, row = pad, row + 1
        places.append((x, row))
        x += need
    title_lines = _wrap(_ascii(title), width - 2 * pad, font, size)
    height = pad + line * (len(title_lines) + row + 1) + pad // 2
    strip = np.full((height, width, 3), PAPER, dtype=np.uint8)
    cv2.line(strip, (0, 0), (width, 0), INK, 1)
    y = pad + text_h
    for text in title_lines:
        cv2.putText(strip, text, (pad, y), font, size, INK, 1, cv2.LINE_AA)
        y += line
    for (text, kind), (x, r) in zip(entries, places, strict=True):
        top = pad + line * (len(title_lines) + r)
        box = ((x, top), (x + swatch, top + swatch))
        if kind == "ruling":
            cv2.line(strip, (x, top + swatch // 2), (x + swatch, top + swatch // 2), RULING, 2)
        elif kind == "edge":
            cv2.rectangle(strip, *box, EDGE, 1)
        else:
            cv2.rectangle(strip, *box, tint(kind), cv2.FILLED)
            cv2.rectangle(strip, *box, COLOURS[kind], 2 if kind == "unmapped" else 1)
        cv2.putText(strip, text, (x + swatch + pad // 2, top + swatch - 2), font, size, INK, 1,
                    cv2.LINE_AA)
    return strip


def _wrap(text: str, width: int, font: int, size: float) -> list[str]:
    import cv2

    lines: list[str] = []
    for word in text.split():
        if lines and cv2.getTextSize(f"{lines[-1]} {word}", font, size, 1)[0][0] <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def png(image: Any) -> bytes:
    """The picture as PNG bytes."""
    import cv2

    ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 image
        raise ValueError("OpenCV could not encode the picture as PNG")
    return bytes(data.tobytes())
