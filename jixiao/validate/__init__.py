"""Validation: the rules users need (DOMAIN.md) run over normalized forms → findings.

Each finding names its rule (a stable id from ``RULES``), a severity, a message in Chinese,
the form and the cell it points to. Rules are pure functions of the forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jixiao.schemas import Finding, Form
from jixiao.validate import (
    boilerplate,
    indicators,
    money,
    plan,
    plausibility,
    scores,
    text,
)
from jixiao.validate.rules import RULES, Rule

__all__ = ["RULES", "Rule", "validate_forms"]

_FORM_CHECKS: tuple[Callable[[Form], Iterable[Finding]], ...] = (
    *money.CHECKS, *plausibility.CHECKS, *indicators.CHECKS, *plan.CHECKS, *scores.CHECKS,
    *boilerplate.CHECKS, *text.CHECKS,
)


def validate_forms(forms: list[Form], default_year: str | None = None) -> list[Finding]:
    """Every finding for these forms, form by form in rule order, then across forms."""
    out: list[Finding] = []
    for form in forms:
        for check in _FORM_CHECKS:
            out.extend(check(form))
        out.extend(indicators.timeliness(form, default_year))
    out.extend(boilerplate.reused_indicators(forms))
    return out
