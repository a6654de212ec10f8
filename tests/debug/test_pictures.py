"""The debug picture of a page: the page at the scale asked, its cells tinted where the
converted ``Document`` puts them (positions computed here from the Document's boxes and
the page size PDFium reports, never from the drawing code), the ruling lines drawn, and a
legend strip below the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from jixiao import convert
from jixiao.converters.pdf.rulings import Segment
from jixiao.debug import page_picture, pictures, png
from jixiao.debug.draw import COLOURS, RULING, draw_page, tint
from jixiao.debug.roles import CellBox, Role
from jixiao.debug.source import PageView
from jixiao.exceptions import DocumentLoadError
from jixiao.schemas import Cell, Document, Table
from tests.conftest import SEEDS

PDF = SEEDS / "yuanjiang-2024.pdf"
SCAN = SEEDS / "yuanjiang-2024.scan.pdf"
DPI = 100


@pytest.fixture(scope="module")
def document() -> Document:
    return convert(PDF)


def _page_size(path: Path, page: int) -> tuple[float, float]:
    pdf = pdfium.PdfDocument(path)
    try:
        width, height = pdf[page - 1].get_size()
    finally:
        pdf.close()
    return width, height


def _one_page(source: Path, page: int, target: Path, crop: tuple[float, float] = (0, 0)) -> Path:
    """Page ``page`` of ``source`` alone in a new PDF (its crop box cut ``crop`` points in
    from the left and from the top)."""
    src, dst = pdfium.PdfDocument(source), pdfium.PdfDocument.new()
    dst.import_pages(src, [page - 1])
    if crop != (0, 0):
        left, bottom, right, top = dst[0].get_mediabox()
        dst[0].set_cropbox(left + crop[0], bottom, right, top - crop[1])
    dst.save(target)
    dst.close()
    src.close()
    return target


def _indicator_cells(document: Document, page: int) -> tuple[Cell, Cell]:
    """The level-3 cell and the target cell of the first indicator on ``page``: the target
    as the form references it, the level 3 as the cell of that row printing it."""
    indicator = next(i for f in document.forms for i in f.indicators
                     if i.cell is not None and i.cell.page == page)
    assert indicator.cell is not None
    table: Table = next(t for t in document.tables if t.id == indicator.cell.table)
    row = [c for c in table.cells if c.row == indicator.cell.row]
    (level3,) = [c for c in row if c.text.strip() == indicator.level3]
    (target,) = [c for c in row if c.col == indicator.cell.col]
    return level3, target


def _inside(image: Any, cell: Cell, scale: float, origin: tuple[float, float] = (0, 0)) -> Any:
    """The pixels well inside the cell's box (clear of its edges and outline)."""
    assert cell.provenance is not None and cell.provenance.bbox is not None
    x0, top, x1, bottom = ((v - origin[i % 2]) * scale
                           for i, v in enumerate(cell.provenance.bbox))
    inset = 5
    return image[round(top) + inset:round(bottom) - inset,
                 round(x0) + inset:round(x1) - inset].reshape(-1, 3)


def _share(pixels: Any, colour: tuple[int, int, int], tolerance: int) -> float:
    """The share of ``pixels`` within ``tolerance`` of ``colour`` on every channel."""
    near = np.all(np.abs(pixels.astype(int) - np.array(colour)) <= tolerance, axis=1)
    return float(near.mean())


def test_digital_page_3(document: Document) -> None:
    ((number, image),) = list(pictures(PDF, [3], DPI, document=document))
    assert number == 3
    decoded = cv2.imdecode(np.frombuffer(png(image), np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None and np.array_equal(decoded, image)
    width, height = _page_size(PDF, 3)
    scale = DPI / 72  # pixels per point; PDFium rounds a page's size in pixels up
    assert abs(decoded.shape[1] - width * scale) < 1
    rule = next(y for y in range(decoded.shape[0]) if (decoded[y] == 0).all())
    assert abs(rule - height * scale) < 1  # the page, then the legend strip's black rule
    assert decoded.shape[0] > rule + 40  # … and the legend below it
    level3, target = _indicator_cells(document, 3)
    # about half a cell is paper (the rest its text): paper takes the role's tint
    assert _share(_inside(decoded, level3, scale), tint("level3"), 3) > 0.4
    assert _share(_inside(decoded, target, scale), tint("target"), 3) > 0.4


def test_ruling_lines_are_drawn(document: Document) -> None:
    """The table's left border is a ruling line: red at mid-height of the table."""
    image = page_picture(PDF, 3, DPI)
    (table,) = [t for t in document.tables if t.pages == [3]]
    assert table.provenance is not None and table.provenance.bbox is not None
    x0, top, _, bottom = (v * DPI / 72 for v in table.provenance.bbox)
    y = round((top + bottom) / 2)
    window = image[y, round(x0) - 2:round(x0) + 3]
    assert any(tuple(int(v) for v in px) == RULING for px in window)


def test_a_crop_box_moves_the_page_not_the_cells(tmp_path: Path) -> None:
    """PDFium draws the crop box; the cells' boxes are measured from the media box. (The
    crop is wider than a column: a cell drawn where the media box would put it falls in
    the next column, the targets'.)"""
    crop = (100.0, 20.0)
    path = _one_page(PDF, 3, tmp_path / "cropped.pdf", crop)
    document = convert(path)
    ((_, image),) = list(pictures(path, [1], DPI, document=document))
    width, _ = _page_size(path, 1)
    scale = DPI / 72
    assert abs(image.shape[1] - width * scale) < 1
    level3, _ = _indicator_cells(document, 1)
    assert _share(_inside(image, level3, scale, crop), tint("level3"), 3) > 0.4
    assert _share(_inside(image, level3, scale), tint("level3"), 3) < 0.05


def test_scanned_page_is_drawn_as_straightened(tmp_path: Path) -> None:
    """A scan: the picture is the straightened image the cells were read from."""
    path = _one_page(SCAN, 3, tmp_path / "page3.scan.pdf")
    document = convert(path)
    assert document.ocr_pages == [1]
    ((_, image),) = list(pictures(path, None, DPI, document=document))
    width, height = _page_size(path, 1)
    scale = DPI / 72
    assert abs(image.shape[1] - width * scale) <= 1
    assert image.shape[0] > height * scale
    level3, target = _indicator_cells(document, 1)
    # a scan's paper is grayish and speckled: looser than on a digital page
    assert _share(_inside(image, level3, scale), tint("level3"), 25) > 0.5
    assert _share(_inside(image, target, scale), tint("target"), 25) > 0.5


def test_a_page_too_large_to_draw_is_refused(tmp_path: Path) -> None:
    """A poster-sized page (200 inches square) at 100 dpi: 400 million pixels, refused with
    the page and the way out named, before anything is rendered."""
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400)
    path = tmp_path / "poster.pdf"
    pdf.save(path)
    with pytest.raises(DocumentLoadError, match=r"page 1 is too large to draw at 100 dpi .* "
                                                r"ask for a lower dpi"):
        page_picture(path, 1, DPI)


def _box(bbox: tuple[float, float, float, float], role: Role | None) -> CellBox:
    return CellBox(bbox, role, "t0", 0, 0)


def test_draw_page_on_a_blank_page() -> None:
    view = PageView(np.full((100, 200, 3), 255, np.uint8), 1.0, (0.0, 0.0),
                    [Segment("h", 50.0, 0.0, 200.0)], scanned=False)
    boxes = [_box((10, 10, 90, 90), "unmapped"), _box((110, 10, 190, 40), "level3"),
             _box((110, 60, 190, 90), None)]
    image = draw_page(view, boxes, "a title")
    assert image.shape[1] == 200 and image.shape[0] > 100

    def at(x: int, y: int) -> tuple[int, ...]:
        return tuple(int(v) for v in image[y, x])

    assert at(50, 30) == tint("unmapped")
    assert at(12, 30) == COLOURS["unmapped"]  # its outline, to stand out
    assert at(150, 25) == tint("level3")
    assert at(150, 75) == (255, 255, 255)  # a cell without a role keeps its paper
    assert at(100, 50) == RULING
