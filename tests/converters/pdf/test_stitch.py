"""A table continued on the next page is stitched onto its first part.

Every table here has four columns (x 0/80/160/240/320); cells are written
(row, col, row_span, col_span, text) and the expected stitched grids are worked out by hand.
"""

from __future__ import annotations

from jixiao.converters.pdf.layout import PageCell, PageTable
from jixiao.converters.pdf.stitch import (
    align_columns,
    column_map,
    is_split_row,
    stitch,
)

XS = [0.0, 80.0, 160.0, 240.0, 320.0]
HEADER = [(0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"),
          (0, 3, 1, 1, "指标值")]
Spec = tuple[int, int, int, int, str]


def part(page: int, n_rows: int, cells: list[Spec], xs: list[float] | None = None) -> PageTable:
    ys = [100.0 + 20 * r for r in range(n_rows + 1)]
    cols = xs or XS
    table = PageTable(page=page, xs=list(cols), ys=ys)
    for r, c, rs, cs, text in cells:
        bbox = (cols[c], ys[r], cols[c + cs], ys[r + rs])
        table.cells.append(PageCell(r, c, rs, cs, text, bbox, page))
    return table


def grid(table: PageTable) -> list[Spec]:
    return sorted((c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells)


def full_row(row: int, *texts: str) -> list[Spec]:
    return [(row, col, 1, 1, text) for col, text in enumerate(texts)]


def test_same_columns_within_two_points() -> None:
    a = part(1, 1, full_row(0, "a", "b", "c", "d"))
    same = [0, 1, 2, 3, 4]
    assert column_map(a, part(2, 1, [], xs=[0.5, 81.0, 159.0, 241.5, 320.0])) == same
    assert column_map(a, part(2, 1, [], xs=[0.0, 80.0, 163.0, 240.0, 320.0])) != same
    assert column_map(a, part(2, 1, [], xs=[0.0, 160.0, 240.0, 320.0])) != same


def test_a_repeated_header_row_is_dropped() -> None:
    first = part(1, 3, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人"),
                        *full_row(2, "产出指标", "质量指标", "合格率", "100%")])
    second = part(2, 2, [*HEADER, *full_row(1, "效益指标", "社会效益", "满意度", "90%")])
    stitch(first, second)
    assert (first.n_rows, first.pages) == (4, [1, 2])
    assert grid(first) == sorted([
        *HEADER,
        *full_row(1, "产出指标", "数量指标", "培训人数", "50人"),
        *full_row(2, "产出指标", "质量指标", "合格率", "100%"),
        *full_row(3, "效益指标", "社会效益", "满意度", "90%"),
    ])
    assert [c.page for c in first.cells if c.row == 3] == [2, 2, 2, 2]


def test_two_repeated_header_rows_under_a_title_row_are_dropped() -> None:
    title = [(0, 0, 1, 4, "填报单位：某局")]
    head = [(r + 1, c, rs, cs, t) for r, c, rs, cs, t in HEADER]
    first = part(1, 3, [*title, *head, *full_row(2, "a", "b", "c", "d")])
    # Page 2 repeats the title row and the header: both are dropped.
    second = part(2, 3, [*title, *head, *full_row(2, "e", "f", "g", "h")])
    stitch(first, second)
    assert first.n_rows == 4
    assert grid(first) == sorted([*title, *head, *full_row(2, "a", "b", "c", "d"),
                                  *full_row(3, "e", "f", "g", "h")])


def test_a_row_cut_by_the_page_break_is_joined() -> None:
    first = part(1, 2, [*HEADER,
                        *full_row(1, "效益指标", "经济效益指标", "保障企业发展环境优化、投资创业者",
                                  "有明显帮助")])
    # The continuation: text only under text, blank under text elsewhere.
    second = part(2, 2, [*full_row(0, "", "", "人身、财产、心理安全", ""),
                         *full_row(1, "效益指标", "生态效益指标", "绿色生态", "持续发展")])
    assert is_split_row(first, second)
    stitch(first, second)
    assert (first.n_rows, first.pages) == (3, [1, 2])
    assert grid(first) == sorted([
        *HEADER,
        *full_row(1, "效益指标", "经济效益指标",
                  "保障企业发展环境优化、投资创业者人身、财产、心理安全", "有明显帮助"),
        *full_row(2, "效益指标", "生态效益指标", "绿色生态", "持续发展"),
    ])


def test_a_cut_latin_row_is_joined_with_a_space() -> None:
    first = part(1, 1, full_row(0, "Output", "Improve the", "100", "ok"))
    second = part(2, 1, full_row(0, "", "budget", "", ""))
    stitch(first, second)
    assert grid(first) == full_row(0, "Output", "Improve the budget", "100", "ok")


def test_a_cut_row_whose_merged_labels_continue_is_joined() -> None:
    # Like the seed's department table: the labels on the left span rows on both pages.
    first = part(1, 3, [
        (0, 0, 3, 1, "年度绩效指标"), (0, 1, 1, 1, "产出指标"), *full_row(0, "", "", "a", "b")[2:],
        (1, 1, 2, 1, "效益指标"), (1, 2, 1, 1, "社会效益"), (1, 3, 1, 1, "c"),
        (2, 2, 1, 1, "经济效益"), (2, 3, 1, 1, "保障企业发展环境优化、投资创业者"),
    ])
    second = part(2, 2, [
        (0, 0, 2, 1, ""), (0, 1, 2, 1, ""), (0, 2, 1, 1, ""), (0, 3, 1, 1, "人身安全"),
        (1, 2, 1, 1, "生态效益"), (1, 3, 1, 1, "绿色生态"),
    ])
    stitch(first, second)
    assert first.n_rows == 4
    assert grid(first) == [
        (0, 0, 4, 1, "年度绩效指标"), (0, 1, 1, 1, "产出指标"), (0, 2, 1, 1, "a"),
        (0, 3, 1, 1, "b"),
        (1, 1, 3, 1, "效益指标"), (1, 2, 1, 1, "社会效益"), (1, 3, 1, 1, "c"),
        (2, 2, 1, 1, "经济效益"), (2, 3, 1, 1, "保障企业发展环境优化、投资创业者人身安全"),
        (3, 2, 1, 1, "生态效益"), (3, 3, 1, 1, "绿色生态"),
    ]


def test_a_label_merged_across_the_break_is_one_cell() -> None:
    first = part(1, 3, [*HEADER, (1, 0, 2, 1, "产出指标"),
                        *full_row(1, "", "数量指标", "培训人数", "50人")[1:],
                        *full_row(2, "", "质量指标", "合格率", "100%")[1:]])
    # Page 2: the label's blank continuation spans the first two rows; then a new label.
    second = part(2, 3, [(0, 0, 2, 1, ""),
                         *full_row(0, "", "时效指标", "完成时间", "12月底")[1:],
                         *full_row(1, "", "成本指标", "人均成本", "200元")[1:],
                         *full_row(2, "效益指标", "社会效益", "满意度", "90%")])
    assert not is_split_row(first, second)
    stitch(first, second)
    assert first.n_rows == 6
    assert grid(first) == sorted([
        *HEADER,
        (1, 0, 4, 1, "产出指标"),
        *full_row(1, "", "数量指标", "培训人数", "50人")[1:],
        *full_row(2, "", "质量指标", "合格率", "100%")[1:],
        *full_row(3, "", "时效指标", "完成时间", "12月底")[1:],
        *full_row(4, "", "成本指标", "人均成本", "200元")[1:],
        *full_row(5, "效益指标", "社会效益", "满意度", "90%"),
    ])


def test_a_new_row_under_a_label_continuing_for_one_row_is_not_merged() -> None:
    # The label spans two rows on page 1 and one more on page 2; the new row on page 2 has
    # text in every other column. Its blank label cell is the label continuing, not a cut.
    first = part(1, 3, [*HEADER, (1, 0, 2, 1, "产出指标"),
                        *full_row(1, "", "数量指标", "培训人数", "50人")[1:],
                        *full_row(2, "", "质量指标", "合格率", "100%")[1:]])
    second = part(2, 1, full_row(0, "", "时效指标", "完成时间", "12月底"))
    assert not is_split_row(first, second)
    stitch(first, second)
    assert first.n_rows == 4
    assert grid(first) == sorted([
        *HEADER,
        (1, 0, 3, 1, "产出指标"),
        *full_row(1, "", "数量指标", "培训人数", "50人")[1:],
        *full_row(2, "", "质量指标", "合格率", "100%")[1:],
        *full_row(3, "", "时效指标", "完成时间", "12月底")[1:],
    ])


def test_a_label_cut_after_its_first_row_is_one_cell() -> None:
    # On page 1 the label has one row; its blank continuation on page 2 spans two.
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人")])
    second = part(2, 2, [(0, 0, 2, 1, ""),
                         *full_row(0, "", "质量指标", "合格率", "100%")[1:],
                         *full_row(1, "", "时效指标", "完成时间", "12月底")[1:]])
    stitch(first, second)
    assert first.n_rows == 4
    assert grid(first) == sorted([
        *HEADER,
        (1, 0, 3, 1, "产出指标"),
        *full_row(1, "", "数量指标", "培训人数", "50人")[1:],
        *full_row(2, "", "质量指标", "合格率", "100%")[1:],
        *full_row(3, "", "时效指标", "完成时间", "12月底")[1:],
    ])


def test_a_full_new_row_at_the_top_of_the_next_page_is_not_merged() -> None:
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人")])
    second = part(2, 1, full_row(0, "效益指标", "社会效益", "满意度", "90%"))
    assert not is_split_row(first, second)
    stitch(first, second)
    assert grid(first) == sorted([
        *HEADER,
        *full_row(1, "产出指标", "数量指标", "培训人数", "50人"),
        *full_row(2, "效益指标", "社会效益", "满意度", "90%"),
    ])


def test_a_row_with_text_under_a_blank_is_not_a_continuation() -> None:
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "", "50人")])
    second = part(2, 1, full_row(0, "", "", "培训次数", ""))
    assert not is_split_row(first, second)
    stitch(first, second)
    assert first.n_rows == 3
    assert (2, 2, 1, 1, "培训次数") in grid(first)
    assert (1, 2, 1, 1, "") in grid(first)


def test_an_entirely_blank_first_row_is_not_a_continuation() -> None:
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人")])
    second = part(2, 2, [*full_row(0, "", "", "", ""), *full_row(1, "a", "b", "c", "d")])
    assert not is_split_row(first, second)
    stitch(first, second)
    assert first.n_rows == 4


def test_a_part_with_fewer_column_lines_is_put_on_the_table_s_columns() -> None:
    # Page 2's rows all merge columns 2 and 3, so no line is drawn between them there.
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人")])
    second = part(2, 1, [(0, 0, 1, 1, "效益指标"), (0, 1, 1, 1, "社会效益"),
                         (0, 2, 1, 1, "满意度 90%")], xs=[0.0, 80.0, 160.0, 320.5])
    mapping = column_map(first, second)
    assert mapping == [0, 1, 2, 4]
    align_columns(second, mapping, first.xs)
    stitch(first, second)
    assert (first.n_rows, first.n_cols) == (3, 4)
    assert (2, 2, 1, 2, "满意度 90%") in grid(first)


def test_a_part_whose_columns_are_not_the_table_s_does_not_continue_it() -> None:
    first = part(1, 1, full_row(0, "a", "b", "c", "d"))
    assert column_map(first, part(2, 1, [], xs=[0.0, 120.0, 320.0])) is None  # a new line
    assert column_map(first, part(2, 1, [], xs=[0.0, 80.0, 160.0])) is None  # narrower
    assert column_map(first, part(2, 1, [], xs=[0.0, 80.0, 160.0, 240.0, 320.0])) == [
        0, 1, 2, 3, 4]


def test_a_new_row_with_one_label_continuing_across_the_break_is_not_a_cut() -> None:
    # The 一级 label spans this row and the last of page 1, where it shows one row: a blank
    # under text, but the new row has text in its other cells.
    first = part(1, 2, [*HEADER, *full_row(1, "产出指标", "数量指标", "培训人数", "50人")])
    second = part(2, 1, full_row(0, "", "质量指标", "合格率", "100%"))
    assert not is_split_row(first, second)
    stitch(first, second)
    assert first.n_rows == 3
    assert (2, 1, 1, 1, "质量指标") in grid(first)
