"""The indicator grid of the standard layout.

A header row ``绩效指标`` (or ``长期绩效指标`` / ``年度绩效指标``, which gives the grid's
horizon) | 一级指标 | 二级指标 | 三级指标 | … with the columns the form has, and one row per
indicator: 一级 and 二级 labels merged vertically over their rows, a group weight written
into the label as ``产出指标（50分）``, the column under the horizon label one blank cell
(a cell merged from the header row into the rows below would keep Word from repeating the
header). Blank template rows stay blank rows. A self-evaluation ends with its 总分 row.
Each grid is a table of its own whose header row repeats on every page (``document.py``).
"""

from __future__ import annotations

from jixiao.schemas import Form, Indicator
from jixiao.schemas.model import Horizon
from jixiao.writers.docx.table import C, Row, cont

HORIZON_LABEL: dict[Horizon | None, str] = {
    "long_term": "长期\n绩效指标", "annual": "年度\n绩效指标", None: "绩效\n指标",
}
SIDE_W = 8.5
LEVEL_W = (9.5, 11.0, 16.0)
# role → (header, relative width), in the order the columns appear
ROLES: tuple[tuple[str, str, float], ...] = (
    ("description", "绩效指标描述", 18.0),
    ("target", "指标值", 13.0),
    ("basis", "指标值确定依据", 12.0),
    ("actual", "实际完成值", 11.0),
    ("weight", "分值", 6.0),
    ("score", "得分", 6.0),
    ("deviation", "偏差原因分析及改进措施", 14.0),
)
SELF_EVALUATION_DEFAULT = ("target", "actual", "weight", "score", "deviation")


def _runs(indicators: list[Indicator]) -> list[list[Indicator]]:
    """Indicators split into grids: a new grid where the horizon changes, or where a level
    label goes blank after a filled one (inside one grid the mapping would carry it down)."""
    runs: list[list[Indicator]] = []
    for ind in indicators:
        prev = runs[-1][-1] if runs else None
        if prev is None or ind.horizon != prev.horizon or (prev.level1 and not ind.level1) or (
            prev.level2 and not ind.level2
        ):
            runs.append([])
        runs[-1].append(ind)
    return runs


def _value(ind: Indicator, role: str) -> str:
    if role == "target":
        return ind.target.raw
    if role == "actual":
        return ind.actual.raw if ind.actual is not None else ""
    value = getattr(ind, role)
    return value if isinstance(value, str) else ""


def _columns(run: list[Indicator], form: Form) -> list[tuple[str, str, float]]:
    if not run:
        present = set(SELF_EVALUATION_DEFAULT if form.kind == "self_evaluation" else ("target",))
    else:
        present = {"target"} | {
            role for role, _, _ in ROLES
            if role != "target" and any(_present(ind, role) for ind in run)
        }
    if form.weight_total is not None:  # printed in the weight header: 分值（90）
        present.add("weight")
    heads = {"target": "年度指标值" if form.kind == "self_evaluation" else "指标值",
             "weight": f"分值（{form.weight_total}）" if form.weight_total else "分值"}
    return [(role, heads.get(role, head), w) for role, head, w in ROLES if role in present]


def _present(ind: Indicator, role: str) -> bool:
    return getattr(ind, role) is not None


def _labels(run: list[Indicator]) -> list[tuple[str, str]]:
    """Printed level-1 and level-2 labels per row, group weights written into them."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(run):
        j = i
        while j < len(run) and run[j].level1 == run[i].level1:
            j += 1
        group = run[i:j]
        weights = {ind.group_weight for ind in group}
        on_level1 = len(weights) == 1 and bool(group[0].level1)
        for ind in group:
            l1 = _annotated(ind.level1, ind.group_weight if on_level1 else None)
            l2 = ind.level2 if on_level1 else _annotated(ind.level2, ind.group_weight)
            out.append((l1, l2))
        i = j
    return out


def _annotated(label: str, weight: str | None) -> str:
    return f"{label}（{weight}分）" if weight and label else label


def _grid(run: list[Indicator], form: Form) -> list[Row]:
    columns = _columns(run, form)
    side = HORIZON_LABEL[run[0].horizon if run else None]
    rows: list[Row] = [[
        C(side, SIDE_W, "label"),
        *(C(h, w, "head") for h, w in zip(("一级指标", "二级指标", "三级指标"), LEVEL_W,
                                          strict=True)),
        *(C(head, w, "head") for _, head, w in columns),
    ]]
    labels = _labels(run)
    for i, ind in enumerate(run):
        l1, l2 = labels[i]
        same1 = i > 0 and labels[i - 1][0] == l1 and run[i - 1].level1 == ind.level1
        same2 = same1 and labels[i - 1][1] == l2 and run[i - 1].level2 == ind.level2
        rows.append([
            cont(SIDE_W) if i else C("", SIDE_W),
            cont(LEVEL_W[0]) if same1 else C(l1, LEVEL_W[0], "center"),
            cont(LEVEL_W[1]) if same2 else C(l2, LEVEL_W[1], "center"),
            C(ind.level3, LEVEL_W[2]),
            *(C(_value(ind, role), w, "value" if role in ("description", "deviation")
                else "center") for role, _, w in columns),
        ])
    return rows


def _total_row(form: Form, last: Row) -> Row:
    """总分 over the label columns, the total under 得分 (the last figure of the row)."""
    widths = [c.width for c in last]
    heads = [c.text for c in last]
    at = heads.index("得分") if "得分" in heads else len(widths) - 1
    weight = next((i for i, h in enumerate(heads) if h.startswith("分值")), at)
    before = min(weight, at)
    return [C("总分", sum(widths[:before]), "label"),
            *(C("", w) for w in widths[before:at]),
            C(form.total_score or "", widths[at], "center"),
            *(C("", w) for w in widths[at + 1 :])]


def _inherits(run: list[Indicator], before: list[Indicator]) -> bool:
    """Whether ``run``, printed in a table of its own after ``before``'s, would be read as
    going on with it: a level label blank at its top where ``before`` ended with one (the
    mapping fills it down across tables of the same grid)."""
    if not run or not before:
        return False
    first, last = run[0], before[-1]
    return bool((last.level1 and not first.level1) or (last.level2 and not first.level2))


def indicator_tables(form: Form) -> list[list[Row]]:
    """The indicator grid(s), each a table of its own whose first row is its header (a run
    that the mapping would read as going on with the one before stays in its table, under
    a header row of its own), then the 总分 row."""
    tables: list[list[Row]] = []
    header: Row = []
    before: list[Indicator] = []
    for run in _runs(form.indicators) or [[]]:
        grid = _grid(run, form)
        header = grid[0]
        if tables and _inherits(run, before):
            tables[-1] += grid
        else:
            tables.append(grid)
        before = run
    if form.total_score is not None:
        tables[-1].append(_total_row(form, header))
    return tables
