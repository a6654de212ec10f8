"""The XSLT reading of plain tables gives exactly what the element-by-element reader gives."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from jixiao.converters.base import Extraction
from jixiao.converters.docx import extract, fastgrid
from tests.conftest import SEED_NAMES, SEEDS
from tests.converters.docx.ooxml_helpers import tbl, tc, tr, write_docx

EXTRACT_MODULE = sys.modules["jixiao.converters.docx.extract"]
W_TBL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Extraction, Extraction]:
    fast = extract(path)
    with monkeypatch.context() as m:
        m.setattr(EXTRACT_MODULE, "plain_table_map", lambda body, source: {})
        slow = extract(path)
    return fast, slow


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_tables_read_identically(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(SEEDS / f"{name}.docx", monkeypatch)
    assert fast.tables == slow.tables
    assert fast.blocks == slow.blocks


def test_merges_spans_and_header_rows_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = tbl(
        tr(tc("H1"), tc("H2", '<w:gridSpan w:val="2"/>'), pr="<w:tblHeader/>"),
        tr(tc("A", '<w:vMerge w:val="restart"/>'), tc("B", '<w:hMerge w:val="restart"/>'),
           tc("b", "<w:hMerge/>")),
        tr(tc("a", "<w:vMerge/>"), tc("C"), pr='<w:gridAfter w:val="1"/>'),
        tr(tc("D", '<w:gridSpan w:val="2"/>'), pr='<w:gridBefore w:val="1"/>'),
        cols=3,
    )
    path = write_docx(tmp_path / "t.docx", body + "<w:p><w:r><w:t>after</w:t></w:r></w:p>")
    source = zipfile.ZipFile(path).read("word/document.xml")
    body_el = etree.fromstring(source)[0]
    assert len(fastgrid.plain_table_map(body_el, source)) == 1  # the fast path is taken
    fast, slow = _both(path, monkeypatch)
    assert fast.tables == slow.tables and fast.blocks == slow.blocks
    # Worked out by hand from the XML above.
    assert [(c.row, c.col, c.row_span, c.col_span, c.text) for c in fast.tables[0].cells] == [
        (0, 0, 1, 1, "H1"), (0, 1, 1, 2, "H2"),
        (1, 0, 2, 1, "A\na"), (1, 1, 1, 2, "B\nb"),
        (2, 1, 1, 1, "C"),
        (3, 1, 1, 2, "D"),
    ]
    assert fast.tables[0].header_rows == [0]


def test_only_plain_tables_take_the_fast_path(tmp_path: Path) -> None:
    plain = tbl(tr(tc("x")))
    with_break = tbl(tr("<w:tc><w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r></w:p></w:tc>"))
    nested = tbl(tr("<w:tc><w:p/>" + tbl(tr(tc("in"))) + "</w:tc>"))
    tab_stop_only = tbl(tr(
        "<w:tc><w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='100'/></w:tabs></w:pPr>"
        "<w:r><w:t>t</w:t></w:r></w:p></w:tc>"
    ))
    path = write_docx(tmp_path / "t.docx", plain + with_break + nested + tab_stop_only)
    source = zipfile.ZipFile(path).read("word/document.xml")
    body = etree.fromstring(source)[0]
    found = fastgrid.plain_table_map(body, source)
    assert [t in found for t in body.findall(W_TBL)] == [True, False, False, True]


def test_delimiters_in_the_document_disable_the_fast_path(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "t.docx", tbl(tr(tc("a\ue001b"))))
    source = zipfile.ZipFile(path).read("word/document.xml")
    assert fastgrid.plain_table_map(etree.fromstring(source)[0], source) == {}
    [table] = extract(path).tables
    assert [c.text for c in table.cells] == ["a\ue001b"]


def test_superseded_properties_in_tcprchange_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cell's own tcPr says gridSpan 2; the tracked change holds the old value (3).
    changed = '<w:gridSpan w:val="2"/><w:tcPrChange><w:tcPr><w:gridSpan w:val="3"/>' \
              "<w:vMerge/></w:tcPr></w:tcPrChange>"
    path = write_docx(tmp_path / "t.docx", tbl(tr(tc("a", changed), tc("b")), cols=3))
    fast, slow = _both(path, monkeypatch)
    assert fast.tables == slow.tables
    assert [(c.col, c.col_span, c.text) for c in fast.tables[0].cells] == [(0, 2, "a"), (2, 1, "b")]
