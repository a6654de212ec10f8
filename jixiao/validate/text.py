"""Text that was cut, doubled, pasted or misfiled: what an export system or a hurried
copy-paste leaves in a form.

- ``text.truncated``: a long text that stops at a field limit (exactly 255, 300, 500, 1000,
  2000 or 4000 characters) or on a colon that announces what never comes (``…按以下方法进
  行核定：``).
- ``text.duplicate_fields``: two different fields with the same text (政策依据 = 测算依据).
- ``text.typography``: a word of three or more characters typed twice in a row
  (``望远镜望远镜``), an ASCII ``"`` in Chinese text (what a CSV export or an English
  keyboard leaves: Chinese quotes are “”), brackets that do not match (``(城市维护类）``,
  ``“两新“``; list numbers ``1）`` aside), two ASCII dots after Chinese (``参训率..``).
- ``text.placeholder``: a text field (依据, 目标, 用途, 说明) holding one or two characters or a
  bare number (测算依据 ``1``, 长期目标 ``无``).
- ``indicator.packed``: several indicators typed into one row, one per line, names and
  targets alike.
- ``indicators.missing_category``: no 产出 or no 效益 indicator at all (info when the
  category is there but only as 不适用 rows).
- ``indicator.misfiled``: a rate of quality (合格率, 达标率 …) filed under 数量指标.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.normalize import has_word
from jixiao.schemas import Finding, Form
from jixiao.validate.rules import finding

FIELD_LIMITS = frozenset((255, 256, 300, 500, 512, 1000, 1024, 2000, 4000))
_SENTENCE_END = tuple("。．.！!？?；;）)」”\"'")
_REPEATED = re.compile(r"([\u4e00-\u9fff]{3,8})\1")
# 1) 2) … or a) b): list numbers closed by a bracket alone, not a bracket left open.
_ENUMERATION = re.compile(
    r"(?:^|(?<=[\s，。；;、：:]))[0-9a-zA-Z一二三四五六七八九十]{1,2}[)）]", re.M)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DOTS = re.compile(r"[\u4e00-\u9fff]\.{2}(?!\.)")
_OPEN, _CLOSE = "(（[［【「“", ")）]］】」”"
_PAIRS = dict(zip(_OPEN, _CLOSE, strict=True))
_QUALITY_RATES = ("合格率", "达标率", "优良率", "通过率", "准确率", "正确率", "验收合格")
CATEGORIES = (("产出", "产出指标"), ("效益", "效益指标"))
MIN_DUPLICATE = 20  # characters two fields must share to count as a paste


def truncated(form: Form) -> Iterator[Finding]:
    for field in form.fields:
        value = field.value.rstrip()
        if len(value) in FIELD_LIMITS and not value.endswith(_SENTENCE_END):
            yield finding(
                "text.truncated", form,
                f"“{field.label}”正好{len(value)}个字且未以句号结束，疑被系统字数上限截断。",
                cell=field.cell, value=value[-20:],
            )
        elif len(value) > 20 and value.endswith(("：", ":")):
            yield finding(
                "text.truncated", form,
                f"“{field.label}”以冒号结尾（“…{value[-12:]}”），其后内容缺失。",
                cell=field.cell, value=value[-20:],
            )


_PROSE_LABELS = ("依据", "目标", "用途", "说明", "概况", "内容")


def placeholder(form: Form) -> Iterator[Finding]:
    for field in form.fields:
        value = field.value.strip()
        if value and has_word(field.label, _PROSE_LABELS) and (
                len(value) <= 2 or re.fullmatch(r"[\d.,]+", value)):
            yield finding(
                "text.placeholder", form,
                f"“{field.label}”只填了“{value}”，未写明实际内容。",
                cell=field.cell, value=value,
            )


def duplicate_fields(form: Form) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    goals = {form.goals.annual, form.goals.long_term}  # goals.identical speaks of those
    for field in form.fields:
        text = re.sub(r"\s+", "", field.value)
        if len(text) < MIN_DUPLICATE or field.value in goals:
            continue
        if text in seen and seen[text] != field.label:
            yield finding(
                "text.duplicate_fields", form,
                f"“{field.label}”与“{seen[text]}”内容完全相同，疑为复制粘贴。",
                cell=field.cell, value=field.value[:40],
            )
        seen.setdefault(text, field.label)


def _unbalanced(text: str) -> str | None:
    """The first bracket that does not match its partner, else None."""
    stack: list[str] = []
    for ch in _ENUMERATION.sub("", text):
        if ch in _PAIRS:
            stack.append(ch)
        elif ch in _CLOSE and (not stack or _PAIRS[stack.pop()] != ch):
            return ch
    return stack[0] if stack else None


def typography(form: Form) -> Iterator[Finding]:
    texts = [(f.label, f.value, f.cell) for f in form.fields if f.value]
    texts += [(i.level3, i.level3, i.cell) for i in form.indicators if i.level3]
    for label, text, cell in texts:
        problem = None
        repeated = _REPEATED.search(text)
        if repeated:
            problem = f"“{repeated.group(1)}”连写两次"
        elif '"' in text and _CJK.search(text):
            problem = '留有英文引号"（中文应为“”）'
        elif (bracket := _unbalanced(text)) is not None:
            problem = f"括号“{bracket}”不配对"
        elif _DOTS.search(text):
            problem = "有紧随中文的英文句点“..”"
        if problem:
            yield finding("text.typography", form, f"“{label}”中{problem}，请核对。",
                          cell=cell, value=text[:40])


def packed(form: Form) -> Iterator[Finding]:
    for ind in form.indicators:
        names = [n for n in ind.level3.splitlines() if n.strip()]
        targets = [t for t in ind.target.raw.splitlines() if t.strip()]
        if len(names) > 1 and len(names) == len(targets):
            yield finding(
                "indicator.packed", form,
                f"一行中填了{len(names)}项指标（{'、'.join(n.strip() for n in names)}），"
                "应分行填写，各自设定指标值。",
                cell=ind.cell, value=ind.target.raw,
            )


def missing_category(form: Form) -> Iterator[Finding]:
    live = [i for i in form.indicators if not i.empty]
    if not live or form.kind == "department_goals" or not any(i.level1 for i in live):
        return  # a grid that prints no 一级 column (指标名称 | 指标值) names no category
    for word, name in CATEGORIES:
        rows = [i for i in live if has_word(i.level1, (word,))]
        if not rows:
            yield finding("indicators.missing_category", form,
                          f"本表没有{name}：绩效指标应包括产出和效益两类。")
        elif all(i.not_applicable for i in rows):
            yield finding("indicators.category_not_applicable", form,
                          f"{name}各行均填“不适用”。", cell=rows[0].cell)


def misfiled(form: Form) -> Iterator[Finding]:
    for ind in form.indicators:
        if has_word(ind.level2, ("数量",)) and has_word(ind.level3, _QUALITY_RATES):
            yield finding(
                "indicator.misfiled", form,
                f"“{ind.level3}”衡量的是质量，却列在{ind.level2}下，应归入质量指标。",
                cell=ind.cell, value=ind.level3,
            )


CHECKS = (truncated, placeholder, duplicate_fields, typography, packed, missing_category, misfiled)
