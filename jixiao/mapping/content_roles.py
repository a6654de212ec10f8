"""Indicator columns told by what they hold, the header row only as evidence.

A column whose cells are mostly 一级 vocabulary (产出指标, 效益指标 …) is the first level, one
of 二级 vocabulary (数量指标, 质量指标 …) the second, whatever their headers say; the
indicator names are the next column with text, the targets the column the header calls a
target, else the first one after the names whose header is a standard (绩效标准). A header
row is also found this way when its words name fewer than two levels.
"""

from __future__ import annotations

import re

from jixiao.mapping.gridview import GridView, text
from jixiao.vocabulary import LEVEL1_WORDS, LEVEL2_WORDS, key

LOOKAHEAD = 40  # data rows looked at to judge a column
SHARE = 0.5  # of a column's texts that must be level vocabulary
_HEADER_WORDS = ("指标", "标准", "值", "分值")
_ANNOTATION = re.compile(
    r"^(?P<label>.*?)\s*[（(]\s*(?P<points>\d+(?:\.\d+)?(?:\s*[-~～—至]\s*\d+(?:\.\d+)?)?)\s*分?\s*[)）]"
    r"\s*分?$"
)


def split_annotation(label: str) -> tuple[str, str | None]:
    """``产出指标(50分)`` → (``产出指标``, ``50``); ``成本指标(0-20)分`` → (…, ``0-20``)."""
    match = _ANNOTATION.match(label.strip())
    if not match or not match.group("label"):
        return label, None
    return match.group("label").strip(), re.sub(r"\s+", "", match.group("points"))



def _label(cell_text: str) -> str:
    """A level label without its points (产出指标(50分) → 产出指标), as a key."""
    return key(split_annotation(cell_text)[0])


def _column_texts(view: GridView, first: int, end: int) -> dict[int, list[str]]:
    """Texts of the cells that start in each column, rows ``first`` to ``end``."""
    out: dict[int, list[str]] = {}
    for r in range(first, min(end, first + LOOKAHEAD)):
        for cell in view.row(r):
            if cell.row == r and text(cell):
                out.setdefault(cell.col, []).append(_label(text(cell)))
    return out


def _best(texts: dict[int, list[str]], words: frozenset[str], but: int = -1) -> int | None:
    scored = [(sum(t in words for t in ts) / len(ts), c) for c, ts in texts.items()
              if c != but and any(t in words for t in ts)]
    if not scored:
        return None
    share, col = max(scored)
    return col if share >= SHARE else None


def level_columns(view: GridView, first: int, end: int) -> tuple[int, int] | None:
    """(level-1 column, level-2 column) as the data rows show them, or None."""
    first_words, second_words = LEVEL1_WORDS, LEVEL2_WORDS
    texts = _column_texts(view, first, end)
    one = _best(texts, first_words)
    if one is None:
        return None
    two = _best(texts, second_words, but=one)
    return (one, two) if two is not None and two > one else None


def _starts(view: GridView, r: int) -> list[int]:
    return [c.col for c in view.row(r) if c.row == r and text(c)]


def by_content(
    view: GridView, header: int, end: int, columns: dict[str, int]
) -> dict[str, int] | None:
    """The grid's columns with the levels, names and targets read from the data rows under
    ``header`` (see the module), or None when they show no levels."""
    levels = level_columns(view, header + 1, end)
    if levels is None:
        return None
    one, two = levels
    data = sorted({c for r in range(header + 1, min(end, header + 1 + LOOKAHEAD))
                   for c in _starts(view, r)})
    after = [c for c in data if c > two]
    if not after:
        return None
    out = {role: c for role, c in columns.items() if c not in (one, two, after[0])}
    out.update(level1=one, level2=two, level3=after[0])
    if "target" not in out:
        standard = out.pop("basis", None)
        rest = [c for c in after[1:] if c not in out.values()]
        target = standard if standard is not None and standard > after[0] else (
            rest[0] if rest else None)
        if target is not None:
            out["target"] = target
    return out


def looks_like_header(view: GridView, r: int) -> bool:
    """A row of at least three header-like texts (指标, 标准 …) heading the columns of level
    labels below it (not a row naming a split target's parts, which heads none of them)."""
    cells = [c for c in view.row(r) if c.row == r and text(c)]
    if len(cells) < 3 or not any(w in key(text(c)) for c in cells for w in _HEADER_WORDS):
        return False
    first_words, second_words = LEVEL1_WORDS, LEVEL2_WORDS
    if any(_label(text(c)) in first_words | second_words for c in cells):
        return False  # a data row
    levels = level_columns(view, r + 1, view.n_rows)
    return levels is not None and all(
        any(c.col <= level < c.col + c.col_span for c in cells) for level in levels)
