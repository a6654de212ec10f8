"""Acceptance on the seed scans (image-only PDFs, 150 dpi, tilted, noisy, JPEG)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao import convert
from jixiao.schemas import Document
from tests.conftest import SEED_NAMES, SEEDS, collapse, load_truth

KIND = {"department_overall": "department_goals", "project": "project_goals"}


@pytest.fixture(scope="module")
def scans() -> dict[str, Document]:
    return {name: convert(SEEDS / f"{name}.scan.pdf") for name in SEED_NAMES}


def _indicator(item: Any) -> tuple[str, str, str, str]:
    if isinstance(item, dict):
        return item["l1"], item["l2"], item["l3"], collapse(item["value"])
    return item.level1, item.level2, item.level3, collapse(item.target.raw)


def test_every_form_found_with_names_and_totals(scans: dict[str, Document]) -> None:
    for name, doc in scans.items():
        truth = load_truth(name)
        assert [f.kind for f in doc.forms] == [KIND[t["kind"]] for t in truth["forms"]], name
        for form, expected in zip(doc.forms, truth["forms"], strict=True):
            assert form.project.name == expected.get("name"), (name, form.id)
            assert form.budget.total is not None
            assert form.budget.total.raw == expected["budget_total_wan"], (name, form.id)


def test_at_least_98_percent_of_indicators_exact(scans: dict[str, Document]) -> None:
    exact = total = 0
    for name, doc in scans.items():
        for form, expected in zip(doc.forms, load_truth(name)["forms"], strict=True):
            got = [_indicator(i) for i in form.indicators]
            want = [_indicator(i) for i in expected["indicators"]]
            total += len(want)
            exact += sum(g == w for g, w in zip(got, want, strict=False))
    assert total == 178
    assert exact / total >= 0.98, f"{exact}/{total}"


def test_scans_are_marked_and_cells_carry_confidence(scans: dict[str, Document]) -> None:
    doc = scans["yuanjiang-2024"]
    assert doc.ocr_pages == list(range(1, 11))
    assert doc.tables[0].pages == [1, 2]  # the department table is stitched here too
    confidences = [c.confidence for t in doc.tables for c in t.cells if c.text]
    assert confidences and all(c is not None and 0 < c <= 1 for c in confidences)
    low = [f for f in doc.findings if f.rule == "ocr.low_confidence"]
    assert all(f.cell is not None and f.severity == "warning" for f in low)


def test_mixed_pdf_is_read_page_by_page(tmp_path: Any) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(SEEDS / "yuanjiang-2024.pdf")).pages[2])  # text
    writer.add_page(PdfReader(str(SEEDS / "yuanjiang-2024.scan.pdf")).pages[3])  # image
    path = tmp_path / "mixed.pdf"
    writer.write(path)
    doc = convert(path)
    assert doc.ocr_pages == [2]
    names = [f.project.name for f in doc.forms]
    assert names == ["扫黑除恶专项斗争工作经费", "反邪教工作经费"]
    digital, scanned = doc.tables
    assert all(c.confidence is None for c in digital.cells)
    assert any(c.confidence is not None for c in scanned.cells)


def test_every_corrected_cell_is_reported_with_what_was_read(
    scans: dict[str, Document],
) -> None:
    for doc in scans.values():
        corrected = {(t.id, c.row, c.col): c for t in doc.tables for c in t.cells if c.read_as}
        found = {(f.cell.table, f.cell.row, f.cell.col): f for f in doc.findings
                 if f.rule == "ocr.corrected" and f.cell is not None}
        assert found.keys() == corrected.keys()
        for where, cell in corrected.items():
            assert found[where].value == cell.read_as and cell.read_as != cell.text
