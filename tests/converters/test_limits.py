"""Every cap of ``jixiao.limits``: a small hostile file past it is refused with a one-line
reason naming what was too large, its size, the cap and the variable that raises it."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest

from jixiao import convert
from jixiao import limits as caps
from jixiao.converters.zipsafe import SafeZip, ZipLimits, count_elements
from jixiao.exceptions import DocumentLoadError, UnsafeDocumentError, UsageError
from jixiao.limits import Cap, TooLargeError, read_cap
from jixiao.schemas import Document
from tests.converters.hostile_bytes import (
    bomb_member,
    content_bomb_pdf,
    deflated,
    image_bomb_pdf,
    pdf_bytes,
    raw_zip,
    table_page,
    xref_bomb_pdf,
)
from tests.hostile import (
    DOCUMENT,
    LAUGHS,
    SHEET,
    XXE,
    docx_with,
    text_cell,
    word_document,
    worksheet,
    xlsx_members,
)

MIB16 = 16 << 20


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    """The one-line reason ``convert`` gives for ``path``."""
    with pytest.raises(DocumentLoadError) as info:
        convert(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def table_docx(n_rows: int, n_cols: int, tables: int = 1) -> bytes:
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>" * n_cols + "</w:tr>"
    table = f"<w:tbl>{row * n_rows}</w:tbl><w:p/>"
    return docx_with(word_document((table * tables).encode()))


def paragraphs_docx(n: int) -> bytes:
    return docx_with(word_document(b"<w:p><w:r><w:t>text</w:t></w:r></w:p>" * n))


def sheet_xlsx(rows: bytes, after: bytes = b"") -> bytes:
    return raw_zip(xlsx_members(worksheet(rows, after)))


# --- reading the caps -------------------------------------------------------------------


def test_cap_defaults_and_overrides_are_read_when_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    cap = Cap("JIXIAO_TEST_CAP", 10, "cells")
    monkeypatch.delenv("JIXIAO_TEST_CAP", raising=False)
    assert cap.value() == 10
    monkeypatch.setenv("JIXIAO_TEST_CAP", " 1_000 ")
    assert cap.value() == 1000
    cap.check(1000, "ten")
    with pytest.raises(TooLargeError, match=r"^big 1001; limit is 1000 cells \(JIXIAO_TEST_CAP\)$"):
        cap.check(1001, "big 1001")


@pytest.mark.parametrize("raw", ["abc", "0", "-5", "1.5"])
def test_a_bad_override_is_a_usage_error_naming_it(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_TEST_CAP", raw)
    with pytest.raises(UsageError, match=r"^JIXIAO_TEST_CAP=.*positive whole number"):
        read_cap("JIXIAO_TEST_CAP", 10)


def test_too_large_is_an_unsafe_document_load_error() -> None:
    assert issubclass(TooLargeError, UnsafeDocumentError)
    assert issubclass(TooLargeError, DocumentLoadError)


def test_real_forms_are_far_inside_the_caps(seed_documents: dict[str, Document]) -> None:
    for doc in seed_documents.values():
        areas = [t.n_rows * t.n_cols for t in doc.tables]
        assert max(areas) * 20 < caps.TABLE_CELLS.default
        assert sum(areas) * 10 < caps.DOCUMENT_CELLS.default
        assert len(doc.blocks) * 20 < caps.TEXT_BLOCKS.default


def test_count_elements_counts_start_tags_only() -> None:
    assert count_elements(b'<?xml version="1.0"?><!-- c --><a><b/><c>x</c></a>') == 3


# --- grids ------------------------------------------------------------------------------


def test_far_corner_xlsx_is_refused_at_once_without_the_dense_range(tmp_path: Path) -> None:
    rows = (b'<row r="1">' + text_cell("A1", "标题") + b'</row><row r="1048576">'
            b'<c r="XFD1048576"><v>1</v></c></row>')
    path = write(tmp_path / "far.xlsx", sheet_xlsx(rows))
    tracemalloc.start()
    start = time.monotonic()
    try:
        message = refusal(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == ("sheet 'Sheet1': used range 1048576 x 16384 cells; limit is 150000 cells "
                       "(JIXIAO_MAX_TABLE_CELLS)")
    assert time.monotonic() - start < 5
    assert peak < 20 << 20


def test_merge_over_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    rows = b'<row r="1">' + text_cell("A1", "标题") + b"</row>"
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    message = refusal(write(tmp_path / "merge.xlsx", sheet_xlsx(rows, merge)))
    assert message.startswith("sheet 'Sheet1': used range 1048576 x 16384 cells; limit is")


def test_styled_empty_cells_and_empty_merges_do_not_widen_the_sheet(tmp_path: Path) -> None:
    rows = (b'<row r="2">' + text_cell("A2", "项目") + text_cell("B2", "金额")
            + b'</row><row r="3">' + text_cell("A3", "甲") + b'<c r="B3"><v>5</v></c>'
            + b'<c r="C3" s="1"/></row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    merge = (b'<mergeCells><mergeCell ref="C4:XFD1048576"/><mergeCell ref="B1:B2"/>'
             b"</mergeCells>")
    doc = convert(write(tmp_path / "styled.xlsx", sheet_xlsx(rows, merge)))
    [table] = doc.tables
    assert (table.n_rows, table.n_cols) == (2, 2)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, "项目"), (0, 1, "金额"), (1, 0, "甲"), (1, 1, "5")]


def test_overlapping_merges_are_counted_before_they_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_TABLE_CELLS", "100")
    rows = b'<row r="1">' + text_cell("A1", "a") + text_cell("J10", "b") + b"</row>"
    merges = b"<mergeCells>" + b'<mergeCell ref="A1:J10"/><mergeCell ref="A1:J9"/>' + (
        b"</mergeCells>")
    message = refusal(write(tmp_path / "overlap.xlsx", sheet_xlsx(rows, merges)))
    assert message == ("sheet 'Sheet1': merged ranges cover 190 cells; limit is 100 cells "
                       "(JIXIAO_MAX_TABLE_CELLS)")


def test_gridspan_of_a_billion_is_refused(tmp_path: Path) -> None:
    body = (b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/>'
            b"</w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>")
    message = refusal(write(tmp_path / "span.docx", docx_with(word_document(body))))
    assert message == ("table t0: 2 x 1000000000 cells; limit is 150000 cells "
                       "(JIXIAO_MAX_TABLE_CELLS)")


def test_declared_grid_columns_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_TABLE_CELLS", "1000")
    body = (b"<w:tbl><w:tblGrid>" + b"<w:gridCol/>" * 600 + b"</w:tblGrid>"
            + b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 2 + b"</w:tbl>")
    message = refusal(write(tmp_path / "wide.docx", docx_with(word_document(body))))
    assert message == "table t0: 2 x 600 cells; limit is 1000 cells (JIXIAO_MAX_TABLE_CELLS)"


def nested_docx(depth: int) -> bytes:
    body = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
    return docx_with(word_document(body + b"<w:p/>"))


def test_nesting_is_refused_past_libxml2s_depth(tmp_path: Path) -> None:
    assert len(convert(write(tmp_path / "fifty.docx", nested_docx(50))).tables) == 50
    message = refusal(write(tmp_path / "deep.docx", nested_docx(1000)))
    assert message == ("word/document.xml is not well-formed XML (elements nested more than "
                       "256 deep; refused)")
    deep = b"<row><c><is>" + b"<r>" * 300 + b"</r>" * 300 + b"</is></c></row>"
    assert refusal(write(tmp_path / "deep.xlsx", sheet_xlsx(deep))) == (
        "not a readable .xlsx workbook: bad XML (elements nested more than 256 deep; refused)")


def test_table_rows_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_TABLE_ROWS", "20")
    assert len(convert(write(tmp_path / "ok.docx", table_docx(20, 2))).tables) == 1
    message = refusal(write(tmp_path / "long.docx", table_docx(30, 2)))
    assert message == "table t0: 30 rows; limit is 20 rows (JIXIAO_MAX_TABLE_ROWS)"


def test_document_cells_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_DOCUMENT_CELLS", "10")
    message = refusal(write(tmp_path / "three.docx", table_docx(2, 2, tables=3)))
    assert message == ("tables of the document: 12 cells so far; limit is 10 cells "
                       "(JIXIAO_MAX_DOCUMENT_CELLS)")


def test_text_blocks_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_TEXT_BLOCKS", "3")
    assert len(convert(write(tmp_path / "ok.docx", paragraphs_docx(3))).blocks) == 3
    message = refusal(write(tmp_path / "long.docx", paragraphs_docx(4)))
    assert message == ("text of the document: more than 3 blocks; limit is 3 blocks "
                       "(JIXIAO_MAX_TEXT_BLOCKS)")


def test_sheet_text_past_the_table_cap_stops_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_TABLE_CELLS", "5")
    rows = b"<row>" + b"<c><v>1</v></c>" * 6 + b"</row>"
    message = refusal(write(tmp_path / "many.xlsx", sheet_xlsx(rows)))
    assert message == ("sheet 'Sheet1': more than 5 cells hold text; limit is 5 cells "
                       "(JIXIAO_MAX_TABLE_CELLS)")


# --- PDF --------------------------------------------------------------------------------


def test_pdf_pages_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PDF_PAGES", "3")
    assert len(convert(write(tmp_path / "ok.pdf", pdf_bytes([table_page(1)], 3))).tables) == 3
    message = refusal(write(tmp_path / "long.pdf", pdf_bytes([table_page(1)], 5)))
    assert message == "PDF has 5 pages; limit is 3 pages (JIXIAO_MAX_PDF_PAGES)"


def test_pdf_page_count_is_walked_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PDF_PAGES", "3")
    lying = pdf_bytes([table_page(1)], 5).replace(b"/Count 5", b"/Count 1")
    message = refusal(write(tmp_path / "lying.pdf", lying))
    assert message == "PDF has more than 3 pages; limit is 3 pages (JIXIAO_MAX_PDF_PAGES)"


@pytest.mark.parametrize("make", [content_bomb_pdf, xref_bomb_pdf], ids=["content", "xref"])
def test_pdf_stream_cap(make: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert callable(make)
    monkeypatch.setenv("JIXIAO_MAX_PDF_STREAM_BYTES", "1000000")
    message = refusal(write(tmp_path / "bomb.pdf", make(MIB16)))
    assert message == ("a compressed stream inflates past the size limit (decompression bomb?); "
                       "limit is 1000000 bytes (JIXIAO_MAX_PDF_STREAM_BYTES)")


def test_pdf_image_pixels_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PDF_IMAGE_PIXELS", "1000000")
    message = refusal(write(tmp_path / "scan.pdf", image_bomb_pdf(MIB16)))
    assert message == ("page 1: an image of 4096 x 4096 pixels; limit is 1000000 pixels "
                       "(JIXIAO_MAX_PDF_IMAGE_PIXELS)")


# --- ZIP packages, .docx and .xlsx alike ------------------------------------------------


def _docx_bomb(size: int, declared: int | None = None) -> bytes:
    return docx_with(bomb_member(DOCUMENT, size, declared))


def _xlsx_bomb(size: int, declared: int | None = None) -> bytes:
    return raw_zip(xlsx_members(bomb_member(SHEET, size, declared)))


PACKAGES = {"docx": (DOCUMENT, _docx_bomb), "xlsx": (SHEET, _xlsx_bomb)}


@pytest.mark.parametrize("kind", PACKAGES)
def test_zip_members_cap(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_ZIP_MEMBERS", "10")
    data = (docx_with(word_document(b"<w:p/>"), 20) if kind == "docx"
            else raw_zip(xlsx_members(worksheet(b"")), 20))
    message = refusal(write(tmp_path / f"many.{kind}", data))
    assert re.fullmatch(r"ZIP has \d+ members; limit is 10 members \(JIXIAO_MAX_ZIP_MEMBERS\)",
                        message)


@pytest.mark.parametrize("kind", PACKAGES)
def test_zip_part_cap_uses_the_declared_size_first(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part, bomb = PACKAGES[kind]
    monkeypatch.setenv("JIXIAO_MAX_ZIP_PART_BYTES", "1000000")
    message = refusal(write(tmp_path / f"bomb.{kind}", bomb(MIB16)))
    assert message == (f"{part} would decompress to {MIB16} bytes; limit is 1000000 bytes "
                       "(JIXIAO_MAX_ZIP_PART_BYTES)")


@pytest.mark.parametrize("kind", PACKAGES)
def test_zip_ratio_cap(kind: str, tmp_path: Path) -> None:
    part, bomb = PACKAGES[kind]
    message = refusal(write(tmp_path / f"bomb.{kind}", bomb(MIB16)))
    assert re.fullmatch(rf"{re.escape(part)} inflates to \d+ times its compressed size \(zip "
                        r"bomb\?\); limit is 100 times \(JIXIAO_MAX_ZIP_RATIO\)", message)


@pytest.mark.parametrize("kind", PACKAGES)
def test_a_lying_declared_size_never_yields_more(kind: str, tmp_path: Path) -> None:
    part, bomb = PACKAGES[kind]
    path = write(tmp_path / f"liar.{kind}", bomb(MIB16, declared=1000))
    with SafeZip(path) as package:
        assert len(package.read(part)) == 1000
    assert "1001" in refusal(path)  # the cut XML ends at column 1001


def test_total_inflated_bytes_are_counted_across_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_ZIP_BYTES", "800")
    path = write(tmp_path / "book.xlsx", sheet_xlsx(b'<row r="1">' + text_cell("A1", "x")
                                                     + b"</row>"))
    message = refusal(path)
    assert re.fullmatch(r"\S+ decompresses past the size limit \(zip bomb\?\): \d+ bytes from "
                        r"the package so far; limit is 800 bytes \(JIXIAO_MAX_ZIP_BYTES\)",
                        message)


def test_limits_given_in_code_name_no_variable(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.docx", _docx_bomb(MIB16))
    with pytest.raises(TooLargeError, match=r"bytes; limit is 1000$"):
        SafeZip(path, ZipLimits(max_part_bytes=1000)).read(DOCUMENT)


@pytest.mark.parametrize("kind", PACKAGES)
def test_xml_elements_cap(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_XML_ELEMENTS", "500")
    data = (paragraphs_docx(200) if kind == "docx"
            else sheet_xlsx(b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"))
    message = refusal(write(tmp_path / f"many.{kind}", data))
    assert re.fullmatch(r"\S+: the package's XML holds \d+ elements so far; limit is 500 "
                        r"elements \(JIXIAO_MAX_XML_ELEMENTS\)", message)


def test_sheet_cells_are_counted_before_the_sheet_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_SHEET_CELLS", "50")
    rows = b"<row>" + b'<c s="1"/>' * 40 + b'</row><row><x:c xmlns:x="urn:x"/>' + (
        b"<c><v>1</v></c>" * 20 + b"</row>")
    message = refusal(write(tmp_path / "cells.xlsx", sheet_xlsx(rows)))
    assert message == "the sheets declare 61 cells; limit is 50 cells (JIXIAO_MAX_SHEET_CELLS)"


# --- no DTD in any .xlsx part -----------------------------------------------------------


def _xlsx_with(part: str, data: bytes) -> bytes:
    members = [m for m in xlsx_members(worksheet(b'<row r="1">' + text_cell("A1", "x")
                                                 + b"</row>")) if m.name != part]
    return raw_zip([*members, deflated(part, data)])


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "xl/sharedStrings.xml",
                                  "xl/styles.xml", "_rels/.rels"])
@pytest.mark.parametrize("attack", [XXE, LAUGHS], ids=["xxe", "laughs"])
def test_xlsx_parts_with_a_dtd_are_refused(part: str, attack: bytes, tmp_path: Path) -> None:
    data = b'<?xml version="1.0"?>' + attack + b"<r>&x;</r>"
    message = refusal(write(tmp_path / "attack.xlsx", _xlsx_with(part, data)))
    assert message == f"{part} declares a DTD or entities; refused (possible XXE or entity bomb)"
    assert "root:" not in message
