"""Spreadsheets (.xlsx with openpyxl): every sheet's used range → one span-exact table.

Merged ranges become spans. Numbers are shown as the sheet shows them (``5`` formatted
``0.00`` is ``5.00``). Leading rows holding a single text across the sheet (the form's
title, as spreadsheets carry it) and trailing ones (``填表人…``) become text blocks around
the table, as the title paragraph and footer line of a Word form are.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.converters.base import Extraction
from jixiao.exceptions import DocumentLoadError
from jixiao.schemas import Block, Provenance, Table
from jixiao.schemas.model import construct_cell, construct_provenance

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
        fmt = (number_format or "General").split(";")[0]
        percent = fmt.endswith("%")
        core = fmt.rstrip("%")
        decimals = len(core.split(".")[1]) if "." in core else 0
        if percent:
            return f"{value * 100:.{decimals}f}%"
        if fmt != "General" and ("0" in core or "#" in core):
            grouped = "," in core
            return f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(Decimal(str(value)).normalize()) if isinstance(value, float) else str(value)
    return str(value)


@dataclass
class _Span:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str


def _sheet_cells(ws: Any) -> tuple[list[_Span], int, int]:
    """Top-left cells of merges and plain non-empty cells, 0-based within the used range."""
    min_row, min_col = ws.min_row, ws.min_column
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1,
                                              rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    spans: list[_Span] = []
    for row in ws.iter_rows():
        for cell in row:
            key = (cell.row, cell.column)
            if key in covered:
                continue
            rs, cs = merged.get(key, (1, 1))
            text = display(cell.value, cell.number_format).strip()
            # Every slot of the used range is a cell, empty or not, as in a Word table.
            spans.append(_Span(cell.row - min_row, cell.column - min_col, rs, cs, text))
    n_rows = ws.max_row - min_row + 1
    n_cols = ws.max_column - min_col + 1
    return spans, n_rows, n_cols


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
    import openpyxl

    try:
        # A file object: openpyxl refuses names not ending .xlsx, and the format was sniffed.
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(io.BytesIO(fh.read()), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentLoadError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    extraction = Extraction(format=FORMAT)
    try:
        for sheet_index, ws in enumerate(wb.worksheets):
            spans, n_rows, n_cols = _sheet_cells(ws)
            if not spans:
                continue
            head, body, tail = _split_text_rows(spans, n_rows, n_cols)
            for span in head:
                _block(extraction, span.text, sheet_index, heading=span is head[0])
            if body:
                _table(extraction, body, n_cols, sheet_index)
            for span in tail:
                _block(extraction, span.text, sheet_index, heading=False)
    finally:
        wb.close()
    return extraction


def _block(extraction: Extraction, text: str, sheet: int, heading: bool) -> None:
    block = Block(
        id=f"b{len(extraction.blocks)}", kind="heading" if heading else "paragraph",
        level=1 if heading else None, text=text, provenance=Provenance(page=sheet + 1),
    )
    extraction.blocks.append(block)
    extraction.order.append(block.id)


def _table(extraction: Extraction, body: list[_Span], n_cols: int, sheet: int) -> None:
    index = len(extraction.tables)
    n_rows = max(s.row + s.row_span for s in body)
    cells = [
        construct_cell(s.row, s.col, s.row_span, s.col_span, s.text, False, [],
                       construct_provenance(index, None, sheet + 1, None))
        for s in sorted(body, key=lambda s: (s.row, s.col))
    ]
    table = Table.model_validate({
        "id": f"t{index}", "n_rows": n_rows, "n_cols": n_cols, "cells": cells,
        "provenance": {"table_index": index, "page": sheet + 1},
    })
    extraction.tables.append(table)
    extraction.order.append(table.id)
