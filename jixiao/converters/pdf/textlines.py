"""Characters → lines → text, undoing what layout did to the words.

- Characters are grouped into lines by their vertical centre, then read left to right.
- No space is invented between Chinese characters, or between Chinese and Latin text
  (renderers add "autospace" there); a visible gap between Latin letters or digits is a space.
- A line break inside a cell is kept (``\\n``) only where the line stopped short of the
  cell's edge with room for what follows; otherwise it is wrapping, and the lines are
  joined directly (Chinese) or with one space (between Latin words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    confidence: float = 1.0  # below 1 only for characters read by OCR

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def to_chars(raw: Iterable[Mapping[str, Any]]) -> list[Char]:
    """pdfplumber char dicts → ``Char`` (upright text only; rotated glyphs are skipped)."""
    out = []
    for c in raw:
        if not c.get("upright", True):
            continue
        font = str(c.get("fontname", ""))
        out.append(Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"],
                        "Bold" in font or "bold" in font or "Heavy" in font))
    return out


@lru_cache(maxsize=8192)
def is_wide(ch: str) -> bool:
    """Chinese, Japanese, Korean and full-width characters: no spaces around them."""
    return unicodedata.east_asian_width(ch[:1]) in ("W", "F") if ch else False


@dataclass
class Line:
    chars: list[Char] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def text(self) -> str:
        return chars_text(self.chars)

    @property
    def bold(self) -> bool:
        visible = [c for c in self.chars if c.text.strip()]
        return bool(visible) and all(c.bold for c in visible)


def chars_to_lines(chars: Iterable[Char]) -> list[Line]:
    """Group characters into lines (top to bottom), each read left to right."""
    lines: list[Line] = []
    centres: list[float] = []
    for ch in sorted(chars, key=lambda c: c.cy):
        if lines and abs(ch.cy - centres[-1]) < 0.45 * max(ch.size, lines[-1].chars[0].size):
            lines[-1].chars.append(ch)
        else:
            lines.append(Line([ch]))
            centres.append(ch.cy)
    for line in lines:
        line.chars.sort(key=lambda c: c.x0)
        line.chars = _dedupe(line.chars)
    return lines


def _dedupe(chars: list[Char]) -> list[Char]:
    """Drop glyphs printed twice at the same place (fake bold)."""
    out: list[Char] = []
    for ch in chars:
        if out and ch.text == out[-1].text and abs(ch.x0 - out[-1].x0) < 0.3 * (ch.x1 - ch.x0):
            continue
        out.append(ch)
    return out


def chars_text(chars: list[Char]) -> str:
    parts: list[str] = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None and ch.text.strip() and prev.text.strip():
            gap = ch.x0 - prev.x1
            latin = not is_wide(ch.text) and not is_wide(prev.text)
            # Latin words: any visible gap. Chinese: only an empty stretch wider than a
            # character (autospace between scripts and letter spacing stay unspaced).
            if (latin and gap > 0.25 * ch.size) or gap > 1.0 * ch.size:
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return "".join(parts)


def _first_token_width(line: Line) -> float:
    """Width of what would have had to fit on the line above: a character or a word."""
    first = line.chars[0]
    if is_wide(first.text):
        return first.x1 - first.x0
    end = first.x1
    for ch in line.chars[1:]:
        if not ch.text.strip() or is_wide(ch.text):
            break
        end = ch.x1
    return end - first.x0


# Characters a line may not start with (Chinese line-breaking rules): to avoid that, the
# renderer carries the character before them down too, leaving room on the line above.
_NO_LINE_START = frozenset("，。、；：！？）」』】〉》,.;:!?)]%")
_NO_SPACE_BEFORE = frozenset("%‰)]},.;:!?")


# A numbered item after a finished sentence starts a paragraph even when the line before
# it is full: 1、 2. (3) （四） 五、 — but "1.5万元" after "总额为：" is a decimal, not an item.
_ENUMERATION = re.compile(
    r"^(?:\d{1,3}(?:[、)）]|[.．](?!\d))|[（(]\d{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?", "：")


def is_hard_break(prev: Line, line: Line, right: float) -> bool:
    """True when ``line`` starts a new paragraph rather than continuing ``prev``."""
    room = right - prev.x1
    token = _first_token_width(line)
    text = line.text.lstrip()
    if prev.text.rstrip().endswith(_SENTENCE_END) and _ENUMERATION.match(text):
        return True
    if text[:1] in _NO_LINE_START:
        return False
    if text[1:2] in _NO_LINE_START:  # the first character may have been carried down
        return room > token + 1.25 * line.size
    return room > token + 0.25 * line.size


def join_lines(lines: list[Line], left: float, right: float) -> str:
    """Text of a cell whose content box runs from ``left`` to ``right``."""
    if not lines:
        return ""
    pad = max(0.0, min(line.x0 for line in lines) - left)  # the cell's own padding
    out = [lines[0].text.rstrip()]
    for prev, line in pairwise(lines):
        text = line.text.strip()
        if is_hard_break(prev, line, right - pad):
            out.append("\n")
        else:
            swallowed = prev.text[-1:].isspace()  # spaces the wrap swallowed: keep one
            latin = not is_wide(out[-1][-1:] or " ") and not is_wide(text[:1] or " ") and (
                text[:1] not in _NO_SPACE_BEFORE  # 95.00 | % wrapped inside one token
            )
            if swallowed or latin:
                out.append(" ")
        out.append(text)
    return "".join(out).strip()


# Recognition models often give ASCII punctuation inside Chinese text; Chinese documents
# print the full-width forms: （%） not (%), 单位：万元 not 单位:万元.
_FULL_WIDTH = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "!": "！", "?": "？"}


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def full_width_punctuation(text: str) -> str:
    """ASCII punctuation next to a Chinese character (or closing a full-width bracket) →
    its full-width form. Used on OCR output only: digital text is kept as printed."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in _FULL_WIDTH:
            before = chars[i - 1] if i > 0 else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if _is_cjk(before) or _is_cjk(after) or (ch == ")" and "（" in chars[:i]):
                chars[i] = _FULL_WIDTH[ch]
    return "".join(chars)
