"""Build one ``Form`` from a table and the text around it (title above, footer below)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jixiao.mapping.continuation import read_grids
from jixiao.mapping.coverage import account
from jixiao.mapping.fields import KeyValues, inline_pairs, read_key_values
from jixiao.mapping.gridview import GridView, text
from jixiao.mapping.indicators import IndicatorGrid, find_grids
from jixiao.schemas import (
    Amount,
    Budget,
    BudgetPart,
    Cell,
    Duty,
    ExecutionLine,
    Form,
    FormField,
    Goals,
    ProjectInfo,
    Table,
)
from jixiao.schemas.model import FieldRole, FormKind
from jixiao.script import fold
from jixiao.vocabulary import (
    BUDGET_TOTAL,
    DEPARTMENT,
    GOALS_ACHIEVED,
    GOALS_ANNUAL,
    GOALS_LONG,
    IMPLEMENTER,
    MONEY_PART_HINTS,
    NOT_MONEY_ENDINGS,
    PERIOD,
    PROJECT_CODE,
    PROJECT_NAME,
    clean_label,
    key,
    unit_note,
    without_stamp,
)

_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.．、]|[（(]?[一二三四五六七八九十]{1,3}[)）、.．])\s*")
_DEPT_LINE = re.compile(r"^\s*(\d{3,12})?\s*(\S.*?)\s*$")
# How the name of a unit ends (a bracketed note such as （本级） set aside): a text in the
# table's first row that does not is no department (a title, a note).
_UNIT_END = re.compile(
    r"(?:局|委员会|委|办公室|办|办事处|中心|政府|院|所|部|厅|站|队|馆|校|会|处|室|司|署|社|"
    r"组|团|庭|监狱|街道|公司|集团|机关|医院|学|园|台|场|厂|行|科|股|本级)$"
)
# A form's title printed in the first row of its table: 2024年度项目支出绩效目标表.
_TITLE_IN_TABLE = re.compile(r"绩效.{0,12}表")
_FILLER = "填报单位"
# A project code printed before its name: 51000023R000000012345-乡村振兴补助 (letters and
# digits, at least 8, some of them digits), when the form prints no code of its own.
_FUSED_PROJECT = re.compile(r"^\s*((?=[0-9A-Za-z]*\d)[0-9A-Za-z]{8,})\s*[-－—_]\s*(\S.*?)\s*$")
# A code printed with a name: [173]中国科学院, 【173】…, 173-中国科学院.
_FUSED_CODE = re.compile(r"^\s*(?:[\[【［](\d{2,12})[\]】］]|(\d{2,12})\s*[-－—]\s*)\s*(\S.*?)\s*$")


@dataclass
class Context:
    """Text around a table: the title, lines between title and table, the line after it."""

    title: str | None = None
    header_lines: tuple[str, ...] = ()
    footer: str | None = None


def clean_title(title: str) -> str:
    return _NUMBERING.sub("", title.strip()).strip()


def _take(fields: list[FormField], labels: tuple[str, ...], role: FieldRole) -> FormField | None:
    """The field that supplies ``role``: the first of ``labels`` (in their order) that the
    form prints, its first occurrence. It is marked with the role (unless an earlier use
    marked it), so that writers know which field went where without matching labels."""
    by_key: dict[str, FormField] = {}
    for f in fields:
        by_key.setdefault(key(f.label), f)
    for label in labels:
        if label in by_key:
            found = by_key[label]
            if found.role is None:
                found.role = role
            return found
    return None


def _value(fields: list[FormField], labels: tuple[str, ...], role: FieldRole) -> str | None:
    found = _take(fields, labels, role)
    return found.value if found is not None and found.value else None


def classify(title: str | None, fields: list[FormField], has_grid: bool) -> FormKind:
    t = fold(title or "")
    keys = {key(f.label) for f in fields}
    if "自评" in t:
        return "self_evaluation"
    if "部门整体" in t or "整体支出" in t:
        return "department_goals"
    if keys & set(PROJECT_NAME) or keys & set(PROJECT_CODE) or ("项目" in t and has_grid):
        return "project_goals"
    if "部门名称" in keys and has_grid:
        return "department_goals"
    return "project_goals" if has_grid else "unknown"


def _department(kv: KeyValues, fields: list[FormField]) -> tuple[str | None, str | None]:
    named = _value(fields, DEPARTMENT, "project.department")
    if named:
        fused = _FUSED_CODE.match(named)
        if fused:
            return fused.group(3), fused.group(1) or fused.group(2)
        return named, None
    for cell in kv.loose:  # a borderless first row: 216002中国共产党…委员会
        if cell.row == 0:
            match = _DEPT_LINE.match(cell.text)
            if match and _is_unit_name(match.group(2)):
                return match.group(2), match.group(1)
    filler = _value(fields, (_FILLER,), "filler")
    if filler:
        return filler, None
    return None, None


def _is_unit_name(name: str) -> bool:
    """Whether ``name`` reads as a unit's name (中国共产党某县委员会政法委员会, 某街道办事处
    （本级）), not as a title or a note."""
    bare = fold(re.sub(r"[（(][^（()）]*[）)]$", "", re.sub(r"\s+", "", name)))
    if len(bare) > 40 or any(ch in bare for ch in "表：:，。；,;"):
        return False  # a title, a note, a sentence
    return bool(_UNIT_END.search(bare))


def _title_in_table(kv: KeyValues) -> Cell | None:
    """A form title printed in the table's first row (no title above the table)."""
    return next((c for c in (*kv.loose, *kv.headings) if c.row == 0 and len(c.text) <= 40
                 and _TITLE_IN_TABLE.search(fold(c.text))), None)


@lru_cache(maxsize=4096)
def _is_money_label(k: str) -> bool:
    return any(h in k for h in MONEY_PART_HINTS) and not k.endswith(NOT_MONEY_ENDINGS)


def _budget(fields: list[FormField], kv: KeyValues) -> Budget:
    total = _take(fields, BUDGET_TOTAL, "budget.total")
    parts = []
    for f in fields:
        if f is not total and _is_money_label(key(f.label)):
            parts.append(BudgetPart(label=f.label, amount=Amount(raw=f.value, cell=f.cell)))
            f.role = f.role or "budget.part"
    unit = _value(fields, ("单位", "金额单位"), "budget.unit")
    if unit is None:
        notes = [u for label in kv.unit_labels if (u := unit_note(label))]
        unit = notes[0] if notes else None
    return Budget(
        total=Amount(raw=total.value, cell=total.cell) if total is not None else None,
        parts=parts,
        unit=unit,
    )


_EXECUTION = {"年初预算数": "planned", "全年预算数": "adjusted", "全年执行数": "executed",
              "分值": "weight", "执行率": "rate", "得分": "score"}
_EXECUTION_AMOUNTS = ("planned", "adjusted", "executed")


def _execution(kv: KeyValues) -> list[ExecutionLine]:
    lines: list[ExecutionLine] = []
    for matrix in kv.matrices:
        if not any(key(c) in ("全年执行数", "年初预算数", "全年预算数") for c in matrix.columns):
            continue
        for (label, values), refs in zip(matrix.rows, matrix.refs, strict=True):
            line = ExecutionLine(label=clean_label(label))
            for name, value in values.items():
                field = _EXECUTION.get(key(name))
                if field in _EXECUTION_AMOUNTS:
                    setattr(line, field, Amount(raw=value, cell=refs.get(name)))
                elif field is not None:
                    setattr(line, field, value)
            lines.append(line)
    return lines


def _matrix_goals(kv: KeyValues) -> tuple[str | None, str | None]:
    for matrix in kv.matrices:
        names = [key(c) for c in matrix.columns]
        if "预期目标" in names and matrix.rows:
            values = {key(k): v for k, v in matrix.rows[0][1].items()}
            return values.get("预期目标") or None, values.get("实际完成情况") or None
    return None, None


_DUTY = {"部门职能": "function", "年度目标任务": "task", "主要任务": "task", "任务名称": "task",
         "主要内容": "content", "支出项目": "item"}


def _duties(kv: KeyValues) -> list[Duty]:
    out: list[Duty] = []
    for matrix in kv.matrices:
        if not any(key(c) in ("年度目标任务", "主要任务", "任务名称", "支出项目")
                   for c in matrix.columns):
            continue
        carried: dict[str, str] = {}
        for (_, values), refs in zip(matrix.rows, matrix.refs, strict=True):
            row: dict[str, object] = {}
            for name, value in values.items():
                k = key(name)
                if k in _DUTY:
                    # a function merged over several tasks repeats for each of them
                    carried[k] = value or carried.get(k, "") if k == "部门职能" else value
                    row[_DUTY[k]] = carried.get(k) if k == "部门职能" else value
                elif k == "预算金额" and value:
                    row["amount"] = Amount(raw=value, cell=refs.get(name))
            out.append(Duty.model_validate(row))
    return out


def _total_score(view: GridView, grids: Sequence[IndicatorGrid]) -> str | None:
    """The 得分 of a 总分 row (self-evaluation), the last number on that row; a 合计 / 总计
    row counts too inside a grid that has a 得分 column (elsewhere it sums money)."""
    scored = [g for g in grids if "score" in g.columns]
    for r in range(view.n_rows - 1, -1, -1):
        cells = view.row(r)
        first = key(cells[0].text) if cells else ""
        if first.startswith("总分") or (first in ("合计", "总计") and any(
                g.first_row <= r < g.end_row for g in scored)):
            numbers = [text(c) for c in cells[1:] if text(c)]
            return numbers[-1] if numbers else None
    return None


def _project_name_and_code(
    name: str | None, code: str | None, *, department: str | None,
    department_code: str | None, implementer: str | None, period: str | None,
) -> ProjectInfo:
    """The project's identity; a name printed as ``CODE-名称`` (no code of its own) gives
    both."""
    fused = _FUSED_PROJECT.match(name) if name and not code else None
    if fused:
        code, name = fused.group(1), fused.group(2)
    return ProjectInfo(name=name, code=code, department=department,
                       department_code=department_code, implementer=implementer, period=period)


def _key_value_rows(view: GridView, grids: list[IndicatorGrid]) -> list[int]:
    """The rows above the first grid, and those between a grid's end and the next one."""
    if not grids:
        return list(range(view.n_rows))
    rows = list(range(grids[0].header_row))
    for grid, nxt in pairwise(grids):
        rows += range(grid.end_row, nxt.header_row)
    return rows


def build_form(
    form_id: str, table: Table, context: Context, continued: Sequence[Table] = ()
) -> Form:
    """The form of ``table`` and the text around it; ``continued``: the tables that go on
    with its indicator grid (``continuation``), their indicators appended."""
    view = GridView(table)
    grids = find_grids(view)  # once: the key/value part is the rows before and between them
    indicators, grids, tail = read_grids(view, grids, None)
    parts: list[tuple[GridView, list[IndicatorGrid]]] = []
    for more in continued:
        more_view = GridView(more)
        more_indicators, more_grids, tail = read_grids(more_view, find_grids(more_view), tail)
        indicators += more_indicators
        parts.append((more_view, more_grids))
    all_grids = grids + [g for _, gs in parts for g in gs]
    kv = read_key_values(view, _key_value_rows(view, grids))
    fields = [
        FormField(label=lab, value=val, cell=None)
        for line in context.header_lines
        for lab, val in inline_pairs(line)
        if lab != "其中"
    ] + kv.fields
    in_table = None if context.title else _title_in_table(kv)
    title = clean_title(context.title or (in_table.text if in_table else "")) or None
    # Each lookup marks the field it takes (FormField.role), the first use naming a field
    # that serves twice: the filler before the department it may stand in for, the attributes
    # a writer prints in rows of their own (project, goals, money) before the others.
    filler = _take(fields, (_FILLER,), "filler")
    if filler is not None:  # （盖章）某某局: where the stamp goes, not part of the name
        filler.value = without_stamp(filler.value)
    department, department_code = _department(kv, fields)
    name = _value(fields, PROJECT_NAME, "project.name")
    code = _value(fields, PROJECT_CODE, "project.code")
    period = _value(fields, PERIOD, "project.period")
    long_term = _value(fields, GOALS_LONG, "goals.long_term")
    annual = _value(fields, GOALS_ANNUAL, "goals.annual")
    budget = _budget(fields, kv)
    project = _project_name_and_code(
        name, code, department=department, department_code=department_code,
        implementer=_value(fields, IMPLEMENTER, "project.implementer"), period=period,
    )
    achieved_field = _value(fields, GOALS_ACHIEVED, "goals.achieved")
    budget.execution = _execution(kv)
    if budget.total is None and budget.execution:
        first = budget.execution[0]
        source = next((a for a in (first.adjusted, first.planned) if a and a.raw), None)
        budget.total = source.model_copy() if source is not None else None
    expected, achieved = _matrix_goals(kv)
    form = Form(
        id=form_id,
        kind=classify(title, fields, bool(all_grids)),
        title=title,
        table_ids=[table.id, *(t.id for t in continued)],
        header_note="\n".join(context.header_lines) or None,
        footer_note="\n".join(
            [*(n for g in all_grids for n in g.notes),
             *([context.footer] if context.footer else [])]
        ) or None,
        fields=fields,
        project=project,
        budget=budget,
        spending_plan=kv.spending_plan,
        spending_plan_label=kv.spending_plan_label,
        goals=Goals(long_term=long_term, annual=annual or expected,
                    achieved=achieved or achieved_field),
        duties=_duties(kv),
        indicators=indicators,
        total_score=next((score for v, gs in [*reversed(parts), (view, grids)]
                          if (score := _total_score(v, gs)) is not None), None),
        weight_total=next((g.declared_weight for g in all_grids if g.declared_weight), None),
    )
    coverage, unmapped = account(form, [(view, grids, kv), *(
        (v, gs, KeyValues()) for v, gs in parts)])
    return form.evolve(coverage=coverage, unmapped=unmapped)
