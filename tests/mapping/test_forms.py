"""Form-level decisions: title cleaning, kind, department from a borderless first row."""

from __future__ import annotations

from jixiao.mapping.forms import Context, build_form, classify, clean_title
from jixiao.schemas import Cell, FormField, Table


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
