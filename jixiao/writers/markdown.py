"""Document → Markdown: the forms as a person reads them, then every table, for pasting
into notes and for the tools that take Markdown in (LLM pipelines, static sites, diffs).

Per form: a heading (its project or title), its fields as printed (label | value), its
indicators, and the findings about it. Then each table as a GitHub-flavoured pipe table:
Markdown cannot merge cells, so a merged cell's text stands in its top-left slot, the slots
it covers hold ``↑`` (merged with the cell above) or ``←`` (with the cell to the left), and
a line under the table lists the merges (``A1:A3``). Pipes are escaped and line breaks
inside a cell become ``<br>``.
"""

from __future__ import annotations

from jixiao.locate import location, table_number
from jixiao.schemas import Cell, Document, Finding, Form, Indicator, Table
from jixiao.schemas.model import column_letters

_KINDS = {
    "project_goals": "项目支出绩效目标表",
    "department_goals": "部门整体支出绩效目标表",
    "self_evaluation": "绩效自评表",
    "unknown": "表单",
}


def _cell(text: str | None) -> str:
    """Text safe in a pipe table's cell."""
    text = (text or "").strip()
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace(
        "\n", "<br>")


def _table_rows(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows)
    return out


# The indicator columns: always the first four, the others when some row has them.
_INDICATOR_COLUMNS: list[tuple[str, str]] = [
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"), ("指标值", "target"),
    ("实际完成值", "actual"), ("分值", "weight"), ("得分", "score"), ("偏差原因", "deviation"),
]


def _indicator_value(indicator: Indicator, name: str) -> str:
    value = getattr(indicator, name)
    if name in ("target", "actual"):
        return value.raw if value is not None else ""
    return value or ""


def _indicators(form: Form) -> list[str]:
    live = [i for i in form.indicators if not i.empty]
    if not live:
        return []
    columns = [(title, name) for n, (title, name) in enumerate(_INDICATOR_COLUMNS)
               if n < 4 or any(_indicator_value(i, name) for i in live)]
    rows = [[_indicator_value(i, name) for _, name in columns] for i in live]
    return ["", "### 绩效指标 indicators", "", *_table_rows([t for t, _ in columns], rows)]


def _where(finding: Finding) -> str:
    """Where to open the cell, as ``jixiao validate`` and the HTML page say it."""
    return f" ({location(finding.cell)})" if finding.cell is not None else ""


def _form(form: Form, findings: list[Finding]) -> list[str]:
    name = form.project.name or form.title or form.id
    out = [f"## {_cell(name)}", "", f"*{_KINDS.get(form.kind, form.kind)}* · `{form.id}` · "
           f"表 {', '.join(table_number(t) for t in form.table_ids)}"]
    if form.title and form.title != name:
        out += ["", f"**{_cell(form.title)}**"]
    if form.header_note:
        out += ["", _cell(form.header_note)]
    if form.fields:
        out += ["", *_table_rows(["项目 field", "内容 value"],
                                 [[f.label, f.value] for f in form.fields])]
    out += _indicators(form)
    if form.footer_note:
        out += ["", _cell(form.footer_note)]
    mine = [f for f in findings if f.form == form.id]
    if mine:
        out += ["", "### 问题 findings", ""]
        out += [f"- **{f.severity}** `{f.rule}`{_where(f)}: {_cell(f.message)}" for f in mine]
    return out


def _slot(table: Table, cell: Cell | None, row: int, col: int) -> str:
    if cell is None:
        return ""
    if (cell.row, cell.col) == (row, col):
        return cell.text
    return "↑" if cell.col == col else "←"


def _a1(row: int, col: int) -> str:
    return f"{column_letters(col + 1)}{row + 1}"


def _table(table: Table) -> list[str]:
    slots = table.slots()
    grid = [[_slot(table, slots.at(r, c), r, c) for c in range(table.n_cols)]
            for r in range(table.n_rows)]
    out = [f"### 表 {table_number(table.id)} (`{table.id}`)"]
    if table.sheet:
        out[0] += f" · {_cell(table.sheet)}"
    if table.pages:
        out[0] += f" · 第{'、'.join(str(p) for p in table.pages)}页"
    if not grid or not table.n_cols:
        return [*out, "", "(空表 empty)"]
    # A pipe table needs a header row: the grid's first row, as printed.
    out += ["", *_table_rows(grid[0], grid[1:])]
    merges = [f"{_a1(c.row, c.col)}:{_a1(c.row + c.row_span - 1, c.col + c.col_span - 1)}"
              for c in table.cells if c.row_span > 1 or c.col_span > 1]
    if merges:
        out += ["", "合并单元格 merged: " + ", ".join(merges)]
    for cell in slots.stray:
        out += ["", f"格外单元格 outside the grid ({_a1(cell.row, cell.col)}): {_cell(cell.text)}"]
    return out


def render(document: Document) -> bytes:
    out = [f"# {_cell(document.source.path)}", ""]
    out.append(f"{len(document.forms)} 张表单 forms · {len(document.tables)} 个表格 tables · "
               f"{len(document.findings)} 个问题 findings")
    for form in document.forms:
        out += ["", *_form(form, document.findings)]
    if document.tables:
        out += ["", "## 表格 tables"]
        for table in document.tables:
            out += ["", *_table(table)]
    return ("\n".join(out) + "\n").encode("utf-8")
