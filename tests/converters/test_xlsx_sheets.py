"""The sparse .xlsx reader gives the texts openpyxl's full loader gives, cell for cell."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

import openpyxl
import pytest

from jixiao.converters.xlsx import display
from jixiao.converters.xlsx_sheets import Sheet, Workbook
from jixiao.exceptions import DocumentLoadError
from tests.converters.hostile_bytes import raw_zip
from tests.hostile import real_xlsx, text_cell, worksheet, xlsx_members


def varied_workbook(date1904: bool = False, chart: bool = False) -> bytes:
    """Two sheets of every kind of value, number format and merge openpyxl writes."""
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if date1904 else wb.epoch
    ws = wb.active
    ws.title = "表一"
    values: list[tuple[object, str]] = [
        (5, "0.00"), (1234.5, "#,##0.00"), (0.955, "0.0%"), (12.8, "General"), (3.0, "General"),
        (dt.date(2024, 3, 1), "yyyy-mm-dd"), (dt.datetime(2024, 12, 31, 8, 30), "yyyy/m/d h:mm"),
        (dt.time(9, 15), "h:mm"), (dt.timedelta(hours=36), "[h]:mm:ss"), (True, "General"),
        ("≥20人", "@"), ("  padded  ", "General"), ("=1+1", "General"), (-7, '0"元"'),
        (45000, 'yyyy"年"m"月"d"日"'), (1e-7, "General"), (123456789012, "0"),
    ]
    for row, (value, fmt) in enumerate(values, start=2):
        ws.cell(row, 2, value).number_format = fmt
        ws.cell(row, 3, f"第{row}行")
    ws.cell(1, 1, "标题")
    ws.merge_cells("A1:C1")
    ws.merge_cells("D3:E6")
    ws.cell(30, 5).number_format = "0.00"  # styled, empty
    other = wb.create_sheet("Hidden")
    other.sheet_state = "hidden"
    other["C4"] = "隐藏"
    if chart:  # (openpyxl's own loader fails on an empty chartsheet)
        wb.create_chartsheet("Chart")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def openpyxl_texts(data: bytes) -> list[dict[tuple[int, int], str]]:
    """Each worksheet's non-empty display texts and merges, read by openpyxl's full loader."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out = []
    for ws in wb.worksheets:
        texts = {}
        for row in ws.iter_rows():
            for cell in row:
                text = display(cell.value, cell.number_format).strip()
                if text:
                    texts[(cell.row, cell.column)] = text
        out.append(texts)
    return out


def sparse_sheets(data: bytes) -> list[Sheet]:
    book = Workbook(data)
    try:
        return list(book.sheets(display))
    finally:
        book.close()


@pytest.mark.parametrize("date1904", [False, True])
def test_texts_equal_openpyxl_full_load(date1904: bool) -> None:
    data = varied_workbook(date1904)
    sheets = sparse_sheets(data)
    assert [s.title for s in sheets] == ["表一", "Hidden"]
    assert [s.texts for s in sheets] == openpyxl_texts(data)
    assert sheets[0].texts[(8, 2)] == "2024-12-31"
    assert sheets[0].merges == {(1, 1, 1, 3), (3, 4, 6, 5)}


def test_chartsheets_are_not_read_as_worksheets() -> None:
    sheets = sparse_sheets(varied_workbook(chart=True))
    assert [s.title for s in sheets] == ["表一", "Hidden"]


def test_real_workbook_equals_openpyxl() -> None:
    data = real_xlsx()
    assert [s.texts for s in sparse_sheets(data)] == openpyxl_texts(data)


def test_cells_without_references_follow_their_row(tmp_path: Path) -> None:
    rows = (b'<row r="3"><c><v>1</v></c><c t="b"><v>1</v></c>' + text_cell("E3", "e")
            + b'<c t="str"><v>f</v></c></row><row><c t="e"><v>#N/A</v></c></row>')
    [sheet] = sparse_sheets(raw_zip(xlsx_members(worksheet(rows))))
    assert sheet.texts == {(3, 1): "1", (3, 2): "TRUE", (3, 5): "e", (3, 6): "f", (4, 1): "#N/A"}


@pytest.mark.parametrize("cell", [b'<c r="A1" t="s"><v>7</v></c>', b'<c r="A1"><v>x</v></c>',
                                  b'<c r="1A"><v>1</v></c>'])
def test_bad_cells_are_load_errors(cell: bytes) -> None:
    with pytest.raises(DocumentLoadError, match=r"^not a readable \.xlsx workbook: bad"):
        sparse_sheets(raw_zip(xlsx_members(worksheet(b"<row>" + cell + b"</row>"))))
