"""Copy-paste: template prompts left in cells, identical goals, one indicator set reused
across different projects."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.normalize import canon
from jixiao.schemas import CellRef, Finding, Form
from jixiao.validate.rules import finding

# Prompts of the templates: (100字以内), XX / ×× placeholders, ellipses, 分级填报, 请填写.
_PROMPT = re.compile(
    r"[（(]\s*\d+\s*字以[内下]\s*[）)]|(?<![A-Za-z])(?:XX|xx|××)(?![A-Za-z])|…|\.{3}"
    r"|[（(]\s*分级填报\s*[）)]|请填写|请输入|此处填写"
)
# Plain substrings one of which every prompt above holds: a cheap test of a whole form first.
_PROMPT_HINTS = ("字以", "XX", "xx", "××", "…", "...", "分级填报", "请填写", "请输入", "此处填写")
MIN_SHARED_INDICATORS = 3


def _texts(form: Form) -> Iterator[tuple[str, str, CellRef | None]]:
    for f in form.fields:
        yield f.label, f.value, f.cell
    for ind in form.indicators:
        for text in (ind.level3, ind.description, ind.target.raw, ind.basis):
            if text:
                yield ind.level3, text, ind.cell


def template_prompts(form: Form) -> Iterator[Finding]:
    texts = list(_texts(form))
    joined = "\n".join(t for _, t, _ in texts)
    if not any(h in joined for h in _PROMPT_HINTS):
        return  # prompts are rare: one cheap look at the whole form first
    seen: set[tuple[str, str]] = set()
    for where, text, cell in texts:
        match = _PROMPT.search(text)
        if match and (where, text) not in seen:
            seen.add((where, text))
            yield finding(
                "template.prompt", form,
                f"“{where}”中仍留有模板提示“{match.group()}”，请填写实际内容。",
                cell=cell, value=text,
            )


def identical_goals(form: Form) -> Iterator[Finding]:
    long_term, annual = form.goals.long_term, form.goals.annual
    if long_term and annual and canon(long_term) == canon(annual):
        yield finding(
            "goals.identical", form,
            "实施期绩效目标与本年度绩效目标完全相同，年度目标应是实施期目标的年度分解。",
            value=annual,
        )


SIMILAR = 0.8  # share of indicators two sets have in common (Jaccard) to count as a copy


def _names(form: Form) -> frozenset[tuple[str, str]]:
    return frozenset(
        (canon(i.level3), canon(i.description or "")) for i in form.indicators if not i.empty
    )


def _values(form: Form) -> frozenset[tuple[str, str]]:
    return frozenset(
        (canon(i.level3), canon(i.target.raw)) for i in form.indicators if not i.empty
    )


def _similar(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    return len(a & b) >= SIMILAR * len(a | b)


def _copies(forms: list[Form]) -> list[list[Form]]:
    """Groups of forms whose indicator names (and descriptions) are (nearly) the same."""
    names = [_names(f) for f in forms]
    parent = list(range(len(forms)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(forms)):
        if len(names[i]) < MIN_SHARED_INDICATORS:
            continue
        for j in range(i + 1, len(forms)):
            if len(names[j]) >= MIN_SHARED_INDICATORS and _similar(names[i], names[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[Form]] = {}
    for i, form in enumerate(forms):
        groups.setdefault(root(i), []).append(form)
    return [g for g in groups.values() if len(g) > 1]


def _name(form: Form) -> str:
    return form.project.name or form.title or form.id


def reused_indicators(forms: list[Form]) -> Iterator[Finding]:
    """Forms of different projects whose indicator sets are copies of each other: the same
    names and descriptions, with the same targets or with only the targets changed."""
    for group in _copies(forms):
        if len({_name(f) for f in group}) < 2:
            continue  # one project in several tables (long-term and annual)
        values = {id(f): _values(f) for f in group}  # each form's set once, not per pair
        for form in group:
            others = [f for f in group if f is not form]
            same_values = all(_similar(values[id(form)], values[id(f)]) for f in others)
            listed = "、".join(_name(f) for f in others[:5]) + ("等" if len(others) > 5 else "")
            what = "名称、描述和指标值" if same_values else "名称和描述（仅指标值不同）"
            yield finding(
                "indicators.reused", form,
                f"本项目的{len(_names(form))}项绩效指标{what}与另外{len(others)}个项目"
                f"（{listed}）相同，疑为套用，未体现项目特点。",
            )


CHECKS = (template_prompts, identical_goals)
