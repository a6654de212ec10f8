"""The words that identify labels, columns and form kinds (simplified and traditional).

Matching always runs on ``key(text)``: no white space, traditional folded to simplified,
full-width colon and a leading ``其中：`` removed. Output keeps the printed wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Traditional → simplified for the characters that occur in these forms' labels.
_TRAD = str.maketrans(
    "項預績標級門單實際據確準質數時經濟會態續響滿務對稱編碼屬劃計畫額資產總開終審報種類"
    "歲內於與幣價設備運轉結餘撥款財專戶稅費導綜團隊風險評讀書環護發長區縣鄉鎮機關報聯絡負責簽"
    "應復興衛醫療養護障礙齡兒農業條規範檢驗辦證決實現節約處級別圍組織傳統員設計劃優統",
    "项预绩标级门单实际据确准质数时经济会态续响满务对称编码属划计画额资产总开终审报种类"
    "岁内于与币价设备运转结余拨款财专户税费导综团队风险评读书环护发长区县乡镇机关报联络负责签"
    "应复兴卫医疗养护障碍龄儿农业条规范检验办证决实现节约处级别围组织传统员设计划优统",
)
_SPACE = re.compile(r"\s+")
_QIZHONG = re.compile(r"^其中[：:]?")
_UNIT_NOTE = re.compile(r"[（(](?:[^（()）]*[，,、])?(万元|元|%|％|亿元|千元)[）)]$")
# A bracketed note after a label: （跨度多年的项目需填）, （中期规划，万元）.
_NOTE = re.compile(r"(?<=.)[（(][^（()）]*[）)]$")


def fold(text: str) -> str:
    """Traditional to simplified, for matching only."""
    return text.translate(_TRAD)


@lru_cache(maxsize=16384)
def clean_label(text: str) -> str:
    """A label as it should be reported: no white space, no ``其中：``, no trailing colon."""
    out = _SPACE.sub("", text)
    out = _QIZHONG.sub("", out)
    return out.rstrip("：:")


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """Matching key of a label: cleaned, folded, without a trailing bracketed note (a unit,
    ``（跨度多年的项目需填）``…)."""
    return _NOTE.sub("", fold(clean_label(text)))


def unit_note(text: str) -> str | None:
    """The unit a label announces, e.g. ``年度预算申请（万元）`` → ``万元``."""
    match = _UNIT_NOTE.search(fold(clean_label(text)))
    return match.group(1) if match else None


# Labels that name a field for sure: the cell to their right is their value.
STRONG_LABELS = frozenset(
    """
    项目名称 项目支出名称 项目编码 项目代码 预算部门 主管部门 实施单位 部门名称 单位名称 填报单位
    预算单位 项目属性 项目类型 项目类别 实施期 项目支出实施期 项目实施期 起止时间 项目期限
    实施周期 预算数 年度本级预算金额 预算金额 年度预算金额 资金总额 年度资金总额 项目总预算
    预算总额 财政资金 财政拨款 其他资金 上级资金 该项目支出上级资金 本级资金 一般公共预算
    一般公共预算拨款 政府性基金 政府性基金拨款 纳入专户管理的非税收入拨款 专户管理非税收入
    基本支出 项目支出 申请单位 一级预算单位 主管部门及代码 实施期限 本年度项目金额 项目总金额
    年度目标 长期目标 实施期绩效目标 中期绩效目标 长期绩效目标 本年度绩效目标 年度绩效目标
    绩效目标 整体绩效目标 年度总体目标 总体目标 部门职能 部门职能职责概述 职责概述 资金用途
    预算规模及资金用途 年度预算申请 项目概况 立项依据 单位 金额单位 联系人 联系电话
    """.split()  # noqa: SIM905 - one word list reads better than a quoted list
)

# Endings that make a short cell text probably a label (only used when its neighbour is
# plainly a value, because project names end with these too: 网格员专项资金).
WEAK_SUFFIXES = (
    "名称", "编码", "部门", "单位", "金额", "资金", "预算数", "实施期", "目标", "职能", "概述",
    "用途", "期限", "时间", "属性", "拨款", "支出",
)

BUDGET_TOTAL = (
    "年度本级预算金额", "本年度项目金额", "预算数", "资金总额", "年度资金总额", "预算金额",
    "年度预算金额", "项目总预算", "预算总额",
)
MONEY_PART_HINTS = ("资金", "拨款", "预算", "支出", "收入")
# Labels with a money word that hold prose, not an amount.
NOT_MONEY_ENDINGS = (
    "用途", "目标", "说明", "依据", "概述", "职能", "计划", "情况", "来源", "名称", "部门", "单位",
    "编码", "代码", "实施期", "期限", "时间", "属性", "类型", "类别", "周期",
)
PROJECT_NAME = ("项目名称", "项目支出名称")
PROJECT_CODE = ("项目编码", "项目代码")
# The unit the form is for: the one that applies (申请单位) before its first-level parent.
DEPARTMENT = ("预算部门", "主管部门", "主管部门及代码", "申请单位", "一级预算单位", "部门名称",
              "预算单位", "单位名称", "实施单位")
PERIOD = ("项目支出实施期", "实施期", "项目实施期", "实施期限", "起止时间", "项目期限", "实施周期")
GOALS_LONG = ("实施期绩效目标", "中期绩效目标", "长期绩效目标", "实施期目标", "长期目标")
GOALS_ANNUAL = ("本年度绩效目标", "年度绩效目标", "整体绩效目标", "年度总体目标", "绩效目标",
                "总体目标", "年度目标")
SPENDING_PLAN_HINTS = ("支出计划", "用款计划", "资金计划", "支出进度")

# Indicator grid columns: role → words its header contains (checked in this order).
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标", "指标名称")),
    ("basis", ("确定依据", "绩效标准", "评价标准", "备注")),
    ("description", ("指标描述", "指标解释", "指标内容", "指标说明")),
    ("actual", ("实际完成值", "实际值", "完成值")),
    ("target", ("指标值", "目标值")),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
    ("deviation", ("偏差",)),
)

FOOTER_HINTS = ("填表人", "联系电话", "填报日期", "负责人")
HEADER_NOTE_HINTS = ("填报单位", "单位：", "单位:")


def is_strong_label(text: str) -> bool:
    return key(text) in STRONG_LABELS


@lru_cache(maxsize=16384)
def looks_like_label(text: str) -> bool:
    """Strong vocabulary, a short text ending with a colon, or a short text with a label ending."""
    k = key(text)
    if not k or len(k) > 24:
        return False
    if k in STRONG_LABELS:
        return True
    stripped = text.strip()
    if stripped.endswith(("：", ":")) and not re.search(r"[，。；,;]", k):
        return True
    return len(k) <= 16 and k.endswith(WEAK_SUFFIXES) and not re.search(r"\d", k)
