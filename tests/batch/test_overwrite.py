"""``jixiao batch`` never writes over a file that is not its own output of the same input,
and never reads its own outputs back as inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from jixiao.batch import BatchOptions, run_batch
from tests.conftest import FIXTURES

CLEAN = FIXTURES / "variants/clean-project.docx"
OTHER = FIXTURES / "sample/yuanjiang-2024.docx"


def _files(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["rel"]: f for f in report["files"]}


def test_a_users_file_at_an_output_name_is_kept(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    shutil.copy(CLEAN, root / "a.docx")
    shutil.copy(CLEAN, root / "b.docx")
    out.mkdir()
    (out / "a.docx.json").write_text("my notes")
    outcome = run_batch(BatchOptions(root, out, workers=1))
    files = _files(outcome.report)
    assert outcome.exit_code == 1
    assert files["a.docx"]["status"] == "failed"
    assert files["a.docx"]["error"] == (
        f"its output {out.resolve() / 'a.docx.json'} exists and was not written by jixiao: "
        "not overwritten")
    assert (out / "a.docx.json").read_text() == "my notes"
    assert files["b.docx"]["status"] == "ok"
    # the user moves their file away: the rerun converts a.docx and keeps b.docx's outputs
    (out / "a.docx.json").unlink()
    again = run_batch(BatchOptions(root, out, workers=1))
    files = _files(again.report)
    assert again.exit_code == 0
    assert (files["a.docx"]["status"], files["b.docx"]["resumed"]) == ("ok", True)
    assert json.loads((out / "a.docx.json").read_text())["forms"]


def test_a_changed_input_replaces_its_own_outputs(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "in" / "out"
    root.mkdir()
    shutil.copy(CLEAN, root / "a.docx")
    assert run_batch(BatchOptions(root, out, workers=1)).exit_code == 0
    shutil.copy(OTHER, root / "a.docx")  # new content at the same path
    again = run_batch(BatchOptions(root, out, workers=1))
    assert again.exit_code == 0
    assert _files(again.report)["a.docx"]["resumed"] is False
    doc = json.loads((out / "a.docx.json").read_text())
    assert doc["source"]["sha256"] == _files(again.report)["a.docx"]["sha256"]
    assert sorted(_files(again.report)) == ["a.docx"]  # out/ (inside) never read as input
