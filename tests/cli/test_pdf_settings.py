"""``--pdf-setting KEY=VALUE`` on ``jixiao convert`` and ``jixiao batch``: the settings reach
the conversion (in the guarded child, in the batch's workers), a bad one is a usage error,
and a batch rerun with other settings converts its PDFs again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from jixiao.batch.manifest import MANIFEST_NAME
from jixiao.converters.pdf.settings import KEYS, PdfSettings
from jixiao.runner import convert_paths
from tests.batch.archive import jixiao
from tests.conftest import SEEDS

PDF = SEEDS / "yuanjiang-2024.pdf"
DOCX = SEEDS / "laoting-2024.docx"
# Borders shorter than this are ignored: cells merge (tests/converters/pdf/test_settings.py)
MERGING = "min_line_length=50"


def run(*args: str | Path) -> Result:
    from jixiao.cli import app

    return CliRunner().invoke(app, [*map(str, args)])


def cell_count(json_path: Path) -> int:
    doc = json.loads(json_path.read_text("utf-8"))
    return sum(len(t["cells"]) for t in doc["tables"])


@pytest.fixture(scope="module")
def default_cells(tmp_path_factory: pytest.TempPathFactory) -> int:
    out = tmp_path_factory.mktemp("default")
    assert run("convert", PDF, "-o", out).exit_code == 0
    return cell_count(out / f"{PDF.name}.json")


def test_convert_passes_the_setting_to_the_conversion(tmp_path: Path, default_cells: int) -> None:
    result = run("convert", PDF, "-o", tmp_path, "--pdf-setting", MERGING)
    assert result.exit_code == 0, result.stderr
    assert cell_count(tmp_path / f"{PDF.name}.json") < default_cells


def test_convert_paths_passes_the_settings_to_its_guarded_child(
    tmp_path: Path, default_cells: int
) -> None:
    summary = convert_paths([PDF], tmp_path, ["json"], pdf=PdfSettings(min_line_length=50.0))
    assert summary.failed == 0
    assert cell_count(tmp_path / f"{PDF.name}.json") < default_cells


@pytest.mark.parametrize("command", ["convert", "batch"])
@pytest.mark.parametrize(("pair", "words"), [
    ("snapp=2", "unknown PDF setting 'snapp'; valid keys: snap, thin_line"),
    ("snap=-1", "PDF setting snap: -1.0 is out of range"),
    ("scan_dpi=high", "PDF setting scan_dpi: 'high' is not an integer"),
    ("snap", "expected KEY=VALUE"),
])
def test_a_bad_setting_is_a_usage_error(
    command: str, pair: str, words: str, tmp_path: Path
) -> None:
    result = run(command, PDF if command == "convert" else SEEDS, "-o", tmp_path / "out",
                 "--pdf-setting", pair)
    assert result.exit_code == 2
    assert "--pdf-setting" in result.stderr
    assert words in " ".join(result.stderr.replace("│", " ").split())
    assert not (tmp_path / "out").exists()  # refused before anything ran


@pytest.mark.parametrize("command", ["convert", "batch"])
def test_pdf_setting_help_lists_every_key_without_inputs(command: str) -> None:
    result = run(command, "--pdf-setting", "help")
    assert result.exit_code == 0, result.stderr
    listed = [line.split("=", 1)[0] for line in result.stdout.splitlines()]
    assert listed == list(KEYS)
    assert "--pdf-setting help" in run(command, "--help").stdout.replace("\n", " ")


def _batch(folder: Path, out: Path, *settings: str) -> dict[str, Any]:
    args = [a for pair in settings for a in ("--pdf-setting", pair)]
    done = jixiao("batch", folder, "-o", out, "--workers", "1", *args)
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads((out / "_report.json").read_text("utf-8"))
    return report


def test_batch_workers_get_the_settings_and_a_rerun_with_others_redoes_the_pdfs(
    tmp_path: Path, default_cells: int
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(PDF, folder / PDF.name)
    shutil.copy(DOCX, folder / DOCX.name)
    output = out / f"{PDF.name}.json"

    first = _batch(folder, out, MERGING)
    assert first["pdf_settings"] == {"min_line_length": 50.0}
    assert cell_count(output) < default_cells
    lines = [json.loads(x) for x in (out / MANIFEST_NAME).read_text("utf-8").splitlines()]
    by_name = {line["rel"]: line for line in lines}
    assert by_name[PDF.name]["pdf_settings"] == {"min_line_length": 50.0}

    # without the setting: the PDF is converted again, the Word file (no PDF settings) is not
    second = _batch(folder, out)
    resumed = {f["rel"]: f["resumed"] for f in second["files"]}
    assert resumed == {PDF.name: False, DOCX.name: True}
    assert cell_count(output) == default_cells
    assert second["pdf_settings"] == {}

    # the same settings again: nothing to do
    third = _batch(folder, out)
    assert {f["rel"]: f["resumed"] for f in third["files"]} == {PDF.name: True, DOCX.name: True}
