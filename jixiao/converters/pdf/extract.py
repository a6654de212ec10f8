"""Digital PDF → span-exact tables and text blocks, page by page, with page and box provenance.

Pages are read one at a time and released; only the (small) layout of each page is kept,
so memory does not grow with the number of pages beyond the extracted content itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median
from typing import Any

from jixiao.converters.base import Extraction
from jixiao.converters.pdf.blocks import Paragraph, heading_sizes, is_heading, lines_to_paragraphs
from jixiao.converters.pdf.gridfind import find_regions
from jixiao.converters.pdf.layout import PageLayout, PageTable, page_layout
from jixiao.converters.pdf.rulings import page_segments
from jixiao.converters.pdf.stitch import same_columns, stitch
from jixiao.converters.pdf.textlines import to_chars
from jixiao.exceptions import DocumentLoadError
from jixiao.schemas import Block, Table
from jixiao.schemas.model import construct_cell, construct_provenance

FORMAT = "pdf"


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """pdfplumber's PDF, opened with the empty user password; bad input → DocumentLoadError."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path, password="")
    except PDFPasswordIncorrect:
        raise DocumentLoadError("encrypted PDF: it needs a password to open") from None
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise DocumentLoadError(f"corrupt or unreadable PDF ({_reason(exc)})") from None
    try:
        yield pdf
    finally:
        pdf.close()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_page(page: Any, number: int) -> PageLayout:
    segments = page_segments(page.lines, page.rects, page.curves)
    regions = find_regions(segments)
    chars = to_chars(page.chars)
    return page_layout(number, float(page.height), regions, chars)


def read_layouts(path: Path) -> Iterator[PageLayout]:
    with open_pdf(path) as pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            raise DocumentLoadError(f"corrupt PDF page tree ({_reason(exc)})") from None
        for index in range(n_pages):
            page = pdf.pages[index]
            try:
                layout = read_page(page, index + 1)
            except DocumentLoadError:
                raise
            except Exception as exc:
                raise DocumentLoadError(
                    f"page {index + 1} cannot be read ({_reason(exc)})"
                ) from None
            finally:
                page.close()  # drop the page's parsed objects: memory stays flat
            yield layout


def _items(layouts: Iterator[PageLayout]) -> tuple[list[PageTable | Paragraph], list[PageTable]]:
    """Reading order of tables and paragraphs, with page-continued tables stitched."""
    items: list[PageTable | Paragraph] = []
    tables: list[PageTable] = []
    for layout in layouts:
        right = max((ln.x1 for ln in layout.lines), default=0.0)
        paragraphs = lines_to_paragraphs(layout.lines, layout.page, right)
        page_items: list[tuple[float, PageTable | Paragraph]] = [
            (t.ys[0], t) for t in layout.tables
        ] + [(p.bbox[1], p) for p in paragraphs]
        page_items.sort(key=lambda pair: pair[0])
        ordered = [item for _, item in page_items]
        if (
            ordered
            and items
            and isinstance(ordered[0], PageTable)
            and isinstance(items[-1], PageTable)
            and items[-1].pages[-1] == layout.page - 1
            and same_columns(items[-1], ordered[0])
        ):
            stitch(items[-1], ordered[0])
            ordered = ordered[1:]
        for item in ordered:
            items.append(item)
            if isinstance(item, PageTable):
                tables.append(item)
    return items, tables


def _table(table: PageTable, index: int) -> Table:
    cells = [
        construct_cell(
            c.row, c.col, c.row_span, c.col_span, c.text, False, [],
            construct_provenance(index, None, c.page, [round(v, 2) for v in c.bbox]),
        )
        for c in sorted(table.cells, key=lambda c: (c.row, c.col))
    ]
    return Table.model_validate({
        "id": f"t{index}",
        "n_rows": table.n_rows,
        "n_cols": table.n_cols,
        "cells": cells,
        "pages": table.pages,
        "provenance": {"table_index": index, "page": table.page,
                       "bbox": [round(v, 2) for v in table.bbox]},
    })


def extract(path: Path) -> Extraction:
    """Read a digital PDF into tables and blocks; raises ``DocumentLoadError`` on bad input."""
    items, page_tables = _items(read_layouts(path))
    paragraphs = [i for i in items if isinstance(i, Paragraph)]
    levels = heading_sizes(paragraphs)
    body = median([p.size for p in paragraphs]) if paragraphs else 0.0
    extraction = Extraction(format=FORMAT)
    table_ids = {id(t): i for i, t in enumerate(page_tables)}
    for item in items:
        if isinstance(item, PageTable):
            table = _table(item, table_ids[id(item)])
            extraction.tables.append(table)
            extraction.order.append(table.id)
            continue
        level = levels.get(round(item.size, 1)) if is_heading(item, body) else None
        block = Block(
            id=f"b{len(extraction.blocks)}",
            kind="heading" if level else "paragraph",
            level=level,
            text=item.text,
            provenance={"page": item.page, "bbox": [round(v, 2) for v in item.bbox]},
        )
        extraction.blocks.append(block)
        extraction.order.append(block.id)
    return extraction
