"""Findings auditors can trust, on the real documents (``benchmarks/eval_findings.py``):
every source error their notes list is found, every finding has been read by hand
(``fixtures/real/findings_verdicts.json``), precision is at least 0.95, and no finding falls
on a row printed 不适用."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_findings", ROOT / "benchmarks" / "eval_findings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


E = _module()


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    verdicts, expected = E.load()
    rows = E.findings()
    out: dict[str, Any] = E.judge(rows, verdicts, expected)
    out["rows"] = rows
    return out


def test_every_source_error_of_the_notes_is_found(report: dict[str, Any]) -> None:
    assert report["expected"] >= 100
    assert report["missed"] == []


def test_every_finding_was_read_and_precision_holds(report: dict[str, Any]) -> None:
    unread = [E.key(r) for r in report["rows"] if r["verdict"] == "unreviewed"]
    assert unread == [], "read these against the source and add them to findings_verdicts.json"
    assert report["stale_verdicts"] == []
    assert report["precision"] >= 0.95


def test_no_finding_on_a_row_printed_not_applicable(report: dict[str, Any]) -> None:
    assert not [r for r in report["rows"] if r["value"].strip() == "不适用"]


def test_judge_counts_and_misses_on_hand_made_rows() -> None:
    rows = [{"folder": "d", "form": 1, "rule": "money.zero_budget", "cell": "A1", "value": "0"},
            {"folder": "d", "form": 2, "rule": "text.typography", "cell": "B2", "value": "x"}]
    verdicts = {E.key(rows[0]): {"verdict": "true"}, E.key(rows[1]): {"verdict": "false"},
                "d [3] gone A1 0": {"verdict": "true"}}
    expected = [{"folder": "d", "form": 1, "rules": ["money.zero_budget"]},
                {"folder": "d", "form": 4, "rules": ["form.blank_indicators"]}]
    got = E.judge(rows, verdicts, expected)
    assert (got["true"], got["false"], got["precision"]) == (1, 1, 0.5)
    assert got["missed"] == [expected[1]]
    assert got["stale_verdicts"] == ["d [3] gone A1 0"]
