"""Where a person opens a cell: the one readable form of a ``CellRef``, used wherever a
finding's (or a field's) cell is shown — ``jixiao validate``, the HTML page, the ``location``
column of the xlsx and CSV outputs.

- a workbook's cell: its sheet and A1 reference, ``'Sheet'!D20``;
- a PDF's cell: ``p.28 table 3 row 5 col 2``, the page, then the table's position in the
  document and the row and column within the table's grid, all counted from 1 (``t2`` is the
  third table);
- a Word cell (no pages): ``table 3 row 5 col 2``.
"""

from __future__ import annotations

import re

from jixiao.schemas import CellRef

_TABLE_ID = re.compile(r"t(\d+)")


def location(ref: CellRef) -> str:
    """``'Sheet'!D20``, ``p.28 table 3 row 5 col 2`` or ``table 3 row 5 col 2``."""
    if ref.a1:
        return ref.a1
    place = f"table {table_number(ref.table)} row {ref.row + 1} col {ref.col + 1}"
    return f"p.{ref.page} {place}" if ref.page is not None else place


def table_number(table_id: str) -> str:
    """The table's position in the document, from 1: ``t2`` → ``3`` (another id as it is)."""
    match = _TABLE_ID.fullmatch(table_id)
    return str(int(match[1]) + 1) if match else table_id
