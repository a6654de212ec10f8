"""``jixiao validate``: a readable table or JSON, exit 3 with --strict on errors, exit 1 for a
file that cannot be read (the others still validated), JSON outputs of convert re-validated."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from jixiao.cli import app
from tests.conftest import FIXTURES, SEEDS

YUANJIANG = SEEDS / "yuanjiang-2024.docx"
CLEAN = FIXTURES / "variants" / "clean-project.docx"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["validate", *map(str, args)])


def test_table_names_rule_form_cell_and_message() -> None:
    result = run(YUANJIANG)
    assert result.exit_code == 0
    out = result.stdout
    assert "indicator.cost_over_budget" in out and "办案经费" in out and "t7 r10 c4" in out
    assert "超过本表预算1.28万元" in out


def test_json_format() -> None:
    result = run(YUANJIANG, CLEAN, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["path"] for r in rows] == [str(YUANJIANG), str(CLEAN)]
    cost = [f for f in rows[0]["findings"] if f["rule"] == "indicator.cost_over_budget"]
    assert cost == [{
        "rule": "indicator.cost_over_budget", "severity": "error",
        "message": "成本指标“专项资金”为1.6万元，超过本表预算1.28万元。", "form": "f7",
        "cell": {"table": "t7", "row": 10, "col": 4, "a1": None}, "value": "1.6万元",
    }]
    assert rows[1]["findings"] == [] and rows[1]["error"] is None


def test_strict_exits_3_on_errors_only() -> None:
    assert run(YUANJIANG, "--strict").exit_code == 3
    assert run(CLEAN, "--strict").exit_code == 0
    assert "未发现问题" in run(CLEAN).stdout


def test_unreadable_file_exits_1_and_the_rest_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    result = run(bad, YUANJIANG, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows[0]["error"] and rows[0]["findings"] == []
    assert rows[1]["findings"]
    assert f"jixiao: error: {bad}:" in result.stderr


def test_revalidates_jixiao_json(tmp_path: Path) -> None:
    convert = CliRunner().invoke(app, ["convert", str(YUANJIANG), "-o", str(tmp_path)])
    assert convert.exit_code == 0
    saved = tmp_path / "yuanjiang-2024.docx.json"
    data = json.loads(saved.read_text("utf-8"))
    data["findings"] = []  # an old output: findings are computed again
    saved.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    rows = json.loads(run(saved, "--format", "json").stdout)
    assert any(f["rule"] == "indicator.cost_over_budget" for f in rows[0]["findings"])
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', "utf-8")
    result = run(other)
    assert result.exit_code == 1 and "not a jixiao JSON document" in result.stderr


def test_bad_format_is_a_usage_error() -> None:
    assert run(YUANJIANG, "--format", "yaml").exit_code == 2
