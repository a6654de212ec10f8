"""Money cells → value in their unit, and yuan.

A cell may name its unit (``250万``, ``72890元``, ``1.28万元``); otherwise the table's unit
note (``单位：万元``) applies, and without one 万元, the convention of these forms.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.normalize.text import canon

DEFAULT_UNIT = "万元"
_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "万": Decimal(10000),
            "亿元": Decimal(100000000), "亿": Decimal(100000000)}
_AMOUNT = re.compile(
    r"^(?:[¥￥]|人民币)?(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?|-?\.\d+)(?P<unit>[千万亿]?元|万|亿)?$"
)


@lru_cache(maxsize=8192)
def parse_amount(
    raw: str, table_unit: str | None = None
) -> tuple[Decimal | None, str | None, Decimal | None]:
    """(value, unit, yuan) of a money cell; (None, None, None) when it holds no amount.

    ``-``, ``—`` and ``/`` (nothing to declare) are not amounts: the caller decides whether
    a blank means zero.
    """
    text = canon(raw).rstrip("。")
    match = _AMOUNT.match(text)
    if match is None:
        return None, None, None
    value = Decimal(match["num"].replace(",", ""))
    unit = match["unit"] or _unit_of(table_unit)
    yuan = value * _FACTORS[unit]
    yuan = yuan.quantize(Decimal(1)) if yuan == yuan.to_integral_value() else yuan.normalize()
    return value, unit, yuan


def _unit_of(table_unit: str | None) -> str:
    unit = canon(table_unit or "").strip("（）()：:")
    return unit if unit in _FACTORS else DEFAULT_UNIT
