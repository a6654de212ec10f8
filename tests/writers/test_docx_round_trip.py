"""The standardized DOCX keeps every field of the model (issue 18).

Every fixture that has forms (the seeds as .docx and text .pdf, every variant as .docx, .pdf
and .xlsx, the real documents) is converted, written with ``render``, and the DOCX converted
again; each form read back is compared with the source form on **every** field of ``Form``,
walked generically through ``model_fields`` (a field added to the model is compared without
touching this test). Left out are only what describes the source file rather than the form
(``SOURCE_ONLY``), and what the standard layout prints its own way, each compared by what it
must become (``_expected``) rather than skipped.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from jixiao import convert
from jixiao.schemas import Document, Form
from jixiao.writers.docx import render
from jixiao.writers.docx.document import header_line
from tests.conftest import FIXTURES, SEEDS

VARIANTS = FIXTURES / "variants"
REAL = FIXTURES / "real"
SOURCES = sorted(
    [*SEEDS.glob("*.docx")]
    + [p for p in SEEDS.glob("*.pdf") if not p.name.endswith(".scan.pdf")]  # OCR: slow
    + [p for ext in ("docx", "pdf", "xlsx") for p in VARIANTS.glob(f"*.{ext}")]
    + [p for ext in ("docx", "pdf", "xlsx") for p in REAL.glob(f"*/*.{ext}")]
)

# Attributes (at any depth) that describe the source file, not the form: where a value
# was (cell references, table ids, the form's number in the file) and how much of the
# source table the mapping used.
SOURCE_ONLY: dict[str, str] = {
    "cell": "the cell a value came from (CellRef): the layout moves every cell",
    "id": "the form's number among the file's tables",
    "table_ids": "ids of the source tables",
    "coverage": "share of the source table's cells the mapping used",
    "unmapped": "source cells no field took",
}

# Fields the standard layout prints its own way: compared with what they must become.
#   header_note: the header line is printed with 填报单位 (when the table had it) and the
#     unit note added, and the stamp placeholder （盖章） left out: read back, the note is
#     exactly the printed header lines (``header_line``), each stripped as read.
#   budget.unit: the unit note is always printed (万元 when the form had none: the unit the
#     model's amounts default to), so a form without one reads back with 万元.
#   fields: which field supplied an attribute, and under which label, is the layout's (one
#     canonical row per attribute: 项目名称, 主管部门 [216002]…, 年度预算金额; a slot printed
#     blank gives a blank field): the values such fields supplied are compared in the
#     attributes (project, budget, goals …). The fields the mapping took for nothing
#     (role None: 项目属性, 资金用途 …), printed as rows of their own, come back with the
#     same label and value.
TRANSFORMED = ("header_note", "budget.unit", "fields")

# Fields that cannot round-trip on some fixture: (fixture, form index, path) → reason.
# Each must still differ (the test fails once it round-trips, so the list stays honest).
KNOWN_LOSSES: dict[tuple[str, int, str], str] = {}


def _comparable(value: Any, path: str) -> Any:
    """``value`` as plain data, every model field walked by name, except the source-only
    ones and the transformed ones (compared on their own)."""
    if isinstance(value, BaseModel):
        out = {}
        for name in type(value).model_fields:
            sub = f"{path}.{name}" if path else name
            if name in SOURCE_ONLY or sub in TRANSFORMED:
                continue
            out[name] = _comparable(getattr(value, name), sub)
        return out
    if isinstance(value, list):
        return [_comparable(v, path) for v in value]
    return value


def _flat(data: Any, path: str = "") -> dict[str, Any]:
    """Nested plain data as {path: leaf}, so a difference names the field."""
    if isinstance(data, dict):
        return {k: v for name, sub in data.items()
                for k, v in _flat(sub, f"{path}.{name}" if path else name).items()}
    if isinstance(data, list):
        out: dict[str, Any] = {f"{path}#len": len(data)}
        for i, sub in enumerate(data):
            out.update(_flat(sub, f"{path}[{i}]"))
        return out
    return {path: data}


def _expected(form: Form) -> dict[str, Any]:
    """The transformed fields of ``form`` as the standard layout must give them back."""
    lines = [line.strip() for line in header_line(form)]  # each line read back stripped
    return {
        "header_note": "\n".join(lines) or None,
        "budget.unit": form.budget.unit or "万元",
        "fields": Counter((f.label, f.value) for f in form.fields if f.role is None),
    }


def _actual(form: Form) -> dict[str, Any]:
    return {
        "header_note": form.header_note,
        "budget.unit": form.budget.unit,
        "fields": Counter((f.label, f.value) for f in form.fields if f.role is None),
    }


def _differences(source: Form, back: Form) -> dict[str, tuple[Any, Any]]:
    a, b = _flat(_comparable(source, "")), _flat(_comparable(back, ""))
    a.update(_expected(source))
    b.update(_actual(back))
    return {k: (a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys())
            if a.get(k) != b.get(k)}


@cache
def _round_trip(path: Path) -> tuple[Document, Document]:
    source = convert(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{path.name}.docx"
        out.write_bytes(render(source))
        return source, convert(out)


@pytest.fixture(scope="module")
def round_trip() -> Callable[[Path], tuple[Document, Document]]:
    return _round_trip


def test_every_kind_of_fixture_is_covered() -> None:
    names = {p.name for p in SOURCES}
    assert len(SOURCES) >= 44
    assert {"laoting-2024.docx", "laoting-2024.pdf", "sample.pdf"} <= names
    assert {p.suffix for p in SOURCES} == {".docx", ".pdf", ".xlsx"}
    assert sum(p.parent.parent == REAL for p in SOURCES) == 4


def test_the_walk_reaches_every_field_of_the_model() -> None:
    """Every field of Form is compared, transformed or named as the source's."""
    form = Form.model_fields
    left_out = set(SOURCE_ONLY) | {t for t in TRANSFORMED if "." not in t}
    assert set(form) - left_out >= {"kind", "title", "footer_note", "project", "budget",
                                    "spending_plan", "goals", "duties", "indicators",
                                    "total_score", "weight_total", "spending_plan_label"}
    assert left_out - set(form) == {"cell"}  # at depth: Amount, Indicator, FormField


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_form_field_round_trips(
    path: Path, round_trip: Callable[[Path], tuple[Document, Document]],
) -> None:
    source, back = round_trip(path)
    assert source.forms, "a fixture without forms tests nothing here"
    assert len(back.forms) == len(source.forms)
    name = f"{path.parent.name}/{path.name}"
    for i, (a, b) in enumerate(zip(source.forms, back.forms, strict=True)):
        diff = _differences(a, b)
        for (fixture, form, field), reason in KNOWN_LOSSES.items():
            if (fixture, form) == (name, i):
                assert field in diff, f"{field} round-trips now ({reason}): unlist it"
                del diff[field]
        assert diff == {}, f"form {i} of {name}"


def test_department_code_and_weight_total_come_back(
    round_trip: Callable[[Path], tuple[Document, Document]],
) -> None:
    """The issue's case: 216002 on all ten Laoting forms (read from a borderless line
    above the table), and the CAS budget's 173 (【173】…) and 分值（90）."""
    source, back = round_trip(SEEDS / "laoting-2024.docx")
    assert [f.project.department_code for f in back.forms] == ["216002"] * 10
    assert back.forms[0].project.department == source.forms[0].project.department
    _, cas = round_trip(REAL / "cas-nao-2023-dept-budget" / "sample.pdf")
    assert {(f.project.department_code, f.weight_total) for f in cas.forms} == {("173", "90")}


def test_grid_notes_stay_under_the_grid(
    round_trip: Callable[[Path], tuple[Document, Document]],
) -> None:
    source, back = round_trip(VARIANTS / "department-budget-tables.docx")
    note = "备注：本表由项目实施单位填报，主管部门审核后随部门预算公开。"
    assert source.forms[0].footer_note == back.forms[0].footer_note == note
    grid = next(t for t in back.tables if t.id == back.forms[0].table_ids[-1])  # its own table
    assert [c.text for c in grid.cells if c.row == grid.n_rows - 1] == [note]


@pytest.mark.parametrize("note", ["填报单位：（盖章）某某局  单位：万元",
                                  "填报单位：某某局(签章)  单位：万元"])
def test_the_stamp_placeholder_is_not_part_of_the_unit(note: str) -> None:
    """（盖章）/(签章) printed with 填报单位 is where the stamp goes: the model holds the
    unit without it and the standardized DOCX prints it without it."""
    import io

    import docx

    from jixiao.mapping.forms import Context, build_form
    from jixiao.schemas import Cell, Source, Table

    table = Table(id="t0", n_rows=1, n_cols=2, cells=[
        Cell(row=0, col=0, text="项目名称"), Cell(row=0, col=1, text="某项目")])
    form = build_form("f0", table, Context(title="某项目绩效目标表", header_lines=(note,)))
    assert [(f.label, f.value) for f in form.fields if f.role == "filler"] == [
        ("填报单位", "某某局")]
    assert form.project.department == "某某局"
    doc = Document(source=Source(path="x", sha256="0", format="docx", size=0),
                   tables=[table], forms=[form])
    texts = [p.text for p in docx.Document(io.BytesIO(render(doc))).paragraphs]
    assert "填报单位：某某局  单位：万元" in texts
    assert not any("盖章" in t or "签章" in t for t in texts)
