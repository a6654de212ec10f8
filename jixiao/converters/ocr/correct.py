"""Corrections of what OCR reads that the text itself proves: applied to a scanned cell's
text, the cell keeping what was read (``Cell.read_as``), never silently.

- Chinese quotation marks come in pairs, “ then ”: the recogniser confuses the two shapes
  (``“雪亮工程“`` for ``“雪亮工程”``). When a cell holds an even number of them, they are
  set to alternate, opening first.
- A cell holding one Latin capital the recogniser gives for ``≥`` (``M``, ``N``: the sign
  alone in a narrow cell, an operator printed apart from its number) is ``≥``: no form
  prints a lone capital letter in a cell of its own.
"""

from __future__ import annotations

_QUOTES = "“”"
_LONE_SIGN = {"M": "≥", "N": "≥"}


def correct(text: str) -> str:
    """``text`` with what OCR provably misread set right (see the module)."""
    if text.strip() in _LONE_SIGN:
        return _LONE_SIGN[text.strip()]
    quotes = sum(text.count(q) for q in _QUOTES)
    if quotes < 2 or quotes % 2:
        return text
    out = []
    opening = True
    for ch in text:
        if ch in _QUOTES:
            ch = "“" if opening else "”"
            opening = not opening
        out.append(ch)
    return "".join(out)
