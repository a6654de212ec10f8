"""A digital PDF page's drawing, read by PDFium (pypdfium2): ruling-line paths and images.

PDFium parses a page's content in C++, some twenty times faster than pdfminer does in
Python, and decodes text the way viewers do (see ``pdfium_text``). What this module gives
has the shape of pdfplumber's objects (``lines``, ``rects``, ``curves``, ``images``: dicts
with ``x0``/``top``/``x1``/``bottom``, ``pts``, ``fill``/``stroke``), so ``rulings`` builds
segments from either reader. A path is classified as pdfminer classifies it: each subpath
on its own; two points → a line; four corners of an axis-aligned box → a rect; anything
else → a curve of its points.

Coordinates are the page as displayed: x from the left edge of the media box, ``top`` from
its top, after the page's /Rotate (``Frame``).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in PDF
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# FPDF_PAGEOBJ_* and FPDF_SEGMENT_* of fpdf_edit.h
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
MAX_FORM_DEPTH = 16  # form XObjects nest; a loop in a damaged file must not recurse forever


@dataclass(frozen=True, slots=True)
class Frame:
    """User space (PDF points, y up) → the displayed page (y down from the top)."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0  # the page's /Rotate, clockwise: 0, 90, 180 or 270

    @property
    def width(self) -> float:
        w, h = self.right - self.left, self.top - self.bottom
        return h if self.rotation in (90, 270) else w

    @property
    def height(self) -> float:
        w, h = self.right - self.left, self.top - self.bottom
        return w if self.rotation in (90, 270) else h

    def point(self, x: float, y: float) -> Point:
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[
        float, float, float, float
    ]:
        """A user-space box → ``(x0, top, x1, bottom)`` on the displayed page."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def page_frame(page: Any) -> Frame:
    left, bottom, right, top = page.get_mediabox()
    rotation = page.get_rotation() % 360
    return Frame(float(left), float(bottom), float(right), float(top),
                 rotation if rotation in (90, 180, 270) else 0)


@dataclass
class Drawing:
    """What pdfplumber calls ``lines``, ``rects``, ``curves`` and ``images``."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    rects: list[dict[str, Any]] = field(default_factory=list)
    curves: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF's row-vector convention: inner × outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any, raw: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _objects(page: Any, raw: Any) -> Iterator[tuple[int, Any, Matrix]]:
    """Every page object (type, handle, its matrix to user space), inside forms too."""
    stack: list[tuple[Any, Matrix, int]] = []
    for i in range(raw.FPDFPage_CountObjects(page)):
        stack.append((raw.FPDFPage_GetObject(page, i), IDENTITY, 0))
    stack.reverse()
    while stack:
        obj, outer, depth = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _FORM:
            if depth >= MAX_FORM_DEPTH:
                continue
            form = _compose(_matrix(obj, raw), outer)
            children = [(raw.FPDFFormObj_GetObject(obj, j), form, depth + 1)
                        for j in range(raw.FPDFFormObj_CountObjects(obj))]
            stack.extend(reversed(children))
        elif kind in (_PATH, _IMAGE):
            yield kind, obj, outer


def _subpaths(obj: Any, raw: Any, matrix: Matrix) -> Iterator[tuple[list[Point], bool, bool]]:
    """The path's subpaths as lists of user-space points, whether each is closed and
    whether it has curved segments."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[Point] = []
    closed = curved = False
    controls = 0  # a Bézier segment is three points: two control points, then its end
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == _BEZIERTO:
            curved = True
            controls = (controls + 1) % 3
            if controls:
                continue  # only the points on the curve, as pdfminer gives them
        elif kind == _MOVETO and points:
            yield points, closed, curved
            points, closed, curved = [], False, False
        px, py = x.value, y.value
        points.append((a * px + c * py + e, b * px + d * py + f))
        closed = closed or bool(raw.FPDFPathSegment_GetClose(seg))
    if points:
        yield points, closed, curved


def _is_box(pts: list[Point]) -> bool:
    """Four corners of an axis-aligned rectangle, in drawing order (pdfminer's test)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )


def _add_path(drawing: Drawing, obj: Any, raw: Any, matrix: Matrix, frame: Frame) -> None:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke)):
        return
    fill, stroked = fillmode.value != 0, bool(stroke.value)
    if not (fill or stroked):
        return  # a path that paints nothing
    to_page = _compose(_matrix(obj, raw), matrix)
    for pts, closed, curved in _subpaths(obj, raw, to_page):
        if closed and len(pts) >= 2 and pts[-1] != pts[0]:
            pts = [*pts, pts[0]]
        if len(pts) == 5 and pts[4] == pts[0]:
            pts = pts[:4]  # a closed box repeats its first corner
        shown = [frame.point(px, py) for px, py in pts]
        if len(shown) == 2 and not curved:
            (ax, ay), (bx, by) = shown
            drawing.lines.append({"x0": min(ax, bx), "top": min(ay, by),
                                  "x1": max(ax, bx), "bottom": max(ay, by)})
        elif len(shown) == 4 and not curved and _is_box(pts):
            xs, ys = [p[0] for p in shown], [p[1] for p in shown]
            drawing.rects.append({"x0": min(xs), "top": min(ys), "x1": max(xs),
                                  "bottom": max(ys), "fill": fill, "stroke": stroked})
        elif len(shown) >= 2:
            drawing.curves.append({"pts": shown, "fill": fill, "stroke": stroked})


def _add_image(drawing: Drawing, obj: Any, raw: Any, matrix: Matrix, frame: Frame) -> None:
    # An image fills its unit square; its matrix (and the forms' around it) place it.
    m = _compose(_matrix(obj, raw), matrix)
    corners = [(m[4] + m[0] * u + m[2] * v, m[5] + m[1] * u + m[3] * v)
               for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
    shown = [frame.point(x, y) for x, y in corners]
    xs, ys = [p[0] for p in shown], [p[1] for p in shown]
    width, height = ctypes.c_uint(), ctypes.c_uint()  # as declared: nothing is decoded
    if not raw.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(width), ctypes.byref(height)):
        width.value = height.value = 0
    drawing.images.append({"x0": min(xs), "top": min(ys), "x1": max(xs), "bottom": max(ys),
                           "srcsize": (width.value, height.value)})


def page_drawing(page: Any, frame: Frame | None = None) -> Drawing:
    """The ruling-line candidates and images of ``page`` (a pypdfium2 ``PdfPage``)."""
    import pypdfium2.raw as raw

    frame = frame or page_frame(page)
    drawing = Drawing()
    for kind, obj, matrix in _objects(page.raw, raw):
        if kind == _PATH:
            _add_path(drawing, obj, raw, matrix, frame)
        else:
            _add_image(drawing, obj, raw, matrix, frame)
    return drawing
