"""No value of any fixture's forms is itself a lexicon label (``department = '填报人'``,
``budget.total = '项 目'`` was seen): a label taken as a value is silently wrong data."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from jixiao import convert
from jixiao.vocabulary import COLUMN_ROLES, STRONG_LABELS, key
from tests.conftest import FIXTURES

LABELS = STRONG_LABELS | {word for _, words in COLUMN_ROLES for word in words}
PATTERNS = ("seeds/*.docx", "seeds/*.pdf", "variants/*.docx", "variants/*.pdf",
            "variants/*.xlsx", "real/*/*.pdf", "real/*/*.xlsx")


def _fixtures() -> list[str]:
    return sorted(p for pattern in PATTERNS for p in glob.glob(str(FIXTURES / pattern))
                  if ".scan." not in p)


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: Path(p).name)
def test_no_value_is_a_label(path: str) -> None:
    for form in convert(path).forms:
        values = [(f.label, f.value) for f in form.fields]
        values += [(f"project.{k}", v) for k, v in form.project.model_dump().items()]
        values.append(("budget.total", form.budget.total.raw if form.budget.total else None))
        labels = [(where, v) for where, v in values if v and key(v) in LABELS]
        assert labels == [], f"{form.id}: labels taken as values"
