"""The XML output read back (``jixiao.writers.xml.read``, used by ``jixiao validate``) is
the document that was written, field for field."""

from __future__ import annotations

import pytest

from jixiao import convert
from jixiao.writers.xml import NotJixiaoXml, read, render
from tests.conftest import FIXTURES, SEEDS


@pytest.mark.parametrize("path", [
    SEEDS / "yuanjiang-2024.docx", SEEDS / "laoting-2024.pdf",
    FIXTURES / "variants/split-target-traditional.docx",
    FIXTURES / "variants/department-budget-workbook.xlsx",
], ids=lambda p: p.name)
def test_xml_round_trip(path: object) -> None:
    document = convert(path)  # type: ignore[arg-type]
    assert read(render(document)) == document


def test_other_xml_is_refused() -> None:
    for data in (b"<a/>", b"not xml", b'<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                 b'<document xmlns="urn:jixiao:document:1">&e;</document>'):
        with pytest.raises(ValueError):
            read(data)
    with pytest.raises(NotJixiaoXml):
        read(b"<a/>")
