"""Target strings → op, value, value_max, unit, kind: real strings from the seeds, the
variants and DOMAIN.md, with the meaning read off by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.normalize import parse_value

Q = "qualitative"
# raw, op, value, value_max, unit, kind
CASES: list[tuple[str, str | None, str | None, str | None, str | None, str]] = [
    # seeds: Yuanjiang and Laoting
    ("0件", "=", "0", None, "件", "count"),
    ("1.6万元", "=", "1.6", None, "万元", "money"),
    ("10.88万元", "=", "10.88", None, "万元", "money"),
    ("100%", "=", "100", None, "%", "percent"),
    ("10万元", "=", "10", None, "万元", "money"),
    ("10元", "=", "10", None, "元", "money"),
    ("12.8万元", "=", "12.8", None, "万元", "money"),
    ("12.8万户", "=", "12.8", None, "万户", "count"),
    ("14个镇、街道、中心", "=", "14", None, "个", "count"),
    ("1年", "=", "1", None, "年", "period"),
    ("1次", "=", "1", None, "次", "count"),
    ("2024年10月31日前", "≤", None, None, None, "date"),
    ("2024年12月31日前", "≤", None, None, None, "date"),
    ("2024年12月31日前发放到位", "≤", None, None, None, "date"),
    ("2024年12月31日前表彰到位", "≤", None, None, None, "date"),
    ("20个", "=", "20", None, "个", "count"),
    ("2100人数", "=", "2100", None, "人数", "count"),
    ("2次", "=", "2", None, "次", "count"),
    ("4次", "=", "4", None, "次", "count"),
    ("5.12万元", "=", "5.12", None, "万元", "money"),
    ("526件", "=", "526", None, "件", "count"),
    ("59.8万元", "=", "59.8", None, "万元", "money"),
    ("5万元", "=", "5", None, "万元", "money"),
    ("6年", "=", "6", None, "年", "period"),
    ("90%", "=", "90", None, "%", "percent"),
    ("905", "=", "905", None, None, "count"),
    ("93%", "=", "93", None, "%", "percent"),
    (">10", ">", "10", None, None, "count"),
    (">=95%", "≥", "95", None, "%", "percent"),
    ("≤10小时", "≤", "10", None, "小时", "period"),
    ("≤2件", "≤", "2", None, "件", "count"),
    ("≤800元", "≤", "800", None, "元", "money"),
    ("≥10000篇", "≥", "10000", None, "篇", "count"),
    ("≥100元", "≥", "100", None, "元", "money"),
    ("≥120个", "≥", "120", None, "个", "count"),
    ("≥12次", "≥", "12", None, "次", "count"),
    ("≥1次", "≥", "1", None, "次", "count"),
    ("≥200人", "≥", "200", None, "人", "count"),
    ("≥300人次", "≥", "300", None, "人次", "count"),
    ("≥30万份", "≥", "30", None, "万份", "count"),
    ("≥4批次", "≥", "4", None, "批次", "count"),
    ("≥500件", "≥", "500", None, "件", "count"),
    ("≥90%", "≥", "90", None, "%", "percent"),
    ("≥95%", "≥", "95", None, "%", "percent"),
    ("合格论文4篇", "=", "4", None, "篇", "count"),
    ("不让英雄流血流泪", None, None, None, None, Q),
    ("促进政府经济增长", None, None, None, None, Q),
    ("有明显帮助", None, None, None, None, Q),
    ("效果明显", None, None, None, None, Q),
    ("满意度逐步提高", None, None, None, None, Q),
    ("长期", None, None, None, None, Q),
    ("全时可用", None, None, None, None, Q),
    # DOMAIN.md and the issue: full-width and compatibility forms, words, periods
    ("≥10000篇", "≥", "10000", None, "篇", "count"),
    ("≤65万元", "≤", "65", None, "万元", "money"),
    ("＝100%", "=", "100", None, "%", "percent"),
    ("﹦100％", "=", "100", None, "%", "percent"),
    ("≧90%", "≥", "90", None, "%", "percent"),
    ("≦5件", "≤", "5", None, "件", "count"),
    ("＞95%", ">", "95", None, "%", "percent"),
    ("＜3次", "<", "3", None, "次", "count"),
    ("＞＝95％", "≥", "95", None, "%", "percent"),
    ("<=10个工作日", "≤", "10", None, "个工作日", "period"),
    ("不低于95%", "≥", "95", None, "%", "percent"),
    ("不少于500件", "≥", "500", None, "件", "count"),
    ("不超过10万元", "≤", "10", None, "万元", "money"),
    ("不高于5%", "≤", "5", None, "%", "percent"),
    ("500件以上", "≥", "500", None, "件", "count"),
    ("90%以上", "≥", "90", None, "%", "percent"),
    ("5个工作日以内", "≤", "5", None, "个工作日", "period"),
    ("3天内", "≤", "3", None, "天", "period"),
    ("百分之95", "=", "95", None, "%", "percent"),
    ("95百分比", "=", "95", None, "百分比", "percent"),
    ("250万元", "=", "250", None, "万元", "money"),
    ("72890元", "=", "72890", None, "元", "money"),
    ("2023.07-2024.01", "range", None, None, None, "period"),
    ("2023年4月-2024年2月", "range", None, None, None, "period"),
    ("2024年1月-12月", "range", None, None, None, "period"),
    ("90%-95%", "range", "90", "95", "%", "percent"),
    ("90～95%", "range", "90", "95", "%", "percent"),
    ("5万元-10万元", "range", "5", "10", "万元", "money"),
    ("1:1", "=", "1", None, None, "ratio"),
    ("3‰", "=", "3", None, "‰", "ratio"),
    # the split-target and traditional variants
    ("≥200人", "≥", "200", None, "人", "count"),
    ("≧95％", "≥", "95", None, "%", "percent"),
    ("≤20萬元", "≤", "20", None, "万元", "money"),
    ("不少於500件", "≥", "500", None, "件", "count"),
    ("滿意度≥90%", "≥", "90", None, "%", "percent"),
    ("明顯提升", None, None, None, None, Q),
    # ≥100% can only mean =100%
    ("≥100%", "=", "100", None, "%", "percent"),
    # prose that merely holds a number stays text
    ("1.对见义勇为行为人救治、表彰和奖励", None, None, None, None, Q),
    ("前3名", None, None, None, None, Q),
]


def test_there_are_at_least_80_cases() -> None:
    assert len(CASES) >= 80
    assert len({c[0] for c in CASES}) >= 80


@pytest.mark.parametrize(("raw", "op", "value", "value_max", "unit", "kind"), CASES,
                         ids=[c[0] for c in CASES])
def test_target(raw: str, op: str | None, value: str | None, value_max: str | None,
                unit: str | None, kind: str) -> None:
    got = parse_value(raw)
    assert (got.op, got.unit, got.kind) == (op, unit, kind)
    assert got.value == (Decimal(value) if value is not None else None)
    assert got.value_max == (Decimal(value_max) if value_max is not None else None)


@pytest.mark.parametrize(("raw", "yuan"), [
    ("1.6万元", 16000), ("≤65万元", 650000), ("10元", 10), ("≤20萬元", 200000),
    ("5万元-10万元", 50000), ("72890元", 72890), ("10.88万元", 108800),
])
def test_money_in_yuan(raw: str, yuan: int) -> None:
    assert parse_value(raw).yuan == yuan


@pytest.mark.parametrize(("raw", "start", "end"), [
    ("2024年12月31日前", None, "2024-12-31"),
    ("2024年10月31日前", None, "2024-10-31"),
    ("2024.12.31前", None, "2024-12-31"),
    ("2024年12月底前", None, "2024-12-31"),
    ("2024年底前", None, "2024-12-31"),
    ("2023.07-2024.01", "2023-07", "2024-01"),
    ("2023年4月-2024年2月", "2023-04", "2024-02"),
    ("2024年1月-12月", "2024-01", "2024-12"),
    ("2024年1月1日至2024年6月30日", "2024-01-01", "2024-06-30"),
])
def test_dates_and_periods(raw: str, start: str | None, end: str | None) -> None:
    got = parse_value(raw)
    assert (got.start, got.end) == (start, end)


def test_a_date_without_year_takes_the_forms_year() -> None:
    assert parse_value("12月底前", year="2024").end == "2024-12-31"
    assert parse_value("年底前完成", year="2023").end == "2023-12-31"
    assert parse_value("12月底前").end is None


def test_hints_from_the_indicator() -> None:
    assert parse_value("9.6万").kind == "count"  # 万 alone: could be 万人, 万份 …
    cost = parse_value("9.6万", money_hint=True)
    assert (cost.kind, cost.yuan) == ("money", 96000)
    assert parse_value("100", percent_hint=True).kind == "percent"


def test_normalized_forms_are_valid_models(seed_documents: dict[str, Any]) -> None:
    """Normalization writes typed values without pydantic's assignment path: the result
    must be exactly what validating the same data gives."""
    from jixiao.schemas import Document

    for doc in seed_documents.values():
        again = Document.model_validate(doc.model_dump())
        assert again == doc
        assert again.model_dump_json() == doc.model_dump_json()
