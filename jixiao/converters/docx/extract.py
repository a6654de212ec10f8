"""DOCX → span-exact tables and text blocks, in document order, with provenance."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from jixiao.converters.base import Extraction
from jixiao.converters.docx.fastgrid import PlainTable, plain_table_map, row_specs
from jixiao.converters.docx.grid import CellContent, assemble, build_grid
from jixiao.converters.docx.headings import HeadingDetector
from jixiao.converters.docx.ooxml import (
    ALT_CONTENT,
    CUSTOM_XML,
    MC_CHOICE,
    SDT,
    SDT_CONTENT,
    TBL,
    P,
    TextReader,
    W,
    alternate_choice,
    textboxes,
)
from jixiao.converters.docx.package import WordPackage, parse_xml
from jixiao.exceptions import DocumentLoadError
from jixiao.limits import DocumentBudget
from jixiao.schemas import Block, CellRef, Provenance, Table

FORMAT = "docx"
_Slot = tuple[str, int, int]  # table id, row, col of the cell being read


class _Walker:
    """Walks the body once; numbers every paragraph (w:p) in document order."""

    def __init__(self, headings: HeadingDetector, reader: TextReader) -> None:
        self.headings = headings
        self.reader = reader
        self.plain: dict[etree._Element, PlainTable] = {}
        self.para_index = 0
        self.tables: list[Table] = []
        self.blocks: list[Block] = []
        self.order: list[str] = []
        self.budget = DocumentBudget()  # grids are refused here, before anything makes them dense

    # -- body level -------------------------------------------------------------
    def walk_body(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self._body_paragraph(child)
            elif tag == TBL:
                self.walk_table(child, parent=None)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.walk_body(content)
            elif tag in (CUSTOM_XML, MC_CHOICE):
                self.walk_body(child)
            elif tag == ALT_CONTENT:
                choice = alternate_choice(child)
                if choice is not None:
                    self.walk_body(choice)

    def _body_paragraph(self, p: etree._Element) -> None:
        index = self.para_index
        self.para_index += 1
        text = self.reader.text(p)
        if text.strip():
            level = self.headings.level(p, text)
            self._add_block(text, index, level)
        if self.reader.has_special(p):
            for tb in textboxes(p):
                self.walk_body(tb)

    def _add_block(self, text: str, index: int, level: int | None) -> None:
        self.budget.block()
        block = Block(
            id=f"b{len(self.blocks)}",
            kind="heading" if level else "paragraph",
            level=level,
            text=text,
            provenance=Provenance(paragraphs=[index, index]),
        )
        self.blocks.append(block)
        self.order.append(block.id)

    def _reserve_paragraphs(self, n: int) -> int:
        first = self.para_index
        self.para_index += n
        return first

    # -- tables -----------------------------------------------------------------
    def walk_table(self, tbl: etree._Element, parent: CellRef | None) -> str:
        table_index = len(self.tables)
        table_id = f"t{table_index}"
        placeholder = Table(id=table_id, n_rows=0, n_cols=0)
        self.tables.append(placeholder)  # reserve the slot: nested tables come after
        if parent is None:
            self.order.append(table_id)
        first_para = self.para_index

        def read_cell(
            tc: etree._Element, row: int, col: int, paragraphs: list[etree._Element] | None
        ) -> CellContent:
            if paragraphs is not None and not any(map(self.reader.has_special, paragraphs)):
                # The usual cell: a tcPr and plain paragraphs.
                first = self.para_index
                self.para_index += len(paragraphs)
                text = "\n".join(map(self.reader.text, paragraphs)).strip("\n")
                return CellContent(text, [first, self.para_index - 1] if paragraphs else [])
            return self._cell_content(tc, (table_id, row, col))

        plain = self.plain.get(tbl)
        if plain is not None:
            specs = row_specs(plain, self._reserve_paragraphs)
            grid = assemble(specs, plain.grid_cols, table_index)
        else:
            grid = build_grid(tbl, read_cell, table_index)
        self.budget.table(grid.n_rows, grid.n_cols, f"table {table_id}:")
        self.tables[table_index] = Table.model_validate(
            {
                "id": table_id,
                "n_rows": grid.n_rows,
                "n_cols": grid.n_cols,
                "cells": grid.cells,
                "header_rows": grid.header_rows,
                "parent": parent,
                "provenance": {
                    "table_index": table_index,
                    "paragraphs": [first_para, self.para_index - 1]
                    if self.para_index > first_para
                    else None,
                },
            }
        )
        return table_id

    def _cell_content(self, tc: etree._Element, ref: _Slot) -> CellContent:
        content = CellContent(text="")
        lines: list[str] = []
        self._cell_children(tc, ref, content, lines)
        content.text = "\n".join(lines).strip("\n")
        return content

    def _cell_children(
        self, el: etree._Element, ref: _Slot, content: CellContent, lines: list[str]
    ) -> None:
        for child in el:
            tag = child.tag
            if tag == P:
                content.paragraphs.append(self.para_index)
                self.para_index += 1
                lines.append(self.reader.text(child))
                for tb in textboxes(child) if self.reader.has_special(child) else ():
                    self._cell_children(tb, ref, content, lines)
            elif tag == TBL:
                parent = CellRef(table=ref[0], row=ref[1], col=ref[2])
                content.nested_tables.append(self.walk_table(child, parent=parent))
            elif tag == SDT:
                inner = child.find(SDT_CONTENT)
                if inner is not None:
                    self._cell_children(inner, ref, content, lines)
            elif tag == CUSTOM_XML:
                self._cell_children(child, ref, content, lines)
            elif tag == ALT_CONTENT:
                choice = alternate_choice(child)
                if choice is not None:
                    self._cell_children(choice, ref, content, lines)


def extract(path: Path) -> Extraction:
    """Read a .docx file into tables and blocks; raises ``DocumentLoadError`` on bad input."""
    with WordPackage(path) as pkg:
        part = pkg.main_part()
        source = pkg.read_xml(part)
        root = parse_xml(source, part)
        # Styles matter only for headings, through w:pStyle; parsing a large styles.xml
        # costs more than the body of a typical form, so skip it when nothing refers to it.
        uses_styles = next(root.iter(W + "pStyle"), None) is not None
        styles = pkg.xml("word/styles.xml") if uses_styles and pkg.has("word/styles.xml") else None
    body = root.find(W + "body")
    if body is None:
        raise DocumentLoadError(f"{part} has no w:body: not a Word document")
    walker = _Walker(HeadingDetector.from_document(body, styles), TextReader(body))
    walker.plain = plain_table_map(body, source)
    walker.walk_body(body)
    return Extraction(
        format=FORMAT, tables=walker.tables, blocks=walker.blocks, order=walker.order
    )
