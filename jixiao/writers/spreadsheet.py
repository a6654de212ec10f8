"""Document → XLSX workbook: ``forms``, ``indicators``, ``findings`` and one sheet per table.

The column lists here are shared with the flat CSV writer (``flat_csv.py``). openpyxl is
imported only when a workbook is rendered.

- Numbers (``Number`` fields, counts, cell coordinates) are numeric cells; every text is a
  string cell, whatever it looks like (``2024.12``, ``1-2``, ``=1+1``, ``#N/A``): the cell
  type is forced to string, so nothing becomes a formula or an error value, and texts starting
  with ``= + - @`` also carry Excel's quote prefix, which keeps them text when edited.
- Output is deterministic: fixed workbook dates and ZIP member times.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Generic, TypeVar
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from jixiao.locate import location
from jixiao.schemas import Document
from jixiao.schemas.model import Amount, CellRef, Finding, Form, Indicator, Table, Target

Value = str | int | bool | Decimal | None
_R = TypeVar("_R")


@dataclass(frozen=True)
class Column(Generic[_R]):
    """One output column: its header, whether it holds numbers, and how to read a row."""

    name: str
    get: Callable[[_R], Value]
    numeric: bool = False
    width: int = 0  # a preferred width; 0: measured from the content


IndicatorRow = tuple[Form, Indicator, str]  # the form, the indicator, its findings' rules
FormRow = tuple[Form, int, int]  # the form, its indicator count, its finding count
FindingRow = tuple[Finding, Form | None]


def _ref(name: str, part: str, get: Callable[[_R], CellRef | None]) -> Column[_R]:
    def value(row: _R) -> Value:
        ref = get(row)
        return None if ref is None else getattr(ref, part)

    return Column(name, value, numeric=part in ("row", "col"))


def _location(get: Callable[[_R], CellRef | None]) -> Column[_R]:
    """Where a person opens the cell (``jixiao.locate``): ``'Sheet'!D20``, ``p.28 table 3 row 5
    col 2``."""
    def value(row: _R) -> Value:
        ref = get(row)
        return None if ref is None else location(ref)

    return Column("location", value, width=30)


def _target(prefix: str, get: Callable[[Indicator], Target | None]) -> list[Column[IndicatorRow]]:
    def part(name: str, numeric: bool = False) -> Column[IndicatorRow]:
        def value(row: IndicatorRow) -> Value:
            target = get(row[1])
            return None if target is None else getattr(target, name)

        return Column(f"{prefix}_{name}", value, numeric=numeric)

    return [
        part("raw"), part("op"), part("value", True), part("value_max", True), part("unit"),
        part("kind"), part("yuan", True), part("start"), part("end"),
    ]


def _amount(prefix: str, get: Callable[[Form], Amount | None]) -> list[Column[FormRow]]:
    def part(name: str, numeric: bool = False) -> Column[FormRow]:
        def value(row: FormRow) -> Value:
            amount = get(row[0])
            return None if amount is None else getattr(amount, name)

        return Column(f"{prefix}_{name}", value, numeric=numeric)

    return [part("raw"), part("value", True), part("unit"), part("yuan", True)]


FORM_COLUMNS: tuple[Column[FormRow], ...] = (
    Column("form_id", lambda r: r[0].id),
    Column("kind", lambda r: r[0].kind),
    Column("title", lambda r: r[0].title, width=40),
    Column("project_name", lambda r: r[0].project.name, width=30),
    Column("project_code", lambda r: r[0].project.code),
    Column("department", lambda r: r[0].project.department, width=30),
    Column("department_code", lambda r: r[0].project.department_code),
    Column("implementer", lambda r: r[0].project.implementer),
    Column("period", lambda r: r[0].project.period),
    *_amount("budget_total", lambda f: f.budget.total),
    Column("total_score", lambda r: r[0].total_score),
    Column("tables", lambda r: " ".join(r[0].table_ids)),
    Column("indicators", lambda r: r[1], numeric=True),
    Column("findings", lambda r: r[2], numeric=True),
)

INDICATOR_COLUMNS: tuple[Column[IndicatorRow], ...] = (
    Column("form_id", lambda r: r[0].id),
    Column("form_kind", lambda r: r[0].kind),
    Column("project_name", lambda r: r[0].project.name, width=30),
    Column("department", lambda r: r[0].project.department, width=30),
    Column("level1", lambda r: r[1].level1),
    Column("level2", lambda r: r[1].level2),
    Column("level3", lambda r: r[1].level3, width=30),
    Column("description", lambda r: r[1].description, width=40),
    Column("horizon", lambda r: r[1].horizon),
    *_target("target", lambda i: i.target),
    Column("basis", lambda r: r[1].basis, width=30),
    Column("actual_raw", lambda r: r[1].actual.raw if r[1].actual else None),
    Column("actual_value", lambda r: r[1].actual.value if r[1].actual else None, numeric=True),
    Column("weight", lambda r: r[1].weight),
    Column("group_weight", lambda r: r[1].group_weight),
    Column("score", lambda r: r[1].score),
    Column("deviation", lambda r: r[1].deviation, width=30),
    Column("empty", lambda r: r[1].empty, numeric=True),
    Column("not_applicable", lambda r: r[1].not_applicable, numeric=True),
    _ref("cell_table", "table", lambda r: r[1].cell),
    _ref("cell_row", "row", lambda r: r[1].cell),
    _ref("cell_col", "col", lambda r: r[1].cell),
    _ref("cell_a1", "a1", lambda r: r[1].cell),
    _location(lambda r: r[1].cell),
    Column("findings", lambda r: r[2] or None, width=30),
)

FINDING_COLUMNS: tuple[Column[FindingRow], ...] = (
    Column("rule", lambda r: r[0].rule, width=24),
    Column("severity", lambda r: r[0].severity),
    Column("message", lambda r: r[0].message, width=60),
    Column("form_id", lambda r: r[0].form),
    Column("project_name", lambda r: r[1].project.name if r[1] else None, width=30),
    _ref("cell_table", "table", lambda r: r[0].cell),
    _ref("cell_row", "row", lambda r: r[0].cell),
    _ref("cell_col", "col", lambda r: r[0].cell),
    _ref("cell_a1", "a1", lambda r: r[0].cell),
    _location(lambda r: r[0].cell),
    Column("value", lambda r: r[0].value, width=30),
)


def form_rows(document: Document) -> list[FormRow]:
    findings: dict[str | None, int] = {}
    for finding in document.findings:
        findings[finding.form] = findings.get(finding.form, 0) + 1
    return [(f, len(f.indicators), findings.get(f.id, 0)) for f in document.forms]


def indicator_rows(document: Document) -> list[IndicatorRow]:
    """Each indicator with its form and the rule ids of the findings on its cell
    (``indicator.satisfaction; template.prompt``), so flat outputs carry findings too."""
    def key(form: str | None, cell: CellRef) -> tuple[str | None, str, int, int]:
        return form, cell.table, cell.row, cell.col

    on_cell: dict[tuple[str | None, str, int, int], list[str]] = {}
    for f in document.findings:
        if f.cell is not None:
            on_cell.setdefault(key(f.form, f.cell), []).append(f.rule)
    return [
        (form, ind, "; ".join(on_cell.get(key(form.id, ind.cell), [])) if ind.cell else "")
        for form in document.forms for ind in form.indicators
    ]


def finding_rows(document: Document) -> list[FindingRow]:
    forms = {form.id: form for form in document.forms}
    return [(f, forms.get(f.form) if f.form else None) for f in document.findings]


# --- cells ------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses in strings
MAX_CELL_TEXT = 32767  # Excel's limit per cell
_EPOCH = datetime(2000, 1, 1)  # created / modified of every workbook: same input, same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LINE_HEIGHT = 16  # points per line of wrapped text (11 pt, Chinese fonts run tall)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def display_width(text: str) -> int:
    """Columns a line takes: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _put(ws: Any, row: int, col: int, value: Value) -> Any:
    """Write one value; texts are string cells, never formulas or error values."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":  # an empty text is an empty cell
        return cell
    if isinstance(value, Decimal):
        cell.value = _number(value)
    elif isinstance(value, bool | int):
        cell.value = value
    else:
        text = _ILLEGAL.sub("\ufffd", value)[:MAX_CELL_TEXT]
        cell.value = text
        cell.data_type = "s"  # openpyxl makes '=…' a formula and '#N/A' an error
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="808080")
        self.bold = Font(name="Calibri", size=11, family=2, scheme="minor", bold=True)
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")


def _width(texts: Iterable[str], low: int, high: int) -> int:
    widest = max((display_width(line) for t in texts for line in t.split("\n")), default=0)
    return max(low, min(high, widest + 2))


def _lines(text: str, width: int) -> int:
    """Lines a text wraps to in a column ``width`` characters wide (an estimate)."""
    room = max(1, width - 1)
    return sum(max(1, -(-display_width(line) // room)) for line in text.split("\n"))


def _set_heights(ws: Any, lines: dict[int, int]) -> None:
    """Rows of wrapped text get their height: no spreadsheet fits rows with merged cells,
    and not every one fits the others when it opens a file."""
    for row, n in sorted(lines.items()):
        if n > 1:
            ws.row_dimensions[row].height = n * LINE_HEIGHT + 2


def _data_sheet(
    ws: Any, columns: Sequence[Column[_R]], rows: Sequence[_R], styles: _Styles
) -> None:
    from openpyxl.utils import get_column_letter

    widths: list[int] = []
    for c, column in enumerate(columns, 1):
        _put(ws, 1, c, column.name).font = styles.bold
        texts = [column.name, *(str(v) for r in rows if (v := column.get(r)) is not None)]
        widths.append(_width(texts, 6, column.width or 24))
        ws.column_dimensions[get_column_letter(c)].width = widths[-1]
    heights: dict[int, int] = {}
    for r, row in enumerate(rows, 2):
        for c, column in enumerate(columns, 1):
            cell = _put(ws, r, c, column.get(row))
            if isinstance(cell.value, str):
                n = _lines(cell.value, widths[c - 1])
                cell.alignment = styles.wrap if n > 1 else styles.top
                heights[r] = max(heights.get(r, 1), n)
    _set_heights(ws, heights)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _table_sheet(ws: Any, table: Table, styles: _Styles) -> None:
    """The table drawn as its grid: merged spans, wrapped text, every slot bordered."""
    from openpyxl.utils import get_column_letter

    widths = [
        _width((c.text for c in table.cells if c.col == k and c.col_span == 1), 8, 40)
        for k in range(table.n_cols)
    ]
    for k, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = width
    covered = table.slots().covering
    heights: dict[int, int] = {}
    tall: list[tuple[int, int, int]] = []  # (row_span, row, lines) of cells over several rows
    for c in table.cells:
        cell = _put(ws, c.row + 1, c.col + 1, c.text)
        cell.border = styles.border
        cell.alignment = styles.wrap
        if c.header:
            cell.font = styles.bold
        if c.row_span > 1 or c.col_span > 1:
            ws.merge_cells(
                start_row=c.row + 1, start_column=c.col + 1,
                end_row=c.row + c.row_span, end_column=c.col + c.col_span,
            )
        n = _lines(c.text, sum(widths[c.col : c.col + c.col_span]))
        if c.row_span == 1:
            heights[c.row + 1] = max(heights.get(c.row + 1, 1), n)
        else:
            tall.append((c.row_span, c.row + 1, n))
    for span, first, n in sorted(tall):  # a tall cell's missing lines go to its last row
        rows = range(first, first + span)
        missing = n - sum(heights.get(r, 1) for r in rows)
        if missing > 0:
            heights[rows[-1]] = heights.get(rows[-1], 1) + missing
    _set_heights(ws, heights)
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # printed one page wide
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for r in range(table.n_rows):
        for k in range(table.n_cols):
            if (r, k) not in covered:
                ws.cell(row=r + 1, column=k + 1).border = styles.border


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name: no ``[]:*?/\\``, not quoted, at most 31 characters,
    unique ignoring case (``History`` is reserved by Excel)."""
    base = _BAD_SHEET_CHARS.sub("_", wanted).strip("'")[:31] or "sheet"
    name, n = base, 1
    while name.casefold() in taken or name.casefold() == "history":
        n += 1
        suffix = f"~{n}"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _repack(package: bytes) -> bytes:
    """The same ZIP with every member at one fixed time: equal content gives equal bytes."""
    out = io.BytesIO()
    with ZipFile(io.BytesIO(package)) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for member in src.infolist():
            info = ZipInfo(member.filename, date_time=_ZIP_TIME)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(member))
    return out.getvalue()


def render(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles()
    taken: set[str] = set()

    def sheet(wanted: str) -> Any:
        return wb.create_sheet(sheet_name(wanted, taken))

    _data_sheet(sheet("forms"), FORM_COLUMNS, form_rows(document), styles)
    _data_sheet(sheet("indicators"), INDICATOR_COLUMNS, indicator_rows(document), styles)
    _data_sheet(sheet("findings"), FINDING_COLUMNS, finding_rows(document), styles)
    for table in document.tables:
        _table_sheet(sheet(table.id), table, styles)
    props = wb.properties
    props.creator = "jixiao"
    props.title = PurePath(document.source.path).name
    props.created = props.modified = _EPOCH
    buffer = io.BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps the modified date with the clock.
    ExcelWriter(wb, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return _repack(buffer.getvalue())
