"""Generate the JSON Schema and the XSD from the model (committed; a test checks freshness).

Regenerate with ``python -m jixiao.schemas.generate``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from lxml import etree

from jixiao.schemas.model import Document
from jixiao.schemas.shape import XML_NS, FieldShape, shape_of

HERE = Path(__file__).parent
JSON_SCHEMA_PATH = HERE / "document.schema.json"
XSD_PATH = HERE / "document.xsd"

XS = "http://www.w3.org/2001/XMLSchema"
_XS = f"{{{XS}}}"
_XSD_TYPES = {
    int: "xs:integer", float: "xs:double", Decimal: "xs:decimal", bool: "xs:boolean",
    str: "xs:string",
}


def json_schema() -> str:
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:jixiao:document:1"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _simple(parent: etree._Element, shape: FieldShape) -> etree._Element | None:
    """An anonymous restricted type for Literal choices, else None."""
    if not shape.choices:
        return None
    simple = etree.SubElement(parent, _XS + "simpleType")
    restriction = etree.SubElement(simple, _XS + "restriction", base="xs:string")
    for choice in shape.choices:
        etree.SubElement(restriction, _XS + "enumeration", value=choice)
    return simple


def _type_name(model: type) -> str:
    return f"{model.__name__}Type"


def _add_complex_type(root: etree._Element, model: type, done: set[str]) -> None:
    name = _type_name(model)
    if name in done:
        return
    done.add(name)
    ctype = etree.SubElement(root, _XS + "complexType", name=name)
    seq = etree.SubElement(ctype, _XS + "sequence")
    attrs: list[FieldShape] = []
    for shape in shape_of(model):
        if shape.kind == "attr":
            attrs.append(shape)
            continue
        el = etree.SubElement(seq, _XS + "element", name=shape.name)
        if shape.optional:
            el.set("minOccurs", "0")
        if shape.kind == "text":
            if _simple(el, shape) is None:
                el.set("type", "xs:string")
        elif shape.kind == "model":
            assert shape.model is not None
            el.set("type", f"j:{_type_name(shape.model)}")
            _add_complex_type(root, shape.model, done)
        else:  # list: wrapper with repeated items
            inner = etree.SubElement(etree.SubElement(el, _XS + "complexType"), _XS + "sequence")
            item = etree.SubElement(
                inner, _XS + "element", name=shape.item_name, minOccurs="0",
                maxOccurs="unbounded",
            )
            if shape.model is not None:
                item.set("type", f"j:{_type_name(shape.model)}")
                _add_complex_type(root, shape.model, done)
            elif _simple(item, shape) is None:
                assert shape.scalar is not None
                item.set("type", _XSD_TYPES[shape.scalar])
    for shape in attrs:
        assert shape.scalar is not None
        attr = etree.SubElement(
            ctype, _XS + "attribute", name=shape.name, type=_XSD_TYPES[shape.scalar]
        )
        attr.set("use", "optional" if shape.optional else "required")


def xsd() -> str:
    root = etree.Element(
        _XS + "schema",
        nsmap={"xs": XS, "j": XML_NS},
        targetNamespace=XML_NS,
        elementFormDefault="qualified",
    )
    etree.SubElement(root, _XS + "element", name="document", type=f"j:{_type_name(Document)}")
    _add_complex_type(root, Document, set())
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def main() -> None:
    JSON_SCHEMA_PATH.write_text(json_schema(), encoding="utf-8")
    XSD_PATH.write_text(xsd(), encoding="utf-8")
    print(f"wrote {JSON_SCHEMA_PATH} and {XSD_PATH}")


if __name__ == "__main__":
    main()
