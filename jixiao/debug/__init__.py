"""Pictures of what jixiao saw on a PDF page, to see why a table came out as it did.

On the page's image (a scan: the straightened image jixiao read) each picture shows the
ruling lines the grid finder was given (red), each table cell's box (dark blue), and each
cell of a form tinted by what the mapping made of it: a field's label or value, an
indicator's level 1, 2 or 3, its target, another cell the form used, or a cell it left
unmapped; a legend below the page names the colours. The roles come from the converted
``Document`` (its cells' boxes and the forms' cell references, ``roles``), never from
mapping again, so the picture shows what the JSON holds.

Library use::

    from jixiao.debug import pictures, png
    for number, image in pictures("report.pdf", pages=[3]):
        Path(f"report.page-{number}.png").write_bytes(png(image))
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jixiao.debug.draw import png
from jixiao.debug.roles import CellBox, cell_boxes
from jixiao.debug.source import PageView, open_pages, page_count
from jixiao.exceptions import UsageError
from jixiao.schemas import Document

__all__ = ["DEFAULT_DPI", "NotPdfError", "check_pages", "page_count", "page_picture",
           "pictures", "png"]

DEFAULT_DPI = 100.0  # an A4 page 827 pixels wide: cell text still readable, PNG ~300 KB
_ARTICLE_AN = {"xlsx", "xls", "odf", "rtf", "ole2"}


class NotPdfError(UsageError):
    """The input is a document of another format: it has no pages to draw."""


def check_format(path: Path) -> None:
    """``NotPdfError`` for a file that is not a PDF (told by content); ``DocumentLoadError``
    for one that cannot be read at all."""
    from jixiao.converters.sniff import sniff

    fmt = sniff(path)
    if fmt != "pdf":
        article = "an" if fmt in _ARTICLE_AN else "a"
        raise NotPdfError(f"debug draws PDF pages; {path} is {article} {fmt}")


def check_pages(pages: Sequence[int], count: int) -> None:
    """``UsageError`` naming the first page (1-based) that the PDF of ``count`` pages lacks."""
    for page in pages:
        if not 1 <= page <= count:
            raise UsageError(f"page {page} is out of range: the PDF has {count} "
                             f"page{'' if count == 1 else 's'}")


def pictures(
    path: str | os.PathLike[str], pages: Sequence[int] | None = None,
    dpi: float = DEFAULT_DPI, document: Document | None = None,
) -> Iterator[tuple[int, Any]]:
    """(page number, picture) for each page asked (all when ``pages`` is None), one at a
    time: a BGR numpy image, the page at ``dpi`` with a legend strip below it.

    ``document`` is the file's conversion when the caller has it (else it is converted
    here). Raises ``NotPdfError`` for another format, ``UsageError`` for a page the PDF
    lacks, ``DocumentLoadError`` for a file that cannot be read."""
    from jixiao.debug.draw import draw_page

    p = Path(path)
    check_format(p)
    if document is None:
        from jixiao.pipeline import convert

        document = convert(p)
    count = document.source.pages or page_count(p)
    wanted = list(pages) if pages is not None else list(range(1, count + 1))
    check_pages(wanted, count)
    scanned = set(document.ocr_pages)
    with open_pages(p) as source:
        for page in wanted:
            view = source.view(page, dpi, page in scanned)
            boxes = cell_boxes(document, page)
            yield page, draw_page(view, boxes, _title(p, document, page, view, boxes, dpi))


def page_picture(path: str | os.PathLike[str], page: int, dpi: float = DEFAULT_DPI) -> Any:
    """The picture of one page (1-based) of the PDF at ``path`` (see ``pictures``)."""
    return next(pictures(path, [page], dpi))[1]


def _title(path: Path, document: Document, page: int, view: PageView, boxes: list[CellBox],
           dpi: float) -> str:
    """What the picture is, in English: the page, how it was read, its tables and forms."""
    name = f"{path.name} " if path.name.isascii() else ""
    read = (f"scan, straightened by {view.skew_degrees:+.2f} deg" if view.scanned
            else "digital")
    tables = sorted({box.table for box in boxes}, key=lambda t: (len(t), t))
    parts = [f"{name}page {page} of {document.source.pages} ({read}, {dpi:g} dpi):",
             f"{len(view.segments)} ruling lines, {len(boxes)} cells in "
             f"{len(tables)} table{'' if len(tables) == 1 else 's'} {' '.join(tables)}."]
    for form in document.forms:
        if set(form.table_ids) & set(tables):
            coverage = "" if form.coverage is None else f"coverage {form.coverage:.0%}, "
            parts.append(f"Form {form.id} ({form.kind}, {len(form.indicators)} indicators): "
                         f"{coverage}{len(form.unmapped)} unmapped.")
    return " ".join(parts)
