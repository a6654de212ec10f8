"""Target and result texts → operator, number(s), unit and kind (and yuan for money).

``≥10000篇`` → (≥, 10000, 篇, count); ``≤65万元`` → (≤, 65, 万元, money, 650000 yuan);
``90%-95%`` → (range, 90, 95, %, percent); ``不低于95%`` → (≥, 95, %, percent);
``2024年12月31日前`` → (≤, date, end 2024-12-31); ``有明显帮助`` → qualitative.
A number without an operator means "=", and ``≥100%`` means "=100%" (nothing is above it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from jixiao.normalize.dates import parse_date
from jixiao.normalize.money import MONEY_UNITS, to_yuan
from jixiao.normalize.text import NUMBER, canon
from jixiao.schemas.model import Op, ValueKind

# Operator words before the number, longest first; and after it (with the number's unit).
_OP_WORDS: tuple[tuple[str, Op], ...] = (
    ("大于或等于", "≥"), ("大于等于", "≥"), ("小于或等于", "≤"), ("小于等于", "≤"),
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("不下于", "≥"), ("至少", "≥"),
    ("最少", "≥"), ("达到", "≥"), ("达", "≥"), ("不超过", "≤"), ("不高于", "≤"),
    ("不多于", "≤"), ("不大于", "≤"), ("控制在", "≤"), ("最多", "≤"), ("低于", "<"),
    ("少于", "<"), ("小于", "<"), ("高于", ">"), ("大于", ">"), ("多于", ">"), ("超过", ">"),
    ("≥", "≥"), ("≤", "≤"), (">", ">"), ("<", "<"), ("=", "="), ("约", "="),
)
_OP_SUFFIXES: tuple[tuple[str, Op], ...] = (
    ("及以上", "≥"), ("或以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("或以下", "≤"),
    ("以下", "≤"), ("以内", "≤"), ("之内", "≤"), ("内", "≤"), ("左右", "="),
)
_OP_PATTERN = "|".join(re.escape(w) for w, _ in _OP_WORDS)

_VALUE = re.compile(
    rf"^(?P<subject>[^\d≥≤<>=]{{0,12}}?)(?P<op>{_OP_PATTERN})?(?P<pct>百分之)?(?P<sign>[-+])?"
    rf"(?P<num>{NUMBER})(?:(?P<unit1>%|[万千亿]?元|万)(?=-|至|到))?"
    rf"(?:(?:-|至|到)(?P<op2>{_OP_PATTERN})?(?P<num2>{NUMBER}))?"
    rf"(?P<tail>.*)$"
)
_RATIO = re.compile(rf"^(?P<a>{NUMBER})[:∶比](?P<b>{NUMBER})$")

_PERCENT_UNITS = ("%", "百分比", "百分点")
_RATIO_UNITS = ("‰", "倍")
_DURATION_UNITS = ("年", "个月", "月", "周", "天", "日", "工作日", "小时", "分钟", "个工作日")
_UNIT = re.compile(
    r"^(?:%|‰|百分比|百分点|倍|(?:[万千百亿])?(?:元|人次|人数|人|次|件|篇|批次|批|份|户|家|所|场"
    r"|期|项|台|套|辆|条|本|册|个工作日|工作日|个月|个|天|日|小时|分钟|年|月|周|平方米|平方公里"
    r"|公里|千米|米|亩|公顷|吨|张|处|座|间|名|位|课时|学时|单|起|例|宗|首|部|幅|块|棵|株|只|头"
    r"|盏|分|km|kg|m2|m²|m))"
)
_MAX_TAIL = 10  # characters allowed after the unit (``个镇、街道、中心``, ``发放到位``)


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
    """``'件以上'`` → ('件', '', '≥'); ``'个镇、街道、中心'`` → ('个镇', '、街道、中心', None)."""
    op: Op | None = None
    for word, sign in _OP_SUFFIXES:
        if tail.endswith(word) and not (word == "内" and not tail[:-1]):
            tail, op = tail[: -len(word)], sign
            break
    match = _UNIT.match(tail)
    unit = match.group() if match else None
    rest = tail[match.end() :] if match else tail
    if unit is None and rest and len(rest) <= 4 and re.fullmatch(r"[^\W\d_]+", rest):
        unit, rest = rest, ""  # an unlisted unit word: 人数, 小时次
    return unit, rest, op


def _kind(unit: str | None, money_hint: bool, percent_hint: bool) -> ValueKind:
    """Kind of a number with this unit."""
    if unit is None:
        return "percent" if percent_hint else "count"
    if unit in _PERCENT_UNITS:
        return "percent"
    if unit in MONEY_UNITS or (unit == "万" and money_hint):
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
    text = canon(raw)
    if not text:
        return QUALITATIVE
    date = parse_date(text, year)
    if date is not None and not re.fullmatch(r"\d{4}", text):
        return Value(op=date.op, kind=date.kind, start=date.start, end=date.end)
    ratio = _RATIO.match(text)
    if ratio:
        a, b = Decimal(ratio["a"]), Decimal(ratio["b"])
        value = (a / b).quantize(Decimal("0.000001")).normalize() if b else None
        return Value(op="=", value=value, kind="ratio")
    match = _VALUE.match(text)
    if match is None:
        return QUALITATIVE
    subject = match["subject"]
    if subject and subject[-1] in "第前近每约":  # 前3名, 每人2次: not a plain quantity
        return QUALITATIVE
    unit, rest, suffix_op = _split_tail(match["tail"])
    if match["pct"]:
        unit = unit or "%"
    if match["unit1"]:  # 5万元-10万元, 90%-95%
        unit = unit or match["unit1"]
    if len(subject) + len(rest) > _MAX_TAIL:
        return QUALITATIVE  # prose that happens to hold a number
    value = Decimal((match["sign"] or "") + match["num"].replace(",", ""))
    value_max = Decimal(match["num2"].replace(",", "")) if match["num2"] else None
    op: Op = "range" if value_max is not None else (_op(match["op"]) or suffix_op or "=")
    if op == "range" and value_max is not None and value_max < value:
        value, value_max = value_max, value
    kind = _kind(unit, money_hint, percent_hint)
    out = Value(op=op, value=value, value_max=value_max, unit=unit, kind=kind)
    if kind == "money" and unit is not None:
        out = replace(out, yuan=to_yuan(value, unit))
    if kind == "percent" and op == "≥" and value == 100:
        out = replace(out, op="=")
    return out

