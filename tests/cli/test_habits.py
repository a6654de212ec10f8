"""The CLI as the ecosystem's users expect it (issue 18): -V, choices in the help, a
repeatable --to, -q, - for standard input and -o - for standard output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao import __version__
from jixiao.cli import app
from tests.conftest import SEEDS

SEED = SEEDS / "yuanjiang-2024.docx"


def run(*args: str | Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command (a pipe, as a shell gives one), not Click's test runner."""
    return subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], input=data,
                          capture_output=True, check=False)


def test_short_version_flag() -> None:
    for flag in ("-V", "--version"):
        result = CliRunner().invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout.strip() == __version__


def test_help_lists_choices_not_python_types() -> None:
    text = CliRunner().invoke(app, ["convert", "--help"]).stdout
    assert "--to FORMAT" in text and "md, jsonl" in text
    for python_type in ("<str>", "<bool>", "<int range>", "<float range>", "<path>"):
        assert python_type not in text, python_type
    assert "<table|json>" in CliRunner().invoke(app, ["validate", "--help"]).stdout
    assert "--show-completion" in CliRunner().invoke(app, ["--help"]).stdout


@pytest.mark.parametrize(("command", "usage"), [
    ("convert", "jixiao convert [OPTIONS] PATH..."),
    ("validate", "jixiao validate [OPTIONS] PATH..."),
    ("load", "jixiao load [OPTIONS] PATH..."),
    ("batch", "jixiao batch [OPTIONS] FOLDER"),
    ("debug", "jixiao debug [OPTIONS] FILE"),
    ("ingest", "jixiao ingest [OPTIONS] INBOX"),
])
def test_arguments_are_shown_as_click_shows_them(command: str, usage: str) -> None:
    """Usage as click writes it, and an argument's metavar alone in the help: no Python type
    (``PATH <list[Path]>``), no braces (``{PATH}...``)."""
    text = CliRunner().invoke(app, [command, "--help"], terminal_width=100).stdout
    assert text.splitlines()[0] == f"Usage: {usage}"
    arguments = text.split("Arguments:\n", 1)[1].split("\n\n", 1)[0]
    assert "<" not in arguments and "{" not in text, arguments


def test_to_is_repeatable_and_takes_comma_lists(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["convert", str(SEED), "-o", str(tmp_path), "--to", "json", "--to", "xml,md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        ".json", ".md", ".xml"]


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    loud = CliRunner().invoke(app, ["convert", str(SEED), "-o", str(tmp_path / "a")])
    assert "converted 1 of 1" in loud.stderr
    quiet = CliRunner().invoke(app, ["convert", str(SEED), "-o", str(tmp_path / "b"), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    failed = CliRunner().invoke(app, ["convert", str(bad), "-o", str(tmp_path / "c"), "-q"])
    assert failed.exit_code == 1 and failed.stderr.startswith(f"jixiao: error: {bad}:")


def test_a_pipe_in_and_out(tmp_path: Path) -> None:
    done = run("convert", SEED, "-o", tmp_path, "--to", "json")
    assert done.returncode == 0
    saved = json.loads((tmp_path / f"{SEED.name}.json").read_text("utf-8"))
    piped = run("convert", "-", "-o", "-", "--to", "json", data=SEED.read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == b""  # stdout is the output: nothing else is said
    through = json.loads(piped.stdout)
    assert through["forms"] == saved["forms"]
    assert through["source"]["sha256"] == saved["source"]["sha256"]
    assert through["source"]["path"] == "-"  # not the scratch copy standard input went to
    lines = run("convert", SEED, "-o", "-", "--to", "jsonl").stdout.decode().splitlines()
    assert len(lines) == len(saved["forms"])
    assert not (Path.cwd() / "-").exists()  # no folder named -


def test_stdout_takes_one_output_and_stdin_is_read_by_content(tmp_path: Path) -> None:
    two = run("convert", SEED, "-o", "-", "--to", "json,xml")
    assert two.returncode == 2 and b"one output" in two.stderr
    text = run("convert", "-", "-o", "-", data=b"not a document\n")
    assert text.returncode == 1
    assert text.stderr.decode().startswith("jixiao: error: -: unknown file type")


def test_quiet_and_verbose_on_batch_and_load(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder)
    (folder / "bad.docx").write_bytes(b"PK\x03\x04 not a zip")
    quiet = run("batch", folder, "-o", tmp_path / "out", "-q")
    assert quiet.returncode == 1
    assert quiet.stderr.decode().splitlines() == [
        line for line in quiet.stderr.decode().splitlines() if line.startswith(
            "jixiao: error: bad.docx:")] != []
    verbose = run("batch", folder, "-o", tmp_path / "out2", "-v")
    lines = verbose.stderr.decode()
    assert "bad.docx" in lines and SEED.name in lines
    db = f"sqlite:///{tmp_path / 'j.db'}"
    assert run("db", "init", "--db", db).returncode == 0
    loaded = run("load", SEED, "--db", db, "-q")
    assert loaded.returncode == 0 and loaded.stderr == b""
    again = run("load", SEED, "--db", db, "-v")
    assert f"jixiao: unchanged {SEED}" in again.stderr.decode()


def test_convert_shows_a_live_line_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from jixiao.cli.convert import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("TERM", "xterm-256color")  # a dumb terminal (CI's) redraws nothing
    for tty, enabled, shown in ((True, True, True), (True, False, False), (False, True, False)):
        stream = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stream)
        with _progress(enabled=enabled) as advance:
            advance(SEED)
        assert ("1 converted, last yuanjiang-2024.docx" in stream.getvalue()) is shown
