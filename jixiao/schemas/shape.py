"""How each model field is laid out in XML; shared by the XML writer and the XSD generator.

A model is a pydantic model or one of the model's plain dataclasses (``Cell``,
``Provenance``); ``fields_of`` gives both as pydantic ``FieldInfo``s.

Numbers and booleans become attributes, strings and nested models child elements, lists a
wrapper element holding one item element per entry. Both sides read this one description,
so the XSD always matches what the writer emits.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

XML_NS = "urn:jixiao:document:1"

# Element name of one entry in a list field.
ITEM_NAMES = {
    "tables": "table", "blocks": "block", "forms": "form", "findings": "finding",
    "errors": "error", "cells": "cell", "fields": "field", "parts": "part",
    "spending_plan": "point", "indicators": "indicator", "table_ids": "id",
    "nested_tables": "id", "header_rows": "row", "paragraphs": "index", "bbox": "v",
}


@dataclass(frozen=True)
class FieldShape:
    name: str
    kind: Literal["attr", "text", "model", "list"]
    scalar: type | None  # int / float / Decimal / bool / str for attr, text and scalar lists
    model: type | None  # nested model, or the item model of a list (``is_model``)
    optional: bool
    choices: tuple[str, ...] = ()  # allowed values of a Literal

    @property
    def item_name(self) -> str:
        return ITEM_NAMES.get(self.name, "item")


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _scalar(tp: Any) -> tuple[type, tuple[str, ...]]:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) is Literal:
        return str, tuple(str(a) for a in typing.get_args(tp))
    if tp in (int, float, bool, str, Decimal):
        return tp, ()
    raise TypeError(f"no XML shape for {tp!r}")


def _item_type(tp: Any) -> Any:
    """The one item type of ``list[X]`` or of a tuple of X (``tuple[X, ...]``, ``tuple[X, X]``)."""
    args = [a for a in typing.get_args(tp) if a is not Ellipsis]
    if not args or any(a != args[0] for a in args):
        raise TypeError(f"no XML shape for {tp!r}")
    return args[0]


def is_model(tp: object) -> bool:
    """Whether ``tp`` is a class of the document model: a pydantic model or a dataclass."""
    return isinstance(tp, type) and (issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp))


@cache
def fields_of(model: type) -> dict[str, FieldInfo]:
    """The fields of a pydantic model or a dataclass, in declaration order."""
    if issubclass(model, BaseModel):
        return dict(model.model_fields)
    if not dataclasses.is_dataclass(model):
        raise TypeError(f"{model!r} is not a model")
    hints = typing.get_type_hints(model, include_extras=True)
    out: dict[str, FieldInfo] = {}
    for f in dataclasses.fields(model):
        if f.default is not dataclasses.MISSING:
            out[f.name] = FieldInfo.from_annotated_attribute(hints[f.name], f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = FieldInfo.from_annotated_attribute(
                hints[f.name], FieldInfo(default_factory=f.default_factory))
        else:
            out[f.name] = FieldInfo.from_annotation(hints[f.name])
    return out


@cache
def shape_of(model: type) -> tuple[FieldShape, ...]:
    out: list[FieldShape] = []
    for name, info in fields_of(model).items():
        tp, optional = _unwrap_optional(info.annotation)
        optional = optional or not info.is_required()
        if typing.get_origin(tp) in (list, tuple):
            item = _item_type(tp)
            if is_model(item):
                out.append(FieldShape(name, "list", None, item, optional))
            else:
                scalar, choices = _scalar(item)
                out.append(FieldShape(name, "list", scalar, None, optional, choices))
        elif is_model(tp):
            out.append(FieldShape(name, "model", None, tp, optional))
        else:
            scalar, choices = _scalar(tp)
            kind: Literal["attr", "text"] = "text" if scalar is str else "attr"
            out.append(FieldShape(name, kind, scalar, None, optional, choices))
    return tuple(out)
