"""Caps on how large one input may be, so that memory follows content, not declarations.

A small hostile file can declare a huge grid (a cell at ``XFD1048576``, a merge over a whole
sheet, ``w:gridSpan="1000000000"``) or inflate to gigabytes. Each cap below bounds one such
size; together they keep the conversion of any single file under about 1 GB of memory,
while real government forms (tables of a few thousand cells, department budgets of some
forty pages) stay far inside them.

===========================  =======  =======================================================
environment variable         default  what it bounds
===========================  =======  =======================================================
JIXIAO_MAX_TABLE_CELLS       150000   rows x columns of one table (one sheet's used range)
JIXIAO_MAX_TABLE_ROWS        20000    rows of one table
JIXIAO_MAX_DOCUMENT_CELLS    150000   rows x columns of all the tables of a document
JIXIAO_MAX_TEXT_BLOCKS       50000    text blocks (paragraphs, headings) of a document
JIXIAO_MAX_PDF_PAGES         1000     pages of a PDF (its page tree walked, not its /Count)
JIXIAO_MAX_PDF_STREAM_BYTES  64 MiB   bytes inflated from one content stream, font or text
                                      map of a PDF page, checked before the page is read
JIXIAO_MAX_PDF_IMAGE_PIXELS  50 M     pixels of one image of a PDF page, as declared (a
                                      600-dpi A4 scan is 35 M); rendering decodes it whole
JIXIAO_MAX_ZIP_MEMBERS       10000    members of a .docx / .xlsx package
JIXIAO_MAX_ZIP_BYTES         256 MiB  bytes inflated from one package (counted, not declared)
JIXIAO_MAX_ZIP_PART_BYTES    64 MiB   bytes inflated from one package member
JIXIAO_MAX_ZIP_RATIO         100      inflated / compressed size of a member (past 1 MiB)
JIXIAO_MAX_XML_ELEMENTS      2000000  XML elements of the parts read from one package
JIXIAO_MAX_SHEET_CELLS       1000000  ``<c>`` elements of a workbook's sheets, counted before
                                      a sheet is parsed
===========================  =======  =======================================================

The variables take plain numbers (64 MiB is 67108864, 50 M is 50000000).

Each variable is read when its cap is checked, so a change applies to the next file. A value
must be a positive whole number (``_`` separators allowed): anything else raises a
``UsageError`` that names the variable (reported for the file being converted), rather than
silently falling back to the default.

Exceeding a cap raises ``TooLargeError`` (a ``DocumentLoadError``) whose one-line message
names what was too large, its size, the cap and the variable that raises it, e.g.
``sheet 'Sheet1': used range 1048576 x 16384 cells; limit is 150000 cells
(JIXIAO_MAX_TABLE_CELLS)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from jixiao.exceptions import UnsafeDocumentError, UsageError

MIB = 1024 * 1024


class TooLargeError(UnsafeDocumentError):
    """The input is (or declares itself) larger than a cap allows."""


@dataclass(frozen=True)
class Cap:
    """One documented cap: its environment variable, default and unit."""

    env: str
    default: int
    unit: str

    def value(self) -> int:
        """The cap now: the environment variable when set, else the default."""
        return read_cap(self.env, self.default)

    def check(self, size: int, what: str) -> None:
        """Raise ``TooLargeError`` when ``size`` is past the cap; ``what`` names the thing
        measured and its size (``"sheet 'S': used range 10 x 20 cells"``)."""
        limit = self.value()
        if size > limit:
            raise too_large(what, limit, self)


def read_cap(env: str, default: int) -> int:
    """A positive whole number from the environment variable ``env``, else ``default``."""
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value <= 0:
        raise UsageError(f"{env}={raw!r}: the limit must be a positive whole number")
    return value


def too_large(what: str, limit: int, cap: Cap | None) -> TooLargeError:
    """The refusal for ``what`` past ``limit``; the variable is named when the limit came
    from ``cap`` (a limit passed in code has no variable to raise it)."""
    if cap is None:
        return TooLargeError(f"{what}; limit is {limit}")
    return TooLargeError(f"{what}; limit is {limit} {cap.unit} ({cap.env})")


TABLE_CELLS = Cap("JIXIAO_MAX_TABLE_CELLS", 150_000, "cells")
TABLE_ROWS = Cap("JIXIAO_MAX_TABLE_ROWS", 20_000, "rows")
DOCUMENT_CELLS = Cap("JIXIAO_MAX_DOCUMENT_CELLS", 150_000, "cells")
TEXT_BLOCKS = Cap("JIXIAO_MAX_TEXT_BLOCKS", 50_000, "blocks")
PDF_PAGES = Cap("JIXIAO_MAX_PDF_PAGES", 1_000, "pages")
PDF_STREAM_BYTES = Cap("JIXIAO_MAX_PDF_STREAM_BYTES", 64 * MIB, "bytes")
PDF_IMAGE_PIXELS = Cap("JIXIAO_MAX_PDF_IMAGE_PIXELS", 50_000_000, "pixels")
ZIP_MEMBERS = Cap("JIXIAO_MAX_ZIP_MEMBERS", 10_000, "members")
ZIP_BYTES = Cap("JIXIAO_MAX_ZIP_BYTES", 256 * MIB, "bytes")
ZIP_PART_BYTES = Cap("JIXIAO_MAX_ZIP_PART_BYTES", 64 * MIB, "bytes")
ZIP_RATIO = Cap("JIXIAO_MAX_ZIP_RATIO", 100, "times")
XML_ELEMENTS = Cap("JIXIAO_MAX_XML_ELEMENTS", 2_000_000, "elements")
SHEET_CELLS = Cap("JIXIAO_MAX_SHEET_CELLS", 1_000_000, "cells")

# A member is only judged by its compression ratio once this much has been inflated: small
# parts of repeated markup compress far better than whole documents do.
RATIO_FLOOR_BYTES = 1 * MIB


class DocumentBudget:
    """What one document's content may still use: grid area (``DOCUMENT_CELLS``, with the
    per-table ``TABLE_CELLS`` and ``TABLE_ROWS``) and text blocks (``TEXT_BLOCKS``), each
    checked before the table or block is made."""

    def __init__(self) -> None:
        self.cells = 0
        self.cell_limit = DOCUMENT_CELLS.value()
        self.blocks = 0
        self.block_limit = TEXT_BLOCKS.value()

    def table(self, n_rows: int, n_cols: int, what: str) -> None:
        """Count a ``n_rows`` x ``n_cols`` grid, or refuse it; ``what`` names the grid as
        the message begins (``"table t3:"``, ``"sheet 'Sheet1': used range"``)."""
        area = n_rows * n_cols
        TABLE_CELLS.check(area, f"{what} {n_rows} x {n_cols} cells")
        TABLE_ROWS.check(n_rows, f"{what} {n_rows} rows")
        self.cells += area
        if self.cells > self.cell_limit:
            raise too_large(f"tables of the document: {self.cells} cells so far",
                            self.cell_limit, DOCUMENT_CELLS)

    def block(self) -> None:
        """Count one more text block (paragraph or heading), or refuse it."""
        self.blocks += 1
        if self.blocks > self.block_limit:
            raise too_large(f"text of the document: more than {self.block_limit} blocks",
                            self.block_limit, TEXT_BLOCKS)
