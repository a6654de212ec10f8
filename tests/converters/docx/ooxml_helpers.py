"""Tiny WordprocessingML builders for the DOCX unit tests.

Fragments are written with the usual prefixes (w:, mc:, wp:, a:, wps:, v:, w16se:); ``parse``
supplies the namespace declarations. ``write_docx`` zips a body into the smallest package the
extractor accepts: [Content_Types].xml, _rels/.rels and word/document.xml (+ styles).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from jixiao.converters.base import Extraction
from jixiao.converters.docx import extract
from jixiao.converters.docx.grid import CellContent, Grid, build_grid
from jixiao.converters.docx.ooxml import P, paragraph_text

NAMESPACES = {
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "w16se": "http://schemas.microsoft.com/office/word/2015/wordml/symex",
}
NSDECL = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

Span = tuple[int, int, int, int, str]  # row, col, row_span, col_span, text


def parse(fragment: str) -> etree._Element:
    """The single top-level element of ``fragment``."""
    holder = etree.fromstring(f"<holder {NSDECL}>{fragment}</holder>".encode())
    assert len(holder) == 1, "a fragment holds exactly one element"
    return holder[0]


def tc(text: str = "", pr: str = "") -> str:
    """``<w:tc>`` with optional ``w:tcPr`` content and one paragraph of ``text``."""
    tcpr = f"<w:tcPr>{pr}</w:tcPr>" if pr else ""
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" if text else "<w:p/>"
    return f"<w:tc>{tcpr}{para}</w:tc>"


def tr(*cells: str, pr: str = "") -> str:
    trpr = f"<w:trPr>{pr}</w:trPr>" if pr else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def tbl(*rows: str, cols: int | None = None) -> str:
    """``<w:tbl>``; ``cols`` gives a ``w:tblGrid`` of that many columns (none if ``None``)."""
    grid = "" if cols is None else "<w:tblGrid>" + "<w:gridCol/>" * cols + "</w:tblGrid>"
    return f"<w:tbl>{grid}{''.join(rows)}</w:tbl>"


def para(text: str, rpr: str = "", ppr: str = "") -> str:
    ppr_xml = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f"<w:p>{ppr_xml}<w:r>{rpr_xml}<w:t>{text}</w:t></w:r></w:p>"


def read_text(
    tc_el: etree._Element, row: int, col: int, paragraphs: list[etree._Element] | None = None
) -> CellContent:
    """A plain cell reader: the cell's own paragraphs, one line each."""
    return CellContent(text="\n".join(paragraph_text(p) for p in tc_el.findall(P)))


def grid_of(fragment: str) -> Grid:
    return build_grid(parse(fragment), read_text)


def spans(grid: Grid) -> list[Span]:
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in grid.cells]


_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def write_docx(path: Path, body: str, styles: str | None = None) -> Path:
    """A minimal .docx whose ``w:body`` holds ``body``; ``styles`` is ``w:styles`` content."""
    document = f"<w:document {NSDECL}><w:body>{body}</w:body></w:document>"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
        if styles is not None:
            zf.writestr("word/styles.xml", f"<w:styles {NSDECL}>{styles}</w:styles>")
    return path


def extract_body(tmp_path: Path, body: str, styles: str | None = None) -> Extraction:
    return extract(write_docx(tmp_path / "t.docx", body, styles))


def table_spans(extraction: Extraction, index: int = 0) -> list[Span]:
    table = extraction.tables[index]
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
