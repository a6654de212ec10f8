"""``jixiao convert`` never loses data: it never writes over an input or over a file that is
not its own output of the same input, never reads its own outputs back as inputs, names
outputs from the input alone, and names every path given that yields nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jixiao.cli import app
from jixiao.ledger import LEDGER_NAME
from tests.conftest import FIXTURES

DOCX = FIXTURES / "sample/yuanjiang-2024.docx"
PDF = FIXTURES / "sample/yuanjiang-2024.pdf"
CLEAN = FIXTURES / "variants/clean-project.docx"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["convert", *map(str, args)])


def errors(result: Result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.startswith("jixiao: error:")]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name != LEDGER_NAME)


# --- 1. inputs are never overwritten ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_converting_in_place_keeps_the_input(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once, ``jixiao convert x.docx --to docx`` (default ``-o .``) replaced x.docx."""
    source = tmp_path / "x.docx"
    shutil.copy(DOCX, source)
    before = digest(source)
    monkeypatch.chdir(tmp_path)
    result = run("x.docx", "--to", fmt)
    assert result.exit_code == 0, result.output
    assert digest(source) == before
    assert (tmp_path / f"x.docx.{fmt}").is_file()


def test_pdf_converted_next_to_itself_keeps_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "yuanjiang-2024.pdf"
    shutil.copy(PDF, source)
    before = digest(source)
    monkeypatch.chdir(tmp_path)
    result = run("yuanjiang-2024.pdf", "--to", "json")
    assert result.exit_code == 0, result.output
    assert digest(source) == before and (tmp_path / "yuanjiang-2024.pdf.json").is_file()


def test_an_output_that_would_be_an_input_is_refused(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "a.docx")
    shutil.copy(DOCX, tmp_path / "a.docx.docx")  # a.docx's output name, and an input
    before = digest(tmp_path / "a.docx.docx")
    result = run(tmp_path, "-o", tmp_path, "--to", "docx")
    assert result.exit_code == 1, result.output
    assert errors(result) == [
        f"jixiao: error: {tmp_path / 'a.docx'}: its output {tmp_path / 'a.docx.docx'} "
        "would replace an input of this run"
    ], result.output
    assert digest(tmp_path / "a.docx.docx") == before
    assert (tmp_path / "a.docx.docx.docx").is_file()  # the other input converted


def test_a_file_jixiao_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "x.docx.xml"
    mine.write_text("my own notes", "utf-8")
    source = tmp_path / "x.docx"
    shutil.copy(DOCX, source)
    result = run(source, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert errors(result) == [
        f"jixiao: error: {source}: its output {mine} exists and was not written by jixiao: "
        "not overwritten"
    ], result.output
    assert mine.read_text("utf-8") == "my own notes"
    assert not (out / "x.docx.json").exists()  # none of that file's outputs


def test_another_inputs_output_is_never_replaced(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx"
    for path, seed in ((first, DOCX), (second, CLEAN)):
        path.parent.mkdir()
        shutil.copy(seed, path)
    out = tmp_path / "out"
    assert run(first, "-o", out).exit_code == 0
    before = digest(out / "x.docx.json")
    result = run(second, "-o", out)
    assert result.exit_code == 1, result.output
    assert "is jixiao's output of another input: not overwritten" in errors(result)[0]
    assert digest(out / "x.docx.json") == before
    shutil.copy(first, tmp_path / "copy.docx")  # the same content elsewhere: its output
    shutil.move(tmp_path / "copy.docx", second)
    assert run(second, "-o", out).exit_code == 0, "same content: jixiao's own output"


# --- 2. earlier outputs are never read as inputs ----------------------------------------


@pytest.mark.parametrize("out_name", [".", "out"])
def test_a_second_run_converts_the_same_files(out_name: str, tmp_path: Path) -> None:
    """``jixiao convert d -o d/out --to xlsx`` twice once converted d/out/*.xlsx too."""
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(DOCX, folder / "x.docx")
    shutil.copy(CLEAN, folder / "y.docx")
    out = folder / out_name
    runs = [run(folder, "-o", out, "--to", "xlsx,docx") for _ in range(2)]
    for result in runs:
        assert result.exit_code == 0, result.output
        assert "converted 2 of 2 files" in result.stderr, result.output
    assert [p for p in tree(out) if p.count(".") > 2] == []  # no x.docx.xlsx.xlsx
    assert {"x.docx.xlsx", "x.docx.docx", "y.docx.xlsx", "y.docx.docx"} <= set(tree(out))


# --- 7 and other paths: every path given is named ---------------------------------------


def test_a_folder_named_like_a_document_is_searched_or_named(tmp_path: Path) -> None:
    empty = tmp_path / "folder.docx"
    empty.mkdir()
    out = tmp_path / "out"
    result = run(empty, "-o", out)
    assert result.exit_code == 1, result.output
    assert errors(result) == [f"jixiao: error: {empty}: a folder with no documents in it"]
    shutil.copy(CLEAN, empty / "inner.docx")
    result = run(empty, "-o", out)
    assert result.exit_code == 0, result.output
    assert tree(out) == ["inner.docx.json"]


def test_links_never_loop_and_each_file_is_converted_once(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CLEAN, folder / "sub/x.docx")
    os.symlink("..", folder / "sub/loop")  # a folder link to its parent
    os.symlink("x.docx", folder / "sub/alias.docx")  # a second name of the same file
    os.symlink("gone.docx", folder / "dangling.docx")
    out = tmp_path / "out"
    result = run(folder, folder / "sub/x.docx", "-o", out)
    assert result.exit_code == 0, result.output
    assert "converted 1 of 1 files (4 non-document files skipped)" in result.stderr
    assert tree(out) == ["sub/x.docx.json"]


def test_a_fifo_named_on_the_command_line_fails_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    result = run(fifo, CLEAN, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert errors(result) == [f"jixiao: error: {fifo}: not a regular file"]
