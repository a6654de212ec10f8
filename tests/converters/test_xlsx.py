"""Spreadsheets: a Laoting form typed into a workbook maps like the Word form."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

from jixiao import convert
from jixiao.converters import legacy
from jixiao.converters.xlsx import display
from jixiao.schemas import Document, Form
from tests.conftest import collapse, load_truth, needs_libreoffice


def make_workbook(path: Path) -> Path:
    """Laoting's first form as a spreadsheet: a title row merged across, then the truth grid
    with its merges; the budget typed as the number 5 formatted 0.00."""
    truth = load_truth("laoting-2024")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, "1.见义勇为工作经费绩效目标表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    for row, col, rs, cs, text in truth["tables"][0]["cells"]:
        cell = ws.cell(row + 2, col + 1, text or None)
        if text == "5.00" and (row, col) == (2, 2):
            cell.value, cell.number_format = 5, "0.00"
        if rs > 1 or cs > 1:
            ws.merge_cells(start_row=row + 2, start_column=col + 1,
                           end_row=row + 1 + rs, end_column=col + cs)
    wb.save(path)
    return path


def key(form: Form) -> tuple[object, ...]:
    return (form.kind, form.title, sorted((f.label, collapse(f.value)) for f in form.fields),
            form.project.model_dump(), form.budget.total.raw if form.budget.total else None,
            [(p.by, p.amount.raw) for p in form.spending_plan],
            [(i.level1, i.level2, i.level3, collapse(i.target.raw), i.description, i.basis)
             for i in form.indicators])


def test_display_follows_number_formats() -> None:
    assert display(5, "0.00") == "5.00"
    assert display(1234.5, "#,##0.00") == "1,234.50"
    assert display(0.95, "0%") == "95%"
    assert display(12.8, "General") == "12.8"
    assert display(3.0, "General") == "3"
    assert display(None, "General") == ""


def test_xlsx_form_equals_the_word_form(
    tmp_path: Path, seed_documents: dict[str, Document]
) -> None:
    doc = convert(make_workbook(tmp_path / "form.xlsx"))
    assert doc.source.format == "xlsx"
    [table] = doc.tables
    truth = load_truth("laoting-2024")["tables"][0]
    assert (table.n_rows, table.n_cols) == (truth["n_rows"], truth["n_cols"])
    assert doc.blocks[0].text == "1.见义勇为工作经费绩效目标表"
    assert key(doc.forms[0]) == key(seed_documents["laoting-2024"].forms[0])


def test_xlsx_named_doc_still_converts(tmp_path: Path) -> None:
    renamed = tmp_path / "form.doc"
    shutil.copyfile(make_workbook(tmp_path / "form.xlsx"), renamed)
    doc = convert(renamed)
    assert doc.source.format == "xlsx" and doc.forms[0].project.name == "见义勇为工作经费"


@needs_libreoffice
def test_xls_goes_through_libreoffice(tmp_path: Path, seed_documents: dict[str, Document]) -> None:
    xlsx = make_workbook(tmp_path / "form.xlsx")
    done = subprocess.run(
        [legacy.soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path / "out"), str(xlsx)],
        check=True, capture_output=True, text=True, timeout=120,
    )
    xls = tmp_path / "out" / "form.xls"
    assert xls.is_file(), (  # soffice exits 0 having written nothing when Calc is missing
        f"soffice --convert-to xls wrote no {xls.name} (is LibreOffice Calc installed? "
        f"scripts/system-deps.sh installs it): {legacy.failure_reason(done)}"
    )
    doc = convert(xls)
    assert doc.source.format == "xls"
    assert doc.source.converted_by == "LibreOffice (xls → xlsx)"
    assert key(doc.forms[0]) == key(seed_documents["laoting-2024"].forms[0])
