"""PDFium's reading of a page's drawing: paths classified as pdfminer classifies them, in the
displayed page's coordinates (x from the left, top from the top, after /Rotate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from jixiao.converters.pdf.pdfium_page import Drawing, Frame, page_drawing, page_frame
from tests.converters.pdf.pdf_build import write_pdf


def drawing_of(path: Path) -> tuple[Drawing, Frame]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        frame = page_frame(page)
        return page_drawing(page, frame), frame
    finally:
        pdf.close()


def rounded(objs: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(round(o[k], 2) if isinstance(o[k], float) else o[k] for k in keys)
            for o in objs]


BOX = ("x0", "top", "x1", "bottom")


@pytest.mark.parametrize(("rotation", "corners"), [
    # user-space corners (left, bottom), (left, top), (right, top) of a 600 x 800 media box
    # offset by (10, 20) → where they show on the displayed page
    (0, [(0, 800), (0, 0), (600, 0)]),
    (90, [(0, 0), (800, 0), (800, 600)]),
    (180, [(600, 0), (600, 800), (0, 800)]),
    (270, [(800, 600), (0, 600), (0, 0)]),
])
def test_frame_turns_user_space_into_the_displayed_page(
    rotation: int, corners: list[tuple[float, float]]
) -> None:
    frame = Frame(10, 20, 610, 820, rotation)
    got = [frame.point(x, y) for x, y in ((10, 20), (10, 820), (610, 820))]
    assert got == corners
    assert (frame.width, frame.height) == ((800, 600) if rotation in (90, 270) else (600, 800))


def test_lines_rects_and_curves_are_told_apart_as_pdfminer_does(tmp_path: Path) -> None:
    content = "\n".join([
        "100 700 m 300 700 l S",  # a stroked line
        "100 600 m 200 600 l 100 500 m 100 400 l S",  # two subpaths: two lines
        "50 300 200 0.5 re f",  # a thin filled bar: a rect
        "50 200 100 50 re S",  # a stroked box: a rect
        "300 300 m 400 300 l 400 350 l h f",  # a triangle: a curve
        "50 100 m 60 150 90 150 100 100 c S",  # a Bézier: only its end points
        "10 10 m 20 10 l n",  # paints nothing: no object
    ])
    drawing, _ = drawing_of(write_pdf(tmp_path / "paths.pdf", content))
    assert rounded(drawing.lines, *BOX) == [
        (100, 100, 300, 100), (100, 200, 200, 200), (100, 300, 100, 400),
    ]
    assert rounded(drawing.rects, *BOX, "fill", "stroke") == [
        (50, 499.5, 250, 500, True, False), (50, 550, 150, 600, False, True),
    ]
    assert [c["pts"] for c in drawing.curves] == [
        [(300, 500), (400, 500), (400, 450), (300, 500)],
        [(50, 700), (100, 700)],
    ]
    assert drawing.images == []


def test_forms_and_matrices_place_what_they_draw(tmp_path: Path) -> None:
    # The page shifts by (10, 20) with cm; the form's own /Matrix shifts by (5, 0) more.
    content = "q 1 0 0 1 10 20 cm /X1 Do Q q 100 0 0 50 200 300 cm /Im1 Do Q"
    path = write_pdf(tmp_path / "form.pdf", content, form="100 700 m 300 700 l S",
                     form_matrix="1 0 0 1 5 0")
    drawing, _ = drawing_of(path)
    assert rounded(drawing.lines, *BOX) == [(115, 80, 315, 80)]
    assert rounded(drawing.images, *BOX) == [(200, 450, 300, 500)]


def test_a_rotated_page_is_read_as_displayed(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "rotated.pdf", "100 700 m 300 700 l S", rotate=90)
    drawing, frame = drawing_of(path)
    assert (frame.width, frame.height) == (800, 600)
    # /Rotate 90 turns the page clockwise: user y becomes x, user x becomes top
    assert rounded(drawing.lines, *BOX) == [(700, 100, 700, 300)]
