"""Label/value pairing on small hand-made grids."""

from __future__ import annotations

from jixiao.mapping.fields import inline_pairs, read_key_values
from jixiao.mapping.gridview import GridView
from jixiao.mapping.vocabulary import clean_label, key, looks_like_label, unit_note
from jixiao.schemas import Cell, Table


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
    return [(f.label, f.value) for f in read_key_values(view, view.n_rows).fields]


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
    kv = read_key_values(view, 3)
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
    kv = read_key_values(view, 2)
    assert kv.fields == []
    assert [(p.by, p.amount.raw, p.amount.cell.col if p.amount.cell else None)
            for p in kv.spending_plan] == [("3月底", "1", 1), ("6月底", "2", 2), ("12月底", "4", 4)]


def test_loose_first_row_text() -> None:
    view = grid(1, 3, (0, 0, 1, 2, "216002某某委员会"), (0, 2, 1, 1, "单位：万元"))
    kv = read_key_values(view, 1)
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
    fields = [(f.label, f.value) for f in read_key_values(view, view.n_rows).fields]
    assert ("执行率分值", "10") in fields
    assert all(label != "绩效目标" for label, _ in fields)
