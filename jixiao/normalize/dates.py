"""Dates and periods in targets: ``2024年12月31日前``, ``2023.07-2024.01``, ``2023年4月-2024年2月``,
``服务期限2023.1.1-2025.12.31``, ``11月30日前``, ``十二月底前``, ``第三季度``, ``上半年``.

Results are ISO 8601 strings at the precision printed: ``2024-12-31``, ``2024-12``, ``2024``.
``月底`` / ``年底`` become the last day of that month or year. A quarter or half year is a
period of whole days (``2024年第三季度`` → 2024-07-01 … 2024-09-30); with 前, 末 or 底 it is a
deadline on its last day (``三季度末前`` → ≤ 2024-09-30). Dates printed without their year
(``11月30日前``, ``年底前``, ``第四季度``) take the form's ``year``; without one they keep
their op and kind but no dates. ``11月前`` is read like ``2023年12月前``: by that month (end
``2023-11``), not by the end of the month before.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

from jixiao.normalize.text import canon

DateOp = Literal["=", "≤", "≥", "range"]

_Y = r"(?P<{p}y>(?:19|20)\d\d)"
_M_DIGITS = r"(?P<{p}m>1[0-2]|0?[1-9])"
_M = r"(?P<{p}m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"  # 十二月底前
_D = r"(?P<{p}d>3[01]|[12]\d|0?[1-9])"
_CN_MONTHS = {cn: i for i, cn in enumerate("一二三四五六七八九", 1)} | {
    "十": 10, "十一": 11, "十二": 12}
_CN_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _date(p: str, year_optional: bool = False) -> str:
    y, m, d = _Y.format(p=p), _M.format(p=p), _D.format(p=p)
    cn = rf"{y}年(?:{m}月(?:{d}[日号]|(?P<{p}me>底|末))?|(?P<{p}ye>底|末))?"
    if year_optional:  # the second end of a range: 2024年1月-12月
        cn = rf"(?:{y}年)?(?:{m}月(?:{d}[日号]|(?P<{p}me>底|末))?|(?P<{p}ye>底|末))"
        return cn
    q = p + "_"  # the dotted spelling's own group names (a name may occur once)
    dotted = (
        rf"{_Y.format(p=q)}(?P<{p}sep>[./-]){_M_DIGITS.format(p=q)}"
        rf"(?:(?P={p}sep){_D.format(p=q)})?"
    )
    return rf"(?:{dotted}|{cn})"


# Before a date with its year: a short subject (服务期限, 完成时间) or 于/在/截至/不晚于.
_UNTIL = "不晚于|不迟于|最迟|最晚"
_PREFIX = rf"(?P<pre>[^\d≥≤<>=%.]{{0,8}}?)(?P<until>{_UNTIL}|≤|<)?"  # ≤ 2024-12-31
# Before a date without one, only words that cannot end a quantity (半年内 is a duration;
# ≤12月 may be one too).
_YEARLESS = rf"(?P<pre>(?:[于在截至到]|每年|当年|本年|今年|年度)*)(?P<until>{_UNTIL})?"
_BEFORE = r"(?P<rel>之前|以前|前|之后|以后|后)?"
_WITHIN = r"(?P<rel>之前|以前|前|之内|以内|内)?"
_TAIL = r"(?P<tail>[^\d]{0,16})"  # 前发放到位; no number (2023年支付成本不超过300万元)
_RANGE = re.compile(
    rf"^{_PREFIX}{_date('a')}(?:-|至|到|—)+{_date('b', year_optional=True)}{_TAIL}$"
)
_RANGE_FULL = re.compile(rf"^{_PREFIX}{_date('a')}(?:-|至|到)+{_date('b')}{_TAIL}$")
_YEARS = re.compile(
    rf"^{_PREFIX}(?P<y1>(?:19|20)\d\d)年?(?:-|至|到)+(?P<y2>(?:19|20)\d\d)年?度?{_TAIL}$"
)
_TIME = r"(?:T?\d\d?:\d\d(?::\d\d)?Z?)?"  # a spreadsheet's 2024-12-31 00:00:00
_SINGLE = re.compile(rf"^{_PREFIX}{_date('a')}{_TIME}{_BEFORE}{_TAIL}$")
_YEAR_END = re.compile(
    rf"^{_YEARLESS}(?:本年|当年|年)(?:底|末|内|度内)(?P<rel>之前|以前|前)?{_TAIL}$"
)
_WHOLE_YEAR = re.compile(r"^(?:全年|全年度|本年度)$")
_MONTH = re.compile(
    rf"^{_YEARLESS}{_M.format(p='a')}月份?(?:{_D.format(p='a')}[日号]|(?P<ame>底|末))?"
    rf"{_BEFORE}{_TAIL}$"
)
_PART_YEAR = rf"(?:{_Y.format(p='a')}年度?)?"
_QUARTER = re.compile(
    rf"^{_YEARLESS}{_PART_YEAR}第?(?P<q>[1-4一二三四])季度?(?P<qe>末|底)?{_WITHIN}{_TAIL}$"
)
_HALF = re.compile(rf"^{_YEARLESS}{_PART_YEAR}(?P<h>上|下)半年度?(?P<he>末|底)?{_WITHIN}{_TAIL}$")
# The cheap test: no date without 年/月/季 or a dotted year.
_DATEISH = re.compile(r"[年月季]|(?:19|20)\d\d[./-]\d")


@dataclass(frozen=True)
class DateValue:
    op: DateOp
    kind: Literal["date", "period"]
    start: str | None
    end: str | None


def _month(m: str) -> int:
    return int(m) if m.isdigit() else _CN_MONTHS[m]


def _iso(groups: dict[str, str | None], p: str, year: str | None) -> str | None:
    y = groups.get(p + "y") or groups.get(p + "_y") or year
    if y is None:
        return None
    m = groups.get(p + "m") or groups.get(p + "_m")
    d = groups.get(p + "d") or groups.get(p + "_d")
    if m is None:
        if groups.get(p + "ye"):
            return f"{y}-12-31"
        return y
    mm = _month(m)
    if d is not None:
        return f"{y}-{mm:02d}-{int(d):02d}"
    if groups.get(p + "me"):
        return f"{y}-{mm:02d}-{calendar.monthrange(int(y), mm)[1]:02d}"
    return f"{y}-{mm:02d}"


def _relation(rel: str | None, by: str | None = None) -> DateOp:
    if not rel:
        return "≤" if by else "="
    return "≥" if "后" in rel else "≤"


def _point(op: DateOp, iso: str | None) -> DateValue:
    """A date: the start of what follows it (≥), else the end of what comes before."""
    return DateValue(op, "date", iso if op == "≥" else None, iso if op != "≥" else None)


def _months(g: dict[str, str | None], year: str | None, first: int, last: int) -> DateValue:
    """Months ``first``…``last`` of a year: a period, or a deadline on its last day."""
    y = g.get("ay") or year
    end = f"{y}-{last:02d}-{calendar.monthrange(int(y), last)[1]:02d}" if y else None
    if g.get("qe") or g.get("he") or g.get("rel") or g.get("until"):
        return DateValue("≤", "date", None, end)
    return DateValue("=", "period", f"{y}-{first:02d}-01" if y else None, end)


def parse_date(raw: str, year: str | None = None) -> DateValue | None:
    """A date or period in the text, else None. ``year`` fills in ``12月底前`` / ``年底前``."""
    text = canon(raw)
    if not _DATEISH.search(text):
        return None
    for pattern in (_RANGE_FULL, _RANGE):
        match = pattern.match(text)
        if match:
            g = match.groupdict()
            start = _iso(g, "a", None)
            end = _iso(g, "b", g.get("ay") or g.get("a_y"))
            return DateValue("range", "period", start, end)
    match = _YEARS.match(text)
    if match:  # 2024-2026年
        return DateValue("range", "period", match["y1"], match["y2"])
    match = _QUARTER.match(text)
    if match:
        q = _CN_QUARTERS[match["q"]]
        return _months(match.groupdict(), year, 3 * q - 2, 3 * q)
    match = _HALF.match(text)
    if match:
        first = 1 if match["h"] == "上" else 7
        return _months(match.groupdict(), year, first, first + 5)
    match = _SINGLE.match(text)
    if match:
        g = match.groupdict()
        iso = _iso(g, "a", None)
        op = _relation(g.get("rel"), g.get("until"))
        if not (g.get("am") or g.get("a_m") or g.get("aye")) and op == "=":
            return DateValue("=", "period", iso, iso)  # a year: 2024年
        return _point(op, iso)
    match = _MONTH.match(text)
    if match and (match["ad"] or match["ame"] or match["rel"] or match["until"] or match["pre"]):
        g = match.groupdict()
        op = "≤" if g["ame"] and not g["rel"] else _relation(g["rel"], g["until"])
        return _point(op, _iso(g, "a", year))
    match = _YEAR_END.match(text)
    if match and year is not None:
        return DateValue("≤", "date", None, f"{year}-12-31")
    if year is not None and _WHOLE_YEAR.match(text):
        return DateValue("=", "period", year, year)
    return None
