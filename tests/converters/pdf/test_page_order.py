"""Reading order across pages: page numbers between a table and its continuation."""

from __future__ import annotations

import sys

from jixiao.converters.pdf.layout import PageLayout
from jixiao.converters.pdf.textlines import Char, Line
from tests.converters.pdf.test_stitch import full_row, part

EXTRACT = sys.modules["jixiao.converters.pdf.extract"]
HEIGHT = 842.0


def text_line(text: str, top: float, x0: float = 280.0) -> Line:
    return Line([Char(ch, x0 + 10 * i, x0 + 10 * (i + 1), top, top + 10, 10.0)
                 for i, ch in enumerate(text)])


def test_page_numbers_do_not_stop_a_table_continuing() -> None:
    first = part(1, 2, full_row(0, "一级指标", "二级指标", "三级指标", "指标值")
                 + full_row(1, "产出指标", "数量指标", "会议", "2次"))
    second = part(2, 1, full_row(0, "效益指标", "社会效益指标", "满意度", "≥90%"))
    layouts = iter([
        PageLayout(1, HEIGHT, [first], [text_line("- 1 -", 810.0)]),
        PageLayout(2, HEIGHT, [second], [text_line("第2页", 20.0)]),
    ])
    items, tables, pages = EXTRACT._items(layouts, [])
    assert len(tables) == 1 and tables[0].pages == [1, 2] and tables[0].n_rows == 3
    assert pages == 2
    # The page numbers stay, as text, in reading order.
    assert [getattr(i, "text", "table") for i in items] == ["table", "- 1 -", "第2页"]


def test_text_between_parts_keeps_them_apart() -> None:
    first = part(1, 1, full_row(0, "a", "b", "c", "d"))
    second = part(2, 1, full_row(0, "e", "f", "g", "h"))
    layouts = iter([
        PageLayout(1, HEIGHT, [first], [text_line("填表人：", 400.0)]),
        PageLayout(2, HEIGHT, [second], []),
    ])
    _, tables, _ = EXTRACT._items(layouts, [])
    assert [t.pages for t in tables] == [[1], [2]]
