"""Indicator grids in the variants of DOMAIN.md, on small hand-made grids."""

from __future__ import annotations

from jixiao.mapping.content_roles import split_annotation
from jixiao.mapping.gridview import GridView
from jixiao.mapping.indicators import find_grids, read_all_indicators
from tests.mapping.test_fields import grid


def test_annotations_leave_the_label_and_give_the_points() -> None:
    assert split_annotation("产出指标(50分)") == ("产出指标", "50")
    assert split_annotation("成本指标(0-20)分") == ("成本指标", "0-20")
    assert split_annotation("效益指标（30分）") == ("效益指标", "30")
    assert split_annotation("满意度指标") == ("满意度指标", None)
    assert split_annotation("(50分)") == ("(50分)", None)


def test_2021_framework_cost_as_level1_and_annotated_labels() -> None:
    view = grid(
        3, 4,
        (0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"),
        (0, 3, 1, 1, "指标值"),
        (1, 0, 1, 1, "成本指标(20分)"), (1, 1, 1, 1, "经济成本指标"), (1, 2, 1, 1, "项目总成本"),
        (1, 3, 1, 1, "≤65万元"),
        (2, 0, 1, 1, "产出指标(50分)"), (2, 1, 1, 1, "数量指标"), (2, 2, 1, 1, "培训人次"),
        (2, 3, 1, 1, "≥300人次"),
    )
    got = [(i.level1, i.level2, i.level3, i.target.raw, i.group_weight)
           for i in read_all_indicators(view)]
    assert got == [
        ("成本指标", "经济成本指标", "项目总成本", "≤65万元", "20"),
        ("产出指标", "数量指标", "培训人次", "≥300人次", "50"),
    ]


def test_long_term_and_annual_grids_in_one_table() -> None:
    view = grid(
        4, 5,
        (0, 0, 2, 1, "长期绩效指标"),
        (0, 1, 1, 1, "一级指标"), (0, 2, 1, 1, "二级指标"), (0, 3, 1, 1, "三级指标"),
        (0, 4, 1, 1, "指标值"),
        (1, 1, 1, 1, "产出指标"), (1, 2, 1, 1, "数量指标"), (1, 3, 1, 1, "覆盖村数"),
        (1, 4, 1, 1, "100个"),
        (2, 0, 2, 1, "年度绩效指标"),
        (2, 1, 1, 1, "一级指标"), (2, 2, 1, 1, "二级指标"), (2, 3, 1, 1, "三级指标"),
        (2, 4, 1, 1, "指标值"),
        (3, 1, 1, 1, "产出指标"), (3, 2, 1, 1, "数量指标"), (3, 3, 1, 1, "覆盖村数"),
        (3, 4, 1, 1, "20个"),
    )
    assert [g.header_row for g in find_grids(view)] == [0, 2]
    got = [(i.horizon, i.level3, i.target.raw) for i in read_all_indicators(view)]
    assert got == [("long_term", "覆盖村数", "100个"), ("annual", "覆盖村数", "20个")]


def test_split_target_in_traditional_script_is_joined_as_printed() -> None:
    view = grid(
        3, 6,
        (0, 0, 2, 1, "一級指標"), (0, 1, 2, 1, "二級指標"), (0, 2, 2, 1, "三級指標"),
        (0, 3, 1, 3, "指標值"),
        (1, 3, 1, 1, "指標性質"), (1, 4, 1, 1, "指標值"), (1, 5, 1, 1, "度量單位"),
        (2, 0, 1, 1, "效益指標"), (2, 1, 1, 1, "滿意度指標"), (2, 2, 1, 1, "群眾滿意度"),
        (2, 3, 1, 1, "≥"), (2, 4, 1, 1, "95"), (2, 5, 1, 1, "%"),
    )
    [grid_] = find_grids(view)
    assert grid_.target_parts == (3, 4, 5) and grid_.first_row == 2
    [ind] = read_all_indicators(view)
    assert (ind.level1, ind.level2, ind.level3, ind.target.raw) == (
        "效益指標", "滿意度指標", "群眾滿意度", "≥95%")


def test_self_evaluation_columns() -> None:
    view = grid(
        3, 8,
        (0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"),
        (0, 3, 1, 1, "年度指标值"), (0, 4, 1, 1, "实际完成值"), (0, 5, 1, 1, "分值"),
        (0, 6, 1, 1, "得分"), (0, 7, 1, 1, "偏差原因分析及改进措施"),
        (1, 0, 1, 1, "产出指标"), (1, 1, 1, 1, "时效指标"), (1, 2, 1, 1, "完成时间"),
        (1, 3, 1, 1, "2024年12月31日前"), (1, 4, 1, 1, "2024年11月"), (1, 5, 1, 1, "10"),
        (1, 6, 1, 1, "10"), (1, 7, 1, 1, ""),
        (2, 0, 1, 1, ""), (2, 1, 1, 1, ""), (2, 2, 1, 1, ""), (2, 3, 1, 1, ""),
        (2, 4, 1, 1, ""), (2, 5, 1, 1, ""), (2, 6, 1, 1, ""), (2, 7, 1, 1, ""),
    )
    done, blank = read_all_indicators(view)
    assert (done.target.raw, done.actual and done.actual.raw, done.weight, done.score,
            done.deviation, done.empty) == ("2024年12月31日前", "2024年11月", "10", "10", "", False)
    # The blank template row is kept, marked empty, with the labels carried from above.
    assert (blank.empty, blank.level1, blank.level3, blank.target.raw) == (
        True, "产出指标", "", "")


def test_a_target_over_three_cells_under_one_header_keeps_op_number_and_unit() -> None:
    """No row names the parts: the header 指标值 simply spans 符号 | 数值 | 单位."""
    view = grid(
        3, 6,
        (0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"),
        (0, 3, 1, 3, "指标值"),
        (1, 0, 1, 1, "产出指标"), (1, 1, 1, 1, "数量指标"), (1, 2, 1, 1, "补助资金"),
        (1, 3, 1, 1, "≤"), (1, 4, 1, 1, "1200"), (1, 5, 1, 1, "元"),
        (2, 0, 1, 1, "效益指标"), (2, 1, 1, 1, "社会效益"), (2, 2, 1, 1, "服务对象"),
        (2, 3, 1, 3, "逐步扩大"),  # a qualitative target merged over the three
    )
    got = [(i.level3, i.target.raw) for i in read_all_indicators(view)]
    assert got == [("补助资金", "≤1200元"), ("服务对象", "逐步扩大")]


def test_a_split_target_in_another_arrangement_weight_first() -> None:
    view = grid(
        2, 7,
        (0, 0, 1, 1, "分值"), (0, 1, 1, 1, "一級指標"), (0, 2, 1, 1, "二級指標"),
        (0, 3, 1, 1, "三級指標"), (0, 4, 1, 3, "目標值"),
        (1, 0, 1, 1, "10"), (1, 1, 1, 1, "產出指標"), (1, 2, 1, 1, "時效指標"),
        (1, 3, 1, 1, "完成時間"), (1, 4, 1, 1, "≤"), (1, 5, 1, 1, "12"), (1, 6, 1, 1, "月"),
    )
    got = [(i.level3, i.target.raw, i.weight) for i in read_all_indicators(view)]
    assert got == [("完成時間", "≤12月", "10")]


def test_headers_that_contradict_the_content() -> None:
    """The column headed 绩效指标 holds the 二级 labels, the one headed 一级指标 the names,
    绩效标准 the targets: the content decides."""
    view = grid(
        4, 5,
        (0, 0, 1, 1, "项目"), (0, 1, 1, 1, "绩效指标"), (0, 2, 1, 1, "一级指标"),
        (0, 3, 1, 1, "绩效标准"), (0, 4, 1, 1, "分值"),
        (1, 0, 2, 1, "产出指标"), (1, 1, 1, 1, "数量指标"), (1, 2, 1, 1, "培训人次"),
        (1, 3, 1, 1, "≥300人次"), (1, 4, 1, 1, "20"),
        (2, 1, 1, 1, "质量指标"), (2, 2, 1, 1, "合格率"), (2, 3, 1, 1, "≥95%"),
        (2, 4, 1, 1, "20"),
        (3, 0, 1, 1, "满意度指标"), (3, 1, 1, 1, "服务对象满意度指标"),
        (3, 2, 1, 1, "学员满意度"), (3, 3, 1, 1, "≥90%"), (3, 4, 1, 1, "10"),
    )
    got = [(i.level1, i.level2, i.level3, i.target.raw, i.weight)
           for i in read_all_indicators(view)]
    assert got == [
        ("产出指标", "数量指标", "培训人次", "≥300人次", "20"),
        ("产出指标", "质量指标", "合格率", "≥95%", "20"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "10"),
    ]


def test_headers_that_contradict_the_content_in_another_arrangement() -> None:
    """Traditional script, no level header at all, the levels repeated on every row, the
    targets under 指標值 and a description column between names and targets."""
    view = grid(
        3, 5,
        (0, 0, 1, 1, "類別"), (0, 1, 1, 1, "指標"), (0, 2, 1, 1, "內容"),
        (0, 3, 1, 1, "指標說明"), (0, 4, 1, 1, "指標值"),
        (1, 0, 1, 1, "效益指標"), (1, 1, 1, 1, "社會效益指標"), (1, 2, 1, 1, "受益人數"),
        (1, 3, 1, 1, "全年"), (1, 4, 1, 1, "≥1000人"),
        (2, 0, 1, 1, "效益指標"), (2, 1, 1, 1, "可持續影響指標"), (2, 2, 1, 1, "長效機制"),
        (2, 3, 1, 1, "三年"), (2, 4, 1, 1, "建立"),
    )
    got = [(i.level1, i.level2, i.level3, i.description, i.target.raw)
           for i in read_all_indicators(view)]
    assert got == [
        ("效益指標", "社會效益指標", "受益人數", "全年", "≥1000人"),
        ("效益指標", "可持續影響指標", "長效機制", "三年", "建立"),
    ]


def test_grids_stacked_under_label_rows_end_at_the_next_block() -> None:
    # 长期 and 年度 grids, each under a label row and a goal row of its own: the rows
    # between the grids are no indicators, and each grid's horizon comes from above it.
    head = ["一級指標", "二級指標", "三級指標", "目標值"]
    view = grid(
        8, 4,
        (0, 0, 1, 4, "長期績效目標"), (1, 0, 1, 1, "長期目標"), (1, 1, 1, 3, "三年建成平台"),
        *[(2, c, 1, 1, t) for c, t in enumerate(head)],
        *[(3, c, 1, 1, t) for c, t in enumerate(["產出指標", "數量指標", "接入社區數", "≥60個"])],
        (4, 0, 1, 4, "年度績效目標"), (5, 0, 1, 1, "年度目標"), (5, 1, 1, 3, "接入20個社區"),
        *[(6, c, 1, 1, t) for c, t in enumerate(head)],
        *[(7, c, 1, 1, t) for c, t in enumerate(["產出指標", "數量指標", "新接入社區數", "20個"])],
    )
    grids = find_grids(view)
    assert [(g.header_row, g.end_row, g.horizon) for g in grids] == [
        (2, 4, "long_term"), (6, 8, "annual")]
    got = [(i.horizon, i.level3, i.target.raw) for i in read_all_indicators(view)]
    assert got == [("long_term", "接入社區數", "≥60個"), ("annual", "新接入社區數", "20個")]


def test_one_grid_under_a_goal_row_gets_no_horizon() -> None:
    # A single grid is the form's only one: a 年度绩效目标 row above it says nothing of it.
    view = grid(
        3, 4,
        (0, 0, 1, 1, "年度绩效目标"), (0, 1, 1, 3, "完成培训"),
        *[(1, c, 1, 1, t) for c, t in enumerate(["一级指标", "二级指标", "三级指标", "指标值"])],
        *[(2, c, 1, 1, t) for c, t in enumerate(["产出指标", "数量指标", "培训人次", "300人次"])],
    )
    assert [(g.horizon, g.end_row) for g in find_grids(view)] == [(None, 3)]


def _flat(headers: list[str], *rows: list[str]) -> GridView:
    cells = [(0, c, 1, 1, h) for c, h in enumerate(headers)]
    for r, row in enumerate(rows, 1):
        cells += [(r, c, 1, 1, t) for c, t in enumerate(row)]
    return grid(len(rows) + 1, len(headers), *cells)


def test_a_target_split_under_flat_headers_is_joined_as_printed() -> None:
    """指标性质 | 指标值 | 度量单位 as three headers of their own (no spanning 指标值 over
    them): read back as printed, a nature word (定性) left out, a part the value already
    prints not printed twice, a placeholder unit (/) dropped."""
    view = _flat(
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
        ["产出指标", "数量指标", "培训人次", "≥", "300", "人次", "10"],
        ["产出指标", "质量指标", "合格率", "＝", "100", "%", "10"],
        ["产出指标", "时效指标", "完成时间", "≤", "2024年11月底前", "", "10"],
        ["效益指标", "社会效益指标", "群众知晓度", "定性", "明显提高", "/", "10"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥", "≥90%", "%", "10"],
    )
    got = [(i.level3, i.target.raw, i.weight) for i in read_all_indicators(view)]
    assert got == [("培训人次", "≥300人次", "10"), ("合格率", "＝100%", "10"),
                   ("完成时间", "≤2024年11月底前", "10"), ("群众知晓度", "明显提高", "10"),
                   ("满意度", "≥90%", "10")]


def test_a_unit_column_alone_beside_the_target_is_joined() -> None:
    view = _flat(["一级指标", "二级指标", "三级指标", "目标值", "计量单位"],
                 ["产出指标", "数量指标", "培训人次", "300", "人次"],
                 ["产出指标", "数量指标", "覆盖村数", "12个", "个"])
    assert [i.target.raw for i in read_all_indicators(view)] == ["300人次", "12个"]


def test_an_operator_column_away_from_the_target_is_not_joined() -> None:
    # not beside the target: no part of it (its cells stay unmapped, see test_coverage)
    view = _flat(["一级指标", "二级指标", "指标性质", "三级指标", "指标值"],
                 ["产出指标", "数量指标", "≥", "培训人次", "300人次"])
    assert [i.target.raw for i in read_all_indicators(view)] == ["300人次"]


def test_self_evaluation_headers_name_their_actual_and_basis_columns() -> None:
    view = _flat(
        ["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成指标值", "指标值设定依据",
         "分值", "得分"],
        ["产出指标", "数量指标", "培训人次", "≥300人次", "320人次", "计划标准", "10", "10"],
    )
    (ind,) = read_all_indicators(view)
    assert ind.target.raw == "≥300人次"
    assert ind.actual is not None and ind.actual.raw == "320人次"
    assert (ind.basis, ind.weight, ind.score) == ("计划标准", "10", "10")


def test_a_section_label_left_of_the_grid_is_no_column() -> None:
    """（三）项目绩效指标完成情况 spans the grid's rows on its left: it names no column
    (an actual read from it would be the label, on every row)."""
    view = grid(
        3, 7,
        (0, 0, 3, 1, "（三）项目绩效指标完成情况"), (0, 1, 1, 1, "一级指标"),
        (0, 2, 1, 1, "二级指标"), (0, 3, 1, 1, "三级指标"), (0, 4, 1, 1, "指标值"),
        (0, 5, 1, 1, "完成值"), (0, 6, 1, 1, "得分"),
        (1, 1, 1, 1, "产出指标"), (1, 2, 1, 1, "数量指标"), (1, 3, 1, 1, "维修水库"),
        (1, 4, 1, 1, "8座"), (1, 5, 1, 1, "8座"), (1, 6, 1, 1, "10"),
        (2, 1, 1, 1, "产出指标"), (2, 2, 1, 1, "时效指标"), (2, 3, 1, 1, "汛前完工率"),
        (2, 4, 1, 1, "≥90%"), (2, 5, 1, 1, "85%"), (2, 6, 1, 1, "8"),
    )
    got = [(i.level3, i.target.raw, i.actual.raw if i.actual else None)
           for i in read_all_indicators(view)]
    assert got == [("维修水库", "8座", "8座"), ("汛前完工率", "≥90%", "85%")]


def test_a_target_column_per_horizon_gives_an_indicator_of_each() -> None:
    """中期指标值 | 年度指标值 in one header: each row is a long-term and an annual indicator
    (read as stacked 长期 and 年度 grids are), the points and score the annual one's; never
    one target made of both."""
    view = _flat(
        ["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值", "分值"],
        ["产出指标", "数量指标", "养护里程", "≥300公里", "≥100公里", "40"],
        ["效益指标", "社会效益指标", "通行条件", "明显改善", "有所改善", "60"],
    )
    got = [(i.horizon, i.level3, i.target.raw, i.weight) for i in read_all_indicators(view)]
    assert got == [
        ("long_term", "养护里程", "≥300公里", None), ("long_term", "通行条件", "明显改善", None),
        ("annual", "养护里程", "≥100公里", "40"), ("annual", "通行条件", "有所改善", "60"),
    ]


def test_horizons_named_under_one_spanning_target_header() -> None:
    """指标值 spanning two columns headed 中期 | 年度 (or a span of years | one year) in the
    row below: that row is the header's, and each column a horizon's target."""
    for under in (("中期", "年度"), ("2024-2026年", "2024年"), ("年度", "实施期")):
        view = grid(
            3, 5,
            (0, 0, 2, 1, "一级指标"), (0, 1, 2, 1, "二级指标"), (0, 2, 2, 1, "三级指标"),
            (0, 3, 1, 2, "指标值"), (1, 3, 1, 1, under[0]), (1, 4, 1, 1, under[1]),
            (2, 0, 1, 1, "产出指标"), (2, 1, 1, 1, "数量指标"), (2, 2, 1, 1, "养护里程"),
            (2, 3, 1, 1, "A"), (2, 4, 1, 1, "B"),
        )
        got = [(i.horizon, i.target.raw) for i in read_all_indicators(view)]
        first_long = under[0] != "年度"
        assert got == ([("long_term", "A"), ("annual", "B")] if first_long
                       else [("long_term", "B"), ("annual", "A")]), under


def test_two_targets_under_one_header_that_name_no_horizon_are_not_split() -> None:
    view = _flat(["一级指标", "二级指标", "三级指标", "指标值", "指标值（2025年）"],
                 ["产出指标", "数量指标", "养护里程", "100公里", "120公里"])
    assert [(i.horizon, i.target.raw) for i in read_all_indicators(view)] == [(None, "100公里")]


def test_a_header_two_rows_high_reads_the_columns_merged_down_beside_the_levels() -> None:
    """绩效指标 spans the three level headers of the row below; 指标值 and 分值 are merged
    down beside them: both rows are the header, and 分值 is read."""
    view = grid(
        4, 5,
        (0, 0, 1, 1, "项目名称"), (0, 1, 1, 4, "道路养护"),
        (1, 0, 1, 3, "绩效指标"), (1, 3, 2, 1, "指标值"), (1, 4, 2, 1, "分值"),
        (2, 0, 1, 1, "一级指标"), (2, 1, 1, 1, "二级指标"), (2, 2, 1, 1, "三级指标"),
        (3, 0, 1, 1, "产出指标"), (3, 1, 1, 1, "数量指标"), (3, 2, 1, 1, "培训人次"),
        (3, 3, 1, 1, "≥300人次"), (3, 4, 1, 1, "20"),
    )
    [found] = find_grids(view)
    assert (found.header_row, found.first_row) == (1, 3)
    assert [(i.level3, i.target.raw, i.weight) for i in read_all_indicators(view)] == [
        ("培训人次", "≥300人次", "20")]


def test_a_grid_of_names_and_targets_without_levels() -> None:
    """指标名称 | 指标值 under a 绩效指标 label: indicators without levels; the header is
    never a field 指标名称 = 指标值 (a label taken as a value)."""
    from jixiao.mapping.forms import Context, build_form
    from jixiao.schemas import Cell, Table

    spec = [(0, 0, 1, 1, "项目名称"), (0, 1, 1, 2, "道路养护"),
            (1, 0, 3, 1, "绩效指标"), (1, 1, 1, 1, "指标名称"), (1, 2, 1, 1, "指标值"),
            (2, 1, 1, 1, "养护里程"), (2, 2, 1, 1, "≥100公里"),
            (3, 1, 1, 1, "群众满意度"), (3, 2, 1, 1, "≥90%")]
    table = Table(id="t0", n_rows=4, n_cols=3, cells=[
        Cell(row=r, col=c, row_span=rs, col_span=cs, text=t) for r, c, rs, cs, t in spec])
    form = build_form("f0", table, Context(title="2024年项目支出绩效目标表"))
    assert [(i.level1, i.level2, i.level3, i.target.raw) for i in form.indicators] == [
        ("", "", "养护里程", "≥100公里"), ("", "", "群众满意度", "≥90%")]
    assert [(f.label, f.value) for f in form.fields] == [("项目名称", "道路养护")]
    assert form.unmapped == []


def test_measures_in_a_column_of_their_own_join_the_deviation() -> None:
    """偏差原因分析 | 改进措施 in two columns: the deviation holds both, as the national
    template's one column 偏差原因分析及改进措施 does."""
    view = _flat(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析", "改进措施"],
        ["产出指标", "数量指标", "养护里程", "100公里", "90公里", "20", "18", "雨季影响",
         "提前安排工期"],
        ["产出指标", "质量指标", "优良路率", "≥75%", "80%", "20", "20", "", ""],
    )
    assert [i.deviation for i in read_all_indicators(view)] == ["雨季影响\n提前安排工期", ""]


def test_short_level_headers_and_labels() -> None:
    """一级 | 二级 | 三级 over 产出 | 数量 (the words without 指标) head a grid too."""
    view = _flat(["一级", "二级", "三级", "指标值"],
                 ["产出", "数量", "养护里程", "100公里"], ["效益", "社会效益", "出行条件", "改善"])
    got = [(i.level1, i.level2, i.level3, i.target.raw) for i in read_all_indicators(view)]
    assert got == [("产出", "数量", "养护里程", "100公里"),
                   ("效益", "社会效益", "出行条件", "改善")]
