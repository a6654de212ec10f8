"""One page -> tables with cell text and boxes, and the text lines outside them.

The table used throughout: columns at x 10/110/210/310, rows at y 100/120/140 (2 x 3, every
line drawn). Glyph geometry from ``pdf_chars`` (10pt: wide 10, Latin 5, space 2.5).
"""

from __future__ import annotations

from jixiao.converters.pdf.gridfind import GridRegion
from jixiao.converters.pdf.layout import (
    PageCell,
    PageTable,
    attach_borderless_row,
    cell_spans,
    page_layout,
    region_to_table,
)
from jixiao.converters.pdf.textlines import Char, Line
from tests.converters.pdf.pdf_chars import run

XS = [10.0, 110.0, 210.0, 310.0]
YS = [100.0, 120.0, 140.0]


def region() -> GridRegion:
    return GridRegion(xs=list(XS), ys=list(YS),
                      cells=[(r, c, 1, 1) for r in range(2) for c in range(3)])


def texts(table: PageTable) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells)


def test_cells_get_text_and_boxes() -> None:
    chars = [*run("项目", 15, 105), *run("金额", 115, 105), *run("100.00", 215, 125)]
    table = region_to_table(region(), chars, page=3)
    assert texts(table) == [
        (0, 0, 1, 1, "项目"), (0, 1, 1, 1, "金额"), (0, 2, 1, 1, ""),
        (1, 0, 1, 1, ""), (1, 1, 1, 1, ""), (1, 2, 1, 1, "100.00"),
    ]
    first = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    assert first == PageCell(0, 0, 1, 1, "项目", (10.0, 100.0, 110.0, 120.0), 3)
    assert (table.page, table.pages, table.n_rows, table.n_cols) == (3, [3], 2, 3)


def test_a_glyph_belongs_to_the_cell_holding_its_centre() -> None:
    # Starts in column 0 / row 0 (x0 104, top 118) but its centre (111, 123) is in (1, 1).
    straddling = Char("甲", 104, 118, 118, 128, 10)
    table = region_to_table(region(), [straddling], page=1)
    assert [(c.row, c.col) for c in table.cells if c.text] == [(1, 1)]


def test_merged_cell_collects_the_text_of_all_its_slots() -> None:
    merged = GridRegion(xs=list(XS), ys=list(YS),
                        cells=[(0, 0, 2, 1), (0, 1, 1, 2), (1, 1, 1, 1), (1, 2, 1, 1)])
    chars = [*run("部门整体", 15, 103), *run("支出", 15, 123)]
    table = region_to_table(merged, chars, page=1)
    label = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    # "部门整体" ends at 55, far from the right edge: an author's line break.
    assert (label.text, label.bbox) == ("部门整体\n支出", (10.0, 100.0, 110.0, 140.0))


def test_page_layout_splits_table_text_from_the_lines_outside() -> None:
    chars = [
        *run("绩效目标表", 120, 60),  # a title 30pt above the table: not part of it
        *run("项目", 15, 105),
        *run("填表人：张三", 10, 150),  # 10pt below the table
    ]
    layout = page_layout(2, 842.0, [region()], chars)
    assert (layout.page, layout.height) == (2, 842.0)
    (table,) = layout.tables
    assert not table.borderless_row
    assert [c.text for c in table.cells if c.text] == ["项目"]
    assert [ln.text for ln in layout.lines] == ["绩效目标表", "填表人：张三"]


def test_a_line_right_above_the_table_is_its_borderless_first_row() -> None:
    # "216002中国共产党" runs 12-92 (2pt in from the table's left edge); an empty gap;
    # "单位：万元" starts at 212: 2pt in from column 2, where that cell's text would start.
    above = [*run("216002中国共产党", 12, 88), *run("单位：万元", 212, 88)]
    layout = page_layout(1, 842.0, [region()], [*above, *run("项目", 15, 105)])
    assert layout.lines == []
    (table,) = layout.tables
    assert table.borderless_row
    assert (table.n_rows, table.ys, table.bbox) == (3, [88.0, *YS], (10.0, 88.0, 310.0, 140.0))
    assert texts(table) == [
        (0, 0, 1, 2, "216002中国共产党"), (0, 2, 1, 1, "单位：万元"),
        (1, 0, 1, 1, "项目"), (1, 1, 1, 1, ""), (1, 2, 1, 1, ""),
        (2, 0, 1, 1, ""), (2, 1, 1, 1, ""), (2, 2, 1, 1, ""),
    ]
    row0 = sorted((c.col, c.bbox) for c in table.cells if c.row == 0)
    assert row0 == [(0, (10.0, 88.0, 210.0, 100.0)), (2, (210.0, 88.0, 310.0, 100.0))]
    assert cell_spans(table)[:2] == [(0, 0, 1, 2), (0, 2, 1, 1)]


def row0(chars: list[Char]) -> list[tuple[int, int, str]]:
    (table,) = page_layout(1, 842.0, [region()], chars).tables
    assert table.borderless_row
    return [(c.col, c.col_span, c.text) for c in table.cells if c.row == 0]


def test_a_gap_filled_with_space_glyphs_does_not_split_the_borderless_row() -> None:
    text = "填报单位：某局" + " " * 40 + "单位：万元"  # 12-232, no empty gap
    assert row0(run(text, 12, 88)) == [(0, 3, text)]


def test_an_empty_gap_not_ending_at_a_column_start_is_a_space_in_one_cell() -> None:
    # "单位：万元" starts at 240, 30pt into column 2: not where a cell's text starts.
    chars = [*run("填报单位：某局", 12, 88), *run("单位：万元", 240, 88)]
    assert row0(chars) == [(0, 3, "填报单位：某局 单位：万元")]


def test_a_borderless_cell_starting_with_space_glyphs_has_them_trimmed() -> None:
    chars = [*run("216002中国共产党", 12, 88), *run("    单位：万元", 212, 88)]
    assert row0(chars) == [(0, 2, "216002中国共产党"), (2, 1, "单位：万元")]


def test_a_borderless_row_starting_at_a_later_column() -> None:
    # Only "单位：万元", at column 2's text start (the table's own padding unknown: 2pt).
    assert row0(run("单位：万元", 212, 88)) == [(2, 1, "单位：万元")]


def test_a_line_wider_than_the_table_is_not_its_first_row() -> None:
    text = "说明：本表金额单位为万元，数据截至二〇二四年十二月三十一日止。"  # 31 characters
    layout = page_layout(1, 842.0, [region()], run(text, 10, 88))  # 10-320: past 312
    assert not layout.tables[0].borderless_row
    assert [ln.text for ln in layout.lines] == [text]


def test_a_line_half_a_line_or_more_above_the_table_is_not_its_first_row() -> None:
    layout = page_layout(1, 842.0, [region()], run("单位：万元", 212, 84))  # 6pt gap > 5
    assert not layout.tables[0].borderless_row
    assert [ln.text for ln in layout.lines] == ["单位：万元"]


def test_attach_borderless_row_directly() -> None:
    table = region_to_table(region(), [], page=1)
    attach_borderless_row(table, Line(run("单位：万元", 215, 90)))
    assert table.cells[0] == PageCell(0, 2, 1, 1, "单位：万元", (210.0, 90.0, 310.0, 100.0), 1)
    assert min(c.row for c in table.cells[1:]) == 1


def test_text_goes_to_the_innermost_table() -> None:
    # A frame (10-310 x 50-200) around the 3x2 table of region(): the table gets its text.
    frame = GridRegion(xs=[10.0, 310.0], ys=[50.0, 200.0], cells=[(0, 0, 1, 1)])
    layout = page_layout(1, 842.0, [frame, region()], run("数量", 20, 104))
    outer, inner = layout.tables
    assert [c.text for c in inner.cells if c.text] == ["数量"]
    assert all(not c.text for c in outer.cells)


def test_a_caption_right_above_the_table_stays_a_paragraph() -> None:
    layout = page_layout(1, 842.0, [region()], run("表1 项目绩效指标", 12, 88))
    assert not layout.tables[0].borderless_row
    assert [ln.text for ln in layout.lines] == ["表1 项目绩效指标"]
