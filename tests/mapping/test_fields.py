"""Label/value pairing on small hand-made grids."""

from __future__ import annotations

from jixiao.mapping.fields import inline_pairs, read_key_values
from jixiao.mapping.gridview import GridView
from jixiao.schemas import Cell, Table
from jixiao.vocabulary import clean_label, key, looks_like_label, unit_note


def grid(rows: int, cols: int, *cells: tuple[int, int, int, int, str]) -> GridView:
    return GridView(
        Table(
            id="t0",
            n_rows=rows,
            n_cols=cols,
            cells=[
                Cell(row=r, col=c, row_span=rs, col_span=cs, text=t) for r, c, rs, cs, t in cells
            ],
        )
    )


def pairs(view: GridView) -> list[tuple[str, str]]:
    return [(f.label, f.value) for f in read_key_values(view, range(view.n_rows)).fields]


def test_inline_pairs() -> None:
    assert inline_pairs("资金总额：335.6") == (("资金总额", "335.6"),)
    assert inline_pairs("其中：  一般公共预算：335.6") == (("一般公共预算", "335.6"),)
    assert inline_pairs("填报单位：（盖章）某某局      单位：万元") == (
        ("填报单位", "（盖章）某某局"),
        ("单位", "万元"),
    )
    assert inline_pairs("纳入专户管理的非税收入拨款：") == (("纳入专户管理的非税收入拨款", ""),)
    assert inline_pairs("见义勇为救助费、宣传费。") == ()
    assert inline_pairs("2024年12月31日前：完成") == ()  # starts with digits: not a label


def test_label_words() -> None:
    assert clean_label("其中：财政    资金") == "财政资金"
    assert clean_label("年度本级\n预算金额") == "年度本级预算金额"
    assert key("年度预算申请\n（万元）") == "年度预算申请"
    assert unit_note("年度预算申请\n（万元）") == "万元"
    assert key("項目名稱") == "项目名称"
    assert looks_like_label("项目名称")
    assert looks_like_label("其他资金：")
    assert not looks_like_label("0")
    assert not looks_like_label("（分级填报）")


def test_label_and_value_in_neighbour_cells() -> None:
    view = grid(
        2, 4,
        (0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "网格员专项资金"),
        (0, 2, 1, 1, "项目编码"), (0, 3, 1, 1, "P001"),
        (1, 0, 1, 1, "其他资金"), (1, 1, 1, 3, ""),
    )
    # 网格员专项资金 ends like a label but follows a sure label: it is the value.
    assert pairs(view) == [("项目名称", "网格员专项资金"), ("项目编码", "P001"), ("其他资金", "")]


def test_group_label_with_sub_labels_and_tail_row() -> None:
    view = grid(
        2, 5,
        (0, 0, 2, 1, "预算规模及资金用途"),
        (0, 1, 1, 1, "预算数"), (0, 2, 1, 1, "9"),
        (0, 3, 1, 1, "其中：财政资金"), (0, 4, 1, 1, "9"),
        (1, 1, 1, 4, "购买设备"),
    )
    assert pairs(view) == [("预算数", "9"), ("财政资金", "9"), ("资金用途", "购买设备")]


def test_group_headers_and_colon_labels() -> None:
    view = grid(
        3, 3,
        (0, 0, 3, 1, "年度预算申请（万元）"),
        (0, 1, 1, 1, "按收入性质分："), (0, 2, 1, 1, "按支出性质分："),
        (1, 1, 1, 1, "其中：一般公共预算：10"), (1, 2, 1, 1, "基本支出：8"),
        (2, 1, 1, 1, "其他资金："), (2, 2, 1, 1, "0"),
    )
    kv = read_key_values(view, range(3))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("一般公共预算", "10"), ("基本支出", "8"), ("其他资金", "0"),
    ]
    assert kv.unit_labels == ["年度预算申请（万元）"]


def test_spending_plan_rows() -> None:
    view = grid(
        2, 5,
        (0, 0, 2, 1, "资金支出计划（万元）"),
        (0, 1, 1, 1, "3月底"), (0, 2, 1, 2, "6月底"), (0, 4, 1, 1, "12月底"),
        (1, 1, 1, 1, "1"), (1, 2, 1, 2, "2"), (1, 4, 1, 1, "4"),
    )
    kv = read_key_values(view, range(2))
    assert kv.fields == []
    assert [(p.by, p.amount.raw, p.amount.cell.col if p.amount.cell else None)
            for p in kv.spending_plan] == [("3月底", "1", 1), ("6月底", "2", 2), ("12月底", "4", 4)]


def test_loose_first_row_text() -> None:
    view = grid(1, 3, (0, 0, 1, 2, "216002某某委员会"), (0, 2, 1, 1, "单位：万元"))
    kv = read_key_values(view, range(1))
    assert [(f.label, f.value) for f in kv.fields] == [("单位", "万元")]
    assert [c.text for c in kv.loose] == ["216002某某委员会"]


def test_a_score_cell_with_its_points_is_a_field() -> None:
    """执行率 / 分值 / （10） printed in one side cell: the points are its value; a
    bracketed year after another label is not."""
    view = grid(
        2, 3,
        (0, 0, 1, 1, "年度资金总额"), (0, 1, 1, 1, "335.6"), (0, 2, 2, 1, "执行率\n分值\n（10）"),
        (1, 0, 1, 1, "绩效目标（2024）"), (1, 1, 1, 1, ""),
    )
    fields = [(f.label, f.value) for f in read_key_values(view, range(view.n_rows)).fields]
    assert ("执行率分值", "10") in fields
    assert all(label != "绩效目标" for label, _ in fields)


def test_a_label_alone_on_its_row_takes_the_text_alone_below_it() -> None:
    view = grid(3, 2, (0, 0, 1, 2, "年度绩效目标："), (1, 0, 1, 2, "全年办理案件不少于500件。"),
                (2, 0, 1, 1, "项目名称"), (2, 1, 1, 1, "法律援助"))
    assert pairs(view) == [("年度绩效目标", "全年办理案件不少于500件。"), ("项目名称", "法律援助")]


def test_a_label_alone_above_several_cells_heads_them() -> None:
    view = grid(2, 4, (0, 0, 1, 4, "资金来源："),
                (1, 0, 1, 1, "财政拨款"), (1, 1, 1, 1, "12.00"),
                (1, 2, 1, 1, "其他资金"), (1, 3, 1, 1, "6.00"))
    kv = read_key_values(view, range(2))
    assert [(f.label, f.value) for f in kv.fields] == [("财政拨款", "12.00"), ("其他资金", "6.00")]
    assert [c.text for c in kv.headings] == ["资金来源："]


def test_numbered_section_headings_are_headings_not_values() -> None:
    view = grid(
        4, 3,
        (0, 0, 1, 3, "一、项目基本情况"),
        (1, 0, 1, 1, "项目名称"), (1, 1, 1, 2, "防汛经费"),
        (2, 0, 2, 1, "（二）项目年度目标完成情况"), (2, 1, 1, 1, "年度目标"),
        (2, 2, 1, 1, "完成维修"),
        (3, 1, 1, 1, "全年实际完成情况"), (3, 2, 1, 1, "已完成"),
    )
    kv = read_key_values(view, range(4))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("项目名称", "防汛经费"), ("年度目标", "完成维修"), ("全年实际完成情况", "已完成")]
    assert [c.text for c in kv.headings] == ["一、项目基本情况", "（二）项目年度目标完成情况"]
    assert kv.loose == []


def test_a_row_of_labels_without_values_are_headings() -> None:
    view = grid(2, 2, (0, 0, 1, 1, "按收入性质分："), (0, 1, 1, 1, "按支出性质分："),
                (1, 0, 1, 1, "一般公共预算：335.6"), (1, 1, 1, 1, "基本支出：275.8"))
    kv = read_key_values(view, range(2))
    assert [c.text for c in kv.headings] == ["按收入性质分：", "按支出性质分："]
    assert pairs(view) == [("一般公共预算", "335.6"), ("基本支出", "275.8")]


def test_goals_against_results_under_a_header_row() -> None:
    view = grid(3, 2, (0, 0, 1, 1, "预期目标"), (0, 1, 1, 1, "实际完成情况"),
                (1, 0, 1, 1, "发放补助1200户"), (1, 1, 1, 1, "发放补助1236户"),
                (2, 0, 1, 2, "三、项目绩效指标完成情况"))
    kv = read_key_values(view, range(3))
    [matrix] = kv.matrices
    assert matrix.rows == [("", {"预期目标": "发放补助1200户", "实际完成情况": "发放补助1236户"})]
    assert matrix.rows_used == {0, 1}
    assert [c.text for c in kv.headings] == ["三、项目绩效指标完成情况"]


def test_a_money_block_whose_label_is_not_merged() -> None:
    # 项目资金 heads the columns in its row; its rows are labelled in the same column below,
    # down to a row whose text spans the columns.
    view = grid(
        4, 4,
        (0, 0, 1, 1, "项目资金（万元）"), (0, 1, 1, 1, "全年预算数"), (0, 2, 1, 1, "全年执行数"),
        (0, 3, 1, 1, "执行率"),
        (1, 0, 1, 1, "资金总额"), (1, 1, 1, 1, "80.00"), (1, 2, 1, 1, "76.00"),
        (1, 3, 1, 1, "95%"),
        (2, 0, 1, 1, "其中：财政拨款"), (2, 1, 1, 1, "80.00"), (2, 2, 1, 1, "76.00"),
        (2, 3, 1, 1, "95%"),
        (3, 0, 1, 1, "年度目标"), (3, 1, 1, 3, "完成维修加固"),
    )
    kv = read_key_values(view, range(4))
    [matrix] = kv.matrices
    assert [label for label, _ in matrix.rows] == ["资金总额", "其中：财政拨款"]
    assert matrix.rows[0][1] == {"全年预算数": "80.00", "全年执行数": "76.00", "执行率": "95%"}
    assert [(f.label, f.value) for f in kv.fields] == [("年度目标", "完成维修加固")]


def test_a_numbered_value_below_its_label_goes_on_over_its_rows() -> None:
    # 1. 2. 3. each alone on a row: one value, not a value and two headings
    view = grid(5, 2, (0, 0, 1, 2, "年度绩效目标："), (1, 0, 1, 2, "1.完成年度培训任务"),
                (2, 0, 1, 2, "2.提升基层治理能力"), (3, 0, 1, 2, "3.群众满意度提高"),
                (4, 0, 1, 1, "项目名称"), (4, 1, 1, 1, "培训经费"))
    kv = read_key_values(view, range(5))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("年度绩效目标", "1.完成年度培训任务\n2.提升基层治理能力\n3.群众满意度提高"),
        ("项目名称", "培训经费")]
    assert kv.headings == []


def test_a_row_of_labels_over_a_row_of_values_pairs_them_by_column() -> None:
    view = grid(2, 4, (0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "主管部门"),
                (0, 2, 1, 1, "实施单位"), (0, 3, 1, 1, "项目期限"),
                (1, 0, 1, 1, "道路养护"), (1, 1, 1, 1, "某县交通局"),
                (1, 2, 1, 1, "某县公路中心"), (1, 3, 1, 1, "2024年"))
    kv = read_key_values(view, range(2))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("项目名称", "道路养护"), ("主管部门", "某县交通局"), ("实施单位", "某县公路中心"),
        ("项目期限", "2024年")]
    assert [f.cell.col for f in kv.fields if f.cell] == [0, 1, 2, 3]
    assert kv.loose == [] and kv.headings == []


def test_a_heading_then_money_labels_over_their_amounts() -> None:
    view = grid(2, 4, (0, 0, 2, 1, "资金情况（万元）"), (0, 1, 1, 1, "资金总额"),
                (0, 2, 1, 1, "财政资金"), (0, 3, 1, 1, "其他资金"),
                (1, 1, 1, 1, "120"), (1, 2, 1, 1, "100"), (1, 3, 1, 1, "20"))
    kv = read_key_values(view, range(2))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("资金总额", "120"), ("财政资金", "100"), ("其他资金", "20")]
    assert [c.text for c in kv.headings] == ["资金情况（万元）"]


def test_labels_over_a_row_that_is_not_their_values_are_left_alone() -> None:
    # a value across two labels, a value under no label, a row of labels below: no pairs
    for below in ([(1, 0, 1, 2, "道路养护项目由某县交通局负责")],
                  [(1, 0, 1, 1, "道路养护"), (1, 1, 1, 1, "某县交通局"),
                   (1, 2, 1, 1, "多余文字")],
                  [(1, 0, 1, 1, "实施单位"), (1, 1, 1, 1, "项目期限")]):
        view = grid(2, 3, (0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "主管部门"), *below)
        kv = read_key_values(view, range(2))
        assert ("项目名称", "道路养护") not in [(f.label, f.value) for f in kv.fields], below
        assert not any(f.label == "主管部门" for f in kv.fields), below


def test_a_label_over_an_empty_cell_is_a_field_with_no_value() -> None:
    # as a label beside an empty cell is: the label is the form's, never an unmapped cell
    view = grid(2, 3, (0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "项目编号"),
                (0, 2, 1, 1, "主管部门"), (1, 0, 1, 1, "道路养护"), (1, 1, 1, 1, ""),
                (1, 2, 1, 1, "某县交通局"))
    kv = read_key_values(view, range(2))
    assert [(f.label, f.value) for f in kv.fields] == [
        ("项目名称", "道路养护"), ("项目编号", ""), ("主管部门", "某县交通局")]


def test_a_value_that_lists_its_own_items_stays_the_labels_value() -> None:
    """测算依据 | 食堂伙食支出：56.77万元；… (items the lexicon does not know as labels):
    the value of 测算依据 as printed, never fields of its own (real/shenzhen-songgang-a,
    sheet 13); 资金来源 | 财政拨款：12.00 still heads its pairs."""
    view = grid(2, 2, (0, 0, 1, 1, "测算依据："),
                (0, 1, 1, 1, "食堂伙食支出：56.77万元；日常办公用品购置：17.93万元"),
                (1, 0, 1, 1, "资金来源"), (1, 1, 1, 1, "财政拨款：12.00"))
    assert pairs(view) == [("测算依据", "食堂伙食支出：56.77万元；日常办公用品购置：17.93万元"),
                           ("财政拨款", "12.00")]


def test_other_names_of_a_spending_plan_and_a_plan_given_in_prose() -> None:
    for label in ("资金使用计划（万元）", "资金拨付计划"):
        view = grid(2, 3, (0, 0, 2, 1, label), (0, 1, 1, 1, "6月底"), (0, 2, 1, 1, "12月底"),
                    (1, 1, 1, 1, "60"), (1, 2, 1, 1, "120"))
        kv = read_key_values(view, range(2))
        assert [(p.by, p.amount.raw) for p in kv.spending_plan] == [
            ("6月底", "60"), ("12月底", "120")], label
    # a plan written as a sentence beside its label: its value, no milestones made of it
    view = grid(2, 2, (0, 0, 1, 1, "资金使用计划"), (0, 1, 1, 1, "按工程进度分批拨付"),
                (1, 0, 1, 1, "项目名称"), (1, 1, 1, 1, "道路养护"))
    kv = read_key_values(view, range(2))
    assert kv.spending_plan == []
    assert pairs(view) == [("资金使用计划", "按工程进度分批拨付"), ("项目名称", "道路养护")]
