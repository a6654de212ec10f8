"""Indicator grids: column roles by header words, merged / repeated / blank level labels."""

from __future__ import annotations

from jixiao.mapping.indicators import find_grid, read_indicators
from tests.mapping.test_fields import grid

HEADER = [(0, 0, 1, 1, "一级指标"), (0, 1, 1, 1, "二级指标"), (0, 2, 1, 1, "三级指标"),
          (0, 3, 1, 1, "指标值"), (0, 4, 1, 1, "指标值确定依据")]


def rows(view_cells: list[tuple[int, int, int, int, str]]) -> list[tuple[str, ...]]:
    view = grid(4, 5, *HEADER, *view_cells)
    found = find_grid(view)
    assert found is not None
    assert found.columns == {"level1": 0, "level2": 1, "level3": 2, "target": 3, "basis": 4}
    return [(i.level1, i.level2, i.level3, i.target.raw, i.basis or "")
            for i in read_indicators(view, found)]


EXPECTED = [
    ("产出指标", "数量指标", "会议次数", "≥2次", "计划标准"),
    ("产出指标", "数量指标", "培训人数", "100人", "计划标准"),
    ("产出指标", "质量指标", "合格率", "≥95%", "行业标准"),
]


def _body(level1: list[tuple[int, int, int, int, str]],
          level2: list[tuple[int, int, int, int, str]]) -> list[tuple[int, int, int, int, str]]:
    rest = [
        (1, 2, 1, 1, "会议次数"), (1, 3, 1, 1, "≥2次"), (1, 4, 1, 1, "计划标准"),
        (2, 2, 1, 1, "培训人数"), (2, 3, 1, 1, "100人"), (2, 4, 1, 1, "计划标准"),
        (3, 2, 1, 1, "合格率"), (3, 3, 1, 1, "≥95%"), (3, 4, 1, 1, "行业标准"),
    ]
    return level1 + level2 + rest


def test_merged_labels() -> None:
    assert rows(_body([(1, 0, 3, 1, "产出指标")],
                      [(1, 1, 2, 1, "数量指标"), (3, 1, 1, 1, "质量指标")])) == EXPECTED


def test_repeated_labels() -> None:
    assert rows(_body([(r, 0, 1, 1, "产出指标") for r in (1, 2, 3)],
                      [(1, 1, 1, 1, "数量指标"), (2, 1, 1, 1, "数量指标"),
                       (3, 1, 1, 1, "质量指标")])) == EXPECTED


def test_blank_unmerged_labels() -> None:
    assert rows(_body([(1, 0, 1, 1, "产出指标"), (2, 0, 1, 1, ""), (3, 0, 1, 1, "")],
                      [(1, 1, 1, 1, "数量指标"), (2, 1, 1, 1, ""),
                       (3, 1, 1, 1, "质量指标")])) == EXPECTED


def test_columns_found_by_words_not_position() -> None:
    view = grid(
        2, 5,
        (0, 0, 1, 1, "三级指标"), (0, 1, 1, 1, "绩效指标描述"), (0, 2, 1, 1, "指标值及单位"),
        (0, 3, 1, 1, "一级指标"), (0, 4, 1, 1, "二级指标"),
        (1, 0, 1, 1, "满意度"), (1, 1, 1, 1, "群众满意"), (1, 2, 1, 1, "≥90%"),
        (1, 3, 1, 1, "满意度指标"), (1, 4, 1, 1, "服务对象满意度指标"),
    )
    found = find_grid(view)
    assert found is not None
    [ind] = read_indicators(view, found)
    assert (ind.level1, ind.level2, ind.level3, ind.description, ind.target.raw) == (
        "满意度指标", "服务对象满意度指标", "满意度", "群众满意", "≥90%")
    assert ind.cell is not None and (ind.cell.row, ind.cell.col) == (1, 2)


def test_no_grid_without_level_headers() -> None:
    assert find_grid(grid(1, 2, (0, 0, 1, 1, "项目名称"), (0, 1, 1, 1, "X"))) is None


def test_rows_printed_not_applicable() -> None:
    from jixiao.vocabulary import is_not_applicable

    assert is_not_applicable("不适用", "不适用")
    assert is_not_applicable("提供服务期限", "不适用")  # a half-filled row: the target says so
    assert is_not_applicable("/", "/") and is_not_applicable("—", "")
    assert is_not_applicable("無", "無")  # traditional script
    assert not is_not_applicable("安全事故发生次数", "无")  # 无 under a name: zero accidents
    assert not is_not_applicable("对群众生产生活的影响", "无不良影响")
    assert not is_not_applicable("", "")  # a blank template row is empty, not n/a
