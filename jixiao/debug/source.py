"""A PDF page as jixiao saw it: its image and the ruling lines the grid finder was given.

A digital page is rendered by PDFium; its segments come from the page's drawing, read by
PDFium, or by pdfminer where the converter reads the page with pdfminer (a damaged font
program: ``extract.read_page``). A scanned page (one the converter read by OCR) is
rendered, turned straight and searched for lines exactly as ``ocr.page`` does; the picture
is that straightened grayscale image (the red channel: a red seal fades out), since the
cells' boxes and the segments are in its coordinates, not in the page's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.converters.pdf.rulings import Segment
from jixiao.exceptions import DocumentLoadError

MAX_PIXELS = 40_000_000  # a larger picture is refused (A4 at 600 dpi is 35 million pixels):
# drawing holds four copies of it, at 3 bytes a pixel


@dataclass
class PageView:
    """What a page's picture is drawn on: ``image`` (BGR, uint8), where a point (x, top)
    of the cells' and segments' coordinates is pixel ((x - x0) * scale, (top - top0) *
    scale) for ``origin`` = (x0, top0)."""

    image: Any  # numpy uint8 (height, width, 3)
    scale: float  # pixels per point
    origin: tuple[float, float]
    segments: list[Segment]
    scanned: bool
    skew_degrees: float = 0.0

    def pixel(self, x: float, top: float) -> tuple[int, int]:
        return (round((x - self.origin[0]) * self.scale),
                round((top - self.origin[1]) * self.scale))


def page_count(path: Path) -> int:
    """The pages of the PDF at ``path``, as PDFium counts them (a quick check of a page
    number before the file is converted); ``DocumentLoadError`` when it cannot be opened."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path), password="")
    except Exception as exc:
        raise DocumentLoadError(f"corrupt or unreadable PDF ({_reason(exc)})") from None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def open_pages(path: Path) -> Iterator[PageSource]:
    """The PDF opened by PDFium and pdfplumber (for the converter's pdfminer fallback)."""
    import pypdfium2

    from jixiao.converters.pdf.extract import open_pdf
    from jixiao.converters.pdf.flate import bounded_pdfminer

    with ExitStack() as stack:
        stack.enter_context(bounded_pdfminer())
        plumber = stack.enter_context(open_pdf(path))
        try:
            pdf = pypdfium2.PdfDocument(str(path), password="")
        except Exception as exc:
            raise DocumentLoadError(f"corrupt or unreadable PDF ({_reason(exc)})") from None
        stack.callback(pdf.close)
        yield PageSource(pdf, plumber)


class PageSource:
    """Page views of one open PDF (``open_pages``)."""

    def __init__(self, pdf: Any, plumber: Any) -> None:
        self._pdf = pdf
        self._plumber = plumber
        self._fonts_seen: dict[int, bool] = {}

    def view(self, page: int, dpi: float, scanned: bool) -> PageView:
        """Page ``page`` (1-based) drawn at ``dpi``; ``scanned``: the converter read it by
        OCR (``Document.ocr_pages``)."""
        pdf_page = self._pdf[page - 1]
        try:
            _check_size(pdf_page, dpi, page)
            if scanned:
                return _scanned(pdf_page, dpi)
            return _digital(pdf_page, dpi, self._plumber_page(page))
        finally:
            pdf_page.close()

    def _plumber_page(self, page: int) -> Any:
        """pdfplumber's page when the converter read it with pdfminer, else None."""
        from jixiao.converters.pdf.integrity import font_programs_damaged

        plumber_page = self._plumber.pages[page - 1]
        if font_programs_damaged(plumber_page.page_obj, self._fonts_seen):
            return plumber_page
        return None


def _check_size(pdf_page: Any, dpi: float, number: int) -> None:
    width, height = pdf_page.get_size()
    pixels = width * height * (dpi / 72.0) ** 2
    if pixels > MAX_PIXELS:
        raise DocumentLoadError(
            f"page {number} is too large to draw at {dpi:g} dpi ({pixels / 1e6:.0f} million "
            "pixels): ask for a lower dpi")


def _digital(pdf_page: Any, dpi: float, plumber_page: Any) -> PageView:
    import cv2

    from jixiao.converters.pdf.extract import plumber_drawing
    from jixiao.converters.pdf.pdfium_page import page_drawing, page_frame
    from jixiao.converters.pdf.rulings import page_segments

    frame = page_frame(pdf_page)
    if plumber_page is None:
        drawing = page_drawing(pdf_page, frame)
    else:
        drawing = plumber_drawing(plumber_page)
    segments = page_segments(drawing.lines, drawing.rects, drawing.curves)
    scale = dpi / 72.0
    image = pdf_page.render(scale=scale).to_numpy()  # BGR (PDFium's order), or BGRA
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    # PDFium draws the crop box; the layout's coordinates start at the media box.
    x0, top, _, _ = frame.box(*pdf_page.get_cropbox())
    return PageView(np.ascontiguousarray(image), scale, (x0, top), segments, scanned=False)


def _scanned(pdf_page: Any, dpi: float) -> PageView:
    import cv2

    from jixiao.converters.ocr.raster import DPI, find_segments, render, straighten

    seen = straighten(render(pdf_page, DPI), DPI)
    segments = find_segments(seen)
    height, width = seen.gray.shape
    size = (max(1, round(width * dpi / DPI)), max(1, round(height * dpi / DPI)))
    gray = seen.gray if size == (width, height) else cv2.resize(
        seen.gray, size, interpolation=cv2.INTER_AREA)
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    return PageView(image, dpi / 72.0, (0.0, 0.0), segments, scanned=True,
                    skew_degrees=seen.skew_degrees)
