"""Corrections of what OCR reads that the text itself proves: applied to a scanned cell's
text, the cell keeping what was read (``Cell.read_as``), never silently.

- Chinese quotation marks come in pairs, “ then ”: the recogniser confuses the two shapes
  (``“雪亮工程“`` for ``“雪亮工程”``). When a cell holds an even number of them, they are
  set to alternate, opening first.
- A page printed in traditional script (``traditional_page``: its cells hold far more
  traditional characters than simplified ones) has its simplified characters turned back
  (``to_traditional``): the recogniser was trained mostly on simplified text and gives 满 for
  滿, 数 for 數, 个 for 個. Only characters of jixiao's own table (``jixiao.script``), each
  with one traditional form, are turned, and none that traditional text prints as well
  (``BOTH_SCRIPTS``: 平台 is as right as 平臺).
- A short cell one character away from a word of the lexicon (a label, a level, a column
  header) and from no other is that word (``nearest_label``): ``項目名`` → ``項目名稱``. A
  character left out; or one misread, only where the recogniser was unsure of the cell
  (confidence below ``UNSURE``: a table's 科目名称, read surely, is not 项目名称).
- A cell holding one Latin capital the recogniser gives for ``≥`` (``M``, ``N``: the sign
  alone in a narrow cell, an operator printed apart from its number) is ``≥``: no form
  prints a lone capital letter in a cell of its own.
"""

from __future__ import annotations

from functools import lru_cache

from jixiao.lexicon import current
from jixiao.script import TRADITIONAL, fold

_QUOTES = "“”"
# Characters of a page: this many times more traditional than simplified is a traditional page.
TRADITIONAL_SHARE = 3
MIN_TRADITIONAL = 5
_LONE_SIGN = {"M": "≥", "N": "≥"}
# Simplified characters that traditional text prints too (平台 as well as 平臺, 周 a name,
# 准 and 準, 复 for 復 or 複): never turned back, whatever the page.
BOTH_SCRIPTS = frozenset("台周准几余范划于复")


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


@lru_cache(maxsize=1)
def _scripts() -> tuple[frozenset[str], dict[int, str]]:
    """(traditional characters, simplified → traditional) from jixiao's one table."""
    back = {simple: trad for trad, simple in TRADITIONAL.items()
            if trad != simple and simple not in BOTH_SCRIPTS}
    return frozenset(TRADITIONAL), {ord(s): t for s, t in back.items()}


def traditional_page(texts: list[str]) -> bool:
    """Whether these cell texts are a page printed in traditional script."""
    trad, back = _scripts()
    traditional = sum(ch in trad for text in texts for ch in text)
    simplified = sum(ord(ch) in back for text in texts for ch in text)
    return traditional >= MIN_TRADITIONAL and traditional >= TRADITIONAL_SHARE * simplified


def to_traditional(text: str) -> str:
    """``text`` with the simplified characters of jixiao's table turned traditional."""
    return text.translate(_scripts()[1])


MIN_LABEL = 3  # characters: shorter cells are too easily one away from a label
UNSURE = 0.8  # the confidence below which a cell counts as unsure (ocr.low_confidence)
MAX_LABEL = 14


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """The lexicon's words (labels, levels, column headers), folded to simplified."""
    lexicon = current()
    words = [w for table, names in (("labels", ("strong",)), ("levels", ("first", "second")),
                                    ("columns", tuple(lexicon.tables["columns"])),
                                    ("fields", tuple(lexicon.tables["fields"])))
             for name in names for w in lexicon.words(table, name)]
    return frozenset(fold(w) for w in words if MIN_LABEL <= len(w) <= MAX_LABEL)


@lru_cache(maxsize=8192)
def nearest_label(text: str, unsure: bool = False) -> str | None:
    """The lexicon word ``text`` is one character away from (one left out; or one misread,
    when ``unsure``), when exactly one is; None otherwise (see the module)."""
    key = fold(text)
    if not MIN_LABEL <= len(key) <= MAX_LABEL or key in _lexicon():
        return None
    found = [w for w in _lexicon() if _one_away(key, w, unsure)]
    return found[0] if len(found) == 1 else None


def _one_away(read: str, word: str, misread: bool) -> bool:
    if len(word) == len(read) + 1:  # one character left out
        return any(word[:i] + word[i + 1:] == read for i in range(len(word)))
    if misread and len(word) == len(read) >= 4:  # one misread (not in short words)
        return sum(a != b for a, b in zip(read, word, strict=True)) == 1
    return False
