"""Document → XML (namespace ``urn:jixiao:document:1``), valid against ``document.xsd``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lxml import etree

from jixiao.schemas import Document
from jixiao.schemas.shape import XML_NS, is_model, shape_of

_NS = f"{{{XML_NS}}}"


# Characters XML 1.0 cannot carry (control codes Word sometimes keeps): shown as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(el: etree._Element, model: object) -> None:
    cls: type = model.__class__
    for shape in shape_of(cls):
        value = getattr(model, shape.name)
        if value is None:
            continue
        if shape.kind == "attr":
            el.set(shape.name, _scalar_text(value))
        elif shape.kind == "text":
            etree.SubElement(el, _NS + shape.name).text = _scalar_text(value)
        elif shape.kind == "model":
            _fill(etree.SubElement(el, _NS + shape.name), value)
        else:
            wrapper = etree.SubElement(el, _NS + shape.name)
            for item in value:
                child = etree.SubElement(wrapper, _NS + shape.item_name)
                if is_model(type(item)):
                    _fill(child, item)
                else:
                    child.text = _scalar_text(item)


def to_element(document: Document) -> etree._Element:
    root = etree.Element(_NS + "document", nsmap={None: XML_NS})  # type: ignore[dict-item]
    _fill(root, document)
    return root


def render(document: Document) -> bytes:
    return etree.tostring(
        to_element(document), pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )


def _scalar_value(raw: str, scalar: type | None) -> Any:
    if scalar is bool:
        return raw == "true"
    if scalar in (int, float, Decimal):
        return scalar(raw)
    return raw


def _values(el: etree._Element, model: type) -> dict[str, Any]:
    """The fields of ``model`` as ``_fill`` wrote them into ``el``."""
    values: dict[str, Any] = {}
    for shape in shape_of(model):
        if shape.kind == "attr":
            raw = el.get(shape.name)
            if raw is not None:
                values[shape.name] = _scalar_value(raw, shape.scalar)
            continue
        child = el.find(_NS + shape.name)
        if child is None:
            continue
        if shape.kind == "text":
            values[shape.name] = child.text or ""
        elif shape.kind == "model" and shape.model is not None:
            values[shape.name] = _values(child, shape.model)
        else:
            items = child.findall(_NS + shape.item_name)
            values[shape.name] = [
                _values(item, shape.model) if shape.model is not None
                else _scalar_value(item.text or "", shape.scalar)
                for item in items
            ]
    return values


class NotJixiaoXml(ValueError):
    """The XML is not a document jixiao wrote."""


def read(data: bytes) -> Document:
    """The ``Document`` an XML output holds: the inverse of ``render`` (text XML 1.0 cannot
    carry was written as U+FFFD and stays so). Raises ``NotJixiaoXml`` for other XML,
    ``ValueError`` (pydantic's) for a jixiao XML that does not fit the model."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotJixiaoXml(f"not well-formed XML ({exc})") from None
    if root.tag != _NS + "document":
        raise NotJixiaoXml(f"root element {root.tag!r} is not {{{XML_NS}}}document")
    return Document.model_validate(_values(root, Document))
