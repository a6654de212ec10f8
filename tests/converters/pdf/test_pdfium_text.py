"""PDFium's characters: real spaces kept, made-up ones dropped, size from the matrices,
upright as displayed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from jixiao.converters.pdf.pdfium_text import _drop_covered, page_chars
from jixiao.converters.pdf.textlines import Char, chars_to_lines
from tests.converters.pdf.pdf_build import write_pdf


def chars_of(path: Path) -> list[Char]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return page_chars(pdf[0])
    finally:
        pdf.close()


def lines_of(path: Path) -> list[str]:
    return [line.text for line in chars_to_lines(chars_of(path))]


def test_a_space_glyph_is_kept_and_line_breaks_are_not(tmp_path: Path) -> None:
    content = "BT /F1 10 Tf 100 700 Td (Total 4 MSs) Tj 0 -20 Td (Next) Tj ET"
    chars = chars_of(write_pdf(tmp_path / "a.pdf", content))
    assert "".join(c.text for c in chars) == "Total 4 MSsNext"
    assert lines_of(tmp_path / "a.pdf") == ["Total 4 MSs", "Next"]
    t = chars[0]
    assert round(t.x0, 1) == 100 and t.size == 10 and not t.bold
    assert t.top < 100 < t.bottom  # y 700 of 800 is 100 from the top


def test_size_comes_from_the_matrices_and_bold_from_the_font(tmp_path: Path) -> None:
    # Tf 1 scaled by Tm 12: the text is 12 pt (PDFium's font size alone would say 1)
    content = "BT /F1 1 Tf 12 0 0 12 100 700 Tm (Big) Tj ET"
    chars = chars_of(write_pdf(tmp_path / "b.pdf", content))
    assert [round(c.size, 2) for c in chars] == [12, 12, 12]


def test_rotated_text_is_skipped_unless_the_page_turns_it_upright(tmp_path: Path) -> None:
    turned = "BT /F1 10 Tf 0 1 -1 0 300 100 Tm (Up) Tj ET"  # 90° counter-clockwise
    plain = "BT /F1 10 Tf 100 700 Td (Flat) Tj ET"
    path = write_pdf(tmp_path / "r0.pdf", f"{turned}\n{plain}")
    assert lines_of(path) == ["Flat"]
    # /Rotate 90 turns the page clockwise: the turned text now reads left to right
    path = write_pdf(tmp_path / "r90.pdf", turned, rotate=90)
    chars = chars_of(path)
    assert "".join(c.text for c in chars) == "Up"
    assert chars[0].x0 < chars[1].x0 and abs(chars[0].top - chars[1].top) < 0.01


def test_a_gap_filled_by_another_objects_glyph_is_not_a_space() -> None:
    def char(text: str, x0: float, x1: float) -> Char:
        return Char(text, x0, x1, 0, 10, 10)

    chars = [char("完", 0, 10), char(" ", 10, 20), char("全", 20, 30),  # “ sits in the gap
             char("“", 11, 19), char("其", 40, 50), char(" ", 50, 53), char("基", 53, 63)]
    assert [c.text for c in _drop_covered(chars, [1, 5])] == [
        "完", "全", "“", "其", " ", "基",
    ]
