"""``--to docx`` / ``--to pdf``: every form redrawn in its standard layout (converting that
output gives the same forms back on every field: ``test_docx_round_trip.py``)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from typer.testing import CliRunner

from jixiao import convert
from jixiao.cli import app
from jixiao.converters import legacy
from jixiao.exceptions import UnsupportedFormatError, UsageError
from jixiao.mapping.forms import Context, build_form
from jixiao.schemas import Cell, Document, Form, Indicator, Source, Table, Target
from jixiao.writers import WRITERS
from jixiao.writers.docx import render, render_pdf
from jixiao.writers.docx.document import CJK_FONT
from jixiao.writers.docx.pdf import WriterUnavailableError
from tests.conftest import FIXTURES, SEEDS, needs_libreoffice

VARIANTS = FIXTURES / "variants"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Any]:
    """Source document, regenerated .docx bytes and the document read back from them, made
    once per fixture file."""
    out = tmp_path_factory.mktemp("standard")

    @cache
    def run(path: Path) -> tuple[Document, bytes, Document]:
        source = convert(path)
        data = render(source)
        target = out / f"{path.name}.docx"
        target.write_bytes(data)
        return source, data, convert(target)

    return run


def _form(f: Form) -> dict[str, Any]:
    b = f.budget
    return {
        "kind": f.kind, "title": f.title,
        "project": (f.project.name, f.project.code, f.project.department, f.project.period),
        "total": b.total.raw if b.total else None,
        "parts": [(p.label, p.amount.raw) for p in b.parts],
        "plan": [(s.by, s.amount.raw) for s in f.spending_plan],
        "goals": (f.goals.long_term, f.goals.annual, f.goals.achieved),
        "duties": [(d.function, d.task, d.item, d.amount.raw if d.amount else None)
                   for d in f.duties],
        "execution": [(e.label, *(a.raw if a else None for a in (e.planned, e.adjusted,
                                                                 e.executed)),
                       e.weight, e.rate, e.score) for e in b.execution],
        "total_score": f.total_score,
        "n_indicators": len(f.indicators),
    }


def _indicator(i: Indicator) -> tuple[Any, ...]:
    return (i.level1, i.level2, i.level3, i.description, i.target.raw, i.basis, i.horizon,
            i.actual.raw if i.actual else None, i.weight, i.score, i.deviation, i.empty,
            i.group_weight)


def test_two_tables_and_one_a4_section_per_form(round_trip: Callable[[Path], Any]) -> None:
    """Each form: its key/value table, then its indicator grid as a table of its own."""
    source, data, back = round_trip(SEEDS / "yuanjiang-2024.docx")
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.sections) == len(source.forms) == 9
    assert len(doc.tables) == 2 * 9
    assert [len(f.table_ids) for f in back.forms] == [2] * 9
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = doc.styles["Normal"].element.rPr
    assert normal.rFonts.get(qn("w:eastAsia")) == CJK_FONT
    texts = [p.text for p in doc.paragraphs]
    assert "2024年项目支出绩效目标表" in texts
    # （盖章）: where the stamp goes, not part of the unit's name (issue 18)
    assert "填报单位：沅江市委政法委员会\t单位：万元" in texts


def test_level_labels_are_merged_cells(round_trip: Callable[[Path], Any]) -> None:
    _, data, back = round_trip(SEEDS / "yuanjiang-2024.docx")
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    restarts = body.findall(f".//{W}vMerge[@{W}val='restart']")
    assert len(restarts) >= 9 * 3  # per form at least: side label, 产出, 效益
    assert body.findall(f".//{W}gridSpan")
    # 办案经费: 产出指标 over its 4 rows, 效益指标 over 5, the column under the side label
    # (in the header row, which repeats on every page) one blank cell over the 9 rows
    form = back.forms[7]
    assert form.project.name == "办案经费"
    table = next(t for t in back.tables if t.id == form.table_ids[-1])
    spans = {c.text: c.row_span for c in table.cells if c.row_span > 1}
    assert spans == {"": 9, "产出指标": 4, "效益指标": 5}
    assert [c.text for c in table.cells if (c.row, c.col) == (0, 0)] == ["年度\n绩效指标"]


def test_department_duties_and_self_evaluation_blocks(
    round_trip: Callable[[Path], Any],
) -> None:
    _, _, dept = round_trip(VARIANTS / "department-duties.docx")
    functions = [c for c in dept.tables[0].cells if c.text == "法律援助"]
    assert [c.row_span for c in functions] == [2]  # one function merged over its two tasks
    _, _, self_eval = round_trip(VARIANTS / "self-evaluation-national.docx")
    form = self_eval.forms[0]
    assert form.budget.unit == "万元"  # the unit note is always printed
    merged = [c.text for c in self_eval.tables[0].cells if c.row_span == 5]
    assert merged[:1] == ["项目资金（万元）"]  # over its header and four money rows


def _doc(forms: list[Form], tables: list[Table] | None = None) -> Document:
    return Document(source=Source(path="x", sha256="0", format="docx", size=0),
                    tables=tables or [], forms=forms)


def test_blank_rows_and_group_weights_survive(round_trip: Callable[[Path], Any]) -> None:
    source, _, _ = round_trip(VARIANTS / "clean-project.docx")
    form = source.forms[0].model_copy(deep=True)
    blank = Indicator(level1="产出指标", level2="数量指标", level3="", target=Target(raw=""),
                      empty=True)
    form.indicators.insert(1, blank)
    for ind in form.indicators:
        ind.group_weight = {"产出指标": "50", "效益指标": "30"}.get(ind.level1)
    back = _convert(render(_doc([form])))
    assert [_indicator(i) for i in back.forms[0].indicators] == [
        _indicator(i) for i in form.indicators]


def _convert(data: bytes) -> Document:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.docx"
        path.write_bytes(data)
        return convert(path)


def test_what_the_header_note_says_is_printed_there_once() -> None:
    """Fields read from the header note (填报单位, the total, a part, 金额单位) stay in it,
    printed as it was, and are not repeated in the table (a second total would be read back
    as a part); the unit the form uses (单位 in the table, which outranks 金额单位) joins the
    header line. Left-over fields get rows of their own. Read back, the form is the same."""
    cells = [Cell(row=r, col=c, text=t) for r, pair in enumerate((
        ("项目名称", "某项目"), ("主管部门", "某局"), ("实施单位", "某所"), ("财政资金", "60"),
        ("项目属性", "延续"), ("单位", "万元"))) for c, t in enumerate(pair)]
    table = Table(id="t0", n_rows=6, n_cols=2, cells=cells)
    note = "填报单位：某某局  预算数：100  其他资金：40  金额单位：元"
    form = build_form("f0", table, Context(title="某项目绩效目标表", header_lines=(note,)))
    assert (form.budget.total and form.budget.total.raw, form.budget.unit) == ("100", "万元")

    data = render(_doc([form], [table]))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert f"{note}\t单位：万元" in paragraphs
    back = _convert(data)
    texts = [c.text for c in back.tables[0].cells]
    assert not {"预算数", "其他资金", "金额单位", "单位", "填报单位"} & set(texts)
    assert texts.count("项目属性") == texts.count("实施单位") == 1
    (again,) = back.forms
    assert _form(again) == _form(form)
    assert (again.budget.unit, again.project.implementer) == ("万元", "某所")


def test_unknown_form_is_its_exact_grid() -> None:
    cells = [Cell(row=0, col=0, col_span=3, text="说明"),
             Cell(row=1, col=0, row_span=2, text="甲"), Cell(row=1, col=1, text="一"),
             Cell(row=1, col=2, text="二\n三"), Cell(row=2, col=1, col_span=2, text="四")]
    table = Table(id="t0", n_rows=3, n_cols=3, cells=cells)
    form = Form(id="f0", kind="unknown", title="附表\n（续）", table_ids=["t0"],
                footer_note="填表人：甲\n联系电话：乙")
    back = _convert(render(_doc([form], [table])))
    got = [(c.row, c.col, c.row_span, c.col_span, c.text) for c in back.tables[0].cells]
    assert got == [(c.row, c.col, c.row_span, c.col_span, c.text) for c in cells]
    # read back, it is a plain table again (no performance form's evidence), with its
    # title and footer as the text around it
    assert back.forms == []
    texts = "\n".join(b.text for b in back.blocks)
    assert "附表" in texts and "（续）" in texts and "填表人：甲" in texts


def test_a_document_without_forms_is_still_a_document() -> None:
    doc = docx.Document(io.BytesIO(render(_doc([]))))
    assert not doc.tables and len(doc.sections) == 1


@needs_libreoffice
def test_pdf_is_the_docx_printed(round_trip: Callable[[Path], Any]) -> None:
    source, _, _ = round_trip(VARIANTS / "clean-project.docx")
    data = WRITERS["pdf"](source)
    assert data.startswith(b"%PDF")
    assert "docx" in WRITERS


def test_pdf_without_libreoffice_is_a_clear_error(
    round_trip: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    def missing() -> str:
        raise UnsupportedFormatError("no soffice")

    monkeypatch.setattr(legacy, "soffice", missing)
    source, _, _ = round_trip(VARIANTS / "clean-project.docx")
    with pytest.raises(UsageError, match="PDF output needs LibreOffice"):
        render_pdf(source)
    with pytest.raises(OSError, match="PDF output needs LibreOffice"):
        render_pdf(source)
    assert issubclass(WriterUnavailableError, UsageError)
    # the command goes on: one line for the file, exit 1, nothing written for it
    good = VARIANTS / "clean-project.docx"
    result = CliRunner().invoke(app, ["convert", str(good), "-o", str(tmp_path),
                                      "--to", "json,pdf"])
    assert result.exit_code == 1, result.output
    lines = [x for x in result.stderr.splitlines() if x.startswith("jixiao: error:")]
    assert len(lines) == 1 and "PDF output needs LibreOffice" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_cli_convert_to_docx(tmp_path: Path) -> None:
    seed = SEEDS / "laoting-2024.docx"
    result = CliRunner().invoke(app, ["convert", str(seed), "-o", str(tmp_path),
                                      "--to", "docx"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "laoting-2024.docx.docx"
    assert docx.Document(str(out)).tables
    back = convert(out)
    assert [f.project.name for f in back.forms] == [f.project.name for f in
                                                    convert(seed).forms]


def test_findings_are_listed_below_their_form(tmp_path: Path) -> None:
    doc = convert(SEEDS / "yuanjiang-2024.docx")
    out = tmp_path / "std.docx"
    out.write_bytes(WRITERS["docx"](doc))
    again = convert(out)
    texts = [b.text for b in again.blocks]
    assert any("成本指标“专项资金”为1.6万元，超过本表预算1.28万元" in t
               and "indicator.cost_over_budget" in t for t in texts)
    assert [f.kind for f in again.forms] == [f.kind for f in doc.forms]
