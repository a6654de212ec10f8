"""A department's main tasks as the central template prints them (年度主要任务 over 任务名称 |
主要内容 | 预算金额), and read back from the standardized DOCX."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jixiao import convert
from jixiao.mapping.forms import Context, build_form
from jixiao.schemas import Cell, Document, Source, Table
from jixiao.writers.docx import render

TITLE = "2024年部门整体支出绩效目标申报表"


def _table(amount_parts: bool) -> Table:
    """年度主要任务 merged down the left; 预算金额（万元） alone, or spanning 总额 | 财政拨款 |
    其他资金 named in the row below; a 金额合计 row whose label spans name and content."""
    head = [(1, 0, 5 if amount_parts else 4, 1, "年度主要任务"),
            (1, 1, 2 if amount_parts else 1, 1, "任务名称"),
            (1, 2, 2 if amount_parts else 1, 1, "主要内容"),
            (1, 3, 1, 3 if amount_parts else 1, "预算金额（万元）")]
    if amount_parts:
        head += [(2, 3, 1, 1, "总额"), (2, 4, 1, 1, "财政拨款"), (2, 5, 1, 1, "其他资金")]
    top = 3 if amount_parts else 2
    body = [("社会救助", "保障城乡低保对象基本生活", "1200.00", "1000.00", "200.00"),
            ("养老服务", "建设社区养老服务站5个", "310.00", "300.00", "10.00")]
    cells = [(0, 0, 1, 1, "部门（单位）名称"), (0, 1, 1, 5 if amount_parts else 3, "某县民政局"),
             *head]
    for i, (task, content, *amounts) in enumerate(body):
        r = top + i
        cells += [(r, 1, 1, 1, task), (r, 2, 1, 1, content)]
        cells += [(r, 3 + k, 1, 1, a) for k, a in enumerate(amounts[: 3 if amount_parts else 1])]
    r = top + len(body)
    total = ["1510.00", "1300.00", "210.00"]
    cells += [(r, 1, 1, 2, "金额合计")]
    cells += [(r, 3 + k, 1, 1, a) for k, a in enumerate(total[: 3 if amount_parts else 1])]
    width = 6 if amount_parts else 4
    cells += [(r + 1, 0, 1, 1, "年度总体目标"), (r + 1, 1, 1, width - 1, "保障困难群众基本生活。")]
    return Table(id="t0", n_rows=r + 2, n_cols=width,
                 cells=[Cell(row=a, col=b, row_span=c, col_span=d, text=t)
                        for a, b, c, d, t in cells])


def test_task_names_and_contents_are_duties_with_their_amounts() -> None:
    form = build_form("f0", _table(amount_parts=False), Context(title=TITLE))
    assert [(d.task, d.content, d.amount.raw if d.amount else None) for d in form.duties] == [
        ("社会救助", "保障城乡低保对象基本生活", "1200.00"),
        ("养老服务", "建设社区养老服务站5个", "310.00"),
        ("金额合计", "", "1510.00"),  # one cell across two columns is read once
    ]
    assert form.fields[0].value == "某县民政局" and form.unmapped == []


def test_an_amount_split_in_the_row_below_reads_its_total_and_lists_its_parts() -> None:
    """总额 | 财政拨款 | 其他资金 under 预算金额: that row is the header's, never a duty; the
    total is the duty's amount, the parts (no place in the model) are listed unmapped."""
    form = build_form("f0", _table(amount_parts=True), Context(title=TITLE))
    assert [(d.task, d.amount.raw if d.amount else None) for d in form.duties] == [
        ("社会救助", "1200.00"), ("养老服务", "310.00"), ("金额合计", "1510.00")]
    unmapped = {(u.row, u.col) for u in form.unmapped}
    assert unmapped == {(3, 4), (3, 5), (4, 4), (4, 5), (5, 4), (5, 5)}


def test_duties_with_contents_read_back_from_the_standardized_docx() -> None:
    form = build_form("f0", _table(amount_parts=False), Context(title=TITLE))
    document = Document(source=Source(path="x", sha256="0", format="docx", size=0),
                        forms=[form])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "standard.docx"
        path.write_bytes(render(document))
        [back] = convert(path).forms
    assert [(d.task, d.content, d.amount.raw if d.amount else None) for d in back.duties] == [
        (d.task, d.content, d.amount.raw if d.amount else None) for d in form.duties]
