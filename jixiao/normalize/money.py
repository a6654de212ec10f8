"""Money cells → value in their unit, and yuan.

A cell may name its unit (``250万``, ``72890元``, ``1.28万元``); otherwise the table's unit
note (``单位：万元``) applies, and without one 万元, the convention of these forms.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from jixiao.normalize.text import NUMBER, canon

DEFAULT_UNIT = "万元"
# Units that say money themselves; a bare 万 / 亿 is money only where money is meant.
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
               "亿元": Decimal(100000000)}
_FACTORS = {**MONEY_UNITS, "万": Decimal(10000), "亿": Decimal(100000000)}
_AMOUNT = re.compile(rf"^(?:[¥￥]|人民币)?(?P<num>-?(?:{NUMBER}))(?P<unit>[千万亿]?元|万|亿)?$")


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """``value`` in ``unit`` (元, 万元, 万 …) as yuan: an integer when whole, else exact."""
    yuan = value * _FACTORS[unit]
    return yuan.quantize(Decimal(1)) if yuan == yuan.to_integral_value() else yuan.normalize()


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
    return value, unit, to_yuan(value, unit)


def _unit_of(table_unit: str | None) -> str:
    unit = canon(table_unit or "").strip("（）()：:")
    return unit if unit in _FACTORS else DEFAULT_UNIT
