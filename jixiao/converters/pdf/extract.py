"""Digital PDF → span-exact tables and text blocks, page by page, with page and box provenance.

Pages are read one at a time and released; only the (small) layout of each page is kept,
so memory does not grow with the number of pages beyond the extracted content itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from statistics import median
from typing import Any

from jixiao.converters.base import Extraction
from jixiao.converters.pdf.blocks import Paragraph, heading_sizes, is_heading, lines_to_paragraphs
from jixiao.converters.pdf.flate import bounded_pdfminer
from jixiao.converters.pdf.gridfind import find_regions
from jixiao.converters.pdf.integrity import (
    check_page,
    font_programs_damaged,
    is_password_error,
    wrapped,
)
from jixiao.converters.pdf.layout import PageLayout, PageTable, page_layout
from jixiao.converters.pdf.pdfium_page import Drawing, Frame, page_drawing, page_frame
from jixiao.converters.pdf.pdfium_text import page_chars
from jixiao.converters.pdf.rulings import page_segments
from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings
from jixiao.converters.pdf.stitch import align_columns, column_map, stitch
from jixiao.converters.pdf.textlines import Char, to_chars
from jixiao.exceptions import DocumentLoadError
from jixiao.limits import PDF_IMAGE_PIXELS, PDF_PAGES, DocumentBudget
from jixiao.schemas import BBox, Block, Cell, CellRef, Finding, Provenance, Table

FORMAT = "pdf"


@contextmanager
def open_pdf(path: Path) -> Iterator[Any]:
    """pdfplumber's PDF, opened with the empty user password; bad input → DocumentLoadError."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path, password="")
    except Exception as exc:  # pdfminer raises many types for damaged files
        if isinstance(wrapped(exc), DocumentLoadError):  # a cap, from inside pdfminer
            raise wrapped(exc) from None
        if is_password_error(exc):  # pdfplumber wraps it in its PdfminerException
            raise DocumentLoadError("encrypted PDF: it needs a password to open") from None
        raise DocumentLoadError(f"corrupt or unreadable PDF ({_reason(exc)})") from None
    try:
        yield pdf
    finally:
        # pdfplumber's close() walks every page again: on a damaged page tree it raises
        # what is already being reported as a load error, before closing the file.
        try:
            pdf.close()
        except Exception:
            with suppress(Exception):
                pdf.stream.close()


def check_page_count(doc: Any) -> None:
    """Refuse a PDF of more pages than ``PDF_PAGES`` allows, walking its page tree (not
    trusting its /Count) only as far as the cap, before any page is made."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    cap = PDF_PAGES.value()
    found = 0
    for found, _ in enumerate(PDFPage.create_pages(doc), start=1):
        if found > cap:
            break
    if found > cap:
        declared = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        many = declared if isinstance(declared, int) and declared > cap else f"more than {cap}"
        PDF_PAGES.check(found, f"PDF has {many} pages")


def _reason(exc: BaseException) -> str:
    exc = wrapped(exc)
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__



def is_scanned(
    chars: list[Char], images: list[dict[str, float]], frame: Frame,
    settings: PdfSettings = DEFAULTS,
) -> bool:
    """A page whose content is an image rather than text: fewer characters than
    ``settings.min_text_chars``, images covering ``settings.min_image_cover`` of it."""
    if len(chars) >= settings.min_text_chars:
        return False
    area = frame.width * frame.height or 1.0
    covered = sum(
        max(0.0, im["x1"] - im["x0"]) * max(0.0, im["bottom"] - im["top"]) for im in images
    )
    return covered / area >= settings.min_image_cover


def plumber_drawing(page: Any) -> Drawing:
    """pdfminer's (pdfplumber's) reading of a page's lines, boxes, curves and images."""
    return Drawing(list(page.lines), list(page.rects), list(page.curves), list(page.images))


def check_images(images: list[dict[str, Any]], number: int) -> None:
    """Refuse a page with an image of more pixels than ``PDF_IMAGE_PIXELS`` (by its declared
    size): rendering the page (to read a scan, or to show it) would decode it whole."""
    for image in images:
        try:
            width, height = (max(0, int(v)) for v in image.get("srcsize") or (0, 0))
        except (TypeError, ValueError):
            continue  # no usable size: nothing PDFium would decode either
        PDF_IMAGE_PIXELS.check(width * height, f"page {number}: an image of {width} x {height} "
                                               "pixels")


def read_page(
    page: Any, number: int, plumber_page: Any = None, settings: PdfSettings = DEFAULTS
) -> PageLayout:
    """One page (a pypdfium2 page) → its layout: ruling lines and characters from PDFium,
    or from pdfminer's ``plumber_page`` when given; OCR when the page is a scan."""
    frame = page_frame(page)
    if plumber_page is None:
        chars, drawing = page_chars(page, frame), page_drawing(page, frame)
    else:
        chars, drawing = to_chars(plumber_page.chars), plumber_drawing(plumber_page)
    check_images(drawing.images, number)
    if is_scanned(chars, drawing.images, frame, settings):
        from jixiao.converters.ocr import read_scanned_page

        return read_scanned_page(page, number, frame.height, settings)
    segments = page_segments(drawing.lines, drawing.rects, drawing.curves, settings)
    regions = find_regions(segments, settings.snap, settings=settings)
    return page_layout(number, frame.height, regions, chars, settings=settings)


def read_layouts(path: Path, settings: PdfSettings = DEFAULTS) -> Iterator[PageLayout]:
    """Each page's layout, in order. pdfminer opens the file first: it tells a password
    from damage, and finds what PDFium would pass over in silence (``integrity``); PDFium
    then reads each page's content."""
    import pypdfium2

    with open_pdf(path) as pdf:
        try:
            check_page_count(pdf.doc)
            n_pages = len(pdf.pages)
        except DocumentLoadError:
            raise
        except Exception as exc:
            if isinstance(wrapped(exc), DocumentLoadError):
                raise wrapped(exc) from None
            raise DocumentLoadError(f"corrupt PDF page tree ({_reason(exc)})") from None
        try:
            document = pypdfium2.PdfDocument(str(path), password="")
        except Exception as exc:
            raise DocumentLoadError(f"corrupt or unreadable PDF ({_reason(exc)})") from None
        try:
            if len(document) != n_pages:
                raise DocumentLoadError(
                    f"corrupt PDF page tree ({n_pages} pages for pdfminer, "
                    f"{len(document)} for PDFium)"
                )
            fonts_seen: dict[int, bool] = {}
            for index in range(n_pages):
                plumber_page = pdf.pages[index]
                try:
                    check_page(plumber_page.page_obj, index + 1)
                    # PDFium needs the embedded fonts; pdfminer reads a page whose font
                    # programs are damaged (slower, but no character lost).
                    fallback = font_programs_damaged(plumber_page.page_obj, fonts_seen)
                    page = document[index]
                    try:
                        layout = read_page(page, index + 1,
                                           plumber_page if fallback else None, settings)
                    finally:
                        page.close()
                        plumber_page.close()
                except DocumentLoadError:
                    raise
                except Exception as exc:
                    if isinstance(wrapped(exc), DocumentLoadError):
                        raise wrapped(exc) from None
                    raise DocumentLoadError(
                        f"page {index + 1} cannot be read ({_reason(exc)})"
                    ) from None
                yield layout
        finally:
            document.close()


# Page numbers and running heads, which sit between a table and its continuation.
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
MARGIN = 0.08  # share of the page height at the top and bottom where furniture sits


def _furniture(item: PageTable | Paragraph, height: float) -> bool:
    """A page number in the top or bottom margin (kept as a block, but not content that
    separates a table from its continuation on the next page)."""
    if not isinstance(item, Paragraph) or not _PAGE_NUMBER.match(item.text.strip()):
        return False
    _, top, _, bottom = item.bbox
    return bottom < MARGIN * height or top > (1 - MARGIN) * height


def _items(
    layouts: Iterator[PageLayout], ocr_pages: list[int], settings: PdfSettings = DEFAULTS
) -> tuple[list[PageTable | Paragraph], list[PageTable], int]:
    """Reading order of tables and paragraphs, with page-continued tables stitched."""
    stitch_tolerance = settings.stitch_tolerance
    items: list[PageTable | Paragraph] = []
    tables: list[PageTable] = []
    last_content: PageTable | Paragraph | None = None  # the last item that is not furniture
    pages = 0
    for layout in layouts:
        pages += 1
        if layout.ocr:
            ocr_pages.append(layout.page)
        right = max((ln.x1 for ln in layout.lines), default=0.0)
        paragraphs = lines_to_paragraphs(layout.lines, layout.page, right)
        page_items: list[tuple[float, PageTable | Paragraph]] = [
            (t.ys[0], t) for t in layout.tables
        ] + [(p.bbox[1], p) for p in paragraphs]
        page_items.sort(key=lambda pair: pair[0])
        ordered = [item for _, item in page_items]
        first = next((i for i in ordered if not _furniture(i, layout.height)), None)
        if (
            isinstance(first, PageTable)
            and isinstance(last_content, PageTable)
            and last_content.pages[-1] == layout.page - 1
            and (mapping := column_map(last_content, first, stitch_tolerance)) is not None
        ):
            align_columns(first, mapping, last_content.xs)
            stitch(last_content, first)
            ordered.remove(first)
        for item in ordered:
            if not _furniture(item, layout.height):
                last_content = item
            items.append(item)
            if isinstance(item, PageTable):
                tables.append(item)
    return items, tables, pages


def _rounded(box: tuple[float, float, float, float]) -> BBox:
    """A box for the model: each coordinate to 0.01 pt."""
    x0, top, x1, bottom = box
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def _table(table: PageTable, index: int) -> Table:
    cells = [
        Cell(
            c.row, c.col, c.row_span, c.col_span, c.text,
            confidence=None if c.confidence is None else round(c.confidence, 3),
            read_as=c.read_as, provenance=Provenance(index, page=c.page, bbox=_rounded(c.bbox)),
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
                       "bbox": _rounded(table.bbox)},
    })


def low_confidence_findings(table: Table, settings: PdfSettings = DEFAULTS) -> list[Finding]:
    """The scanned cells to check by hand: read with a confidence below
    ``settings.low_confidence`` (warning), or corrected from what was read (``ocr.correct``;
    info, naming both)."""
    threshold = settings.low_confidence
    out = []
    for cell in table.cells:
        page = cell.provenance.page if cell.provenance else None
        ref = CellRef(table=table.id, row=cell.row, col=cell.col, page=page)
        if cell.read_as is not None:
            out.append(Finding(
                rule="ocr.corrected",
                severity="info",
                message=f"第{page}页此单元格识别为“{cell.read_as[:40]}”，已据文字本身更正为"
                        f"“{cell.text[:40]}”，请对照原件核对。",
                cell=ref, value=cell.read_as,
            ))
        if cell.confidence is not None and cell.confidence < threshold and cell.text:
            out.append(Finding(
                rule="ocr.low_confidence",
                severity="warning",
                message=f"第{page}页此单元格文字识别置信度低（{cell.confidence:.2f}），"
                        f"请对照原件核对：“{cell.text[:40]}”",
                cell=ref,
            ))
    return out


def extract(path: Path, settings: PdfSettings = DEFAULTS) -> Extraction:
    """Read a digital PDF into tables and blocks; raises ``DocumentLoadError`` on bad input.
    ``settings``: the tolerances of the table finder and of the scan path."""
    ocr_pages: list[int] = []
    with bounded_pdfminer():  # pdfminer inflates under the caps while the pages are read
        items, page_tables, pages = _items(read_layouts(path, settings), ocr_pages, settings)
    paragraphs = [i for i in items if isinstance(i, Paragraph)]
    levels = heading_sizes(paragraphs)
    body = median([p.size for p in paragraphs]) if paragraphs else 0.0
    extraction = Extraction(format=FORMAT, ocr_pages=ocr_pages, pages=pages)
    table_ids = {id(t): i for i, t in enumerate(page_tables)}
    budget = DocumentBudget()
    for item in items:
        if isinstance(item, PageTable):
            index = table_ids[id(item)]
            budget.table(item.n_rows, item.n_cols, f"table t{index}:")
            table = _table(item, index)
            extraction.tables.append(table)
            extraction.order.append(table.id)
            extraction.findings.extend(low_confidence_findings(table, settings))
            continue
        budget.block()
        level = levels.get(round(item.size, 1)) if is_heading(item, body) else None
        block = Block(
            id=f"b{len(extraction.blocks)}",
            kind="heading" if level else "paragraph",
            level=level,
            text=item.text,
            provenance={"page": item.page, "bbox": _rounded(item.bbox)},
        )
        extraction.blocks.append(block)
        extraction.order.append(block.id)
    return extraction
