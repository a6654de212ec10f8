"""Acceptance on the seed PDFs: exact grids against the truth, and the same forms as Word."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao import convert
from jixiao.schemas import Document, Form
from tests.conftest import SEED_NAMES, SEEDS, collapse, load_truth


@pytest.fixture(scope="module")
def pdf_documents() -> dict[str, Document]:
    return {name: convert(SEEDS / f"{name}.pdf") for name in SEED_NAMES}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_grids_equal_truth(name: str, pdf_documents: dict[str, Document]) -> None:
    doc = pdf_documents[name]
    truth = load_truth(name)
    assert doc.source.format == "pdf"
    assert len(doc.tables) == len(truth["tables"])
    for table, expected in zip(doc.tables, truth["tables"], strict=True):
        assert (table.n_rows, table.n_cols) == (expected["n_rows"], expected["n_cols"]), table.id
        got = sorted((c.row, c.col, c.row_span, c.col_span, collapse(c.text)) for c in table.cells)
        want = sorted((r, c, rs, cs, collapse(t)) for r, c, rs, cs, t in expected["cells"])
        assert got == want, table.id


def test_department_table_is_stitched_across_the_page_break(
    pdf_documents: dict[str, Document],
) -> None:
    dept = pdf_documents["yuanjiang-2024"].tables[0]
    assert dept.pages == [1, 2]
    label = next(c for c in dept.cells if c.row == 9 and c.col == 0)
    assert (label.row_span, collapse(label.text)) == (17, "部门整体支出 年度绩效指标")
    split = next(c for c in dept.cells if c.row == 21 and c.col == 3)
    assert split.text == "保障企业发展环境优化、投资创业者人身、财产、心理安全"


def _form_key(form: Form) -> tuple[Any, ...]:
    return (
        form.kind,
        form.title,
        [(f.label, collapse(f.value)) for f in form.fields],
        form.project.model_dump(),
        form.budget.total.raw if form.budget.total else None,
        [(p.by, p.amount.raw) for p in form.spending_plan],
        [(i.level1, i.level2, i.level3, collapse(i.target.raw), collapse(i.description),
          collapse(i.basis)) for i in form.indicators],
        collapse(form.header_note),
        collapse(form.footer_note),
    )


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_forms_equal_word_forms(
    name: str, pdf_documents: dict[str, Document], seed_documents: dict[str, Document]
) -> None:
    pdf_forms = [_form_key(f) for f in pdf_documents[name].forms]
    word_forms = [_form_key(f) for f in seed_documents[name].forms]
    assert pdf_forms == word_forms


def test_cells_and_blocks_carry_page_and_box(pdf_documents: dict[str, Document]) -> None:
    doc = pdf_documents["laoting-2024"]
    cell = doc.tables[0].cells[0]
    assert cell.provenance is not None and cell.provenance.page == 4
    assert cell.provenance.bbox is not None and len(cell.provenance.bbox) == 4
    x0, top, x1, bottom = cell.provenance.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 850
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings[:2] == ["第一部分", "部门整体绩效目标"]
    assert all(b.provenance is not None and b.provenance.page for b in doc.blocks)
