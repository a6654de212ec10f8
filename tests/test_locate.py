"""Where a person opens a cell (``jixiao.locate.location``), and the ``page`` the mapping
puts on the references to a PDF's cells (``GridView.ref``), checked against the PDF's own
text read with pypdfium2."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from jixiao import convert
from jixiao.locate import location, table_number
from jixiao.mapping.gridview import GridView
from jixiao.schemas import Cell, CellRef, Document, Provenance, Table
from tests.conftest import SEEDS

YUANJIANG_PDF = SEEDS / "yuanjiang-2024.pdf"


# --- the three kinds ----------------------------------------------------------------------


def test_workbook_cell_is_its_sheet_and_a1() -> None:
    ref = CellRef(table="t2", row=18, col=3, a1="'2.社区工作站管理经费（东方社区）'!D20")
    assert location(ref) == "'2.社区工作站管理经费（东方社区）'!D20"


def test_pdf_cell_is_page_table_row_col_from_1() -> None:
    assert location(CellRef(table="t2", row=4, col=1, page=28)) == "p.28 table 3 row 5 col 2"
    assert location(CellRef(table="t0", row=0, col=0, page=1)) == "p.1 table 1 row 1 col 1"


def test_word_cell_has_no_page() -> None:
    assert location(CellRef(table="t7", row=10, col=4)) == "table 8 row 11 col 5"


def test_table_numbers() -> None:
    assert [table_number(t) for t in ("t0", "t9", "t10")] == ["1", "10", "11"]
    assert table_number("x1") == "x1"  # not one of ours: shown as it is
    assert location(CellRef(table="x1", row=0, col=0)) == "table x1 row 1 col 1"


# --- GridView.ref: the page ----------------------------------------------------------------


def _cell(row: int, page: int | None) -> Cell:
    provenance = Provenance(page=page) if page is not None else None
    return Cell(row=row, col=0, text=f"r{row}", provenance=provenance)


def test_stitched_table_cells_keep_their_own_pages() -> None:
    table = Table(id="t1", n_rows=3, n_cols=1, pages=[4, 5],
                  cells=[_cell(0, 4), _cell(1, 5), _cell(2, None)])
    view = GridView(table)
    assert [view.ref(c).page for c in table.cells] == [4, 5, None]  # the last: unknown


def test_one_page_table_gives_its_page_to_a_cell_without_one() -> None:
    table = Table(id="t0", n_rows=1, n_cols=1, pages=[7], cells=[_cell(0, None)])
    assert GridView(table).ref(table.cells[0]).page == 7


def test_workbook_and_word_cells_have_no_page() -> None:
    # A workbook's cells carry their sheet's number in provenance.page: not a page.
    sheet = Table(id="t0", n_rows=1, n_cols=1, sheet="预算", origin="B3", cells=[_cell(0, 1)])
    ref = GridView(sheet).ref(sheet.cells[0])
    assert (ref.page, ref.a1) == (None, "'预算'!B3")
    word = Table(id="t0", n_rows=1, n_cols=1, cells=[_cell(0, None)])
    assert GridView(word).ref(word.cells[0]).page is None


# --- a real PDF ---------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf_document() -> Document:
    return convert(YUANJIANG_PDF)


@pytest.fixture(scope="module")
def page_texts() -> dict[int, str]:
    pdf = pdfium.PdfDocument(YUANJIANG_PDF)
    try:
        return {n: _squeeze(page.get_textpage().get_text_range())
                for n, page in enumerate(pdf, start=1)}
    finally:
        pdf.close()


def test_pdf_references_name_the_page_holding_the_cell(
    pdf_document: Document, page_texts: dict[int, str]
) -> None:
    """Every field and indicator cell has a page; where the cell's first line is printed on
    one page only, that is the page named, including both pages of the stitched table."""
    cells = {(t.id, c.row, c.col): c for t in pdf_document.tables for c in t.cells}
    refs = [x.cell for form in pdf_document.forms for x in [*form.fields, *form.indicators]
            if x.cell is not None]
    assert len(refs) > 100 and all(r.page is not None for r in refs)
    checked: dict[str, set[int]] = {}
    for ref in refs:
        first = _squeeze(cells[(ref.table, ref.row, ref.col)].text.split("\n")[0])
        on = [n for n, text in page_texts.items() if len(first) >= 4 and first in text]
        if len(on) == 1:
            assert ref.page == on[0], (ref, first)
            checked.setdefault(ref.table, set()).add(on[0])
    assert sum(len(p) for p in checked.values()) >= 9
    stitched = next(t for t in pdf_document.tables if len(t.pages) > 1)
    assert checked[stitched.id] == set(stitched.pages)  # cells found on each of its pages
