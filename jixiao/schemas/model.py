"""The canonical document model shared by every stage and writer.

Key names are a contract read by downstream tools: change them only with a new
``SCHEMA_VERSION`` and a regenerated ``document.schema.json`` / ``document.xsd``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SCHEMA_VERSION = "1.0"

FormKind = Literal["project_goals", "department_goals", "self_evaluation", "unknown"]
BlockKind = Literal["heading", "paragraph"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")  # worst first
SEVERITY_NAMES: dict[Severity, str] = {"error": "错误", "warning": "警告", "info": "提示"}
Op = Literal["=", "≥", "≤", ">", "<", "range"]
ValueKind = Literal["count", "percent", "money", "ratio", "date", "period", "qualitative"]


def _number(value: Decimal) -> int | float:
    """A decimal as a JSON number: integral values without a fraction, others as printed."""
    return int(value) if value == value.to_integral_value() else float(value)


# Exact in Python (sums add up to the cent), a plain number in JSON, xs:decimal in XML.
Number = Annotated[Decimal, PlainSerializer(_number, return_type=float, when_used="json")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes``, as ``dataclasses.replace`` makes one: the way a stage
        hands over what it made from an earlier stage's object, which it leaves as it was.
        A name the model does not have is a ``TypeError`` (``model_copy(update=...)`` would
        take it silently, though the model forbids extra fields); values are not validated
        again (they are of the model's types)."""
        unknown = changes.keys() - type(self).model_fields.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        return self.model_copy(update=changes)



class Source(_Model):
    """The input file: where it was, what it was, and a hash that keys it everywhere."""

    path: str
    sha256: str
    format: str = Field(description="Sniffed input format, e.g. 'docx'.")
    size: int = Field(description="Size in bytes.")
    converted_by: str | None = Field(
        default=None, description="Conversion before reading, e.g. 'LibreOffice (doc → docx)'."
    )
    pages: int | None = Field(default=None, description="Pages of a PDF (counted as read).")


# A box on a PDF page, as pdfplumber gives one: (x0, top, x1, bottom) in points, from the
# top-left corner of the page as displayed (y grows downwards; a rotated page's displayed
# frame, not its unrotated media box).
BBox = tuple[float, float, float, float]


# Provenance and Cell are plain dataclasses, not pydantic models: extractors make thousands
# of them per file, and a dataclass's own ``__init__`` costs a fraction of a validated model's.
# Nothing goes unchecked for it: mypy checks the extractors' arguments, an unknown keyword is
# a TypeError, and pydantic validates both (extra keys refused) wherever a document is read
# from JSON or XML, through the models that hold them.
_RECORD_CONFIG = ConfigDict(extra="forbid")


@dataclass(slots=True)
class Provenance:
    """Where a piece of content sits in the source document."""

    __pydantic_config__: ClassVar[ConfigDict] = _RECORD_CONFIG

    table_index: Annotated[
        int | None, Field(description="Index of the table in document order (Word).")
    ] = None
    paragraphs: Annotated[
        list[int] | None,
        Field(description="First and last paragraph index (document order, all w:p) covered."),
    ] = None
    page: Annotated[int | None, Field(description="1-based page number (PDF).")] = None
    bbox: Annotated[
        BBox | None,
        Field(description="x0, top, x1, bottom in PDF points, from the top-left corner of the "
              "page as displayed (y grows downwards)."),
    ] = None


@dataclass(slots=True)
class Cell:
    """One cell of a span-exact grid; merged cells appear once, at their top-left slot."""

    __pydantic_config__: ClassVar[ConfigDict] = _RECORD_CONFIG

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""
    header: Annotated[bool, Field(description="Part of a repeated header row.")] = False
    nested_tables: Annotated[
        list[str], Field(description="Ids of tables nested inside this cell.")
    ] = field(default_factory=list)
    confidence: Annotated[
        float | None,
        Field(description="Lowest OCR confidence of the cell's characters (scans)."),
    ] = None
    read_as: Annotated[
        str | None,
        Field(description="What OCR read, when the text itself proved it wrong and jixiao "
              "corrected it (quotation marks “ ” confused); the cell's text is the correction."),
    ] = None
    provenance: Provenance | None = None


class CellRef(_Model):
    """A pointer to one cell: the table id and the cell's top-left slot."""

    table: str
    row: int
    col: int
    a1: str | None = Field(
        default=None,
        description="The cell as a spreadsheet names it, sheet and A1 reference "
        "('3.学习型社区（复评）经费'!D20), for a table from a workbook.",
    )
    page: int | None = Field(default=None, description="PDF page the cell is on (1-based).")


class Table(_Model):
    """A table as found: a span-exact grid of cells (merged cells keep their spans)."""

    id: str
    n_rows: int
    n_cols: int
    cells: list[Cell] = Field(default_factory=list)
    header_rows: list[int] = Field(default_factory=list)
    pages: list[int] = Field(
        default_factory=list, description="PDF pages the table spans (stitched across breaks)."
    )
    parent: CellRef | None = Field(default=None, description="The cell holding a nested table.")
    provenance: Provenance | None = None
    sheet: str | None = Field(default=None, description="The worksheet it comes from (workbooks).")
    origin: str | None = Field(
        default=None,
        description="A1 reference of the sheet cell at the grid's row 0, column 0 (workbooks).",
    )

    def slots(self) -> Slots:
        """The dense view of the grid (the one every stage and writer uses): which cell
        covers each slot, and the cells that do not fit (see ``Slots``)."""
        covering: dict[tuple[int, int], Cell] = {}
        stray: list[Cell] = []
        n_rows, n_cols = self.n_rows, self.n_cols
        cells = self.cells
        if any((a.row, a.col) > (b.row, b.col) for a, b in pairwise(cells)):
            cells = sorted(cells, key=lambda c: (c.row, c.col))
        for cell in cells:
            row, col = cell.row, cell.col
            if not (0 <= row < n_rows and 0 <= col < n_cols) or (row, col) in covering:
                stray.append(cell)
            elif cell.row_span == 1 and cell.col_span == 1:
                covering[(row, col)] = cell
            else:
                for r in range(row, min(row + max(cell.row_span, 1), n_rows)):
                    for c in range(col, min(col + max(cell.col_span, 1), n_cols)):
                        covering.setdefault((r, c), cell)
        return Slots(covering, stray)

    def a1(self, row: int, col: int) -> str | None:
        """Where the grid's slot (row, col) is in its worksheet: ``'Sheet'!D20``; None for a
        table that is not from a workbook."""
        match = _A1.match(self.origin or "")
        if self.sheet is None or match is None:
            return None
        letters, digits = match.groups()
        first_col = 0
        for ch in letters:
            first_col = first_col * 26 + ord(ch) - 64
        sheet = self.sheet.replace("'", "''")
        return f"'{sheet}'!{column_letters(first_col + col)}{int(digits) + row}"


@dataclass(frozen=True)
class Slots:
    """A table's grid, slot by slot: ``covering[(row, col)]`` is the cell over that slot
    (merged or not; spans clipped to the grid; where two cells claim a slot, the first in
    reading order keeps it), and ``stray`` the cells outside the grid or starting on a slot
    another covers (listed by the writers, never dropped)."""

    covering: dict[tuple[int, int], Cell]
    stray: list[Cell]

    def at(self, row: int, col: int) -> Cell | None:
        return self.covering.get((row, col))

    def is_top_left(self, row: int, col: int) -> bool:
        cell = self.covering.get((row, col))
        return cell is not None and (cell.row, cell.col) == (row, col)


def column_letters(number: int) -> str:
    """A spreadsheet column's letters: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


class Block(_Model):
    """Text outside tables, in document order."""

    id: str
    kind: BlockKind
    level: int | None = Field(default=None, description="Heading level, 1 = top.")
    text: str
    provenance: Provenance | None = None


# What the mapping took a field for: the model attribute its value supplied (``filler``:
# 填报单位, which has no attribute of its own). Writers read it instead of matching labels.
FieldRole = Literal[
    "project.name", "project.code", "project.department", "project.implementer",
    "project.period", "goals.long_term", "goals.annual", "goals.achieved", "budget.total",
    "budget.part", "budget.unit", "filler",
]


class FormField(_Model):
    """One labelled field of a form as printed (项目名称: …), with its cell and role."""

    label: str
    value: str
    cell: CellRef | None = Field(
        default=None,
        description="The cell the value comes from; none for a field read from the header "
        "note (the line above the grid, `header_note`), which the form prints as it was.",
    )
    role: FieldRole | None = Field(
        default=None,
        description="What the mapping took this field for, so that no reader matches labels "
        "again: the attribute its value supplied (the one field of the first of the "
        "lexicon's labels that the form prints, even when blank; budget.part: each money "
        "label but the total's; filler: 填报单位, no attribute of its own); none for a field "
        "kept but not used. A field used twice names its first use: 填报单位 standing in for "
        "the department stays filler, 实施单位 alone is project.department (it gives "
        "project.implementer too).",
    )


class Amount(_Model):
    """A money amount as printed, with its value in the unit that applies and in yuan."""

    raw: str
    value: Number | None = Field(default=None, description="The amount in `unit`.")
    unit: str | None = Field(
        default=None,
        description="万元, 元 …: from the cell, else the table's unit note, else 万元.",
    )
    yuan: Number | None = Field(default=None, description="The amount in yuan.")
    cell: CellRef | None = None


class BudgetPart(_Model):
    """One part of a form's budget (财政拨款, 其他资金 …) with its amount."""

    label: str
    amount: Amount


class ExecutionLine(_Model):
    """One row of a self-evaluation's money block, as printed."""

    label: str = Field(description="年度资金总额, 当年财政拨款, 上年结转资金, 其他资金 …")
    planned: Amount | None = Field(default=None, description="年初预算数")
    adjusted: Amount | None = Field(default=None, description="全年预算数")
    executed: Amount | None = Field(default=None, description="全年执行数")
    weight: str | None = Field(default=None, description="分值")
    rate: str | None = Field(default=None, description="执行率")
    score: str | None = Field(default=None, description="得分")


class Budget(_Model):
    """A form's money: the total, its parts and, for a self-evaluation, the money block."""

    total: Amount | None = None
    parts: list[BudgetPart] = Field(default_factory=list)
    unit: str | None = Field(default=None, description="Unit note of the table, e.g. 万元.")
    execution: list[ExecutionLine] = Field(
        default_factory=list, description="Self-evaluation money block, row by row."
    )


class SpendingPoint(_Model):
    """One milestone of a form's spending plan and the amount by then."""

    by: str = Field(description="The milestone as printed, e.g. 3月底.")
    amount: Amount


class Goals(_Model):
    """A form's goals as printed: long-term, annual and, for a self-evaluation, achieved."""

    long_term: str | None = Field(default=None, description="实施期 / 中期 / 长期 goals.")
    annual: str | None = Field(default=None, description="本年度 / 年度 / 整体 goals.")
    achieved: str | None = Field(
        default=None, description="实际完成情况 against the annual goals (self-evaluation)."
    )


class Duty(_Model):
    """One row of a department's duties grid, as printed."""

    function: str | None = Field(default=None, description="部门职能")
    task: str | None = Field(default=None, description="年度目标任务, 主要任务 or 任务名称")
    content: str | None = Field(
        default=None, description="主要内容: what the task named in 任务名称 consists of.")
    item: str | None = Field(default=None, description="支出项目")
    amount: Amount | None = Field(default=None, description="预算金额")


class ProjectInfo(_Model):
    """Who and what a form is about: the project, its department and period."""

    name: str | None = None
    code: str | None = None
    department: str | None = None
    department_code: str | None = None
    implementer: str | None = Field(
        default=None, description="实施单位: the unit that carries the project out."
    )
    period: str | None = None


class Target(_Model):
    """A target or result value as printed, and what it means.

    ``op`` is None for qualitative text. Dates and periods are ISO 8601 (``2024-12-31``,
    ``2023-07``, ``2024``): a deadline sets ``end``, a period ``start`` and ``end``.
    """

    raw: str
    op: Op | None = Field(default=None, description="=, ≥, ≤, >, <, or range (value–value_max).")
    value: Number | None = None
    value_max: Number | None = Field(default=None, description="Upper end of a range.")
    unit: str | None = Field(default=None, description="As printed: %, 万元, 件, 人次, 小时 …")
    kind: ValueKind = "qualitative"
    yuan: Number | None = Field(default=None, description="Money targets: the value in yuan.")
    start: str | None = Field(default=None, description="Start of a period (ISO 8601).")
    end: str | None = Field(default=None, description="A deadline, or the end of a period.")


Horizon = Literal["long_term", "annual"]


class Indicator(_Model):
    """One performance indicator: its three levels, target, actual and score."""

    level1: str
    level2: str
    level3: str
    description: str | None = None
    target: Target
    basis: str | None = None
    horizon: Horizon | None = Field(
        default=None, description="Which grid of a table with 长期 and 年度 grids."
    )
    actual: Target | None = Field(default=None, description="实际完成值 (self-evaluation).")
    weight: str | None = Field(default=None, description="分值 / 权重 of the indicator.")
    group_weight: str | None = Field(
        default=None, description="Points written into its level label: 产出指标(50分) → 50."
    )
    score: str | None = Field(default=None, description="得分.")
    deviation: str | None = Field(default=None, description="偏差原因分析及改进措施.")
    empty: bool = Field(
        default=False, description="A template row left blank: kept, but carries no values."
    )
    not_applicable: bool = Field(
        default=False,
        description="Printed as not applicable (不适用 as the target, or 不适用 / 无 / / / — in "
        "place of both the indicator and its target): kept; rules about targets skip it.",
    )
    cell: CellRef | None = Field(default=None, description="The cell holding the target.")


class Form(_Model):
    """One performance form (绩效目标表, 绩效自评表 …) read from its tables, field by field."""

    id: str
    kind: FormKind
    title: str | None = None
    table_ids: list[str] = Field(default_factory=list)
    header_note: str | None = Field(default=None, description="Line above the grid (填报单位…).")
    footer_note: str | None = Field(default=None, description="Line below the grid (填表人…).")
    fields: list[FormField] = Field(default_factory=list)
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    budget: Budget = Field(default_factory=Budget)
    spending_plan: list[SpendingPoint] = Field(default_factory=list)
    spending_plan_label: str | None = Field(
        default=None, description="The plan's label as printed, e.g. 资金支出计划（%）."
    )
    goals: Goals = Field(default_factory=Goals)
    duties: list[Duty] = Field(default_factory=list, description="Department duties grid.")
    indicators: list[Indicator] = Field(default_factory=list)
    total_score: str | None = Field(default=None, description="总分 (self-evaluation).")
    weight_total: str | None = Field(
        default=None,
        description="The points the form declares for its indicators, printed in the weight "
        "column's header: 分值权重（90） → 90.",
    )
    coverage: float | None = Field(
        default=None,
        description="Share of the form table's non-empty cells that the form uses (0 to 1).",
    )
    unmapped: list[CellRef] = Field(
        default_factory=list,
        description="Non-empty cells of the form's table that no field, amount, goal, "
        "indicator or note took: what to look at by hand.",
    )


class Finding(_Model):
    """A problem in the content, found by a validation rule (see ``jixiao.validate.RULES``)."""

    rule: str = Field(description="Stable rule id, e.g. money.parts_sum.")
    severity: Severity
    message: str = Field(description="What is wrong, in Chinese, for a finance officer.")
    form: str | None = Field(default=None, description="Id of the form it concerns.")
    cell: CellRef | None = Field(default=None, description="The cell it points to.")
    value: str | None = Field(default=None, description="The printed text in question.")


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity (every severity present, worst first)."""
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


class ErrorItem(_Model):
    """A problem that stopped part of the conversion (bad input), never a bug."""

    stage: str
    message: str


class Document(_Model):
    """One converted input: its tables, text blocks, forms, findings and errors."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    ocr_pages: list[int] = Field(
        default_factory=list, description="Pages read by OCR (scanned images)."
    )
    tables: list[Table] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    errors: list[ErrorItem] = Field(default_factory=list)
