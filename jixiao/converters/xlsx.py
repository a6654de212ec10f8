"""Spreadsheets (.xlsx): every sheet's used range → one span-exact table.

The cells are read sparsely (``xlsx_sheets``): the used range is where text is (and the
merges anchored on it), never the sheet's declared dimension or styled empty cells; merges
are clipped to it, and its area is checked against the caps (``jixiao.limits``) before the
dense grid is built. Merged ranges become spans. Numbers are shown as the sheet shows them
(``5`` formatted ``0.00`` is ``5.00``). Leading rows holding a single text across the sheet
(the form's title, as spreadsheets carry it) and trailing ones (``填表人…``) become text
blocks around the table, as the title paragraph and footer line of a Word form are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.converters.base import Extraction
from jixiao.converters.numfmt import format_number
from jixiao.converters.xlsx_sheets import Sheet, Workbook
from jixiao.exceptions import DocumentLoadError
from jixiao.limits import TABLE_CELLS, DocumentBudget
from jixiao.schemas import Block, Cell, Provenance, Table
from jixiao.schemas.model import column_letters

FORMAT = "xlsx"


def display(value: Any, number_format: str) -> str:
    """A cell value as the sheet displays it (the common number formats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):  # datetimes too: forms carry dates, not times
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float):
        return format_number(value, number_format)
    return str(value)


@dataclass
class _Span:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str


Bounds = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based)


def used_range(sheet: Sheet) -> Bounds | None:
    """The cells holding text and the merges anchored on one; never the sheet's declared
    dimension, nor styled empty cells, nor merges of nothing."""
    if not sheet.texts:
        return None
    rows = [r for r, _ in sheet.texts]
    cols = [c for _, c in sheet.texts]
    max_row, max_col = max(rows), max(cols)
    for top, left, bottom, right in sheet.merges:
        if (top, left) in sheet.texts:
            max_row, max_col = max(max_row, bottom), max(max_col, right)
    return min(rows), min(cols), max_row, max_col


def _clip(merge: Bounds, bounds: Bounds) -> Bounds | None:
    """The part of a merge inside the used range (None: outside it, or a single slot)."""
    top, left = max(merge[0], bounds[0]), max(merge[1], bounds[1])
    bottom, right = min(merge[2], bounds[2]), min(merge[3], bounds[3])
    if top > bottom or left > right or (top == bottom and left == right):
        return None
    return top, left, bottom, right


def _merged(sheet: Sheet, bounds: Bounds) -> tuple[dict[tuple[int, int], tuple[int, int]],
                                                   set[tuple[int, int]]]:
    """Spans by top-left slot, and the slots merged away: merges clipped to ``bounds``,
    their slots counted (overlapping merges could cover far more) before any is listed."""
    clipped = [c for m in sheet.merges if (c := _clip(m, bounds)) is not None]
    area = sum((b - t + 1) * (r - lt + 1) for t, lt, b, r in clipped)
    TABLE_CELLS.check(area, f"sheet {sheet.title!r}: merged ranges cover {area} cells")
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for top, left, bottom, right in clipped:
        spans[(top, left)] = (bottom - top + 1, right - left + 1)
        covered.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
        covered.discard((top, left))
    return spans, covered


def _sheet_cells(
    sheet: Sheet, budget: DocumentBudget
) -> tuple[list[_Span], int, int, tuple[int, int]]:
    """Top-left cells of merges and plain cells, 0-based within the used range, and the
    sheet row and column (1-based) of the used range's first slot."""
    bounds = used_range(sheet)
    if bounds is None:
        return [], 0, 0, (1, 1)
    min_row, min_col, max_row, max_col = bounds
    n_rows, n_cols = max_row - min_row + 1, max_col - min_col + 1
    budget.table(n_rows, n_cols, f"sheet {sheet.title!r}: used range")
    merged, covered = _merged(sheet, bounds)
    spans: list[_Span] = []
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            if (r, c) in covered:
                continue
            rs, cs = merged.get((r, c), (1, 1))
            # Every slot of the used range is a cell, empty or not, as in a Word table.
            spans.append(_Span(r - min_row, c - min_col, rs, cs, sheet.texts.get((r, c), "")))
    return spans, n_rows, n_cols, (min_row, min_col)


def _split_text_rows(
    spans: list[_Span], n_rows: int, n_cols: int
) -> tuple[list[_Span], list[_Span], list[_Span]]:
    """Leading / trailing rows holding one text across most of the sheet → blocks."""
    def lone(row: int) -> _Span | None:
        """The row's only text, merged across at least half the sheet (or, in the very first
        row, typed into A1 alone: a title); never a row of the grid a merge runs through."""
        filled = [s for s in spans if s.row == row and s.text]
        if len(filled) != 1 or any(s.row < row < s.row + s.row_span for s in spans):
            return None
        wide = filled[0].col_span * 2 >= n_cols
        return filled[0] if wide or (row == 0 and filled[0].col == 0) else None

    head: list[_Span] = []
    r = 0
    while r < n_rows and (span := lone(r)) is not None:
        head.append(span)
        r += 1
    tail: list[_Span] = []
    end = n_rows - 1
    while end > r and (span := lone(end)) is not None and span.row_span == 1:
        tail.insert(0, span)
        end -= 1
    body = [s for s in spans if r <= s.row <= end]
    for s in body:
        s.row -= r
    return head, body, tail


def extract(path: Path) -> Extraction:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentLoadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    book = Workbook(data)
    extraction = Extraction(format=FORMAT)
    budget = DocumentBudget()
    try:
        for sheet_index, sheet in enumerate(book.sheets(display)):
            spans, n_rows, n_cols, (first_row, first_col) = _sheet_cells(sheet, budget)
            if not spans:
                continue
            head, body, tail = _split_text_rows(spans, n_rows, n_cols)
            origin = f"{column_letters(first_col)}{first_row + len(head)}"
            for span in head:
                budget.block()
                _block(extraction, span.text, sheet_index, heading=span is head[0])
            if body:
                _table(extraction, body, n_cols, sheet_index, (sheet.title, origin))
            for span in tail:
                budget.block()
                _block(extraction, span.text, sheet_index, heading=False)
    finally:
        book.close()
    return extraction


def _block(extraction: Extraction, text: str, sheet: int, heading: bool) -> None:
    block = Block(
        id=f"b{len(extraction.blocks)}", kind="heading" if heading else "paragraph",
        level=1 if heading else None, text=text, provenance=Provenance(page=sheet + 1),
    )
    extraction.blocks.append(block)
    extraction.order.append(block.id)


def _table(
    extraction: Extraction, body: list[_Span], n_cols: int, sheet: int,
    where: tuple[str, str],
) -> None:
    """The sheet's grid as a table; ``where``: the sheet's name and the A1 reference of the
    grid's top-left slot."""
    index = len(extraction.tables)
    n_rows = max(s.row + s.row_span for s in body)
    cells = [
        Cell(s.row, s.col, s.row_span, s.col_span, s.text,
             provenance=Provenance(index, page=sheet + 1))
        for s in sorted(body, key=lambda s: (s.row, s.col))
    ]
    table = Table.model_validate({
        "id": f"t{index}", "n_rows": n_rows, "n_cols": n_cols, "cells": cells,
        "provenance": {"table_index": index, "page": sheet + 1},
        "sheet": where[0], "origin": where[1],
    })
    extraction.tables.append(table)
    extraction.order.append(table.id)
