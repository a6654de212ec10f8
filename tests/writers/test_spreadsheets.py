"""XLSX and CSV writers: every output reloaded and checked against the document.

The workbook is read back with openpyxl (sheet set, header, merges equal to the table spans,
values and their cell types); the CSV with the csv module (BOM, row count, CRLF, every value
back exactly). Texts that look like formulas stay texts in both.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao import convert
from jixiao.cli import app
from jixiao.schemas import Document
from jixiao.schemas.model import (
    Cell,
    CellRef,
    Finding,
    Form,
    Indicator,
    ProjectInfo,
    Source,
    Table,
    Target,
)
from jixiao.writers import WRITERS, parse_formats
from jixiao.writers.flat_csv import guard, needs_guard, unguard
from jixiao.writers.spreadsheet import (
    FINDING_COLUMNS,
    FORM_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
    Value,
    finding_rows,
    form_rows,
    indicator_rows,
    sheet_name,
)
from tests.conftest import FIXTURES, SEEDS

VARIANTS = FIXTURES / "variants"
OTHER_INPUTS = [
    *sorted(VARIANTS.glob("*.docx")), VARIANTS / "xlsx-published.xlsx", SEEDS / "laoting-2024.pdf",
]


@pytest.fixture(scope="module")
def documents(seed_documents: dict[str, Document]) -> dict[str, Document]:
    docs = dict(seed_documents)
    docs.update({path.name: convert(path) for path in OTHER_INPUTS})
    return docs


def names() -> list[str]:
    return ["yuanjiang-2024", "laoting-2024", *(p.name for p in OTHER_INPUTS)]


# --- XLSX -----------------------------------------------------------------------------


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def in_xlsx(value: Value) -> Value | float:
    """What openpyxl reads back for a written value."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", value)
    return value


def check_data_sheet(ws: Any, columns: tuple[Column[Any], ...], rows: list[Any]) -> None:
    grid = [list(r) for r in ws.iter_rows()]
    assert [c.value for c in grid[0]] == [c.name for c in columns]
    assert all(c.font.bold for c in grid[0])
    assert ws.freeze_panes == "A2"
    assert len(grid) == len(rows) + 1, ws.title
    for row, cells in zip(rows, grid[1:], strict=True):
        for column, cell in zip(columns, cells, strict=True):
            expected = in_xlsx(column.get(row))
            assert cell.value == expected, (ws.title, column.name, cell.coordinate)
            if isinstance(expected, str):
                assert cell.data_type == "s", (ws.title, column.name, cell.coordinate)
            elif expected is not None:
                assert column.numeric and cell.data_type in "nb", (column.name, cell.coordinate)
    for letter, dim in ws.column_dimensions.items():
        assert 6 <= dim.width <= 60, (ws.title, letter)


def check_table_sheet(ws: Any, table: Table) -> None:
    merges = {r.bounds for r in ws.merged_cells.ranges}  # (min_col, min_row, max_col, max_row)
    assert merges == {
        (c.col + 1, c.row + 1, c.col + c.col_span, c.row + c.row_span)
        for c in table.cells
        if c.row_span > 1 or c.col_span > 1
    }
    assert ws.max_row <= table.n_rows and ws.max_column <= table.n_cols
    for c in table.cells:
        cell = ws.cell(row=c.row + 1, column=c.col + 1)
        assert cell.value == in_xlsx(c.text), cell.coordinate
        assert cell.value is None or cell.data_type == "s"
        assert cell.alignment.wrap_text
    # every cell's outline is drawn, merged or not, and so is every slot no cell covers
    outlines = {(r, k): [r, k, r, k] for r in range(table.n_rows) for k in range(table.n_cols)}
    for c in table.cells:
        for r, k in itertools.product(
            range(c.row, c.row + c.row_span), range(c.col, c.col + c.col_span)
        ):
            outlines[r, k] = [c.row, c.col, c.row + c.row_span - 1, c.col + c.col_span - 1]
    for (r, k), (top, left, bottom, right) in outlines.items():
        border = ws.cell(row=r + 1, column=k + 1).border
        for side, on_edge in (
            ("top", r == top), ("left", k == left), ("bottom", r == bottom), ("right", k == right)
        ):
            if on_edge:
                assert getattr(border, side).style == "thin", (ws.title, r, k, side)


@pytest.mark.parametrize("name", names())
def test_xlsx_reloads_with_every_value(name: str, documents: dict[str, Document]) -> None:
    doc = documents[name]
    wb = load(WRITERS["xlsx"](doc))
    assert wb.sheetnames == ["forms", "indicators", "findings", *(t.id for t in doc.tables)]
    assert all(len(n) <= 31 for n in wb.sheetnames)
    check_data_sheet(wb["forms"], FORM_COLUMNS, form_rows(doc))
    check_data_sheet(wb["indicators"], INDICATOR_COLUMNS, indicator_rows(doc))
    check_data_sheet(wb["findings"], FINDING_COLUMNS, finding_rows(doc))
    for table in doc.tables:
        check_table_sheet(wb[table.id], table)
    assert wb["forms"].max_row == len(doc.forms) + 1
    assert wb["indicators"].max_row == sum(len(f.indicators) for f in doc.forms) + 1


def test_xlsx_numbers_are_numbers(documents: dict[str, Document]) -> None:
    doc = documents["yuanjiang-2024"]
    ws = load(WRITERS["xlsx"](doc))["forms"]
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    total = doc.forms[0].budget.total
    assert total is not None and total.value is not None
    assert row["budget_total_raw"].value == total.raw and row["budget_total_raw"].data_type == "s"
    assert Decimal(repr(row["budget_total_value"].value)) == total.value
    assert row["budget_total_value"].data_type == "n"
    assert row["indicators"].value == len(doc.forms[0].indicators)


def test_xlsx_same_document_same_bytes(documents: dict[str, Document]) -> None:
    doc = documents["laoting-2024"]
    first = WRITERS["xlsx"](doc)
    assert WRITERS["xlsx"](doc.model_copy(deep=True)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode("utf-8")
    assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified, not the clock
    props = load(first).properties
    assert props.creator == "jixiao" and props.title == Path(doc.source.path).name


# --- texts that look like formulas ----------------------------------------------------

TRICKY = [
    "=1+1", '=HYPERLINK("http://x","y")', "+1", "-5%", "-0.5", "-", "--", "@SUM(A1)",
    "-2+3+cmd|' /C calc'!A0", "#N/A", "#DIV/0!", "2024.12", "1-2", "0012", "'=x", "''-1",
    "\tx", "\rx", "a\nb", "＝1", "bell\x07", "",
]


def tricky_document() -> Document:
    indicators = [
        Indicator(
            level1="产出指标", level2="数量指标", level3=f"=指标{i}", description=raw,
            target=Target(raw=raw, op="=", value=Decimal("-5"), unit="%", kind="percent"),
            actual=Target(raw=raw), weight=raw, cell=CellRef(table="t0", row=i, col=1),
        )
        for i, raw in enumerate(TRICKY)
    ]
    form = Form(
        id="f0", kind="project_goals", title="=title", table_ids=["t0"],
        project=ProjectInfo(name="-项目", department="@部门"), indicators=indicators,
    )
    cells = [Cell(row=i, col=0, text=raw) for i, raw in enumerate(TRICKY)]
    cells.append(Cell(row=0, col=1, row_span=len(TRICKY), text="=SUM(A1:A3)"))
    return Document(
        source=Source(path="x/tricky.docx", sha256="0" * 64, format="docx", size=1),
        tables=[Table(id="t0", n_rows=len(TRICKY), n_cols=2, cells=cells)],
        forms=[form],
        findings=[Finding(rule="r", severity="info", message="=msg", form="f0", value="-1+1")],
    )


def test_xlsx_never_writes_a_formula_or_error() -> None:
    doc = tricky_document()
    data = WRITERS["xlsx"](doc)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        for sheet in sheets:
            xml = package.read(sheet).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml, sheet
    wb = load(data)
    check_data_sheet(wb["indicators"], INDICATOR_COLUMNS, indicator_rows(doc))
    check_data_sheet(wb["forms"], FORM_COLUMNS, form_rows(doc))
    check_data_sheet(wb["findings"], FINDING_COLUMNS, finding_rows(doc))
    check_table_sheet(wb["t0"], doc.tables[0])
    ws = wb["indicators"]
    raw_col = [c.value for c in ws[1]].index("target_raw") + 1
    for i, raw in enumerate(TRICKY, 2):
        cell = ws.cell(row=i, column=raw_col)
        assert cell.quotePrefix == raw.startswith(("=", "+", "-", "@")), repr(raw)
    assert wb["t0"]["B1"].value == "=SUM(A1:A3)" and wb["t0"]["B1"].data_type == "s"


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    got = [
        sheet_name(n, taken)
        for n in ["forms", "Forms", "a/b:c*d?e[f]g\\h", "x" * 40, "x" * 40, "'q'", "", "History"]
    ]
    assert got == [
        "forms", "Forms~2", "a_b_c_d_e_f_g_h", "x" * 31, "x" * 29 + "~2", "q", "sheet",
        "History~2",
    ]
    assert all(len(n) <= 31 for n in got)
    assert len({n.casefold() for n in got}) == len(got)


# --- CSV ------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    outside_quotes = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert "\n" not in outside_quotes.replace("\r\n", "")  # records end in CRLF only
    assert "\r" not in outside_quotes.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert outside_quotes.count("\r\n") == len(rows) and text.endswith("\r\n")
    return rows


def check_csv_field(column: Column[Any], value: Value, field: str) -> None:
    if value is None:
        assert field == "", column.name
    elif isinstance(value, bool):
        assert field == ("true" if value else "false"), column.name
    elif isinstance(value, Decimal):
        assert Decimal(field) == value and "E" not in field, column.name
    elif isinstance(value, int):
        assert int(field) == value, column.name
    else:
        assert unguard(field) == value, column.name
        assert field == guard(value), column.name


def check_csv(doc: Document, data: bytes) -> list[list[str]]:
    rows = read_csv(data)
    expected = indicator_rows(doc)
    assert len(rows) == len(expected) + 1
    assert rows[0] == [c.name for c in INDICATOR_COLUMNS]
    for row, fields in zip(expected, rows[1:], strict=True):
        assert len(fields) == len(INDICATOR_COLUMNS)
        for column, field in zip(INDICATOR_COLUMNS, fields, strict=True):
            check_csv_field(column, column.get(row), field)
    return rows


@pytest.mark.parametrize("name", names())
def test_csv_rereads_with_every_value(name: str, documents: dict[str, Document]) -> None:
    check_csv(documents[name], WRITERS["csv"](documents[name]))


def test_csv_guards_text_columns_only() -> None:
    doc = tricky_document()
    rows = check_csv(doc, WRITERS["csv"](doc))
    header = rows[0]
    raw, value, level3 = (header.index(n) for n in ("target_raw", "target_value", "level3"))
    assert {r[raw] for r in rows[1:]} >= {
        "'=1+1", "+1", "-5%", "-0.5", "-", "--", "'@SUM(A1)", "'-2+3+cmd|' /C calc'!A0",
        "#N/A", "''=x", "'''-1", "'\tx", "'\rx", "a\nb", "＝1", "bell\x07",
    }
    assert all(r[value] == "-5" for r in rows[1:])  # a number, written by us: never touched
    assert rows[1][level3] == "'=指标0"
    assert rows[1][header.index("department")] == "'@部门"


def test_guard_is_reversible() -> None:
    alphabet = "'=-+@1%.a\t"
    for n in range(5):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            guarded = guard(text)
            assert unguard(guarded) == text, repr(text)
            # unguarded output is safe: nothing a spreadsheet would run is left in front
            assert guarded.startswith("'") or not needs_guard(guarded), repr(text)
            assert guarded[:1] not in ("=", "@", "\t"), repr(text)
    for text in ("-5%", "+12.5", "-.5", "-", "---", "+1%"):
        assert guard(text) == text


# --- registry and CLI -----------------------------------------------------------------


def test_registered() -> None:
    assert parse_formats("xlsx,csv,json") == ["xlsx", "csv", "json"]
    assert {"xlsx", "csv"} <= set(WRITERS)


def test_cli_convert_to_xlsx_and_csv(tmp_path: Path) -> None:
    source = SEEDS / "yuanjiang-2024.docx"
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["convert", str(source), "-o", str(out), "--to", "xlsx,csv"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("yuanjiang*")) == [
        "yuanjiang-2024.docx.csv", "yuanjiang-2024.docx.xlsx"]
    doc = convert(source)
    assert (out / "yuanjiang-2024.docx.xlsx").read_bytes() == WRITERS["xlsx"](doc)
    wb = openpyxl.load_workbook(out / "yuanjiang-2024.docx.xlsx")
    assert wb.sheetnames == ["forms", "indicators", "findings", *(t.id for t in doc.tables)]
    check_data_sheet(wb["indicators"], INDICATOR_COLUMNS, indicator_rows(doc))
    rows = check_csv(doc, (out / "yuanjiang-2024.docx.csv").read_bytes())
    assert len(rows) == sum(len(f.indicators) for f in doc.forms) + 1 == 89


def test_flat_rows_carry_the_findings_on_their_cell(documents: dict[str, Document]) -> None:
    """The CSV has no findings sheet: each indicator row names the rules found on its cell
    (办案经费's 专项资金: 1.6万元 against a 1.28万元 budget)."""
    doc = documents["yuanjiang-2024"]
    text = WRITERS["csv"](doc).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    cost = [r for r in rows if r["project_name"] == "办案经费" and r["level3"] == "专项资金"]
    assert [r["findings"] for r in cost] == ["indicator.cost_over_budget"]
    assert all(r["findings"] == "" for r in rows if r["project_name"] == "反邪教工作经费"
               and r["level2"] == "数量指标")


# --- location -------------------------------------------------------------------------


def test_location_column_next_to_the_cell_columns(documents: dict[str, Document]) -> None:
    """The findings sheet and the indicators (xlsx and CSV) name where a person opens the
    cell: for a PDF its page, the table's position and the row and column from 1."""
    doc = documents["laoting-2024.pdf"]
    wb = load(WRITERS["xlsx"](doc))
    for sheet, columns in (("findings", FINDING_COLUMNS), ("indicators", INDICATOR_COLUMNS)):
        names = [c.name for c in columns]
        assert names[names.index("cell_a1") + 1] == "location"
        header = [c.value for c in wb[sheet][1]]
        at = {h: i for i, h in enumerate(header)}
        rows = [[c.value for c in r] for r in wb[sheet].iter_rows(min_row=2)]
        located = [r for r in rows if r[at["cell_table"]] is not None]
        assert located
        for r in located:
            table, row, col = r[at["cell_table"]], r[at["cell_row"]], r[at["cell_col"]]
            page = next(c.provenance.page for t in doc.tables if t.id == table
                        for c in t.cells if (c.row, c.col) == (row, col) and c.provenance)
            number = int(table.removeprefix("t")) + 1
            assert r[at["location"]] == f"p.{page} table {number} row {row + 1} col {col + 1}"
    assert "location" in read_csv(WRITERS["csv"](doc))[0]
