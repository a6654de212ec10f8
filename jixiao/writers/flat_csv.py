"""Document → CSV: the indicators, one row each, with the columns of the XLSX ``indicators``
sheet (``spreadsheet.INDICATOR_COLUMNS``).

UTF-8 with a BOM (so Excel reads the Chinese), RFC 4180: every record ends in CRLF, fields
with a comma, quote or line break are quoted, and line breaks inside a cell are kept as they
are inside the quotes.

Formula injection: a spreadsheet opening the file would run a text cell starting with
``= + - @`` (or a tab or carriage return) as a formula. Such a text, in a text column, gets
one ``'`` in front. Two kinds of text are left alone because no spreadsheet runs them: a plain
signed number (``-5%``, ``+3``, ``-0.5``; Excel reads it as that number, as it would without
the sign) and dashes only (``-``, ``--``, the usual "none" of these forms). Numeric columns
are numbers written by us and are never touched. The guard is reversible: ``unguard`` drops
the ``'`` again, and a text that already starts with ``'`` before such a character gets one
more, so every value comes back exactly.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from jixiao.schemas import Document
from jixiao.writers.spreadsheet import INDICATOR_COLUMNS, Value, indicator_rows

BOM = "\ufeff"
_RISKY = re.compile(r"'*[=+\-@\t\r]")
_HARMLESS = re.compile(r"[+-](?:\d+(?:\.\d+)?|\.\d+)%?|-+")


def needs_guard(text: str) -> bool:
    return _RISKY.match(text) is not None and _HARMLESS.fullmatch(text) is None


def guard(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula: ``=1+1`` → ``'=1+1``."""
    return "'" + text if needs_guard(text) else text


def unguard(text: str) -> str:
    """The value before ``guard``: the exact inverse on every string."""
    return text[1:] if text.startswith("'") and needs_guard(text[1:]) else text


def _field(value: Value, numeric: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return value if numeric else guard(value)


def render(document: Document) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow([column.name for column in INDICATOR_COLUMNS])
    for row in indicator_rows(document):
        writer.writerow([_field(c.get(row), c.numeric) for c in INDICATOR_COLUMNS])
    return (BOM + out.getvalue()).encode("utf-8")
