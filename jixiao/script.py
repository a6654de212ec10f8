"""Traditional and simplified script: the one table jixiao folds with (labels, values, and
the OCR's script check)."""

from __future__ import annotations

# Traditional → simplified for the characters that occur in these forms' labels and values
# (the one table: values are folded with it too, ``normalize.text.canon``).
_TRAD = str.maketrans(
    "項預績標級門單實際據確準質數時經濟會態續響滿務對稱編碼屬劃計畫額資產總開終審報種類"
    "歲內於與幣價設備運轉結餘撥款財專戶稅費導綜團隊風險評讀書環護發長區縣鄉鎮機關報聯絡負責簽"
    "應復興衛醫療養護障礙齡兒農業條規範檢驗辦證決實現節約處級別圍組織傳統員設計劃優統"
    "說題標準產數效與養續萬個場層臺億幾離達兩週點無適沒",
    "项预绩标级门单实际据确准质数时经济会态续响满务对称编码属划计画额资产总开终审报种类"
    "岁内于与币价设备运转结余拨款财专户税费导综团队风险评读书环护发长区县乡镇机关报联络负责签"
    "应复兴卫医疗养护障碍龄儿农业条规范检验办证决实现节约处级别围组织传统员设计划优统"
    "说题标准产数效与养续万个场层台亿几离达两周点无适没",
)
# The table as {traditional: simplified}.
TRADITIONAL = {chr(k): chr(v) for k, v in _TRAD.items() if k != v}

__all__ = ["TRADITIONAL", "fold"]


def fold(text: str) -> str:
    """Traditional to simplified, for matching only."""
    return text.translate(_TRAD)
