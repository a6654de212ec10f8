"""Document → XML (namespace ``urn:jixiao:document:1``), valid against ``document.xsd``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lxml import etree
from pydantic import BaseModel

from jixiao.schemas import Document
from jixiao.schemas.shape import XML_NS, shape_of

_NS = f"{{{XML_NS}}}"


# Characters XML 1.0 cannot carry (control codes Word sometimes keeps): shown as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(el: etree._Element, model: BaseModel) -> None:
    for shape in shape_of(type(model)):
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
                if isinstance(item, BaseModel):
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
