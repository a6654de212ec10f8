"""Printed value text → one canonical spelling, for parsing only (output keeps the raw text).

Full-width and compatibility forms become ASCII (``＝ ﹦ ＞ ％ ０-９``), ``≧ ≦ >= <= =>`` the
two inequality signs, dashes and tildes one hyphen, traditional script simplified.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.script import fold

_SIGNS = (
    (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"), ("≧", "≥"), ("≦", "≤"), ("⩾", "≥"),
    ("⩽", "≤"), ("≯", "≤"), ("≮", "≥"),
)
_DASHES = re.compile(r"[－—–―‐‑~～〜]+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def canon(raw: str) -> str:
    """The value text in one spelling: NFKC, folded signs and dashes, no white space."""
    text = unicodedata.normalize("NFKC", raw)
    for old, new in _SIGNS:
        text = text.replace(old, new)
    text = _DASHES.sub("-", text)
    text = fold(text)
    return _SPACE.sub("", text)


# An unsigned number as printed: 1,234.50 or .5 (the patterns of values and money use it too).
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_NUMBER = re.compile(rf"[-+]?(?:{NUMBER})")


@lru_cache(maxsize=8192)
def to_decimal(text: str) -> Decimal | None:
    """``'1,234.50'`` → Decimal('1234.50'); None when the text is not one number."""
    t = canon(text).rstrip("。.")
    if not _NUMBER.fullmatch(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


def first_decimal(text: str) -> Decimal | None:
    """The first number in a text (``'95.00%'`` → 95.00), or None."""
    match = _NUMBER.search(canon(text))
    return Decimal(match.group().replace(",", "")) if match else None
