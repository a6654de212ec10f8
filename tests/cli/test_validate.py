"""``jixiao validate``: a readable table or JSON, exit 3 with --strict on errors, exit 1 for a
file that cannot be read (the others still validated), JSON outputs of convert re-validated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
from typer.testing import CliRunner, Result

from jixiao.cli import app
from tests.conftest import FIXTURES, SEEDS

YUANJIANG = SEEDS / "yuanjiang-2024.docx"
YUANJIANG_PDF = SEEDS / "yuanjiang-2024.pdf"
WORKBOOK = FIXTURES / "real/shenzhen-songgang-2023-xmsb-a/二级项目支出绩效目标申报表 (1).xlsx"
CLEAN = FIXTURES / "variants" / "clean-project.docx"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["validate", *map(str, args)])


def test_table_names_rule_form_cell_and_message() -> None:
    result = run(YUANJIANG)
    assert result.exit_code == 0
    out = result.stdout
    assert "indicator.cost_over_budget" in out and "办案经费" in out
    assert "超过本表预算1.28万元" in out
    # Word: no pages; the 8th table (t7), its 11th row and 5th column (r10 c4 from 0).
    assert "table 8 row 11 col 5" in _line(out, "indicator.cost_over_budget")
    assert "p." not in _line(out, "indicator.cost_over_budget")


def _line(out: str, *words: str) -> str:
    """The one printed line holding every word (a table row's first line)."""
    (line,) = [ln for ln in out.splitlines() if all(w in ln for w in words)]
    return line


def test_workbook_findings_name_sheet_and_a1() -> None:
    """The 满意度 target of sheet 2 (95%, a rate with no ≥): the cell is found in the workbook
    with openpyxl, in the 目标值 column of the row labelled 满意度."""
    sheet = "2.社区工作站管理经费（东方社区）"
    ws = openpyxl.load_workbook(WORKBOOK, data_only=True)[sheet]
    header = next(row for row in ws.iter_rows() if row[0].value == "一级指标")
    column = next(c.column_letter for c in header if c.value == "目标值")
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "满意度")
    assert ws[f"{column}{row}"].value == "95%"
    result = run(WORKBOOK)
    assert result.exit_code == 0
    lines = [ln for ln in result.stdout.splitlines() if "indicator.satisfaction" in ln]
    assert any(f" '{sheet}'!{column}{row} " in ln for ln in lines)


def test_pdf_findings_name_the_page() -> None:
    """The Word test's cost finding, on the PDF of the same document: the page is the one
    whose text (read with pypdfium2) holds 办案经费 and its 专项资金 1.6 万元."""
    pdf = pdfium.PdfDocument(YUANJIANG_PDF)
    texts = [re.sub(r"\s+", "", page.get_textpage().get_text_range()) for page in pdf]
    pdf.close()
    (page,) = [n for n, t in enumerate(texts, 1) if "办案经费" in t and "专项资金1.6万元" in t]
    result = run(YUANJIANG_PDF)
    assert result.exit_code == 0
    line = _line(result.stdout, "indicator.cost_over_budget")
    assert f"p.{page} table 8 row 11 col 5" in line


def test_json_format() -> None:
    result = run(YUANJIANG, CLEAN, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["path"] for r in rows] == [str(YUANJIANG), str(CLEAN)]
    cost = [f for f in rows[0]["findings"] if f["rule"] == "indicator.cost_over_budget"]
    assert cost == [{
        "rule": "indicator.cost_over_budget", "severity": "error",
        "message": "成本指标“专项资金”为1.6万元，超过本表预算1.28万元。", "form": "f7",
        "cell": {"table": "t7", "row": 10, "col": 4, "a1": None, "page": None}, "value": "1.6万元",
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


def test_revalidates_jixiao_xml_as_its_json(tmp_path: Path) -> None:
    convert = CliRunner().invoke(
        app, ["convert", str(YUANJIANG), "-o", str(tmp_path), "--to", "json,xml"])
    assert convert.exit_code == 0
    from_json = json.loads(run(tmp_path / "yuanjiang-2024.docx.json", "--format", "json").stdout)
    from_xml = json.loads(run(tmp_path / "yuanjiang-2024.docx.xml", "--format", "json").stdout)
    assert from_xml[0]["findings"] == from_json[0]["findings"] != []
    # a folder of outputs: both found
    rows = json.loads(run(tmp_path, "--format", "json").stdout)
    assert sorted(Path(r["path"]).name for r in rows) == [
        "yuanjiang-2024.docx.json", "yuanjiang-2024.docx.xml"]
    other = tmp_path / "other.xml"
    other.write_text("<a/>", "utf-8")
    result = run(other)
    assert result.exit_code == 1 and f"{other}: not a jixiao XML document" in result.stderr


def test_a_totals_line_counts_files_and_severities() -> None:
    result = run(YUANJIANG, CLEAN)
    findings = json.loads(run(YUANJIANG, CLEAN, "--format", "json").stdout)
    counts = {s: sum(f["severity"] == s for r in findings for f in r["findings"])
              for s in ("error", "warning", "info")}
    line = result.stderr.strip().splitlines()[-1]
    assert line == (f"jixiao: validated 2 files: {counts['error']} error"
                    f"{'' if counts['error'] == 1 else 's'}, {counts['warning']} warnings, "
                    f"{counts['info']} info")
