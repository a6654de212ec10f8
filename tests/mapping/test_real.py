"""Real documents with hand-made truth (``fixtures/real/``), scored by ``benchmarks/eval_real.py``.

(a) the fixtures are the byte-exact public files their ``SOURCE.txt`` names; (b) the scorer's
own arithmetic on hand-made cases; (c) a floor: jixiao's current scores on the real
documents (``real_baseline.json``) must not get worse.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jixiao.schemas import (
    Amount,
    Budget,
    Document,
    Form,
    FormField,
    Goals,
    Indicator,
    ProjectInfo,
    Provenance,
    Source,
    Table,
    Target,
)
from tests.conftest import FIXTURES, ROOT

REAL = FIXTURES / "real"
FOLDERS = ("cas-nao-2023-dept-budget", "shenzhen-songgang-2023-xmsb-a",
           "shenzhen-songgang-2023-xmsb-b", "shenzhen-songgang-2023-xmsb-c")
BASELINE = Path(__file__).with_name("real_baseline.json")


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_real", ROOT / "benchmarks" / "eval_real.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


E = _load_scorer()


# --- (a) fixtures ------------------------------------------------------------------------------


def _source(folder: Path) -> dict[str, str]:
    text = (folder / "SOURCE.txt").read_text("utf-8")
    fields = {k: re.search(rf"^{k}:\s+(.+?)(?:\s{{2,}}|$)", text, re.M) for k in
              ("file", "sha256", "size")}
    return {k: m.group(1) for k, m in fields.items() if m}


@pytest.mark.parametrize("name", FOLDERS)
def test_fixture_is_the_byte_exact_source(name: str) -> None:
    folder = REAL / name
    source = _source(folder)
    data = (folder / source["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"]
    assert f"{len(data):,}" == source["size"].removesuffix(" bytes")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["SOURCE.txt", "truth.json", source["file"]])


def test_truth_counts_match_the_readme() -> None:
    counts = {n: len(json.loads((REAL / n / "truth.json").read_text("utf-8"))["forms"])
              for n in FOLDERS}
    assert list(counts.values()) == [9, 20, 20, 16]


# --- (b) the scorer on hand-made cases -----------------------------------------------------------


def test_text_rules() -> None:
    assert E.norm(" FAST 观测\n时间\t") == "FAST观测时间"
    assert E.norm("\u2002 \n") is None and E.norm("") is None and E.norm(None) is None
    assert E.norm_label(" 项目名称： ") == "项目名称"
    assert E.norm_label("其中：财政拨款") == "其中：财政拨款"
    assert E.number("16,158.00") == Decimal("16158") and E.number("项 目") is None


def test_key_status_counts_invented_apart_from_missed() -> None:
    assert E.status("name", None, None) == "correct"
    assert E.status("name", None, "x") == "invented"
    assert E.status("name", "x", None) == "missed"
    assert E.status("name", "x", "y") == "wrong"
    assert E.status("budget_total", "3,000.00", {"raw": "3000.0000"}) == "correct"
    assert E.status("budget_total", "3,000.00", {"raw": "三千", "value": 3000,
                                                 "unit": "万元"}) == "correct"
    assert E.status("budget_total", "3,000.00", {"raw": "0.3", "value": 0.3,
                                                 "unit": "万元"}) == "wrong"


def test_indicator_precision_recall_f1() -> None:
    truth = {"indicators": [{"l1": "产出", "l2": "数量", "l3": "A 项", "value": "≥5 个"},
                            {"l1": "产出", "l2": "数量", "l3": "B", "value": "1"},
                            {"l1": "效益", "l2": "社会", "l3": "C", "value": "好"}]}
    form = {"indicators": [_row("产出", "数量", "A项", "≥5个"), _row("产出", "数量", "B", "2"),
                           _row("备注：x", "", "", "")]}
    counts = E.score_indicators([(truth, form)], missing=[], spurious=[])
    assert (counts["tp"], counts["truth"], counts["predicted"]) == (1, 3, 3)
    assert counts["l3"]["tp"] == 2
    full = E.prf(counts)
    assert (full["precision"], full["recall"], full["f1"]) == (0.3333, 0.3333, 0.3333)
    assert E.prf(counts["l3"])["f1"] == 0.6667
    assert E.prf({"tp": 0, "truth": 0, "predicted": 0})["f1"] is None


def test_missing_and_spurious_forms_count_in_indicator_totals() -> None:
    truth = {"indicators": [{"l1": "a", "l2": "b", "l3": "c", "value": "d"}]}
    spurious = {"indicators": [_row("a", "b", "c", "d")] * 2}
    counts = E.score_indicators([], missing=[truth], spurious=[spurious])
    assert (counts["tp"], counts["truth"], counts["predicted"]) == (0, 1, 2)


def test_fields_found_values_and_label_confusions() -> None:
    truth = {"fields": {"项目名称": "甲", "测算依据": "根据年初安排：5万元", "其中：财政拨款": "5"}}
    form = {"fields": [{"label": "项目名称：", "value": "甲"},
                       {"label": "根据年初安排", "value": "5万元"},
                       {"label": "财政拨款", "value": "5"},
                       {"label": "单位", "value": "测算依据："}]}
    counts = E.score_fields([(truth, form)])
    assert counts == {"truth_labels": 3, "found_labels": 1, "values_correct": 1,
                      "extra_labels": 3, "label_as_value": 1, "label_from_value": 1}


def test_forms_match_by_page_prefer_typed_forms() -> None:
    truth = [{"_page": 5, "name": "甲"}, {"_page": 6, "name": "乙"}]
    pred = [{"id": "f0", "kind": "unknown", "_pages": {5}},
            {"id": "f1", "kind": "project_goals", "_pages": {5}, "project": {"name": "甲"}},
            {"id": "f2", "kind": "project_goals", "_pages": {7}}]
    pairs, missing, spurious = E.match_forms(truth, pred)
    assert [(t["name"], p["id"]) for t, p in pairs] == [("甲", "f1")]
    assert [t["name"] for t in missing] == ["乙"]
    assert [p["id"] for p in spurious] == ["f0", "f2"]


def test_score_document_on_a_model_built_document() -> None:
    truth = [{"_page": 2, "name": "某 项目", "code": None, "department": "某局",
              "department_code": "101", "implementer": "某所", "budget_total_wan": "1,000.00",
              "period": None, "goals": {"annual": "目标", "long_term": None},
              "fields": {"项目名称": "某项目"},
              "indicators": [{"l1": "产出", "l2": "数量", "l3": "x", "value": "1"}]}]
    metrics = E.derive(E.score_document(truth, _document().model_dump(mode="json")))
    assert metrics["forms"] == {"expected": 1, "found": 2, "matched": 1, "spurious": 1,
                                "spurious_typed": 0, "missing": 0}
    keys = metrics["keys"]
    assert keys["implementer"]["missed"] == 1  # the document built here prints none
    assert keys["name"]["accuracy"] == 1.0 and keys["code"]["correct"] == 1
    assert keys["department"]["wrong"] == 1 and keys["department_code"]["missed"] == 1
    assert keys["period"]["invented"] == 1 and keys["budget_total"]["correct"] == 1
    assert keys["goals.annual"]["correct"] == 1 and keys["goals.long_term"]["correct"] == 1
    assert metrics["indicators"]["f1"] == 1.0
    assert metrics["fields"]["label_recall"] == 1.0
    assert metrics["coverage"] is None  # modelled, but none of these forms computed one


def test_workbook_sheets_become_pages_and_totals_add_up(tmp_path: Path) -> None:
    for name, sheets in (("one", ["甲", "乙"]), ("two", ["丙"])):
        folder = tmp_path / name
        folder.mkdir()
        _workbook(folder / "book.xlsx", sheets)
        forms = [{"sheet": s, "name": s, "indicators": [], "fields": {}} for s in sheets[::-1]]
        (folder / "truth.json").write_text(json.dumps({"forms": forms}), "utf-8")
    loaded = E.load(tmp_path, convert=lambda path: {"tables": [], "forms": []})
    assert [f["_page"] for f in loaded["one"][0]] == [2, 1]
    report = E.evaluate(loaded)
    assert report["total"]["forms"]["missing"] == 3
    assert report["documents"]["two"]["forms"]["expected"] == 1


def test_regressions_flag_lower_scores_and_higher_error_counts() -> None:
    base = {"d.indicators.f1": 0.5, "d.forms.spurious": 2, "d.keys.name.wrong": 0}
    assert E.regressions(base, dict(base)) == []
    assert E.regressions(base, {**base, "d.indicators.f1": 0.6, "d.forms.spurious": 1}) == []
    worse = E.regressions(base, {"d.indicators.f1": 0.4, "d.forms.spurious": 3})
    assert [w.split(":")[0] for w in worse] == list(base)


def _row(l1: str, l2: str, l3: str, raw: str) -> dict[str, Any]:
    return {"level1": l1, "level2": l2, "level3": l3, "target": {"raw": raw}}


def _document() -> Document:
    """A jixiao Document: a typed form on page 2, an ordinary table on page 1."""
    form = Form(
        id="f1", kind="project_goals", table_ids=["t1"],
        fields=[FormField(label="项目名称：", value="某项目")],
        project=ProjectInfo(name="某项目", department="某所", period="2023"),
        budget=Budget(total=Amount(raw="1000", value=Decimal(1000), unit="万元")),
        goals=Goals(annual="目 标"),
        indicators=[Indicator(level1="产出", level2="数量", level3="x", target=Target(raw="1"))],
    )
    tables = [Table(id="t0", n_rows=1, n_cols=1, provenance=Provenance(page=1)),
              Table(id="t1", n_rows=1, n_cols=1, pages=[2])]
    return Document(source=Source(path="x.pdf", sha256="0", format="pdf", size=1),
                    tables=tables, forms=[Form(id="f0", kind="unknown", table_ids=["t0"]), form])


def _workbook(path: Path, sheets: list[str]) -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    body = "".join(f'<sheet name="{s}" sheetId="{i}"/>' for i, s in enumerate(sheets, 1))
    xml = f'<workbook xmlns="{ns}"><sheets>{body}</sheets></workbook>'
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", xml)


# --- (c) the floor on the real documents ---------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """The four real documents, each converted once."""
    return dict(E.evaluate(E.load(REAL)))


def test_real_scores_are_not_worse_than_the_baseline(report: dict[str, Any]) -> None:
    baseline = json.loads(BASELINE.read_text("utf-8"))
    assert "floor to raise" in baseline["_note"]
    assert baseline["metrics"], "an empty baseline guards nothing"
    assert E.regressions(baseline["metrics"], E.flat_metrics(report)) == []


def test_every_real_document_is_scored(report: dict[str, Any]) -> None:
    assert sorted(report["documents"]) == sorted(FOLDERS)
    assert report["total"]["forms"]["expected"] == 65
    assert E.render(report).count("\n") > 10


@pytest.mark.parametrize("folder", FOLDERS)
def test_rows_printed_not_applicable_are_marked(folder: str) -> None:
    """Rows the truth prints 不适用 (as the target, or in place of name and target) are
    indicators marked not applicable; no other row is."""
    from jixiao import convert

    truth = json.loads((REAL / folder / "truth.json").read_text("utf-8"))
    want = [(i["l3"], i["value"]) for form in truth["forms"] for i in form["indicators"]
            if "不适用" in (i["l3"], i["value"])]
    [source] = [p for p in (REAL / folder).iterdir() if p.suffix in (".pdf", ".xlsx")]
    got = [(i.level3, i.target.raw) for form in convert(source).forms
           for i in form.indicators if i.not_applicable]
    assert got == want
