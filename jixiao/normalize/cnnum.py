"""Chinese numerals in targets → Arabic digits, only where they count something.

``三个工作日`` → ``3个工作日``, ``不少于二十人`` → ``不少于20人``, ``百分之九十五`` → ``百分之95``,
``百分之百`` → ``百分之100``, ``九成`` → ``90%``, ``半小时内`` → ``0.5小时内``,
``一个半小时`` → ``1.5小时``.

A trailing 万 or 亿 stays as the prefix of the unit: ``一百万元`` → ``100万元`` (value 100 in 万元,
1000000 yuan), as a form that printed ``100万元`` is read; ``一亿五千万元`` → ``15000万元``,
``一万二千元`` → ``12000元``.

A numeral is rewritten only when a unit follows it and nothing but an operator suffix
(以上, 以内 …) follows the unit: a target is one quantity. So words that merely hold a numeral
(进一步, 一级指标, 统一, 一般, 万一, 一站式, 三农, 一次性补助) stay text. Month and quarter names
(十二月底前, 第三季度) are the dates module's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
NUMERALS = "零〇一二两三四五六七八九十百千万亿"
_N = f"[{NUMERALS}]"
# Any numeral that can start a quantity (a lone 万 cannot): the cheap test before the work.
_ANY = re.compile("[零〇一二两三四五六七八九十百千亿半]")


def cn_to_int(text: str) -> int | None:
    """``'二十'`` → 20, ``'一百零五'`` → 105, ``'一万二千'`` → 12000; None when not a numeral
    (``'万一'``, ``'一二'``, ``'十百'``)."""
    if not text or text[0] in "百千万亿":
        return None
    total = section = 0
    digit: int | None = None
    last_small = 10_000  # units inside a section must fall: 千 > 百 > 十
    for ch in text:
        if ch in _DIGITS:
            if digit:  # two digits in a row (一二); 零 may precede one (一百零五)
                return None
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small or (digit is None and (section or total or ch != "十")):
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        else:
            section += digit or 0
            if not section:
                return None
            total += section * _BIG[ch]
            section, digit, last_small = 0, None, 10_000
    return total + section + (digit or 0)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Numerals:
    """Rewrites the quantities of one target; built once with the unit and suffix patterns."""

    def __init__(self, unit: str, suffix: str) -> None:
        end = rf"(?:{suffix})?$"
        self._percent = re.compile(rf"百分之(?P<n>百|{_N}+)")
        self._tenths = re.compile(rf"(?<![\d.{NUMERALS}])(?P<n>{_N}+)成(?={end})")
        self._half = re.compile(rf"(?:^|(?<=[≥≤<>=于过到在达约]))半(?=(?:{unit}){end})")
        self._count = re.compile(
            rf"(?<![\d.{NUMERALS}])(?P<n>{_N}+)(?P<half>个半)?(?=(?:{unit}|(?<=[万亿])){end})"
        )

    def __call__(self, text: str) -> str:
        """``text`` with its quantity in Arabic digits (unchanged when it holds none)."""
        if not _ANY.search(text):
            return text
        if "百分之" in text:
            text = self._percent.sub(_percent, text)
        if "成" in text:
            text = self._tenths.sub(_tenths, text)
        if "半" in text:
            text = self._half.sub("0.5", text)
        return self._count.sub(_count, text)


def _replace(convert: Callable[[re.Match[str]], str | None]) -> Callable[[re.Match[str]], str]:
    def sub(match: re.Match[str]) -> str:
        out = convert(match)
        return match.group() if out is None else out
    return sub


@_replace
def _percent(match: re.Match[str]) -> str | None:
    n = cn_to_int(match["n"]) if match["n"] != "百" else 100
    return None if n is None else f"百分之{n}"


@_replace
def _tenths(match: re.Match[str]) -> str | None:
    n = cn_to_int(match["n"])
    return None if n is None or n > 10 else f"{n * 10}%"


@_replace
def _count(match: re.Match[str]) -> str | None:
    span = match["n"]
    n = cn_to_int(span)
    if n is None:
        return None
    value = Decimal(n) + (Decimal("0.5") if match["half"] else 0)
    if len(span) > 1 and span[-1] in _BIG:  # 一百万元 → 100万元, 一亿五千万 → 15000万
        return _plain(value / _BIG[span[-1]]) + span[-1]
    return _plain(value)
