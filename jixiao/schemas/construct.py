"""Cells and provenance built without validation, for the extractors' hot loops
(thousands of cells per file): every field is given, typed by the signature, so nothing is
left for validation to do. ``tests/schemas/test_construct.py`` checks the result equals a
validated model (and fails if pydantic's internals move)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from jixiao.schemas.model import BBox, Cell, Provenance

_M = TypeVar("_M", bound=BaseModel)

# Slot setters of BaseModel, called directly: object.__setattr__ would look each name up
# through the model's MRO, which costs more than the rest of the construction.
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__ if "__dict__" in BaseModel.__dict__ else None
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _construct(cls: type[_M], values: dict[str, object], fields: set[str]) -> _M:
    obj = _new(cls)
    if _set_dict is not None:
        _set_dict(obj, values)
    else:  # pragma: no cover - layout of other pydantic versions
        object.__setattr__(obj, "__dict__", values)
    _set_fields(obj, fields)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def construct_cell(
    row: int, col: int, row_span: int, col_span: int, text: str, header: bool,
    nested_tables: list[str], provenance: Provenance | None, confidence: float | None = None,
    read_as: str | None = None,
) -> Cell:
    """A ``Cell`` built without validation, for extractors' hot loops (thousands per file).

    Every field is given, typed by the signature, so nothing is left for validation to do;
    skipping it roughly halves the cost of a cell. ``tests/schemas/test_construct.py``
    checks the result equals a validated ``Cell`` (and fails if pydantic's internals move).
    """
    return _construct(Cell, {
        "row": row, "col": col, "row_span": row_span, "col_span": col_span, "text": text,
        "header": header, "nested_tables": nested_tables, "confidence": confidence,
        "read_as": read_as, "provenance": provenance,
    }, _CELL_FIELDS)


def construct_provenance(
    table_index: int | None, paragraphs: list[int] | None,
    page: int | None = None, bbox: BBox | None = None,
) -> Provenance:
    """A ``Provenance`` built without validation (see ``construct_cell``)."""
    return _construct(Provenance, {
        "table_index": table_index, "paragraphs": paragraphs, "page": page, "bbox": bbox,
    }, _PROVENANCE_FIELDS)


# Shared by every constructed instance: all fields are set, so pydantic's only mutation of
# this set (adding a name on attribute assignment) never changes it.
_CELL_FIELDS = set(Cell.model_fields)
_PROVENANCE_FIELDS = set(Provenance.model_fields)
