"""A number as a spreadsheet displays it under its number format (the common formats).

Handles what forms use: sections (``positive;negative;zero``), digit placeholders (``0 # ?``)
with grouping and decimals, percent, quoted literals (``0.00"万元"``), escaped characters
(``\\元``), padding (``_)``: a space as wide as ``)``), fill (``*``), colours and conditions
(``[Red]``), and the text placeholder ``@``. Anything else (scientific, fractions, dates on
a plain number) falls back to the shortest exact decimal, which is never wrong, only plain.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_TOKEN = re.compile(r'"([^"]*)"|\\(.)|_(.)|\*(.)|(\[[^\]]*\])|([0#?,.]+)|(.)', re.S)
_UNSUPPORTED = re.compile(r"[eE][+-]|/|[yYmMdDhHsS]")


def plain(value: float | int) -> str:
    """The shortest exact decimal: ``5.0`` → ``5``, ``0.1`` → ``0.1``."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _sections(fmt: str) -> list[str]:
    """The ``;``-separated sections, ignoring ``;`` inside quotes."""
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _section(value: float | int, fmt: str) -> tuple[str, float | int, bool]:
    """The section that applies, the value it shows, and whether a minus sign is added
    (a negative section prints its own sign, or brackets)."""
    parts = _sections(fmt)
    if value < 0 and len(parts) > 1:
        return parts[1], -value, False
    if value == 0 and len(parts) > 2:
        return parts[2], value, False
    return parts[0], value, value < 0


def _digits(value: float | int, run: str, percent: bool) -> str:
    """The digits of ``value`` for a placeholder run (``#,##0.00``), rounded half away from
    zero on the decimal the sheet stores, as Excel rounds."""
    whole, _, frac = run.partition(".")
    decimals = sum(frac.count(c) for c in "0#?")
    magnitude = abs(Decimal(str(value))) * (100 if percent else 1)
    rounded = magnitude.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}" if "," in whole.rstrip(",") else f"{rounded:f}"
    if "0" not in whole and text.split(".")[0] == "0":
        text = text[1:]  # no 0 placeholder before the point: #.00 shows .50, ?? shows 0 as ""
    return text


def format_number(value: float | int, number_format: str | None) -> str:
    """``value`` as shown under ``number_format`` (see the module)."""
    fmt = (number_format or "General").strip()
    section, shown, minus = _section(value, fmt)
    stripped = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    if not section or section.lower() == "general" or _UNSUPPORTED.search(stripped):
        return plain(value)
    percent = "%" in stripped
    out: list[str] = []
    placed = False
    for m in _TOKEN.finditer(section):
        quoted, escaped, pad, _fill, _colour, run, other = m.groups()
        if run is not None and re.search(r"[0#?]", run):
            if not placed:
                out.append(_digits(shown, run, percent))
                placed = True
        elif quoted is not None or escaped is not None:
            out.append(quoted if quoted is not None else escaped)
        elif pad is not None:
            out.append(" ")
        elif other is not None:
            out.append(plain(shown) if other == "@" else other)
        elif run is not None:
            out.append(run)  # a lone comma or dot: literal
    if not placed:
        return plain(value) if not "".join(out).strip() else "".join(out)
    return ("-" if minus else "") + "".join(out).strip()
