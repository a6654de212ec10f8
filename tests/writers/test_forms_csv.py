"""The forms CSV (``--to forms.csv``, written as ``<input>.forms.csv``): the XLSX ``forms``
sheet as a flat file, under the CSV rules of the indicators CSV (BOM, RFC 4180, CRLF, the
formula guard), and an output jixiao recognises as its own on a rerun."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao import convert
from jixiao.cli import app
from jixiao.discovery import discover, output_name
from jixiao.ledger import LEDGER_NAME, listed_outputs
from jixiao.schemas import Document
from jixiao.schemas.model import Amount, Budget, Form, ProjectInfo, Source
from jixiao.writers import WRITERS, parse_formats
from jixiao.writers.flat_csv import unguard
from jixiao.writers.spreadsheet import FORM_COLUMNS, form_rows
from tests.conftest import SEED_NAMES, SEEDS
from tests.writers.test_spreadsheets import check_csv_field, read_csv

XlsxValue = str | int | float | bool | None


def check_forms_csv(doc: Document, data: bytes) -> list[list[str]]:
    """Every field is the model's value under the CSV rules (see test_spreadsheets)."""
    rows = read_csv(data)
    expected = form_rows(doc)
    assert rows[0] == [c.name for c in FORM_COLUMNS]
    assert len(rows) == len(expected) + 1 == len(doc.forms) + 1
    for row, fields in zip(expected, rows[1:], strict=True):
        for column, field in zip(FORM_COLUMNS, fields, strict=True):
            check_csv_field(column, column.get(row), field)
    return rows


def same_value(field: str, cell: XlsxValue) -> bool:
    """A CSV field and the XLSX cell of the same value (numbers by value, texts unguarded)."""
    if cell is None:
        return field == ""
    if isinstance(cell, bool):
        return field == ("true" if cell else "false")
    if isinstance(cell, int | float):
        return Decimal(field) == Decimal(repr(cell)) or float(field) == cell
    return unguard(field) == cell


@pytest.mark.parametrize("name", SEED_NAMES)
def test_rows_are_the_xlsx_forms_sheet(name: str, seed_documents: dict[str, Document]) -> None:
    doc = seed_documents[name]
    rows = check_forms_csv(doc, WRITERS["forms.csv"](doc))
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc)))["forms"]
    sheet = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == sheet[0]  # one column list for both
    assert len(rows) == len(sheet) > 1
    for fields, cells in zip(rows[1:], sheet[1:], strict=True):
        for header, field, cell in zip(rows[0], fields, cells, strict=True):
            assert same_value(field, cell), (name, header, field, cell)
    # the budget total, in the unit printed and in yuan, is there as numbers
    at = {h: i for i, h in enumerate(rows[0])}
    total = doc.forms[0].budget.total
    assert total is not None and total.value is not None and total.yuan is not None
    first = rows[1]
    assert first[at["budget_total_raw"]] == total.raw
    assert Decimal(first[at["budget_total_value"]]) == total.value
    assert Decimal(first[at["budget_total_yuan"]]) == total.yuan
    assert int(first[at["indicators"]]) == len(doc.forms[0].indicators)


def test_guard_applies_to_text_columns_only() -> None:
    form = Form(
        id="f0", kind="project_goals", title="=HYPERLINK(\"http://x\",\"y\")",
        project=ProjectInfo(name="-项目", department="@部门", code="+86", period="-"),
        budget=Budget(total=Amount(raw="=1+2", value=Decimal("-5"), unit="万元",
                                   yuan=Decimal("-50000"))),
        total_score="-2+3+cmd|' /C calc'!A0",
    )
    doc = Document(
        source=Source(path="x/tricky.docx", sha256="0" * 64, format="docx", size=1),
        forms=[form],
    )
    rows = check_forms_csv(doc, WRITERS["forms.csv"](doc))
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["title"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert got["project_name"] == "'-项目"
    assert got["department"] == "'@部门"
    assert got["budget_total_raw"] == "'=1+2"
    assert got["total_score"] == "'-2+3+cmd|' /C calc'!A0"
    assert got["project_code"] == "+86" and got["period"] == "-"  # a signed number, a dash
    assert got["budget_total_value"] == "-5" and got["budget_total_yuan"] == "-50000"


def test_registered_with_a_clear_file_name() -> None:
    assert "forms.csv" in WRITERS
    assert parse_formats("csv,Forms.CSV,xlsx") == ["csv", "forms.csv", "xlsx"]
    assert output_name("a/x.docx", "forms.csv") == "a/x.docx.forms.csv"


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["convert", *map(str, args)])
    return result.exit_code, result.output


def test_cli_writes_it_and_a_rerun_recognises_it(tmp_path: Path) -> None:
    source = tmp_path / "x.docx"
    shutil.copy(SEEDS / "yuanjiang-2024.docx", source)
    out = tmp_path / "out"
    for _ in range(2):  # the second run overwrites its own output
        code, output = run(source, "-o", out, "--to", "csv,forms.csv")
        assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == [
        LEDGER_NAME, "x.docx.csv", "x.docx.forms.csv"]
    assert listed_outputs(out) == {"x.docx.csv", "x.docx.forms.csv"}
    assert (out / "x.docx.forms.csv").read_bytes() == WRITERS["forms.csv"](convert(source))


def test_a_file_of_that_name_jixiao_did_not_write_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "x.docx"
    shutil.copy(SEEDS / "yuanjiang-2024.docx", source)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "x.docx.forms.csv"
    mine.write_text("my own notes", "utf-8")
    code, output = run(source, "-o", out, "--to", "forms.csv")
    assert code == 1
    assert "was not written by jixiao: not overwritten" in output
    assert mine.read_text("utf-8") == "my own notes"


def test_never_read_back_as_an_input(tmp_path: Path) -> None:
    """Converted next to the inputs, twice: the forms CSV is jixiao's, even to a search
    that tells formats by content (``jixiao batch``)."""
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SEEDS / "yuanjiang-2024.docx", folder / "x.docx")
    for _ in range(2):
        code, output = run(folder, "-o", folder, "--to", "forms.csv")
        assert code == 0, output
        assert "converted 1 of 1 file" in output, output
    assert (folder / "x.docx.forms.csv").is_file()
    assert not list(folder.glob("*.forms.csv.*"))
    for sniff in (False, True):
        found = discover([folder], sniff=sniff)
        assert [f.rel for f in found.found] == ["x.docx"], sniff
        assert [f.rel for f in found.documents] == ["x.docx"]
