"""Which line above a table is its form's title."""

from __future__ import annotations

from pathlib import Path

import docx

from jixiao import convert


def _document(path: Path, *lines: str) -> Path:
    doc = docx.Document()
    for line in lines:
        doc.add_paragraph(line)
    rows = [("项目名称", "防汛经费"),
            ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"),
            ("产出指标", "数量指标", "维修水库", "8座", "8座")]
    table = doc.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.save(str(path))
    return path


def test_a_title_with_a_note_after_it_in_the_same_line(tmp_path: Path) -> None:
    """项目支出绩效自评表（2023年度） is the title (as printed), so the form is a
    self-evaluation; a line that is only the note, or 附件3, is none."""
    for title in ("项目支出绩效自评表（2023年度）", "项目支出绩效自评表(2023年度)"):
        path = _document(tmp_path / "a.docx", "附件3", title, "（单位：万元）")
        (form,) = convert(path).forms
        assert (form.kind, form.title) == ("self_evaluation", title)
    (form,) = convert(_document(tmp_path / "b.docx", "附件3", "（2023年度）")).forms
    assert form.title is None
