"""Dates and periods in targets: ``2024年12月31日前``, ``2023.07-2024.01``, ``2023年4月-2024年2月``.

Results are ISO 8601 strings at the precision printed: ``2024-12-31``, ``2024-12``, ``2024``.
``月底`` / ``年底`` become the last day of that month or year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

from jixiao.normalize.text import canon

DateOp = Literal["=", "≤", "≥", "range"]

_Y = r"(?P<{p}y>(?:19|20)\d\d)"
_M = r"(?P<{p}m>1[0-2]|0?[1-9])"
_D = r"(?P<{p}d>3[01]|[12]\d|0?[1-9])"


def _date(p: str, year_optional: bool = False) -> str:
    y, m, d = _Y.format(p=p), _M.format(p=p), _D.format(p=p)
    cn = rf"{y}年(?:{m}月(?:{d}[日号]|(?P<{p}me>底|末))?|(?P<{p}ye>底|末))?"
    if year_optional:  # the second end of a range: 2024年1月-12月
        cn = rf"(?:{y}年)?(?:{m}月(?:{d}[日号]|(?P<{p}me>底|末))?|(?P<{p}ye>底|末))"
        return cn
    q = p + "_"  # the dotted spelling's own group names (a name may occur once)
    dotted = (
        rf"{_Y.format(p=q)}(?P<{p}sep>[./-]){_M.format(p=q)}(?:(?P={p}sep){_D.format(p=q)})?"
    )
    return rf"(?:{dotted}|{cn})"


_PREFIX = r"(?P<pre>[于在截至到]{0,3})"
_BEFORE = r"(?P<rel>之前|以前|前|之后|以后|后)?"
_TAIL = r"(?P<tail>.{0,16})"
_RANGE = re.compile(
    rf"^{_PREFIX}{_date('a')}(?:-|至|到|—)+{_date('b', year_optional=True)}{_TAIL}$"
)
_RANGE_FULL = re.compile(rf"^{_PREFIX}{_date('a')}(?:-|至|到)+{_date('b')}{_TAIL}$")
_SINGLE = re.compile(rf"^{_PREFIX}{_date('a')}{_BEFORE}{_TAIL}$")
_YEAR_END = re.compile(
    rf"^{_PREFIX}(?:本年|当年|年)(?:底|末|内|度内)(?P<rel>之前|以前|前)?{_TAIL}$"
)
_MONTH_END = re.compile(rf"^{_PREFIX}{_M.format(p='a')}月(?:底|末)(?P<rel>之前|以前|前)?{_TAIL}$")


@dataclass(frozen=True)
class DateValue:
    op: DateOp
    kind: Literal["date", "period"]
    start: str | None
    end: str | None


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
    mm = int(m)
    if d is not None:
        return f"{y}-{mm:02d}-{int(d):02d}"
    if groups.get(p + "me"):
        return f"{y}-{mm:02d}-{calendar.monthrange(int(y), mm)[1]:02d}"
    return f"{y}-{mm:02d}"


def _relation(rel: str | None) -> DateOp:
    if not rel:
        return "="
    return "≥" if "后" in rel else "≤"


def parse_date(raw: str, year: str | None = None) -> DateValue | None:
    """A date or period in the text, else None. ``year`` fills in ``12月底前`` / ``年底前``."""
    text = canon(raw)
    for pattern in (_RANGE_FULL, _RANGE):
        match = pattern.match(text)
        if match:
            g = match.groupdict()
            start = _iso(g, "a", None)
            end = _iso(g, "b", g.get("ay") or g.get("a_y"))
            return DateValue("range", "period", start, end)
    match = _SINGLE.match(text)
    if match:
        g = match.groupdict()
        iso = _iso(g, "a", None)
        op = _relation(g.get("rel"))
        if not (g.get("am") or g.get("a_m") or g.get("aye")) and op == "=":
            return DateValue("=", "period", iso, iso)  # a year: 2024年
        return DateValue(op, "date", iso if op == "≥" else None, iso if op != "≥" else None)
    match = _MONTH_END.match(text)
    if match:
        g = match.groupdict()
        g["ame"] = "底"
        return DateValue(_relation(g.get("rel")) if g.get("rel") else "≤", "date", None,
                         _iso(g, "a", year))
    match = _YEAR_END.match(text)
    if match and year is not None:
        return DateValue("≤", "date", None, f"{year}-12-31")
    return None
