"""No cell left behind: every non-empty cell of a form's table is used or listed in
``unmapped``, and ``coverage`` is the share used."""

from __future__ import annotations

import glob
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from jixiao import convert
from jixiao.cli import app
from jixiao.mapping.forms import Context, build_form
from jixiao.schemas import Cell, Document, Table
from jixiao.writers.html import render
from tests.conftest import FIXTURES

# Cells the mapper does not use yet, by fixture: each is a known gap to close, listed so
# that a new one (or one closed) is seen. None left.
KNOWN_GAPS: dict[str, list[str]] = {}


def _texts(document: Document) -> list[str]:
    tables = {t.id: t for t in document.tables}
    return [next(c.text for c in tables[ref.table].cells if (c.row, c.col) == (ref.row, ref.col))
            for form in document.forms for ref in form.unmapped]


def _fixtures() -> list[str]:
    patterns = ("seeds/*.docx", "variants/*.docx", "variants/*.pdf", "variants/*.xlsx",
                "real/*/*.pdf", "real/*/*.xlsx")
    return sorted(p for pattern in patterns for p in glob.glob(str(FIXTURES / pattern)))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: Path(p).name)
def test_every_cell_of_every_fixture_form_is_used_or_listed(path: str) -> None:
    document = convert(path)
    tables = {t.id: t for t in document.tables}
    for form in document.forms:
        filled = [c for t in form.table_ids for c in tables[t].cells if c.text.strip()]
        assert form.coverage == round((len(filled) - len(form.unmapped)) / len(filled), 4)
    assert _texts(document) == KNOWN_GAPS.get(Path(path).name, [])


def test_a_cell_nothing_takes_is_listed() -> None:
    cells = [Cell(row=0, col=0, text="项目名称"), Cell(row=0, col=1, text="某项目"),
             Cell(row=1, col=0, text="这是一段没有标签的说明文字，用来检查覆盖率"),
             Cell(row=1, col=1, text="")]
    form = build_form("f0", Table(id="t0", n_rows=2, n_cols=2, cells=cells),
                      Context(title="项目支出绩效目标表"))
    assert [(r.row, r.col) for r in form.unmapped] == [(1, 0)]
    assert form.coverage == round(2 / 3, 4)


def _poorly_covered(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("2024年项目支出绩效目标表")
    rows = [("项目名称", "某项目"), ("一级指标", "二级指标"), ("说明甲：无关文字", "其他一"),
            ("无关的第二段文字", "其他二")]
    table = document.add_table(rows=len(rows), cols=2)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def test_convert_warns_about_a_form_below_nine_tenths(tmp_path: Path) -> None:
    source = _poorly_covered(tmp_path / "poor.docx")
    result = CliRunner().invoke(app, ["convert", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    document = convert(source)
    (form,) = document.forms
    assert form.coverage is not None and form.coverage < 0.9
    assert (f"jixiao: warning: {source}: form f0 某项目 uses {form.coverage:.0%} of its "
            f"cells; {len(form.unmapped)} unmapped") in result.stderr
    page = render(document).decode("utf-8")
    assert "未映射单元格" in page and "无关的第二段文字" in page


def test_a_grid_column_no_header_names_is_listed_not_dropped() -> None:
    """A column of the grid that no role reads (指标方向, 评分标准) is not used just because
    it sits in an indicator row: its cells are unmapped; the 年度绩效指标 label on the left,
    the columns read, and a target's operator and unit parts are used."""
    rows = [
        ["项目名称", "某项目", "", "", "", "", ""],
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "评分标准"],
        ["", "产出指标", "数量指标", "培训人次", "≥", "300", "完成得满分"],
        ["", "产出指标", "质量指标", "合格率", "＝", "100%", "每低1%扣1分"],
    ]
    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)
             if not (r >= 2 and c == 0)]
    cells.append(Cell(row=1, col=0, row_span=3, text="年度绩效指标"))
    cells = [c for c in cells if not (c.row == 1 and c.col == 0 and c.row_span == 1)]
    form = build_form("f0", Table(id="t0", n_rows=4, n_cols=7, cells=cells),
                      Context(title="项目支出绩效目标表"))
    assert [i.target.raw for i in form.indicators] == ["≥300", "＝100%"]
    assert [(r.row, r.col) for r in form.unmapped] == [(2, 6), (3, 6)]
