"""The committed JSON Schema and XSD match the model; outputs validate against them."""

from __future__ import annotations

import json

import jsonschema
import pytest
from lxml import etree

from jixiao.schemas import Document, Provenance
from jixiao.schemas.generate import JSON_SCHEMA_PATH, XSD_PATH, json_schema, xsd
from jixiao.writers.json import render as render_json
from jixiao.writers.xml import render as render_xml
from tests.conftest import SEED_NAMES

REGENERATE = "python -m jixiao.schemas.generate"


def test_committed_json_schema_is_fresh() -> None:
    assert JSON_SCHEMA_PATH.read_text("utf-8") == json_schema(), f"stale: run {REGENERATE}"


def test_committed_xsd_is_fresh() -> None:
    assert XSD_PATH.read_text("utf-8") == xsd(), f"stale: run {REGENERATE}"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_json_output_validates(name: str, seed_documents: dict[str, Document]) -> None:
    data = json.loads(render_json(seed_documents[name]))
    schema = json.loads(JSON_SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert Document.model_validate(data) == seed_documents[name]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_xml_output_validates(name: str, seed_documents: dict[str, Document]) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    root = etree.fromstring(render_xml(seed_documents[name]))
    assert schema.validate(root), schema.error_log
    ns = {"j": "urn:jixiao:document:1"}
    assert len(root.findall("j:forms/j:form", ns)) == len(seed_documents[name].forms)


def test_xsd_rejects_wrong_output(seed_documents: dict[str, Document]) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    root = etree.fromstring(render_xml(seed_documents["laoting-2024"]))
    kind = root.find(".//{urn:jixiao:document:1}form/{urn:jixiao:document:1}kind")
    assert kind is not None
    kind.text = "not_a_kind"
    assert not schema.validate(root)


def test_xml_escapes_control_characters(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["yuanjiang-2024"].model_copy(deep=True)
    doc.blocks[0].text = "bell\x07 and vertical tab\x0b"
    root = etree.fromstring(render_xml(doc))
    texts = [el.text for el in root.iter("{urn:jixiao:document:1}text")]
    assert "bell\ufffd and vertical tab\ufffd" in texts


def test_a_bbox_is_four_numbers_from_the_top_left() -> None:
    import pydantic

    from jixiao.schemas import Block
    from jixiao.schemas.shape import fields_of

    block = Block.model_validate({"id": "b0", "kind": "paragraph", "text": "x",
                                  "provenance": {"page": 1, "bbox": [10, 20.5, 30, 40]}})
    assert block.provenance is not None
    assert block.provenance.bbox == (10.0, 20.5, 30.0, 40.0)
    assert block.model_dump(mode="json")["provenance"]["bbox"] == [10.0, 20.5, 30.0, 40.0]
    with pytest.raises(pydantic.ValidationError):
        Block.model_validate(
            {"id": "b0", "kind": "paragraph", "text": "x", "provenance": {"bbox": [10, 20, 30]}})
    description = fields_of(Provenance)["bbox"].description or ""
    assert "top-left" in description and "points" in description
