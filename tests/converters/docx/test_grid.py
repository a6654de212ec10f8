"""One ``w:tbl`` -> span-exact grid: merges, skipped slots, wrappers, headers, nesting.

Every expected tuple is (row, col, row_span, col_span, text), worked out from the XML by hand.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from jixiao.converters.docx.grid import CellContent, build_grid
from jixiao.schemas import CellRef, Provenance
from tests.converters.docx.ooxml_helpers import (
    extract_body,
    grid_of,
    para,
    parse,
    read_text,
    spans,
    table_spans,
    tbl,
    tc,
    tr,
)

RESTART = '<w:vMerge w:val="restart"/>'
CONTINUE = '<w:vMerge w:val="continue"/>'
BARE_CONTINUE = "<w:vMerge/>"  # no w:val means continue


def span(n: int) -> str:
    return f'<w:gridSpan w:val="{n}"/>'


def test_plain_two_by_two() -> None:
    grid = grid_of(tbl(tr(tc("A"), tc("B")), tr(tc("C"), tc("D")), cols=2))
    assert (grid.n_rows, grid.n_cols) == (2, 2)
    assert spans(grid) == [
        (0, 0, 1, 1, "A"), (0, 1, 1, 1, "B"), (1, 0, 1, 1, "C"), (1, 1, 1, 1, "D"),
    ]
    assert grid.header_rows == []


def test_grid_span_moves_the_next_cell_along() -> None:
    grid = grid_of(tbl(tr(tc("A", span(2)), tc("B")), tr(tc("C"), tc("D", span(2))), cols=3))
    assert grid.n_cols == 3
    assert spans(grid) == [
        (0, 0, 1, 2, "A"), (0, 2, 1, 1, "B"), (1, 0, 1, 1, "C"), (1, 1, 1, 2, "D"),
    ]


def test_vmerge_restart_then_continue_with_and_without_val() -> None:
    grid = grid_of(tbl(
        tr(tc("A", RESTART), tc("B")),
        tr(tc("", CONTINUE), tc("C")),
        tr(tc("", BARE_CONTINUE), tc("D")),
        cols=2,
    ))
    assert grid.n_rows == 3
    assert spans(grid) == [
        (0, 0, 3, 1, "A"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "C"), (2, 1, 1, 1, "D"),
    ]


def test_vmerge_continue_with_nothing_to_continue_is_its_own_cell() -> None:
    grid = grid_of(tbl(
        tr(tc("X", CONTINUE), tc("B")),  # first row: nothing above
        tr(tc("A"), tc("C")),
        tr(tc("", BARE_CONTINUE), tc("D")),  # above is a plain cell, not a merge
        cols=2,
    ))
    assert spans(grid) == [
        (0, 0, 1, 1, "X"), (0, 1, 1, 1, "B"),
        (1, 0, 1, 1, "A"), (1, 1, 1, 1, "C"),
        (2, 0, 1, 1, ""), (2, 1, 1, 1, "D"),
    ]


def test_vmerge_continue_text_is_appended_not_dropped() -> None:
    grid = grid_of(tbl(
        tr(tc("上", RESTART), tc("B")),
        tr(tc("  ", CONTINUE), tc("C")),  # white space only: nothing to add
        tr(tc("下", CONTINUE), tc("D")),
        cols=2,
    ))
    assert spans(grid) == [
        (0, 0, 3, 1, "上\n下"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "C"), (2, 1, 1, 1, "D"),
    ]


def test_vmerge_with_grid_span_must_match_the_origin_width() -> None:
    grid = grid_of(tbl(
        tr(tc("A", RESTART + span(2)), tc("B")),
        tr(tc("", CONTINUE + span(2)), tc("C")),  # same width: merges
        tr(tc("", CONTINUE), tc("D"), tc("E")),  # narrower: a cell of its own
        cols=3,
    ))
    assert spans(grid) == [
        (0, 0, 2, 2, "A"), (0, 2, 1, 1, "B"), (1, 2, 1, 1, "C"),
        (2, 0, 1, 1, ""), (2, 1, 1, 1, "D"), (2, 2, 1, 1, "E"),
    ]


def test_vmerge_chain_is_broken_by_a_plain_cell() -> None:
    grid = grid_of(tbl(
        tr(tc("A", RESTART)), tr(tc("B")), tr(tc("C", CONTINUE)), cols=1,
    ))
    assert spans(grid) == [(0, 0, 1, 1, "A"), (1, 0, 1, 1, "B"), (2, 0, 1, 1, "C")]


def test_legacy_hmerge_restart_and_continue() -> None:
    grid = grid_of(tbl(
        tr(tc("A", '<w:hMerge w:val="restart"/>'), tc("", '<w:hMerge w:val="continue"/>'),
           tc("B")),
        tr(tc("C", '<w:hMerge w:val="restart"/>'), tc("D", "<w:hMerge/>"),
           tc("E", "<w:hMerge/>")),
        tr(tc("F", "<w:hMerge/>"), tc("G"), tc("H")),  # continue with no restart before it
        cols=3,
    ))
    assert spans(grid) == [
        (0, 0, 1, 2, "A"), (0, 2, 1, 1, "B"),
        (1, 0, 1, 3, "C\nD\nE"),
        (2, 0, 1, 1, "F"), (2, 1, 1, 1, "G"), (2, 2, 1, 1, "H"),
    ]


def test_grid_before_and_after_leave_empty_slots() -> None:
    grid = grid_of(tbl(
        tr(tc("A"), tc("B"), pr='<w:gridBefore w:val="1"/>'),
        tr(tc("C"), pr='<w:gridAfter w:val="2"/>'),
        tr(tc("D"), tc("E"), tc("F")),
        cols=3,
    ))
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert spans(grid) == [
        (0, 1, 1, 1, "A"), (0, 2, 1, 1, "B"),
        (1, 0, 1, 1, "C"),
        (2, 0, 1, 1, "D"), (2, 1, 1, 1, "E"), (2, 2, 1, 1, "F"),
    ]
    held = {(c.row, c.col) for c in grid.cells}
    assert {(0, 0), (1, 1), (1, 2)}.isdisjoint(held)


def test_width_without_tbl_grid_is_the_widest_row_counting_skipped_slots() -> None:
    after = grid_of(tbl(tr(tc("A"), pr='<w:gridAfter w:val="2"/>'), tr(tc("B"), tc("C"))))
    assert after.n_cols == 3  # 1 cell + 2 skipped slots
    before = grid_of(tbl(tr(tc("A"), pr='<w:gridBefore w:val="2"/>'), tr(tc("B"))))
    assert before.n_cols == 3
    assert spans(before) == [(0, 2, 1, 1, "A"), (1, 0, 1, 1, "B")]


def test_tbl_grid_wider_than_every_row_wins() -> None:
    assert grid_of(tbl(tr(tc("A")), cols=4)).n_cols == 4


def test_vmerge_lines_up_across_grid_before() -> None:
    grid = grid_of(tbl(
        tr(tc("A", RESTART), pr='<w:gridBefore w:val="1"/>'),
        tr(tc("X"), tc("", CONTINUE)),
        cols=2,
    ))
    assert spans(grid) == [(0, 1, 2, 1, "A"), (1, 0, 1, 1, "X")]


def test_rows_and_cells_wrapped_in_sdt_and_custom_xml() -> None:
    grid = grid_of(
        "<w:tbl>"
        "<w:sdt><w:sdtPr/><w:sdtContent>" + tr(tc("A"), tc("B")) + "</w:sdtContent></w:sdt>"
        '<w:customXml w:element="row"><w:tr>' + tc("C")
        + "<w:sdt><w:sdtContent><w:customXml w:element=\"c\">" + tc("D")
        + "</w:customXml></w:sdtContent></w:sdt></w:tr></w:customXml>"
        "<w:sdt><w:sdtPr/></w:sdt>"  # a content control with no content holds no row
        "</w:tbl>"
    )
    assert (grid.n_rows, grid.n_cols) == (2, 2)
    assert spans(grid) == [
        (0, 0, 1, 1, "A"), (0, 1, 1, 1, "B"), (1, 0, 1, 1, "C"), (1, 1, 1, 1, "D"),
    ]


def test_tracked_deleted_row_is_left_out_and_merges_close_over_it() -> None:
    deleted = '<w:del w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"/>'
    inserted = '<w:ins w:id="2" w:author="x" w:date="2024-01-01T00:00:00Z"/>'
    grid = grid_of(tbl(
        tr(tc("A", RESTART), tc("B")),
        tr(tc("", CONTINUE), tc("删"), pr=deleted),
        tr(tc("", CONTINUE), tc("C"), pr=inserted),  # an inserted row stays
        cols=2,
    ))
    assert grid.n_rows == 2
    assert spans(grid) == [(0, 0, 2, 1, "A"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "C")]


def test_header_rows_are_the_leading_tbl_header_rows_only() -> None:
    grid = grid_of(tbl(
        tr(tc("H1"), pr="<w:tblHeader/>"),
        tr(tc("H2"), pr='<w:tblHeader w:val="true"/>'),
        tr(tc("R1"), pr='<w:tblHeader w:val="0"/>'),
        tr(tc("R2"), pr="<w:tblHeader/>"),  # not joined to the first row: ignored, as in Word
        cols=1,
    ))
    assert grid.header_rows == [0, 1]
    assert [(c.text, c.header) for c in grid.cells] == [
        ("H1", True), ("H2", True), ("R1", False), ("R2", False),
    ]


def test_header_flag_is_off_when_the_first_row_is_not_a_header() -> None:
    grid = grid_of(tbl(tr(tc("R")), tr(tc("H"), pr="<w:tblHeader/>"), cols=1))
    assert grid.header_rows == []
    assert [c.header for c in grid.cells] == [False, False]


def test_empty_table() -> None:
    grid = grid_of(tbl(cols=2))
    assert (grid.n_rows, grid.n_cols, grid.cells) == (0, 2, [])


def test_merged_away_cells_are_read_against_their_origin_slot() -> None:
    calls: list[tuple[str, int, int]] = []

    def reader(
        tc_el: etree._Element, row: int, col: int, paragraphs: list[etree._Element] | None
    ) -> CellContent:
        content = read_text(tc_el, row, col, paragraphs)
        calls.append((content.text, row, col))
        return content

    build_grid(parse(tbl(
        tr(tc("A", RESTART), tc("B", '<w:hMerge w:val="restart"/>'), tc("b", "<w:hMerge/>")),
        tr(tc("a", CONTINUE), tc("C", span(2))),
        cols=3,
    )), reader)
    assert calls == [("A", 0, 0), ("B", 0, 1), ("b", 0, 1), ("a", 0, 0), ("C", 1, 1)]


# -- through the extractor: nesting, provenance, body wrappers --------------------------------


def test_nested_table_is_its_own_table_pointing_at_its_cell(tmp_path: Path) -> None:
    inner = tbl(tr(tc("内")))
    body = (
        para("前")  # paragraph 0
        + tbl(tr(tc("外"), "<w:tc>" + para("上") + inner + para("下") + "</w:tc>"), cols=2)
        + para("后")  # paragraph 5; 外=1, 上=2, 内=3, 下=4
    )
    ex = extract_body(tmp_path, body)
    assert [t.id for t in ex.tables] == ["t0", "t1"]
    assert ex.order == ["b0", "t0", "b1"]  # the nested table is not a top-level item
    outer, nested = ex.tables
    assert table_spans(ex, 0) == [(0, 0, 1, 1, "外"), (0, 1, 1, 1, "上\n下")]
    assert outer.cells[1].nested_tables == ["t1"]
    assert outer.cells[0].nested_tables == []
    assert "内" not in outer.cells[1].text
    assert nested.parent == CellRef(table="t0", row=0, col=1)
    assert outer.parent is None
    assert (nested.n_rows, nested.n_cols) == (1, 1)
    assert table_spans(ex, 1) == [(0, 0, 1, 1, "内")]
    # provenance: table index and paragraph ranges, nested paragraphs counted in place
    assert [c.provenance for c in outer.cells] == [
        Provenance(table_index=0, paragraphs=[1, 1]),
        Provenance(table_index=0, paragraphs=[2, 4]),
    ]
    inner_cell = nested.cells[0].provenance
    assert inner_cell is not None and inner_cell.table_index == 1
    assert inner_cell.paragraphs == [3, 3]
    assert outer.provenance is not None and outer.provenance.paragraphs == [1, 4]
    assert nested.provenance is not None and nested.provenance.paragraphs == [3, 3]
    assert [(b.text, b.provenance.paragraphs if b.provenance else None) for b in ex.blocks] == [
        ("前", [0, 0]), ("后", [5, 5]),
    ]


def test_nested_table_in_a_merged_away_cell_points_at_the_merged_cell(tmp_path: Path) -> None:
    continued = "<w:tc><w:tcPr><w:vMerge/></w:tcPr>" + tbl(tr(tc("内"))) + "<w:p/></w:tc>"
    body = tbl(tr(tc("A", RESTART), tc("B")), tr(continued, tc("C")), cols=2)
    ex = extract_body(tmp_path, body)  # paragraphs: A=0, B=1, 内=2, empty=3, C=4
    outer, nested = ex.tables
    assert table_spans(ex, 0) == [(0, 0, 2, 1, "A"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "C")]
    assert outer.cells[0].nested_tables == ["t1"]
    assert nested.parent == CellRef(table="t0", row=0, col=0)
    assert [c.provenance.paragraphs for c in outer.cells if c.provenance] == [
        [0, 3], [1, 1], [4, 4],
    ]


def test_vmerge_text_and_paragraphs_join_the_origin_cell(tmp_path: Path) -> None:
    ex = extract_body(tmp_path, tbl(tr(tc("上", RESTART)), tr(tc("下", CONTINUE)), cols=1))
    assert table_spans(ex) == [(0, 0, 2, 1, "上\n下")]
    cell = ex.tables[0].cells[0]
    assert cell.provenance is not None and cell.provenance.paragraphs == [0, 1]


def test_tables_inside_body_level_sdt_and_custom_xml(tmp_path: Path) -> None:
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>" + para("表一") + tbl(tr(tc("X")))
        + "</w:sdtContent></w:sdt>"
        + '<w:customXml w:element="t">' + tbl(tr(tc("Y"))) + "</w:customXml>"
    )
    ex = extract_body(tmp_path, body)
    assert ex.order == ["b0", "t0", "t1"]
    assert table_spans(ex, 0) == [(0, 0, 1, 1, "X")]
    assert table_spans(ex, 1) == [(0, 0, 1, 1, "Y")]
    assert [t.provenance.table_index for t in ex.tables if t.provenance] == [0, 1]
    x, y = ex.tables[0].cells[0], ex.tables[1].cells[0]
    assert x.provenance is not None and x.provenance.paragraphs == [1, 1]
    assert y.provenance is not None and y.provenance.paragraphs == [2, 2]


def test_header_rows_reach_the_model(tmp_path: Path) -> None:
    body = tbl(tr(tc("指标"), tc("值"), pr="<w:tblHeader/>"), tr(tc("数量"), tc("3")), cols=2)
    table = extract_body(tmp_path, body).tables[0]
    assert table.header_rows == [0]
    assert [(c.row, c.col, c.header) for c in table.cells] == [
        (0, 0, True), (0, 1, True), (1, 0, False), (1, 1, False),
    ]


def test_cell_without_paragraphs_has_no_paragraph_range(tmp_path: Path) -> None:
    ex = extract_body(tmp_path, "<w:tbl><w:tr><w:tc/></w:tr></w:tbl>")
    assert table_spans(ex) == [(0, 0, 1, 1, "")]
    cell, table = ex.tables[0].cells[0], ex.tables[0]
    assert cell.provenance is not None and cell.provenance.paragraphs is None
    assert table.provenance is not None and table.provenance.paragraphs is None
