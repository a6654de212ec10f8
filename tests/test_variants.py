"""The layout variants of DOMAIN.md (fixtures/variants, made from hand-written specs by
make_variants.py): every form found and its indicators exact, from .docx and from .pdf."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jixiao import convert
from jixiao.schemas import Amount, ExecutionLine
from tests.conftest import FIXTURES, collapse

VARIANTS = FIXTURES / "variants"
NAMES = sorted(p.name.removesuffix(".truth.json") for p in VARIANTS.glob("*.truth.json"))


def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VARIANTS / f"{name}.truth.json").read_text("utf-8"))
    return data


def test_there_are_variants() -> None:
    assert len(NAMES) >= 16


def sources(name: str) -> list[Path]:
    """The variant as published: Word (every variant), the spreadsheet too where there is
    one, and the PDF."""
    return [p for p in (VARIANTS / f"{name}{s}" for s in (".docx", ".xlsx", ".pdf"))
            if p.is_file()]


def test_every_variant_as_docx_and_pdf() -> None:
    for name in NAMES:
        assert {p.suffix for p in sources(name)} >= {".docx", ".pdf"}, name


@pytest.mark.parametrize("name", [n for n in NAMES if (VARIANTS / f"{n}.docx").is_file()])
def test_docx_grid_is_exact(name: str) -> None:
    doc = convert(VARIANTS / f"{name}.docx")
    for table, expected in zip(doc.tables, truth(name)["tables"], strict=True):
        got = sorted((c.row, c.col, c.row_span, c.col_span, collapse(c.text)) for c in table.cells)
        assert got == sorted((r, c, rs, cs, collapse(t)) for r, c, rs, cs, t in expected["cells"])


@pytest.mark.parametrize(
    "path", [p for n in NAMES for p in sources(n)], ids=lambda p: p.name
)
def test_forms_and_indicators(path: Path) -> None:
    name = path.name.rsplit(".", 1)[0]
    doc = convert(path)
    expected_forms = truth(name)["forms"]
    assert [f.kind for f in doc.forms] == [f["kind"] for f in expected_forms]
    for form, expected in zip(doc.forms, expected_forms, strict=True):
        assert form.title == expected["title"]
        assert form.project.name == expected["name"]
        for name in ("code", "department", "department_code", "implementer", "period"):
            if name in expected:
                assert getattr(form.project, name) == expected[name], name
        for horizon, goal in expected.get("goals", {}).items():
            assert getattr(form.goals, horizon) == goal, horizon
        assert form.budget.total is not None and form.budget.total.raw == expected["total"]
        got = [(i.level1, i.level2, i.level3, collapse(i.target.raw), i.horizon)
               for i in form.indicators if not i.empty]
        want = [(i["l1"], i["l2"], i["l3"], i["value"], i.get("horizon")) for i in
                expected["indicators"]]
        assert got == want
        _self_evaluation_parts(form, expected)


def _self_evaluation_parts(form: Any, expected: dict[str, Any]) -> None:
    """Results, scores and the money block, where the truth has them."""
    for ind, want in zip(form.indicators, expected["indicators"], strict=True):
        if "actual" in want:
            assert ind.actual is not None and ind.actual.raw == want["actual"]
            assert (ind.weight, ind.score, ind.deviation) == (
                want["weight"], want["score"], want["deviation"])
    if "total_score" in expected:
        assert form.total_score == expected["total_score"]
    if "duties" in expected:
        got = [{"function": d.function, "task": d.task, "item": d.item,
                "amount": {"raw": d.amount.raw, "cell": None} if d.amount else None}
               for d in form.duties]
        assert got == expected["duties"]
    if "execution" in expected:
        assert [_printed(line) for line in form.budget.execution] == expected["execution"]


def _printed(line: ExecutionLine) -> dict[str, str | None]:
    """A money block row as printed (amounts by their raw text)."""
    out: dict[str, str | None] = {}
    for name, value in line:
        out[name] = value.raw if isinstance(value, Amount) else value
    return out

