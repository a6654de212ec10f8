"""Form-level decisions: title cleaning, kind, department from a borderless first row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.mapping.forms import Context, build_form, classify, clean_title
from jixiao.schemas import Cell, Form, FormField, Table


def test_clean_title_strips_list_numbering_only() -> None:
    assert clean_title("1.见义勇为工作经费绩效目标表") == "见义勇为工作经费绩效目标表"
    assert clean_title("10.政法网运行维护经费绩效目标表") == "政法网运行维护经费绩效目标表"
    assert clean_title("（三）某项目绩效目标表") == "某项目绩效目标表"
    assert clean_title("2024年项目支出绩效目标表") == "2024年项目支出绩效目标表"


def test_classify() -> None:
    name = [FormField(label="项目名称", value="x")]
    dept = [FormField(label="部门名称", value="x")]
    assert classify("2024年部门整体支出绩效目标表", [], True) == "department_goals"
    assert classify("2024年项目支出绩效自评表", name, True) == "self_evaluation"
    assert classify(None, name, True) == "project_goals"
    assert classify(None, dept, True) == "department_goals"
    assert classify("附表", [], False) == "unknown"
    assert classify("項目支出績效自評表", name, True) == "self_evaluation"


def test_department_from_borderless_first_row() -> None:
    table = Table(id="t0", n_rows=2, n_cols=4, cells=[
        Cell(row=0, col=0, col_span=3, text="216002中国共产党某县委员会政法委员会"),
        Cell(row=0, col=3, text="单位：万元"),
        Cell(row=1, col=0, text="项目名称"), Cell(row=1, col=1, col_span=3, text="某项目"),
    ])
    form = build_form("f0", table, Context(title="1.某项目绩效目标表"))
    assert form.kind == "project_goals"
    assert form.title == "某项目绩效目标表"
    assert (form.project.department_code, form.project.department, form.project.name) == (
        "216002", "中国共产党某县委员会政法委员会", "某项目")
    assert form.budget.unit == "万元"


def test_department_from_filler_line_without_stamp() -> None:
    table = Table(id="t0", n_rows=1, n_cols=2, cells=[
        Cell(row=0, col=0, text="项目名称"), Cell(row=0, col=1, text="某项目"),
    ])
    form = build_form("f0", table, Context(header_lines=("填报单位：（盖章）某某局",)))
    assert form.project.department == "某某局"
    assert form.header_note == "填报单位：（盖章）某某局"


def _form(*pairs: tuple[str, str]) -> Table:
    cells = [Cell(row=r, col=c, text=t) for r, pair in enumerate(pairs)
             for c, t in enumerate(pair)]
    return Table(id="t0", n_rows=len(pairs), n_cols=2, cells=cells)


def test_codes_fused_to_names_are_split() -> None:
    form = build_form("f0", _form(
        ("项目名称", "51000023R000000012345-乡村振兴补助资金"),
        ("主管部门及代码", "[173]中国科学院"),
    ), Context(title="项目支出绩效自评表"))
    assert (form.project.code, form.project.name) == ("51000023R000000012345", "乡村振兴补助资金")
    assert (form.project.department_code, form.project.department) == ("173", "中国科学院")
    other = build_form("f0", _form(
        ("项目名称", "2024-2026年农村道路养护"),  # a year range, not a code: kept whole
        ("项目编码", "X-1"), ("主管部门", "【216002】某县政法委"),
    ), Context(title="项目支出绩效目标表"))
    assert (other.project.code, other.project.name) == ("X-1", "2024-2026年农村道路养护")
    assert (other.project.department_code, other.project.department) == ("216002", "某县政法委")


def test_each_field_says_what_the_mapping_took_it_for() -> None:
    """``FormField.role``: writers read it instead of matching labels again. Header-note
    fields have no cell; a blank value is still the one taken; a second 项目名称 and a label
    the mapping has no attribute for are kept without a role."""
    form = build_form("f0", _form(
        ("项目名称", "某项目"), ("主管部门", "某局"), ("实施单位", "某所"), ("实施期绩效目标", ""),
        ("财政资金", "60"), ("项目属性", "延续"), ("项目名称", "重复"),
    ), Context(title="某项目绩效目标表",
               header_lines=("填报单位：某某局  资金总额：100  单位：万元",)))
    assert [(f.label, f.value, f.role, f.cell is None) for f in form.fields] == [
        ("填报单位", "某某局", "filler", True),
        ("资金总额", "100", "budget.total", True),
        ("单位", "万元", "budget.unit", True),
        ("项目名称", "某项目", "project.name", False),
        ("主管部门", "某局", "project.department", False),
        ("实施单位", "某所", "project.implementer", False),
        ("实施期绩效目标", "", "goals.long_term", False),
        ("财政资金", "60", "budget.part", False),
        ("项目属性", "延续", None, False),
        ("项目名称", "重复", None, False),
    ]


def test_a_field_used_twice_names_its_first_use() -> None:
    """实施单位 alone gives the department and the implementer: it is the department's field
    (a writer prints it in the department's row); 填报单位 standing in for the department
    stays the filler."""
    alone = build_form("f0", _form(("项目名称", "某项目"), ("实施单位", "某所")),
                       Context(title="某项目绩效目标表"))
    assert (alone.project.department, alone.project.implementer) == ("某所", "某所")
    assert [f.role for f in alone.fields] == ["project.name", "project.department"]
    filler = build_form("f0", _form(("项目名称", "某项目"),),
                        Context(header_lines=("填报单位：（盖章）某某局",)))
    assert filler.project.department == "某某局"
    assert [f.role for f in filler.fields] == ["filler", "project.name"]


def test_seed_fields_name_the_attributes_they_supplied(seed_documents: dict[str, Any]) -> None:
    """On the seeds, the field a role names holds what the form says for it."""
    first = seed_documents["laoting-2024"].forms[0]
    name = [f for f in first.fields if f.role == "project.name"]
    assert [(f.label, f.value) for f in name] == [("项目名称", "见义勇为工作经费")]
    assert first.project.name == "见义勇为工作经费"
    attributes: dict[str, Callable[[Form], str | None]] = {
        "project.name": lambda f: f.project.name,
        "project.code": lambda f: f.project.code,
        "project.department": lambda f: f.project.department,
        "project.period": lambda f: f.project.period,
        "goals.long_term": lambda f: f.goals.long_term,
        "goals.annual": lambda f: f.goals.annual,
        "budget.total": lambda f: f.budget.total.raw if f.budget.total else None,
        "budget.unit": lambda f: f.budget.unit,
    }
    seen = set()
    for document in seed_documents.values():
        for form in document.forms:
            for role, attribute in attributes.items():
                taken = [f for f in form.fields if f.role == role]
                assert len(taken) <= 1, (form.id, role)
                if taken and taken[0].value:
                    assert taken[0].value == attribute(form), (form.id, role)
                    seen.add(role)
            parts = [(f.label, f.value) for f in form.fields if f.role == "budget.part"]
            assert parts == [(p.label, p.amount.raw) for p in form.budget.parts]
    assert seen == set(attributes)


def test_other_provinces_wording_fills_the_same_roles() -> None:
    """Labels of templates the fixtures do not print, each filling its role (and taken as
    labels: their values are not read as labels)."""
    form = build_form("f0", _form(
        ("专项资金名称", "农村公路养护补助"), ("项目编号", "2024-JT-017"),
        ("项目主管部门", "某县交通运输局"), ("项目承担单位", "某县公路事务中心"),
        ("项目起止年限", "2024年1月-2026年12月"), ("中期目标", "三年养护农村公路300公里"),
        ("本年度目标", "养护农村公路100公里"),
    ), Context(title="项目支出绩效目标表"))
    project = form.project
    assert (project.name, project.code, project.department, project.implementer,
            project.period) == ("农村公路养护补助", "2024-JT-017", "某县交通运输局",
                                "某县公路事务中心", "2024年1月-2026年12月")
    assert (form.goals.long_term, form.goals.annual) == ("三年养护农村公路300公里",
                                                         "养护农村公路100公里")
    assert form.unmapped == []


def test_a_title_in_the_tables_first_row_is_the_title_never_the_department() -> None:
    table = Table(id="t0", n_rows=4, n_cols=4, cells=[
        Cell(row=0, col=0, col_span=4, text="2024年度项目支出绩效目标表"),
        Cell(row=1, col=0, col_span=3, text="填报单位：某县交通运输局"),
        Cell(row=1, col=3, text="单位：万元"),
        Cell(row=2, col=0, text="项目名称"), Cell(row=2, col=1, col_span=3, text="道路养护"),
        Cell(row=3, col=0, text="年度预算金额"), Cell(row=3, col=1, col_span=3, text="120"),
    ])
    form = build_form("f0", table, Context())
    assert form.title == "2024年度项目支出绩效目标表"
    assert form.project.department == "某县交通运输局"  # from 填报单位, not the title
    assert form.unmapped == []
    above = build_form("f0", table, Context(title="另一个标题绩效目标表"))
    assert above.title == "另一个标题绩效目标表"  # the title above the table wins


def test_a_first_row_text_that_names_no_unit_is_no_department() -> None:
    for first in ("说明：本表金额保留两位小数", "2024年项目情况"):
        table = Table(id="t0", n_rows=2, n_cols=2, cells=[
            Cell(row=0, col=0, col_span=2, text=first),
            Cell(row=1, col=0, text="项目名称"), Cell(row=1, col=1, text="某项目"),
        ])
        form = build_form("f0", table, Context(title="项目绩效目标表"))
        assert form.project.department is None, first
    unit = Table(id="t0", n_rows=2, n_cols=2, cells=[
        Cell(row=0, col=0, col_span=2, text="深圳市宝安区松岗街道办事处（本级）"),
        Cell(row=1, col=0, text="项目名称"), Cell(row=1, col=1, text="某项目"),
    ])
    department = build_form("f0", unit, Context()).project.department
    assert department == "深圳市宝安区松岗街道办事处（本级）"


def test_unit_names_of_every_kind_are_departments_sentences_are_not() -> None:
    from jixiao.mapping.forms import _is_unit_name

    for name in ("某县第一中学", "某县实验幼儿园", "中国科学院国家天文台本级", "某县国有林场",
                 "某县广播电视台", "某县公安局交通警察大队"):
        assert _is_unit_name(name), name
    for text in ("说明：本表金额保留两位小数", "加强教学，提高质量", "2024年度项目支出绩效目标表"):
        assert not _is_unit_name(text), text


def test_a_total_row_named_heji_in_a_scored_grid_is_the_total_score() -> None:
    """合计 / 总计 closing a grid with a 得分 column gives the total score, as 总分 does; a
    合计 elsewhere (money) never does."""
    for label, want in (("总分", "85"), ("合计", "85"), ("总计", "85")):
        spec = [(0, 0, 1, 1, "项目名称"), (0, 1, 1, 5, "道路养护"),
                (1, 0, 1, 1, "一级指标"), (1, 1, 1, 1, "二级指标"), (1, 2, 1, 1, "三级指标"),
                (1, 3, 1, 1, "年度指标值"), (1, 4, 1, 1, "分值"), (1, 5, 1, 1, "得分"),
                (2, 0, 1, 1, "产出指标"), (2, 1, 1, 1, "数量指标"), (2, 2, 1, 1, "养护里程"),
                (2, 3, 1, 1, "100公里"), (2, 4, 1, 1, "90"), (2, 5, 1, 1, "85"),
                (3, 0, 1, 4, label), (3, 4, 1, 1, "90"), (3, 5, 1, 1, "85")]
        table = Table(id="t0", n_rows=4, n_cols=6, cells=[
            Cell(row=r, col=c, row_span=rs, col_span=cs, text=t) for r, c, rs, cs, t in spec])
        form = build_form("f0", table, Context(title="项目支出绩效自评表"))
        assert form.total_score == want, label
        assert len(form.indicators) == 1, label
    money = Table(id="t0", n_rows=3, n_cols=2, cells=[
        Cell(row=0, col=0, text="项目名称"), Cell(row=0, col=1, text="道路养护"),
        Cell(row=1, col=0, text="财政资金"), Cell(row=1, col=1, text="100"),
        Cell(row=2, col=0, text="合计"), Cell(row=2, col=1, text="100")])
    assert build_form("f0", money, Context(title="项目支出绩效自评表")).total_score is None
