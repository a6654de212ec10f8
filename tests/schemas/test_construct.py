"""Cells built without validation behave exactly like validated ones."""

from __future__ import annotations

from jixiao.schemas import Cell, Provenance, Table
from jixiao.schemas.construct import construct_cell, construct_provenance


def test_constructed_cell_equals_validated_cell() -> None:
    built = construct_cell(2, 1, 3, 2, "年度预算\n（万元）", True, ["t4"],
                           construct_provenance(0, [5, 7], None, None))
    validated = Cell(row=2, col=1, row_span=3, col_span=2, text="年度预算\n（万元）", header=True,
                     nested_tables=["t4"], provenance=Provenance(table_index=0, paragraphs=[5, 7]))
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == set(Cell.model_fields)
    assert Cell.model_validate(built.model_dump()) == built


def test_constructed_cells_copy_assign_and_nest_like_models() -> None:
    cell = construct_cell(0, 0, 1, 1, "a", False, [], construct_provenance(1, None, None, None))
    other = construct_cell(0, 1, 1, 1, "b", False, [], None)
    cell.row_span = 2  # attribute assignment works and leaves the other cell alone
    assert (cell.row_span, other.row_span) == (2, 1)
    copy = cell.model_copy(deep=True)
    copy.text = "changed"
    assert cell.text == "a"
    table = Table.model_validate({"id": "t0", "n_rows": 2, "n_cols": 2, "cells": [cell, other]})
    assert table.cells[0] is cell
    assert table.model_dump()["cells"][0]["provenance"]["table_index"] == 1
