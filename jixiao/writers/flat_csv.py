"""Document → CSV: a sheet of the XLSX workbook as a flat file, with that sheet's columns.

- ``render`` (format ``csv``): the indicators, one row each (``spreadsheet.INDICATOR_COLUMNS``,
  the ``indicators`` sheet);
- ``render_forms`` (format ``forms.csv``, written as ``<input>.forms.csv``): the forms, one
  row each (``spreadsheet.FORM_COLUMNS``, the ``forms`` sheet: project, budget total raw,
  value and yuan, counts).

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
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from jixiao.schemas import Document
from jixiao.writers.spreadsheet import (
    FORM_COLUMNS,
    INDICATOR_COLUMNS,
    Column,
    Value,
    form_rows,
    indicator_rows,
)

BOM = "\ufeff"
_R = TypeVar("_R")
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


def table(columns: Sequence[Column[_R]], rows: Iterable[_R]) -> bytes:
    """``rows`` as CSV under a header of the ``columns``' names, by the rules above."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([_field(c.get(row), c.numeric) for c in columns])
    return (BOM + out.getvalue()).encode("utf-8")


def render(document: Document) -> bytes:
    """The indicators, one row each: the XLSX ``indicators`` sheet."""
    return table(INDICATOR_COLUMNS, indicator_rows(document))


def render_forms(document: Document) -> bytes:
    """The forms, one row each: the XLSX ``forms`` sheet."""
    return table(FORM_COLUMNS, form_rows(document))
