"""A cell from a workbook carries its sheet and A1 reference (``'Sheet'!D20``) in the JSON,
in findings, in the HTML page and in the spreadsheet outputs; checked against the
workbook itself, read with openpyxl."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest

from jixiao import convert
from jixiao.schemas import CellRef, Document
from jixiao.writers import WRITERS
from tests.conftest import FIXTURES

WORKBOOK = FIXTURES / "real/shenzhen-songgang-2023-xmsb-a/二级项目支出绩效目标申报表 (1).xlsx"
_A1 = re.compile(r"^'(?P<sheet>(?:[^']|'')+)'!(?P<cell>[A-Z]+\d+)$")


@pytest.fixture(scope="module")
def document() -> Document:
    return convert(WORKBOOK)


def _holds(book: openpyxl.Workbook, ref: CellRef, printed: str) -> bool:
    """Whether the workbook's cell at ``ref.a1`` holds ``printed`` (a number as its value;
    a value of several pairs in one cell, ``食堂伙食支出：56.77万元；…``, inside its text)."""
    assert ref.a1 is not None
    match = _A1.match(ref.a1)
    assert match, ref.a1
    value = book[match["sheet"].replace("''", "'")][match["cell"]].value
    if isinstance(value, int | float):
        return float(printed.replace(",", "")) == value
    return printed.strip() in (str(value) if value is not None else "")


def test_references_point_at_the_cells_in_the_workbook(document: Document) -> None:
    book = openpyxl.load_workbook(WORKBOOK, data_only=True)
    checked = 0
    for form in document.forms:
        for field in form.fields:
            if field.cell is not None:
                assert _holds(book, field.cell, field.value), field
                checked += 1
        for indicator in form.indicators:
            if indicator.cell is not None and indicator.target.raw:
                assert _holds(book, indicator.cell, indicator.target.raw), indicator
                checked += 1
    assert checked > 400  # every field and target of the 20 forms


def test_findings_html_and_spreadsheets_carry_them(document: Document) -> None:
    located = [f for f in document.findings if f.cell is not None]
    assert located and all(f.cell is not None and f.cell.a1 for f in located)
    a1 = located[0].cell.a1 if located[0].cell else ""
    assert html.escape(a1) in WRITERS["html"](document).decode("utf-8")
    sheet = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](document)))["findings"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("cell_a1") + 1).value == a1
    assert sheet.cell(row=2, column=header.index("location") + 1).value == a1
    head = WRITERS["csv"](document).decode("utf-8-sig").splitlines()[0].split(",")
    assert "cell_a1" in head and head[head.index("cell_a1") + 1] == "location"


def test_word_and_pdf_cells_have_no_a1(document: Document) -> None:
    word = convert(FIXTURES / "seeds/yuanjiang-2024.docx")
    assert all(t.sheet is None for t in word.tables)
    assert all(f.cell is None or f.cell.a1 is None for form in word.forms for f in form.fields)
