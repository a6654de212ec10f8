"""Target and result texts → operator, number(s), unit and kind (and yuan for money).

``≥10000篇`` → (≥, 10000, 篇, count); ``≤65万元`` → (≤, 65, 万元, money, 650000 yuan);
``90%-95%`` → (range, 90, 95, %, percent); ``不低于95%`` → (≥, 95, %, percent);
``2024年12月31日前`` → (≤, date, end 2024-12-31); ``有明显帮助`` → qualitative.
A number without an operator means "=", and ``≥100%`` means "=100%" (nothing is above it).

Chinese numerals that count something are read as digits first (``三个工作日``, ``两场``,
``百分之九十五``, ``九成`` = 90%; see ``cnnum``): ``一百万元`` is 100 万元 (yuan 1000000), in the
unit printed, as ``100万元`` is. ``3个小时`` is 3 小时 (the classifier 个 dropped), so every
length in hours has one unit. A per-unit tail stays outside the unit: ``不超过24.67万一年``
(cost: ≤ 24.67 万, money), ``≦20万元/场`` (≤ 20 万元). A year before a quantity is its subject
(``2023年支付成本不超过300万元`` → ≤ 300 万元). A cell of two lines that both hold numbers
(``102⏎120``) is one value only when the lines agree, else it is qualitative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.normalize.cnnum import Numerals
from jixiao.normalize.dates import parse_date
from jixiao.normalize.money import MONEY_UNITS, to_yuan
from jixiao.normalize.text import NUMBER, canon
from jixiao.schemas.model import Op, ValueKind

# Operator words before the number, longest first; and after it (with the number's unit).
_OP_WORDS: tuple[tuple[str, Op], ...] = (
    ("大于或等于", "≥"), ("大于等于", "≥"), ("小于或等于", "≤"), ("小于等于", "≤"),
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("不下于", "≥"), ("至少", "≥"),
    ("最少", "≥"), ("达到", "≥"), ("达", "≥"), ("不超过", "≤"), ("不高于", "≤"),
    ("不多于", "≤"), ("不大于", "≤"), ("不超", "≤"), ("控制在", "≤"), ("最多", "≤"),
    ("不足", "<"), ("低于", "<"),
    ("少于", "<"), ("小于", "<"), ("高于", ">"), ("大于", ">"), ("多于", ">"), ("超过", ">"),
    ("≥", "≥"), ("≤", "≤"), (">", ">"), ("<", "<"), ("=", "="), ("约", "="),
)
_OP_SUFFIXES: tuple[tuple[str, Op], ...] = (
    ("及以上", "≥"), ("或以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("或以下", "≤"),
    ("以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("内", "≤"), ("左右", "="),
)
_OP_PATTERN = "|".join(re.escape(w) for w, _ in _OP_WORDS)

_VALUE = re.compile(
    rf"^(?P<subject>[^\d≥≤<>=]{{0,16}}?)(?P<op>{_OP_PATTERN})?(?P<pct>百分之)?(?P<sign>[-+])?"
    rf"(?P<num>{NUMBER})(?:(?P<unit1>%|[万千亿]?元|万)(?=-|至|到))?"
    rf"(?:(?:-|至|到)(?P<op2>{_OP_PATTERN})?(?P<num2>{NUMBER}))?"
    rf"(?P<tail>.*)$"
)
_RATIO = re.compile(rf"^(?P<a>{NUMBER})[:∶比](?P<b>{NUMBER})$")

_PERCENT_UNITS = ("%", "百分比", "百分点")
_RATIO_UNITS = ("‰", "倍")
_DURATION_UNITS = ("年", "个月", "月", "周", "个星期", "星期", "天", "日", "工作日", "小时",
                   "分钟", "秒", "个工作日")
_UNIT_SOURCE = (
    r"%|‰|百分比|百分点|倍|(?:[万千百亿])?(?:元|人次|人数|人|次|件|篇|批次|批|份|户|家|所|场"
    r"|期|项|台|套|辆|条|本|册|个工作日|工作日|个小时|个月|个星期|个|天|日|小时|分钟|秒|年|月|周"
    r"|星期|平方米|平方公里|公里|千米|米|亩|公顷|吨|张|处|座|栋|幢|间|名|位|课时|学时|单|起|例|宗"
    r"|首|部|幅|块|棵|株|只|头|盏|分|km|kg|m2|m²|m)|[万亿]"
)
_UNIT = re.compile(rf"^(?:{_UNIT_SOURCE})")
_UNIT_SPELLING = {"个小时": "小时"}  # 3个小时 is 3 小时
_MAX_TAIL = 10  # characters allowed after the unit (``个镇、街道、中心``, ``发放到位``)
_WORD = re.compile(r"[^\W\d_]+")
_TOTAL = ("共", "共计", "合计", "总计", "累计")  # 社区专职人员、下沉人员等共106人: any subject
_YEAR_ONLY = re.compile(r"\d{4}")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d年度?(?=\D)")
_TWO_NUMBERS = re.compile(r"\d[^\S\n]*\n\s*\d")  # 102⏎120: two values, not 102120
_NUMERALS = Numerals(_UNIT_SOURCE, "|".join(re.escape(w) for w, _ in _OP_SUFFIXES))


@dataclass(frozen=True)
class Value:
    """The meaning of a printed value (all fields of ``schemas.Target`` except ``raw``)."""

    op: Op | None = None
    value: Decimal | None = None
    value_max: Decimal | None = None
    unit: str | None = None
    kind: ValueKind = "qualitative"
    yuan: Decimal | None = None
    start: str | None = None
    end: str | None = None


QUALITATIVE = Value()


_OPS: dict[str, Op] = dict(_OP_WORDS)


def _op(word: str | None) -> Op | None:
    return _OPS.get(word) if word else None


def _split_tail(tail: str) -> tuple[str | None, str, Op | None]:
    """``'件以上'`` → ('件', '', '≥'); ``'个镇、街道、中心'`` → ('个', '镇、街道、中心', None)."""
    op: Op | None = None
    for word, sign in _OP_SUFFIXES:
        if tail.endswith(word) and not (word == "内" and not tail[:-1]):
            tail, op = tail[: -len(word)], sign
            break
    match = _UNIT.match(tail)
    unit = match.group() if match else None
    rest = tail[match.end() :] if match else tail
    if unit is None and rest and len(rest) <= 4 and _WORD.fullmatch(rest):
        unit, rest = rest, ""  # an unlisted unit word: 人数, 小时次
    return _UNIT_SPELLING.get(unit, unit) if unit else unit, rest, op


def _kind(unit: str | None, money_hint: bool, percent_hint: bool) -> ValueKind:
    """Kind of a number with this unit."""
    if unit is None:
        return "percent" if percent_hint else "count"
    if unit in _PERCENT_UNITS:
        return "percent"
    if unit in MONEY_UNITS or (unit in ("万", "亿") and money_hint):
        return "money"
    if unit in _RATIO_UNITS:
        return "ratio"
    if unit in _DURATION_UNITS:
        return "period"
    return "count"


@lru_cache(maxsize=8192)
def parse_value(
    raw: str, *, year: str | None = None, money_hint: bool = False, percent_hint: bool = False
) -> Value:
    """What a printed target or result means.

    ``year`` completes dates printed without one (``12月底前``); ``money_hint`` reads a bare
    ``万`` as 万元 (cost indicators); ``percent_hint`` makes a bare number a percentage
    (``100`` under 表彰奖励率).
    """
    if "\n" in raw and _TWO_NUMBERS.search(raw):
        lines = {parse_value(line, year=year, money_hint=money_hint, percent_hint=percent_hint)
                 for line in raw.splitlines() if line.strip()}
        return lines.pop() if len(lines) == 1 else QUALITATIVE
    text = canon(raw)
    if not text:
        return QUALITATIVE
    date = parse_date(text, year)
    if date is not None and not _YEAR_ONLY.fullmatch(text):
        return Value(op=date.op, kind=date.kind, start=date.start, end=date.end)
    text = _NUMERALS(text)
    if "年" in text:
        text = _LEADING_YEAR.sub("", text)
    ratio = _RATIO.match(text)
    if ratio:
        a, b = Decimal(ratio["a"]), Decimal(ratio["b"])
        value = (a / b).quantize(Decimal("0.000001")).normalize() if b else None
        return Value(op="=", value=value, kind="ratio")
    match = _VALUE.match(text)
    return QUALITATIVE if match is None else _quantity(match, money_hint, percent_hint)


def _quantity(match: re.Match[str], money_hint: bool, percent_hint: bool) -> Value:
    subject = match["subject"]
    if subject and subject[-1] in "第前近每约":  # 前3名, 每人2次: not a plain quantity
        return QUALITATIVE
    unit, rest, suffix_op = _split_tail(match["tail"])
    if match["pct"]:
        unit = unit or "%"
    if match["unit1"]:  # 5万元-10万元, 90%-95%
        unit = unit or match["unit1"]
    if unit is None and rest:
        return QUALITATIVE  # 6点半前到达: a number of nothing
    if len(rest) + (0 if subject.endswith(_TOTAL) else len(subject)) > _MAX_TAIL:
        return QUALITATIVE  # prose that happens to hold a number
    value = Decimal((match["sign"] or "") + match["num"].replace(",", ""))
    value_max = Decimal(match["num2"].replace(",", "")) if match["num2"] else None
    op: Op = "range" if value_max is not None else (_op(match["op"]) or suffix_op or "=")
    if op == "range" and value_max is not None and value_max < value:
        value, value_max = value_max, value
    kind = _kind(unit, money_hint, percent_hint)
    if kind == "percent" and op == "≥" and value == 100:
        op = "="
    yuan = to_yuan(value, unit) if kind == "money" and unit is not None else None
    return Value(op=op, value=value, value_max=value_max, unit=unit, kind=kind, yuan=yuan)
