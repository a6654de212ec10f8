"""A form's indicator grid continued in a Word table of its own (``mapping.continuation``).

Every input is a Word document built here with python-docx, whose right reading is known
by construction: the form's key/value table, then the grid in the next table, with nothing
but empty paragraphs between (or something that must keep them apart).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from jixiao import convert
from jixiao.converters.docx import extract
from jixiao.mapping import map_forms
from jixiao.schemas import Document, Form, Provenance

FIELDS = [["项目名称", "乡村道路养护", "主管部门", "某县交通运输局"],
          ["年度预算金额", "120", "实施期", "2024年"],
          ["年度绩效目标", "完成全县乡村道路日常养护", "", ""]]
HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]
GRID = [["产出指标", "数量指标", "养护里程", "≥300公里"],
        ["", "质量指标", "路面完好率", "≥90%"],
        ["效益指标", "社会效益指标", "群众出行便利度", "明显提升"],
        ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%"]]
EXPECTED = [("产出指标", "数量指标", "养护里程", "≥300公里"),
            ("产出指标", "质量指标", "路面完好率", "≥90%"),
            ("效益指标", "社会效益指标", "群众出行便利度", "明显提升"),
            ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%")]


def _table(doc: Any, rows: list[list[str]],
           merges: tuple[tuple[int, int, int, int], ...] = ()) -> None:
    """A table of ``rows``; ``merges``: (row, col, last row, last col) merged (text only in
    the first cell of a merge)."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))


def _fields_table(doc: Any) -> None:
    _table(doc, FIELDS, ((2, 1, 2, 3),))


def _convert(doc: Any, tmp_path: Path) -> Document:
    path = tmp_path / "form.docx"
    doc.save(str(path))
    return convert(path)


def _indicators(form: Form) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.level3, i.target.raw) for i in form.indicators]


def _titled() -> Any:
    doc = docx.Document()
    doc.add_paragraph("2024年项目支出绩效目标表")
    return doc


def test_a_grid_in_the_next_table_belongs_to_the_form(tmp_path: Path) -> None:
    doc = _titled()
    _fields_table(doc)
    doc.add_paragraph("")
    doc.add_paragraph("")  # any number of empty paragraphs
    _table(doc, [HEADER, *GRID], ((1, 0, 2, 0),))
    doc.add_paragraph("填表人：张三")
    result = _convert(doc, tmp_path)
    (form,) = result.forms
    assert form.kind == "project_goals"
    assert form.table_ids == ["t0", "t1"]
    assert (form.project.name, form.budget.total and form.budget.total.raw) == (
        "乡村道路养护", "120")
    assert _indicators(form) == EXPECTED
    assert form.footer_note == "填表人：张三"  # the line after the last of its tables
    assert (form.coverage, form.unmapped) == (1.0, [])


def test_cells_of_the_grid_table_count_in_coverage(tmp_path: Path) -> None:
    """Every non-empty cell of both tables is used or listed as unmapped: 10 field cells
    and a stray line in the first table, 20 cells of the grid and its note in the second;
    only the stray line is not the form's."""
    doc = _titled()
    _table(doc, [*FIELDS, ["（此页无正文）", "", "", ""]], ((2, 1, 2, 3), (3, 0, 3, 3)))
    doc.add_paragraph("")
    _table(doc, [HEADER, *GRID, ["备注：养护里程以验收为准", "", "", ""]],
           ((1, 0, 2, 0), (5, 0, 5, 3)))
    result = _convert(doc, tmp_path)
    (form,) = result.forms
    assert form.footer_note == "备注：养护里程以验收为准"
    assert [sum(1 for c in t.cells if c.text.strip()) for t in result.tables] == [11, 20]
    assert [(u.table, u.row, u.col) for u in form.unmapped] == [("t0", 3, 0)]
    assert form.coverage == round(30 / 31, 4)


def test_a_grid_cut_at_a_page_break_goes_on_with_its_labels(tmp_path: Path) -> None:
    """The grid split in two tables, its header typed again; the second's first rows are
    the rest of merged 一级 / 二级 cells, blank: they carry the labels (and the points written
    into them, and the horizon named left of the header) of the first table's last row."""
    doc = docx.Document()
    side = "年度绩效指标"
    rows = [[f"{r[0]}", r[1], r[2], r[3], ""] for r in FIELDS]
    first = [*rows, [side, *HEADER],
             ["", "产出指标（50分）", "数量指标", "养护里程", "≥300公里"],
             ["", "", "", "新建港湾式停车带", "≥12个"]]
    _table(doc, first, ((2, 1, 2, 4), (3, 0, 5, 0), (4, 1, 5, 1), (4, 2, 5, 2)))
    doc.add_paragraph("")
    second = [["", *HEADER],
              ["", "", "", "修复坑槽", "≥500处"],
              ["", "", "质量指标", "路面完好率", "≥90%"],
              ["", "效益指标", "社会效益指标", "群众出行便利度", "明显提升"]]
    _table(doc, second, ((1, 1, 2, 1),))
    (form,) = _convert(doc, tmp_path).forms
    assert form.table_ids == ["t0", "t1"]
    assert _indicators(form) == [
        ("产出指标", "数量指标", "养护里程", "≥300公里"),
        ("产出指标", "数量指标", "新建港湾式停车带", "≥12个"),
        ("产出指标", "数量指标", "修复坑槽", "≥500处"),
        ("产出指标", "质量指标", "路面完好率", "≥90%"),
        ("效益指标", "社会效益指标", "群众出行便利度", "明显提升")]
    assert [i.group_weight for i in form.indicators] == ["50"] * 4 + [None]
    assert {i.horizon for i in form.indicators} == {"annual"}


def test_another_grid_does_not_take_the_labels_before_it(tmp_path: Path) -> None:
    """A grid whose header differs from the one before is another grid: its blank top
    cells stay blank, as they would in one table."""
    doc = docx.Document()
    _table(doc, [*FIELDS, HEADER, GRID[0]], ((2, 1, 2, 3),))
    doc.add_paragraph("")
    _table(doc, [[*HEADER, "指标值确定依据"], ["", "", "群众出行便利度", "明显提升", "计划标准"]])
    (form,) = _convert(doc, tmp_path).forms
    assert _indicators(form) == [EXPECTED[0], ("", "", "群众出行便利度", "明显提升")]
    assert [i.basis for i in form.indicators] == [None, "计划标准"]


def test_several_tables_of_one_grid_and_a_department_form(tmp_path: Path) -> None:
    """A department form without a title (部门名称 and money, no grid of its own), then its
    grid in two tables (Word tables with nothing between them are joined too)."""
    doc = docx.Document()
    _table(doc, [["部门名称", "某县交通运输局"], ["资金总额", "820"],
                 ["年度总体目标", "保障全县道路安全畅通"]])
    doc.add_paragraph("")
    _table(doc, [HEADER, *GRID[:2]], ((1, 0, 2, 0),))
    _table(doc, [HEADER, *GRID[2:]])
    result = _convert(doc, tmp_path)
    (form,) = result.forms
    assert form.kind == "department_goals"
    assert form.table_ids == ["t0", "t1", "t2"]
    assert _indicators(form) == EXPECTED


def test_text_between_the_tables_keeps_them_apart(tmp_path: Path) -> None:
    doc = _titled()
    _fields_table(doc)
    doc.add_paragraph("附表2：部门项目绩效指标表")
    _table(doc, [HEADER, *GRID], ((1, 0, 2, 0),))
    forms = _convert(doc, tmp_path).forms
    assert [f.table_ids for f in forms] == [["t0"], ["t1"]]
    assert [len(f.indicators) for f in forms] == [0, 4]
    assert forms[1].title == "附表2：部门项目绩效指标表"


def test_a_line_that_only_names_the_grid_does_not_keep_them_apart(tmp_path: Path) -> None:
    """绩效指标： or 三、年度绩效指标 between the form's table and its grid's heads the grid;
    a table name (…绩效指标表, above) does keep them apart."""
    for line in ("绩效指标：", "三、年度绩效指标"):
        doc = _titled()
        _fields_table(doc)
        doc.add_paragraph(line)
        _table(doc, [HEADER, *GRID], ((1, 0, 2, 0),))
        forms = _convert(doc, tmp_path).forms
        assert [f.table_ids for f in forms] == [["t0", "t1"]], line
        assert _indicators(forms[0]) == EXPECTED, line


def test_a_table_with_field_labels_is_a_form_of_its_own(tmp_path: Path) -> None:
    doc = _titled()
    _fields_table(doc)
    doc.add_paragraph("")
    _table(doc, [["项目名称", "农村公路安保工程", "", ""], HEADER, *GRID],
           ((0, 1, 0, 3), (2, 0, 3, 0)))
    forms = _convert(doc, tmp_path).forms
    assert [f.table_ids for f in forms] == [["t0"], ["t1"]]
    assert [f.project.name for f in forms] == ["乡村道路养护", "农村公路安保工程"]
    assert [len(f.indicators) for f in forms] == [0, 4]


def test_a_grid_table_with_a_title_row_or_a_field_row_is_not_joined(tmp_path: Path) -> None:
    for extra in (["乡村道路养护项目绩效指标表", "", "", ""], ["资金用途", "日常养护", "", ""]):
        doc = _titled()
        _fields_table(doc)
        doc.add_paragraph("")
        rows = [extra, HEADER, *GRID] if extra[0].endswith("表") else [HEADER, *GRID, extra]
        _table(doc, rows)
        forms = _convert(doc, tmp_path).forms
        assert [f.table_ids for f in forms] == [["t0"], ["t1"]], extra


def test_a_grid_after_a_table_that_is_no_form_stays_alone(tmp_path: Path) -> None:
    doc = docx.Document()
    _table(doc, [["收入", "金额", "支出", "金额"],
                 ["一般公共预算拨款", "820", "交通运输支出", "820"]])
    doc.add_paragraph("")
    _table(doc, [HEADER, *GRID], ((1, 0, 2, 0),))
    result = _convert(doc, tmp_path)
    (form,) = result.forms
    assert form.table_ids == ["t1"]
    assert _indicators(form) == EXPECTED


def test_tables_without_word_paragraphs_are_never_joined(tmp_path: Path) -> None:
    """Only Word tells that nothing but empty paragraphs lies between two tables; the same
    tables said to come from PDF pages stay apart (the PDF converter stitches its own)."""
    doc = _titled()
    _fields_table(doc)
    doc.add_paragraph("")
    _table(doc, [HEADER, *GRID], ((1, 0, 2, 0),))
    path = tmp_path / "form.docx"
    doc.save(str(path))
    extraction = extract(path)
    assert [f.table_ids for f in map_forms(extraction)] == [["t0", "t1"]]
    extraction.tables = [t.model_copy(update={"provenance": Provenance(
        table_index=i, page=1)}) for i, t in enumerate(extraction.tables)]
    assert [f.table_ids for f in map_forms(extraction)] == [["t0"], ["t1"]]
