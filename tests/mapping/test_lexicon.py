"""The lexicon as data: the bundled file, a user's additions, their errors, and
``jixiao --lexicon FILE`` teaching the mapper a province's wording."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from jixiao.lexicon import SHAPE, LexiconError, load, merge, read_user_file


def test_the_bundled_lexicon_has_every_role() -> None:
    lexicon = load()
    for table, names in SHAPE.items():
        for name in names:
            assert lexicon.words(table, name), f"[{table}] {name} is empty"
    assert "项目名称" in lexicon.words("fields", "project_name")


def test_a_users_words_come_first_and_once(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[fields]\ndepartment = ["承办单位", "主管部门"]\n', "utf-8")
    merged = merge(load().tables, read_user_file(extra))
    department = merged.words("fields", "department")
    assert department[:2] == ("承办单位", "主管部门")
    assert department.count("主管部门") == 1
    assert merged.words("fields", "project_name") == load().words("fields", "project_name")


@pytest.mark.parametrize(("text", "words"), [
    ("[feilds]\ndepartment = ['x']\n", "unknown table [feilds]"),
    ("[fields]\ndepartmnet = ['x']\n", "unknown key departmnet in [fields]"),
    ("[fields]\ndepartment = 'x'\n", "[fields] department must be a list of words"),
    ("[fields]\ndepartment = ['']\n", "[fields] department must be a list of words"),
    ("fields = 3\n", "[fields] must be a table of word lists"),
    ("[fields\n", "not valid TOML"),
])
def test_a_bad_file_is_named_with_its_fault(text: str, words: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(LexiconError, match=r"lexicon .*bad\.toml: ") as raised:
        read_user_file(path)
    assert words in str(raised.value)
    with pytest.raises(LexiconError, match="No such file"):
        read_user_file(tmp_path / "missing.toml")


def _form_with_a_local_label(path: Path) -> Path:
    """A project form whose unit is printed under a label jixiao does not know (承办单位)."""
    document = docx.Document()
    document.add_paragraph("2024年项目支出绩效目标表")
    table = document.add_table(rows=4, cols=4)
    rows = [("项目名称", "社区书屋运营", "承办单位", "某某街道文化站"),
            ("一级指标", "二级指标", "三级指标", "指标值"),
            ("产出指标", "数量指标", "开放天数", "≥300天"),
            ("效益指标", "社会效益指标", "借阅人次", "≥5000人次")]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def _department(*args: str | Path, cwd: Path) -> tuple[int, str | None, str]:
    proc = subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)
    out = cwd / "out" / "form.docx.json"
    department = None
    if proc.returncode == 0:
        department = json.loads(out.read_text("utf-8"))["forms"][0]["project"]["department"]
    return proc.returncode, department, proc.stderr


def test_a_province_wording_added_without_code(tmp_path: Path) -> None:
    form = _form_with_a_local_label(tmp_path / "form.docx")
    code, department, err = _department("convert", form, "-o", "out", cwd=tmp_path)
    assert (code, department) == (0, None), err
    mine = tmp_path / "mine.toml"
    mine.write_text('[labels]\nstrong = ["承辦單位"]\n\n[fields]\ndepartment = ["承辦單位："]\n',
                    "utf-8")  # traditional script and a colon: matched all the same
    code, department, err = _department("--lexicon", mine, "convert", form, "-o", "out",
                                        "--to", "json", cwd=tmp_path)
    assert (code, department) == (0, "某某街道文化站"), err


def test_a_bad_lexicon_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[fields]\nunit = ['x']\n", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "--lexicon", str(bad), "convert", "x.docx"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"jixiao: error: lexicon {bad}: unknown key unit in [fields]")


def test_batch_workers_use_the_lexicon(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    _form_with_a_local_label(tmp_path / "in" / "form.docx")
    mine = tmp_path / "mine.toml"
    mine.write_text('[labels]\nstrong = ["承办单位"]\n\n[fields]\ndepartment = ["承办单位"]\n',
                    "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "--lexicon", str(mine), "batch", "in", "-o", "out",
         "--workers", "1"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "form.docx.json").read_text("utf-8"))
    assert doc["forms"][0]["project"]["department"] == "某某街道文化站"
