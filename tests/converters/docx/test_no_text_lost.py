"""Every non-empty paragraph of word/document.xml appears in a block or a table cell."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from jixiao.schemas import Document
from tests.conftest import SEED_NAMES, SEEDS, collapse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_texts(docx: str) -> list[str]:
    """Independent reading: the w:t text of each paragraph, by plain lxml iteration."""
    with zipfile.ZipFile(SEEDS / docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    texts = []
    for p in root.iter(W + "p"):
        own = [t.text or "" for t in p.iter(W + "t")]
        text = collapse("".join(own))
        if text:
            texts.append(text)
    return texts


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_paragraph_is_lost(name: str, seed_documents: dict[str, Document]) -> None:
    doc = seed_documents[name]
    containers = [collapse(b.text) for b in doc.blocks]
    containers += [collapse(c.text) for t in doc.tables for c in t.cells]
    haystack = "\n".join(containers)
    paragraphs = _paragraph_texts(f"{name}.docx")
    assert len(paragraphs) > 100
    missing = [p for p in paragraphs if p not in haystack]
    assert missing == []


@pytest.mark.parametrize("name", SEED_NAMES)
def test_blocks_are_outside_tables_in_order(name: str, seed_documents: dict[str, Document]) -> None:
    doc = seed_documents[name]
    indices = [b.provenance.paragraphs[0] for b in doc.blocks if b.provenance and
               b.provenance.paragraphs]
    assert indices == sorted(indices) and len(indices) == len(doc.blocks)
    for table in doc.tables:
        assert table.provenance is not None and table.provenance.paragraphs is not None
        first, last = table.provenance.paragraphs
        assert not any(first <= i <= last for i in indices)
