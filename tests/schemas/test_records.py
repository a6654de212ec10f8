"""Cells and provenance are plain dataclasses the extractors build directly; pydantic
validates them wherever a document is read back."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from jixiao.schemas import Cell, Document, Provenance, Table
from jixiao.schemas.shape import fields_of


def _table(cells: list[Cell]) -> Table:
    return Table.model_validate({"id": "t0", "n_rows": 2, "n_cols": 2, "cells": cells})


def test_a_table_keeps_the_cells_it_is_given_and_writes_them_as_json_objects() -> None:
    cell = Cell(2, 1, 3, 2, "年度预算\n（万元）", True, ["t4"],
                provenance=Provenance(0, [5, 7]))
    table = _table([cell])
    assert table.cells[0] is cell  # not validated again, not copied
    dumped = table.model_dump(mode="json")["cells"][0]
    assert dumped == {
        "row": 2, "col": 1, "row_span": 3, "col_span": 2, "text": "年度预算\n（万元）",
        "header": True, "nested_tables": ["t4"], "confidence": None, "read_as": None,
        "provenance": {"table_index": 0, "paragraphs": [5, 7], "page": None, "bbox": None},
    }


def test_cells_read_back_from_json_are_validated_and_equal() -> None:
    cell = Cell(0, 0, text="a", confidence=0.5,
                provenance=Provenance(page=3, bbox=(1.0, 2.0, 3.5, 4.25)))
    again = Table.model_validate_json(_table([cell]).model_dump_json())
    assert again.cells == [cell]
    assert isinstance(again.cells[0], Cell)
    assert isinstance(again.cells[0].provenance, Provenance)
    assert again.cells[0].provenance.bbox == (1.0, 2.0, 3.5, 4.25)


@pytest.mark.parametrize("bad", [
    {"row": 0, "col": 0, "colour": "red"},  # a key the model does not have
    {"row": "first", "col": 0},  # a value of the wrong type
    {"row": 0, "col": 0, "provenance": {"page": 1, "sheet": "x"}},
])
def test_a_document_read_from_json_refuses_what_a_cell_cannot_hold(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Table.model_validate({"id": "t0", "n_rows": 1, "n_cols": 1, "cells": [bad]})


def test_an_unknown_keyword_is_refused_at_construction() -> None:
    with pytest.raises(TypeError):
        Cell(0, 0, colour="red")  # type: ignore[call-arg]
    with pytest.raises(AttributeError):  # slots: no attribute outside the model
        Cell(0, 0).colour = "red"  # type: ignore[attr-defined]


def test_defaults_are_not_shared_between_cells() -> None:
    one, two = Cell(0, 0), Cell(0, 1)
    one.nested_tables.append("t1")
    assert two.nested_tables == []
    assert dataclasses.replace(one, text="x").nested_tables == ["t1"]


def test_the_record_fields_carry_their_descriptions_into_the_schema() -> None:
    schema = Document.model_json_schema()["$defs"]
    assert schema["Cell"]["additionalProperties"] is False
    assert "repeated header row" in schema["Cell"]["properties"]["header"]["description"]
    assert "top-left corner" in schema["Provenance"]["properties"]["bbox"]["description"]
    assert list(fields_of(Cell)) == [f.name for f in dataclasses.fields(Cell)]
    assert fields_of(Cell)["nested_tables"].is_required() is False
    assert fields_of(Cell)["row"].is_required() is True


def test_evolve_copies_with_changes_and_refuses_unknown_names() -> None:
    from decimal import Decimal

    from jixiao.schemas import Amount

    amount = Amount(raw="3,000.00")
    filled = amount.evolve(value=Decimal("3000.00"), unit="万元")
    assert (filled.raw, filled.value, filled.unit) == ("3,000.00", Decimal("3000.00"), "万元")
    assert amount.value is None  # the earlier stage's object is left as it was
    with pytest.raises(TypeError, match="no field valeu"):
        amount.evolve(valeu=Decimal(1))
