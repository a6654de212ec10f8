"""The rules for the errors real documents carry (fixtures/real/README: yuan typed under a
万元 label, zero budgets, blank forms, text cut at a field limit …), each on a small form
built by hand: it fires on the fault and stays quiet without it."""

from __future__ import annotations

from jixiao.schemas import Amount, Budget, FormField, Goals, ProjectInfo
from tests.validate.test_rules import budget, form, ind, rules

DEPT = ProjectInfo(name="社区工作站经费", department="深圳市宝安区松岗街道办事处（本级）")
FULL = [ind("效益指标", "社会效益指标", "居民获得感", "明显提升"),
        ind("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%")]


def test_yuan_under_a_wan_label_against_a_cost_target() -> None:
    cost = ind("产出指标", "成本指标", "总成本", "总成本不超过0.3万元")
    assert rules(form(budget=budget("3,000.00"), indicators=[cost, *FULL])) == [
        "money.unit_scale"]
    assert rules(form(budget=budget("0.30"), indicators=[cost, *FULL])) == []


def test_yuan_under_a_wan_label_against_the_basis_items_summed() -> None:
    basis = FormField(label="测算依据",
                      value="租金4.494万元，水电2万元，伙食10.886万元，宿舍6.72万元。")
    assert rules(form(budget=budget("241,000.00"), fields=[basis])) == ["money.unit_scale"]
    assert rules(form(budget=budget("24.10"), fields=[basis])) == []


def test_a_per_unit_cost_is_no_evidence_of_the_unit() -> None:
    per_head = ind("产出指标", "成本指标", "人均培训成本", "≤800元")  # 10,000 people: plausible
    assert rules(form(budget=budget("800"), indicators=[per_head, *FULL])) == []


def test_a_budget_too_large_for_the_unit_s_level() -> None:
    assert rules(form(project=DEPT, budget=budget("162,339.00"))) == ["money.implausible"]
    assert rules(form(project=DEPT, budget=budget("5,000.00"))) == []  # 5000万元: plausible
    big = ProjectInfo(name="地铁建设", department="深圳市地铁集团")  # no level: no limit
    assert rules(form(project=big, budget=budget("3,000,000.00"))) == []


def test_a_zero_budget_with_indicators_and_a_blank_form() -> None:
    cost = ind("产出指标", "成本指标", "总成本", "≤15万元")
    assert rules(form(budget=budget("0.00"), indicators=[cost, *FULL])) == ["money.zero_budget"]
    blank = [ind("产出指标", "数量指标", "", "", empty=True) for _ in range(3)]
    assert rules(form(budget=budget("0.00"), indicators=blank)) == ["form.blank_indicators"]


def test_not_applicable_rows_raise_nothing() -> None:
    na = [ind("满意度指标", "服务对象满意度指标", "不适用", "不适用", not_applicable=True),
          ind("产出指标", "时效指标", "不适用", "不适用", not_applicable=True)]
    assert rules(form(indicators=[ind("产出指标", "数量指标", "服务人次", "≥100人次"),
                                  *FULL[:1], *na])) == []


def test_a_category_missing_or_only_not_applicable() -> None:
    only_output = [ind("产出指标", "数量指标", "服务人次", "≥100人次")]
    assert rules(form(indicators=only_output), whole_set=True) == [
        "indicators.missing_category"]
    na = ind("效益指标", "经济效益指标", "不适用", "不适用", not_applicable=True)
    assert rules(form(indicators=[*only_output, na]), whole_set=True) == [
        "indicators.category_not_applicable"]
    assert rules(form(indicators=[*only_output, *FULL]), whole_set=True) == []
    # a grid that prints no 一级 column (指标名称 | 指标值) names no category to miss
    unlevelled = [ind("", "", "养护里程", "≥100公里"), ind("", "", "群众满意度", "≥90%")]
    assert rules(form(indicators=unlevelled), whole_set=True) == []


def test_declared_weights_are_the_total_to_check() -> None:
    inds = [ind("产出指标", "数量指标", "观测时间", "≥5000小时", weight="60"),
            ind("效益指标", "社会效益指标", "开放共享", "定期发布", weight="30")]
    execution_points = FormField(label="执行率分值", value="10")
    assert rules(form(indicators=inds, weight_total="90", fields=[execution_points])) == []
    assert rules(form(indicators=inds, fields=[execution_points])) == []  # 60+30+10 = 100
    assert rules(form(indicators=inds, weight_total="80")) == ["score.weights_total"]


def test_several_indicators_in_one_row_and_a_quality_rate_under_quantity() -> None:
    packed = ind("产出指标", "数量指标", "服务老干部人数\n服务学员数", "102\t\n120")
    misfiled = ind("产出指标", "数量指标", "设备验收合格率", "100%")
    assert rules(form(indicators=[packed, misfiled, *FULL])) == [
        "indicator.packed", "indicator.misfiled"]


def test_text_cut_at_a_field_limit_or_on_a_colon() -> None:
    prose = "".join(chr(0x4E00 + 7 * i) for i in range(300))  # no word repeated
    cut = FormField(label="政策依据", value=prose)
    colon = FormField(label="政策依据",
                      value="根据区财政局文件精神，结合本社区实际，按以下方法进行核定：")
    whole = FormField(label="政策依据", value=prose[:299] + "。")
    assert rules(form(fields=[cut, colon, whole])) == ["text.truncated", "text.truncated"]


def test_placeholders_and_pasted_fields() -> None:
    text = "根据《关于加强两新组织党建工作的通知》安排全年经费，用于党组织活动阵地建设。"
    fields = [FormField(label="测算依据", value="1"), FormField(label="政策依据", value=text),
              FormField(label="测算依据", value=text), FormField(label="项目编码", value="1")]
    assert rules(form(fields=fields)) == [
        "text.placeholder", "text.duplicate_fields"]


def test_typography() -> None:
    fields = [FormField(label="年度总体目标", value="对2.16米望远镜望远镜本体进行升级。"),
              FormField(label="政策依据", value='"一、项目背景：依据区里文件。'),
              FormField(label="项目名称", value="政府购买服务(城市维护类）"),
              FormField(label="年度目标", value="丰富各级“两新”组织活动，谢谢配合。"),
              FormField(label="三级指标", value="社区党员干部队伍的参训率.."),
              FormField(label="测算依据", value="费用包括：1）租金；2）水电。")]
    assert rules(form(fields=fields)) == ["text.typography"] * 4


def test_goals_identical_are_not_also_pasted_fields() -> None:
    goal = "持续推进社区治理体系建设，提升居民群众的获得感和满意度水平。"
    fields = [FormField(label="年度目标", value=goal), FormField(label="长期目标", value=goal)]
    assert rules(form(fields=fields, goals=Goals(annual=goal, long_term=goal))) == [
        "goals.identical"]


def test_recurring_deadlines_state_a_time() -> None:
    inds = [ind("产出指标", "时效指标", "送货时效性", "每天早上6点半前到达"),
            ind("产出指标", "时效指标", "发放及时性", "每月/次"),
            ind("产出指标", "时效指标", "作业及时性", "及时")]
    assert rules(form(indicators=inds)) == ["indicator.timeliness"]


def test_amount_helpers_keep_a_budget_without_unit_note_in_wan() -> None:
    b = Budget(total=Amount(raw="16,158.00"))
    assert rules(form(budget=b)) == []
