"""Targets as printed in real documents → what a finance officer reads in them.

Most strings are the printed targets of ``fixtures/real/*/truth.json`` (all 2023 documents:
the CAS observatories' department budget and three Shenzhen Songgang 项目申报表 workbooks);
the rest are the durations, deadlines and Chinese numerals seen in other real forms. Every
expected reading was worked out by hand from the string. ``cost=True`` is a 成本 indicator
(a bare 万 is 万元 there, as ``normalize_forms`` passes ``money_hint``); ``year`` is the form's
year, for dates printed without one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.normalize import parse_value
from jixiao.normalize.cnnum import cn_to_int

Q = "qualitative"
Y = "2023"  # the year of every document under fixtures/real


def case(raw: str, op: str | None = None, value: str | None = None,
         value_max: str | None = None, unit: str | None = None, kind: str = Q, *,
         year: str | None = None, cost: bool = False, yuan: int | None = None,
         start: str | None = None, end: str | None = None) -> Any:
    expected = (op, value, value_max, unit, kind, yuan, start, end)
    return pytest.param(raw, year, cost, expected, id=raw.replace("\n", "⏎"))


CASES = [
    # --- fixtures/real/cas-nao-2023-dept-budget
    case("≥5000小时", "≥", "5000", None, "小时", "period"),
    case("≥8PB", "≥", "8", None, "PB", "count"),  # a data volume: counted in an unlisted unit
    case("≥1000000条", "≥", "1000000", None, "条", "count"),
    case("≥92%", "≥", "92", None, "%", "percent"),
    case(">100篇", ">", "100", None, "篇", "count"),
    case("≥6次", "≥", "6", None, "次", "count"),
    case("100%", "=", "100", None, "%", "percent"),
    case("1台", "=", "1", None, "台", "count"),
    case("≤500万元", "≤", "500", None, "万元", "money", cost=True, yuan=5_000_000),
    case("≤692.51万元", "≤", "692.51", None, "万元", "money", cost=True, yuan=6_925_100),
    case("≥13万次", "≥", "13", None, "万次", "count"),
    case("LAMOST定期全球发布数据，FAST定期征集观测申请"),
    case("与国内有天文系的十几所高校建立合作，共同提高我国天文学研究水平"),  # 十几: no number
    case("承担和完成国家和院级重大项目落地的需要"),
    # --- fixtures/real/shenzhen-songgang-2023-xmsb-a
    case("1处", "=", "1", None, "处", "count"),
    case("达到95%以上", "≥", "95", None, "%", "percent"),
    case("3个工作日", "=", "3", None, "个工作日", "period"),
    case("出具评估报告总成本不超过0.3万元", "≤", "0.3", None, "万元", "money", cost=True,
         yuan=3000),
    case("不适用"),
    case("≥95分", "≥", "95", None, "分", "count"),  # a score
    case("3个小时内", "≤", "3", None, "小时", "period"),
    case("成本不超过13.7584万元", "≤", "13.7584", None, "万元", "money", cost=True,
         yuan=137584),
    case("明显"),
    case("1年", "=", "1", None, "年", "period"),
    case("饭堂总成本不超过48.14万", "≤", "48.14", None, "万", "money", cost=True, yuan=481400),
    case("15天以内", "≤", "15", None, "天", "period"),
    case("基本满意"),
    case("2小时之内", "≤", "2", None, "小时", "period"),
    case("1栋", "=", "1", None, "栋", "count"),
    case("达到90%", "≥", "90", None, "%", "percent"),  # 达到: at least
    case("半小时内", "≤", "0.5", None, "小时", "period"),
    # 一年 is "per year", not part of the unit: the cost is at most 24.67万 (元) a year.
    case("不超过24.67万一年", "≤", "24.67", None, "万", "money", cost=True, yuan=246700),
    case("119人", "=", "119", None, "人", "count"),
    case("两栋", "=", "2", None, "栋", "count"),
    case("90分以上", "≥", "90", None, "分", "count"),
    # 12月前: read as "by December" (month precision), not "by the end of November".
    case("2023年12月前", "≤", None, None, None, "date", year=Y, end="2023-12"),
    case("饭堂用餐人数93人，办公人数36人"),  # two quantities: no single target
    case("11个月", "=", "11", None, "个月", "period"),
    case("1天内", "≤", "1", None, "天", "period"),
    case("≥60", "≥", "60", None, None, "count"),
    case("每月/次"),
    # the year is the subject; the target is the amount
    case("2023年支付成本不超过300万元", "≤", "300", None, "万元", "money", year=Y, cost=True,
         yuan=3_000_000),
    case("大于5次", ">", "5", None, "次", "count"),
    case("良好"),
    case("2023年全年", "=", None, None, None, "period", year=Y, start="2023", end="2023"),
    case("不超过550万元", "≤", "550", None, "万元", "money", cost=True, yuan=5_500_000),
    # --- fixtures/real/shenzhen-songgang-2023-xmsb-b
    case("11月底前完成", "≤", None, None, None, "date", year=Y, end="2023-11-30"),
    case("≤1018.55万元", "≤", "1018.55", None, "万元", "money", cost=True, yuan=10_185_500),
    case("得到提升"),
    case("11月前完成发放", "≤", None, None, None, "date", year=Y, end="2023-11"),  # as 12月前
    case("1个月", "=", "1", None, "个月", "period"),
    case("不超过1万一年", "≤", "1", None, "万", "money", cost=True, yuan=10000),
    # Two numbers (lawyers and communities, both 13): the sentence is not one quantity.
    case("指派13个执业律师驻点13个社区"),
    case("控制在标准范围内", cost=True),
    case("不低于90%", "≥", "90", None, "%", "percent"),
    # 覆盖 is the verb, 住宅区 what is counted: 99 of them.
    case("覆盖99个住宅区（城中村）", "=", "99", None, "个", "count"),
    case("26场", "=", "26", None, "场", "count"),
    case("36%以上", "≥", "36", None, "%", "percent"),
    case("社区专职人员、下沉人员等共106人", "=", "106", None, "人", "count"),  # 共: a total
    case("总成本不超过69.95万一年", "≤", "69.95", None, "万", "money", cost=True, yuan=699500),
    # A time of day (6:30 every morning): no kind holds it, it stays text.
    case("每天早上6点半前到达", year=Y),
    case("每天早上六点半前到达", year=Y),
    case("一处", "=", "1", None, "处", "count"),
    case("服务期限2023.1.1-2025.12.31", "range", None, None, None, "period",
         start="2023-01-01", end="2025-12-31"),
    case("不超过36.9521万", "≤", "36.9521", None, "万", "money", cost=True, yuan=369521),
    case("80%", "=", "80", None, "%", "percent"),
    case("食品卫生环境得到改善"),
    # --- fixtures/real/shenzhen-songgang-2023-xmsb-c
    case("≧5000册", "≥", "5000", None, "册", "count"),
    case("≧95%", "≥", "95", None, "%", "percent"),
    case("每年11月30日前", "≤", None, None, None, "date", year=Y, end="2023-11-30"),
    case("3800家", "=", "3800", None, "家", "count"),
    case("≤13个", "≤", "13", None, "个", "count"),
    case("11月30日前", "≤", None, None, None, "date", year=Y, end="2023-11-30"),
    case("≧两场", "≥", "2", None, "场", "count"),
    case("当年12月之前", "≤", None, None, None, "date", year=Y, end="2023-12"),
    # per event: at most 20万元 each
    case("≦20万元/场", "≤", "20", None, "万元", "money", cost=True, yuan=200000),
    case("≥12000人次", "≥", "12000", None, "人次", "count"),
    case("2023年12月30日前", "≤", None, None, None, "date", year=Y, end="2023-12-30"),
    case("≦43.8万元", "≤", "43.8", None, "万元", "money", cost=True, yuan=438000),
    # 提升30%: the target is the rise itself, 30% (not "at least"; nothing says more is met).
    case("提升30%", "=", "30", None, "%", "percent"),
    case("2023年10月前", "≤", None, None, None, "date", year=Y, end="2023-10"),
    case("约1000元/人", "=", "1000", None, "元", "money", cost=True, yuan=1000),  # per person
    case("1万人", "=", "1", None, "万人", "count"),
    # Two indicators' targets in one cell (102 veterans, 120 students): not 102120.
    case("102\t\n120"),
    # The same target twice in one cell (two indicators, one target): that target.
    case("≥90%\t\n≥90%", "≥", "90", None, "%", "percent"),
    # 11月底 without 前 still names the deadline.
    case("11月底", "≤", None, None, None, "date", year=Y, end="2023-11-30"),
    case("不超过100万", "≤", "100", None, "万", "money", cost=True, yuan=1_000_000),
    case("≧1宗", "≥", "1", None, "宗", "count"),
    case("总成本不超9万", "≤", "9", None, "万", "money", cost=True, yuan=90000),
    case("得到保障"),
    case(""),
    # --- durations from other real forms
    case("30分钟内", "≤", "30", None, "分钟", "period"),
    case("2个工作日内", "≤", "2", None, "个工作日", "period"),
    case("一周内", "≤", "1", None, "周", "period"),
    case("24小时内", "≤", "24", None, "小时", "period"),
    case("三个工作日", "=", "3", None, "个工作日", "period"),
    case("≦5个工作日", "≤", "5", None, "个工作日", "period"),
    case("一个半小时", "=", "1.5", None, "小时", "period"),
    case("半年内", "≤", "0.5", None, "年", "period", year="2024"),  # a duration, not 年内
    # --- date ranges, month, quarter and half-year deadlines
    case("2024年1月-12月", "range", None, None, None, "period", start="2024-01", end="2024-12"),
    case("2024.1-2024.12", "range", None, None, None, "period", start="2024-01", end="2024-12"),
    case("12月底前", "≤", None, None, None, "date", year="2024", end="2024-12-31"),
    case("十二月底前", "≤", None, None, None, "date", year="2024", end="2024-12-31"),
    case("6月30日前", "≤", None, None, None, "date", year="2024", end="2024-06-30"),
    case("年底前", "≤", None, None, None, "date", year="2024", end="2024-12-31"),
    case("不晚于2024年6月30日", "≤", None, None, None, "date", end="2024-06-30"),
    case("≤ 2024-12-31", "≤", None, None, None, "date", end="2024-12-31"),
    case("2024-2026年", "range", None, None, None, "period", start="2024", end="2026"),
    # ≤12月 under 完成时间: by December or within 12 months? Kept as the duration it spells.
    case("≤12月", "≤", "12", None, "月", "period", year="2024"),
    case("第四季度", "=", None, None, None, "period", year="2024", start="2024-10-01",
         end="2024-12-31"),
    case("三季度末前", "≤", None, None, None, "date", year="2024", end="2024-09-30"),
    # 第三季度前: read like 12月前, by (the end of) that quarter.
    case("第三季度前", "≤", None, None, None, "date", year="2024", end="2024-09-30"),
    case("2024年第三季度", "=", None, None, None, "period", start="2024-07-01",
         end="2024-09-30"),
    case("上半年", "=", None, None, None, "period", year="2024", start="2024-01-01",
         end="2024-06-30"),
    case("下半年", "=", None, None, None, "period", year="2024", start="2024-07-01",
         end="2024-12-31"),
    # without the form's year: the kind of deadline, no date
    case("第四季度", "=", None, None, None, "period"),
    case("十二月底前", "≤", None, None, None, "date"),
    # --- Chinese numerals that count
    case("百分之九十五", "=", "95", None, "%", "percent"),
    case("百分之百", "=", "100", None, "%", "percent"),
    # 一百万元 is read in its printed unit, like 100万元: 100 万元 = 1000000 yuan.
    case("一百万元", "=", "100", None, "万元", "money", yuan=1_000_000),
    case("两次", "=", "2", None, "次", "count"),
    case("不少于二十人", "≥", "20", None, "人", "count"),
    case("达到九成", "≥", "90", None, "%", "percent"),  # 九成 = 90%; 达到: at least
    case("五成以上", "≥", "50", None, "%", "percent"),
    case("十万人次", "=", "10", None, "万人次", "count"),
    case("一万二千元", "=", "12000", None, "元", "money", yuan=12000),
    case("一亿五千万元", "=", "15000", None, "万元", "money", yuan=150_000_000),
    # --- words that hold a numeral but count nothing
    case("进一步提升"),
    case("一级指标"),
    case("统一规划"),
    case("一般"),
    case("万一"),
    case("一站式服务"),
    case("服务三农"),
    case("一次性补助到位"),
    case("一成不变"),
    case("有效提升"),
    case("明显改善"),
]


def test_there_are_at_least_70_real_targets() -> None:
    assert len(CASES) >= 70
    assert len({(c.values[0], c.values[1]) for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("raw", "year", "cost", "expected"), CASES)
def test_real_target(raw: str, year: str | None, cost: bool, expected: tuple[Any, ...]) -> None:
    op, value, value_max, unit, kind, yuan, start, end = expected
    got = parse_value(raw, year=year, money_hint=cost)
    assert (got.op, got.unit, got.kind) == (op, unit, kind)
    assert got.value == (Decimal(value) if value is not None else None)
    assert got.value_max == (Decimal(value_max) if value_max is not None else None)
    assert got.yuan == (Decimal(yuan) if yuan is not None else None)
    assert (got.start, got.end) == (start, end)


@pytest.mark.parametrize(("text", "number"), [
    ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("九十五", 95),
    ("一百", 100), ("一百零五", 105), ("一百一十", 110), ("三千", 3000), ("一万二千", 12000),
    ("十万", 100000), ("一亿五千万", 150000000),
    ("万一", None), ("一二", None), ("十百", None), ("百", None), ("", None),
])
def test_chinese_numerals(text: str, number: int | None) -> None:
    assert cn_to_int(text) == number
