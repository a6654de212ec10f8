"""The standardized DOCX prints each indicator grid as a table of its own, right after the
form's key/value table (1 pt apart), its header row repeated on every page (``w:tblHeader``);
read back, the two tables are one form again (``mapping.continuation``)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from jixiao import convert
from jixiao.mapping.forms import Context, build_form
from jixiao.schemas import Cell, Document, Form, Indicator, Source, Table, Target
from jixiao.schemas.model import Horizon
from jixiao.writers.docx import render
from jixiao.writers.docx.pdf import docx_to_pdf
from tests.conftest import needs_chinese_font, needs_libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = (("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
          ("满意度指标", "服务对象满意度指标"))


def _form(n: int, horizons: tuple[Horizon | None, ...] = (None,)) -> Form:
    """A project form whose grid has ``n`` indicators per horizon, each indicator named
    apart from the others."""
    cells = [Cell(row=r, col=c, text=t) for r, pair in enumerate((
        ("项目名称", "乡村道路养护"), ("主管部门", "某县交通运输局"), ("年度预算金额", "120")))
        for c, t in enumerate(pair)]
    table = Table(id="t0", n_rows=3, n_cols=2, cells=cells)
    form = build_form("f0", table, Context(title="乡村道路养护项目绩效目标表"))
    form.indicators = [
        Indicator(level1=LEVELS[i * len(LEVELS) // n][0], level2=LEVELS[i * len(LEVELS) // n][1],
                  level3=f"第{i + 1}项指标（{h or '无'}）", target=Target(raw=f"≥{i + 1}次"),
                  horizon=h)
        for h in horizons for i in range(n)]
    return form


def _render(form: Form) -> bytes:
    return render(Document(source=Source(path="x", sha256="0", format="docx", size=0),
                           forms=[form]))


def _body(data: bytes) -> etree._Element:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return body


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _read_back(data: bytes) -> Document:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "std.docx"
        path.write_bytes(data)
        return convert(path)


def test_the_grid_is_a_table_of_its_own_with_a_repeated_header() -> None:
    body = _body(_render(_form(8)))
    children = [c for c in body if c.tag in (f"{W}p", f"{W}tbl")]
    tags = [c.tag[len(W):] for c in children]
    at = tags.index("tbl")
    assert tags[at : at + 3] == ["tbl", "p", "tbl"] and tags.count("tbl") == 2
    fields, spacer, grid = children[at : at + 3]
    # the paragraph between: empty and 1 pt high, so the two read as one form
    assert _text(spacer) == ""
    spacing = spacer.find(f"{W}pPr/{W}spacing")
    assert spacing is not None
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("20", "exact")
    assert (spacing.get(f"{W}before"), spacing.get(f"{W}after")) == ("0", "0")
    assert spacer.find(f"{W}pPr/{W}rPr/{W}sz").get(f"{W}val") == "2"  # type: ignore[union-attr]
    # only the grid's header row repeats; it is not split and stays with the row below
    grid_rows = grid.findall(f"{W}tr")
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in grid_rows] == (
        [True] + [False] * 8)
    assert not fields.findall(f".//{W}tblHeader")
    head = grid_rows[0]
    assert head.find(f"{W}trPr/{W}cantSplit") is not None
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in head.iter(f"{W}p"))
    heads = [_text(tc) for tc in head.findall(f"{W}tc")]
    assert heads[1:5] == ["一级指标", "二级指标", "三级指标", "指标值"]
    # no cell merged from the header row into the rows below (Word would not repeat it)
    assert not head.findall(f".//{W}vMerge")
    # the same width and placement as the table above: one form
    for prop in ("tblW", "jc"):
        a, b = (t.find(f"{W}tblPr/{W}{prop}") for t in (fields, grid))
        assert a is not None and b is not None
        assert a.attrib == b.attrib


def test_a_long_grid_reads_back_as_one_form() -> None:
    form = _form(80)
    back = _read_back(_render(form))
    (again,) = back.forms
    assert len(again.table_ids) == 2
    assert [(i.level1, i.level2, i.level3, i.target.raw) for i in again.indicators] == [
        (i.level1, i.level2, i.level3, i.target.raw) for i in form.indicators]
    assert (again.coverage, again.unmapped) == (1.0, [])


def test_each_grid_is_a_table_and_keeps_its_horizon() -> None:
    """Two grids (长期 and 年度) give two grid tables, each with its header; read back,
    neither takes the other's horizon or labels."""
    form = _form(4, ("long_term", "annual"))
    body = _body(_render(form))
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 3
    for grid in tables[1:]:
        assert grid.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    (again,) = _read_back(_render(form)).forms
    assert [(i.level1, i.level2, i.level3, i.horizon) for i in again.indicators] == [
        (i.level1, i.level2, i.level3, i.horizon) for i in form.indicators]


def test_a_grid_whose_labels_start_blank_stays_under_the_one_before() -> None:
    """A second grid with blank level labels on its first row would be read as the first
    one going on (the labels filled down) if it had a table of its own: it stays in the
    first grid's table, under its own header row, as it is printed in one table."""
    form = _form(4, ("long_term", "long_term"))
    second = form.indicators[4:]
    for ind in second[:2]:
        ind.level1 = ind.level2 = ""
    form.indicators = [*form.indicators[:4], *second]
    body = _body(_render(form))
    assert len(body.findall(f"{W}tbl")) == 2
    (again,) = _read_back(_render(form)).forms
    assert [(i.level1, i.level2, i.level3) for i in again.indicators] == [
        (i.level1, i.level2, i.level3) for i in form.indicators]


@needs_libreoffice
@needs_chinese_font
def test_the_header_repeats_on_the_next_page() -> None:
    """Printed, a grid longer than a page shows its header again at the top of page 2."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(docx_to_pdf(_render(_form(60))))
    try:
        pages = ["".join(pdf[i].get_textpage().get_text_range().split())
                 for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(pages) >= 2
    assert "第1项指标" in pages[0] and "第60项指标" not in pages[0]
    assert "第60项指标" in pages[-1] and "第1项指标" not in pages[1]
    for page in pages[:2]:
        assert all(h in page for h in ("一级指标", "二级指标", "三级指标", "指标值"))
