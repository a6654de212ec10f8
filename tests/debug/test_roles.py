"""A cell's role on the debug picture comes from the converted ``Document``: the forms' cell
references as they are, labels and level cells found from them, every other filled cell of
a form's table ``used``; checked against the seed's Document, not against the drawing."""

from __future__ import annotations

import pytest

from jixiao import convert
from jixiao.debug.roles import CellBox, cell_boxes
from jixiao.schemas import (
    Cell,
    CellRef,
    Document,
    Form,
    FormField,
    Indicator,
    Provenance,
    Source,
    Table,
)
from jixiao.schemas import Target as TargetValue
from tests.conftest import SEEDS

PDF = SEEDS / "yuanjiang-2024.pdf"


@pytest.fixture(scope="module")
def document() -> Document:
    return convert(PDF)


def _by_slot(boxes: list[CellBox]) -> dict[tuple[str, int, int], CellBox]:
    return {(b.table, b.row, b.col): b for b in boxes}


def test_page_3_roles_follow_the_forms_references(document: Document) -> None:
    boxes = _by_slot(cell_boxes(document, 3))
    (form,) = [f for f in document.forms
               if any(i.cell is not None and i.cell.page == 3 for i in f.indicators)]
    (table,) = [t for t in document.tables if t.id in form.table_ids]
    assert table.pages == [3]
    assert len(boxes) == len(table.cells)  # every cell of the page's table has its box
    for indicator in form.indicators:
        assert indicator.cell is not None
        assert boxes[(table.id, indicator.cell.row, indicator.cell.col)].role == "target"
        (level3,) = [c for c in table.cells
                     if c.row == indicator.cell.row and c.text.strip() == indicator.level3]
        assert boxes[(table.id, level3.row, level3.col)].role == "level3"
    for field in form.fields:
        assert field.cell is not None
        assert boxes[(table.id, field.cell.row, field.cell.col)].role == "value"
    filled = [c for c in table.cells if c.text.strip()]
    roles = {boxes[(table.id, c.row, c.col)].role for c in filled}
    assert None not in roles and "unmapped" not in roles  # the seed's coverage is 100%
    assert {"label", "level1", "level2", "used"} <= roles


def test_merged_level_cells_keep_their_role_on_every_row(document: Document) -> None:
    """产出指标 spans the rows of four indicators: one cell, level 1 (found on each row)."""
    boxes = cell_boxes(document, 3)
    (form,) = [f for f in document.forms if f.table_ids == [boxes[0].table]]
    level1 = {i.level1 for i in form.indicators}
    texts = {(c.row, c.col): c.text for t in document.tables if t.id == boxes[0].table
             for c in t.cells}
    assert {texts[(b.row, b.col)] for b in boxes if b.role == "level1"} == level1


def test_other_pages_hold_only_their_own_cells(document: Document) -> None:
    """Table t0 runs over pages 1 and 2: each page shows the cells printed on it."""
    first, second = cell_boxes(document, 1), cell_boxes(document, 2)
    (t0,) = [t for t in document.tables if t.pages == [1, 2]]
    assert len(first) + len(second) == len(t0.cells)
    assert first and second and cell_boxes(document, 99) == []


def _cell(row: int, col: int, text: str, x: float) -> Cell:
    return Cell(row=row, col=col, text=text,
                provenance=Provenance(page=1, bbox=(x, 10.0 * row, x + 50, 10.0 * row + 10)))


def _synthetic() -> Document:
    """One table: a label and its value, an indicator row, and a stray note left unmapped;
    a second table that is no form."""
    cells = [_cell(0, 0, "项目名称：", 0), _cell(0, 1, "甲项目", 50), _cell(0, 2, "", 100),
             _cell(1, 0, "产出指标（50分）", 0), _cell(1, 1, "数量指标", 50),
             _cell(1, 2, "培训人数", 100), _cell(1, 3, "≥100人", 150),
             _cell(2, 0, "无关的说明", 0)]
    table = Table(id="t0", n_rows=3, n_cols=4, cells=cells, pages=[1])
    other = Table(id="t1", n_rows=1, n_cols=1, cells=[_cell(0, 0, "x", 300)], pages=[1])
    form = Form(
        id="f0", kind="project_goals", table_ids=["t0"],
        fields=[FormField(label="项目名称", value="甲项目",
                          cell=CellRef(table="t0", row=0, col=1, page=1))],
        indicators=[Indicator(level1="产出指标", level2="数量指标", level3="培训人数",
                              target=TargetValue(raw="≥100人"),
                              cell=CellRef(table="t0", row=1, col=3, page=1))],
        unmapped=[CellRef(table="t0", row=2, col=0, page=1)],
    )
    return Document(source=Source(path="x.pdf", sha256="0", format="pdf", size=1, pages=1),
                    tables=[table, other], forms=[form])


def test_each_role_of_a_synthetic_form() -> None:
    roles = {(b.table, b.row, b.col): b.role for b in cell_boxes(_synthetic(), 1)}
    assert roles == {
        ("t0", 0, 0): "label", ("t0", 0, 1): "value", ("t0", 0, 2): None,  # empty: no role
        ("t0", 1, 0): "level1", ("t0", 1, 1): "level2", ("t0", 1, 2): "level3",
        ("t0", 1, 3): "target", ("t0", 2, 0): "unmapped",
        ("t1", 0, 0): None,  # a table that is no form: its box only
    }
