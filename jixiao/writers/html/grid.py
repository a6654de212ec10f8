"""Tables drawn as printed: one ``<td>`` per cell with its real ``rowspan``/``colspan``.

Every cell carries ``id="cell-<table>-<row>-<col>"`` and ``data-row``/``data-col`` (the
model's 0-based top-left slot). A cell a finding points to gets ``finding-<severity>`` (the
worst one), the messages as its ``title`` and numbered marks linking to the findings list.
OCR cells below the confidence threshold are outlined and show their confidence; cells
corrected after reading show what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.schemas import Cell, CellRef, Document, Finding, Table
from jixiao.writers.html.common import (
    LOW_CONFIDENCE,
    cell_anchor,
    esc,
    finding_anchor,
    label,
    worst,
)

MAX_NESTING = 8


@dataclass
class Context:
    """What the parts of a report look up: tables by id, findings by cell."""

    tables: dict[str, Table]
    findings: list[Finding] = field(default_factory=list)
    cells: set[tuple[str, int, int]] = field(default_factory=set)
    by_cell: dict[tuple[str, int, int], list[tuple[int, Finding]]] = field(default_factory=dict)
    forms_by_table: dict[str, list[str]] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, document: Document) -> Context:
        ctx = cls(tables={t.id: t for t in document.tables}, findings=document.findings)
        ctx.cells = {(t.id, c.row, c.col) for t in document.tables for c in t.cells}
        for number, finding in enumerate(document.findings, start=1):
            if finding.cell is not None:
                key = (finding.cell.table, finding.cell.row, finding.cell.col)
                ctx.by_cell.setdefault(key, []).append((number, finding))
        for form in document.forms:
            for table_id in form.table_ids:
                ctx.forms_by_table.setdefault(table_id, []).append(form.id)
        return ctx

    def cell_exists(self, table: str, row: int, col: int) -> bool:
        return (table, row, col) in self.cells

    def cell_text(self, ref: CellRef) -> str:
        """The text of the cell ``ref`` points to ('' when there is none)."""
        table = self.tables.get(ref.table)
        cells = table.cells if table is not None else []
        return next((c.text for c in cells if (c.row, c.col) == (ref.row, ref.col)), "")


def render_grid(
    table: Table, ctx: Context, depth: int = 0, seen: frozenset[str] = frozenset()
) -> str:
    """The table as HTML; cells that do not fit its grid are listed below it, never lost."""
    seen = seen | {table.id}
    ctx.rendered.add(table.id)
    grid = table.slots()
    stray = grid.stray
    headers = set(table.header_rows)
    rows = []
    for r in range(table.n_rows):
        tds = []
        for c in range(table.n_cols):
            cell = grid.at(r, c)
            if cell is not None and grid.is_top_left(r, c):
                header = r in headers or cell.header
                tds.append(_td(table, cell, header, ctx, depth, seen))
            elif cell is None:
                tds.append('<td class="blank"></td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    parts = [
        f'<table class="grid" data-table="{esc(table.id)}" data-rows="{table.n_rows}" '
        f'data-cols="{table.n_cols}"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    ]
    if stray:
        items = "".join(
            f'<li><code>r{c.row} c{c.col}</code> <span class="ct">{esc(c.text)}</span></li>'
            for c in stray
        )
        note = label("网格外或重叠的单元格", "cells outside the grid or overlapping")
        parts.append(f'<p class="note">{note}</p><ul>{items}</ul>')
    return "\n".join(parts)


def _td(table: Table, cell: Cell, header: bool, ctx: Context, depth: int,
        seen: frozenset[str]) -> str:
    classes = ["hdr"] if header else []
    titles: list[str] = []
    extra: list[str] = []
    found = ctx.by_cell.get((table.id, cell.row, cell.col), [])
    if found:
        classes.append(f"finding-{worst(f for _, f in found)}")
        titles.extend(f.message for _, f in found)
        extra.extend(
            f'<a class="fmark sev-{f.severity}" href="#{finding_anchor(n)}" '
            f'title="{esc(f.message)}">{n}</a>'
            for n, f in found
        )
    if cell.confidence is not None:
        titles.append(f"OCR 置信度 confidence {cell.confidence:.2f}")
        if cell.confidence < LOW_CONFIDENCE:
            classes.append("low-confidence")
            extra.append(f'<span class="conf">置信度 {cell.confidence:.2f}</span>')
    if cell.read_as is not None:  # corrected by what the text itself proves: never silently
        classes.append("corrected")
        titles.append(f"OCR 识别为 read as: {cell.read_as}")
        extra.append(f'<span class="read-as">识别为 {esc(cell.read_as)}</span>')
    for child_id in cell.nested_tables:
        child = ctx.tables.get(child_id)
        if child is not None and child_id not in seen and depth < MAX_NESTING:
            extra.append(render_grid(child, ctx, depth + 1, seen))
    attrs = [f'id="{cell_anchor(table.id, cell.row, cell.col)}"',
             f'data-row="{cell.row}"', f'data-col="{cell.col}"']
    if cell.row_span > 1:
        attrs.append(f'rowspan="{cell.row_span}"')
    if cell.col_span > 1:
        attrs.append(f'colspan="{cell.col_span}"')
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    if titles:
        attrs.append(f'title="{esc(chr(10).join(titles))}"')
    return f'<td {" ".join(attrs)}><div class="ct">{esc(cell.text)}</div>{"".join(extra)}</td>'
