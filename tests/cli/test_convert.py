"""``jixiao convert`` on bad input: one clear line per failed file, exit 1, and the good
files in the same command still converted, with nothing partial left in OUTDIR.

Exit codes: 0 all converted, 1 some file failed, 2 usage error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner, Result

from jixiao.cli import app
from jixiao.converters.docx import package
from jixiao.converters.docx.package import PackageLimits
from jixiao.ledger import LEDGER_NAME
from tests.converters.docx import bad_docs as bad

GOOD = bad.GOOD_SEED
GOOD_STEM = GOOD.name  # outputs are named <input name>.<format>
GOOD_OUTPUTS = {f"{GOOD_STEM}.json", f"{GOOD_STEM}.xml"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["convert", *map(str, args)])


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("jixiao: error:")]


def assert_valid_outputs(out: Path, stem: str, source: Path | None = None) -> None:
    doc = json.loads((out / f"{stem}.json").read_text("utf-8"))
    assert doc["tables"], stem
    if source is not None:
        assert doc["source"]["path"] == str(source)
    etree.parse(str(out / f"{stem}.xml"))


def assert_only(out: Path, names: set[str]) -> None:
    """Exactly these files in OUTDIR (besides jixiao's ledger of what it wrote there): no
    temp file, no output for a failed input."""
    assert set(os.listdir(out)) - {LEDGER_NAME} == names


# --- one bad file next to a good one --------------------------------------------------

# name -> (builder, words of the reason)
BAD = {
    "empty": (bad.empty_file, "empty file"),
    "plain-text": (bad.plain_text, "unknown file type: the content is text"),
    "truncated-zip": (bad.truncated_seed, "corrupt or truncated ZIP package"),
    "zip-not-office": (bad.zip_not_office, "a ZIP archive but not an Office document"),
    "no-document-xml": (bad.ooxml_without_document, "the package has no word/document.xml"),
    "not-well-formed": (bad.not_well_formed, "word/document.xml is not well-formed XML"),
    "broken-deflate": (bad.broken_deflate, "word/document.xml is corrupt in the ZIP"),
    "encrypted-member": (bad.encrypted_member, "word/document.xml is encrypted"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_fails_alone_and_good_file_converts(case: str, tmp_path: Path) -> None:
    builder, words = BAD[case]
    bad_path = builder(tmp_path / "bad.docx")
    out = tmp_path / "out"
    result = run(bad_path, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result)
    assert line.startswith(f"jixiao: error: {bad_path}: "), result.output
    assert words in line, result.output
    assert "converted 1 of 2 files" in result.stderr, result.output
    assert_valid_outputs(out, GOOD_STEM, GOOD)
    assert_only(out, GOOD_OUTPUTS)


def test_every_bad_file_in_one_command(tmp_path: Path) -> None:
    inputs = [builder(tmp_path / f"{case}.docx") for case, (builder, _) in BAD.items()]
    out = tmp_path / "out"
    result = run(*inputs, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert len(lines) == len(inputs), result.output
    for path, line, (_, words) in zip(inputs, lines, BAD.values(), strict=True):
        assert line.startswith(f"jixiao: error: {path}: ") and words in line, result.output
    assert_only(out, GOOD_OUTPUTS)


def test_only_good_files_exit_zero(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(GOOD, bad.OTHER_SEED, "-o", out, "--to", "json,xml")
    assert result.exit_code == 0, result.output
    assert error_lines(result) == [], result.output
    assert_valid_outputs(out, GOOD_STEM)
    assert_valid_outputs(out, bad.OTHER_SEED.name)


# --- entities -------------------------------------------------------------------------


def _all_text(result: Result, out: Path) -> str:
    files = [p.read_text("utf-8", errors="replace") for p in out.iterdir() if p.is_file()]
    return result.output + "".join(files)


def test_xxe_file_entity_is_refused_and_nothing_leaks(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("JIXIAO-SECRET-7f3a9c\n", "utf-8")
    local = bad.docx_with_document(tmp_path / "xxe1.docx", bad.entity_document(secret.as_uri()))
    passwd = bad.docx_with_document(
        tmp_path / "xxe2.docx", bad.entity_document("file:///etc/passwd")
    )
    out = tmp_path / "out"
    result = run(local, passwd, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert len(lines) == 2, result.output
    for path, line in zip((local, passwd), lines, strict=True):
        assert line.startswith(f"jixiao: error: {path}: word/document.xml declares a DTD")
        assert "refused" in line
    text = _all_text(result, out)
    assert "JIXIAO-SECRET" not in text and "root:x:0:0" not in text
    assert_only(out, GOOD_OUTPUTS)


@pytest.fixture
def listener() -> Iterator[bad.Listener]:
    port = bad.Listener()
    yield port
    port.close()


def test_xxe_http_entity_never_touches_the_network(tmp_path: Path, listener: bad.Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/x"
    path = bad.docx_with_document(tmp_path / "ssrf.docx", bad.entity_document(url))
    out = tmp_path / "out"
    result = run(path, GOOD, "-o", out)
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result)
    assert line.startswith(f"jixiao: error: {path}: ") and "refused" in line, result.output
    assert listener.connections() == 0
    assert_only(out, {f"{GOOD_STEM}.json"})


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = bad.docx_with_document(tmp_path / "laughs.docx", bad.billion_laughs_document())
    out = tmp_path / "out"
    result = run(path, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result)
    assert line.startswith(f"jixiao: error: {path}: ") and "refused" in line, result.output
    assert "lollol" not in result.output
    assert_only(out, GOOD_OUTPUTS)


# --- decompression caps ---------------------------------------------------------------


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "DEFAULT_LIMITS", PackageLimits(max_part_bytes=1_000_000))
    bomb = bad.bomb(tmp_path / "bomb.docx", 5_000_000)
    liar = bad.lying_size(tmp_path / "liar.docx", 5_000_000, 1_000, prefix_crc=False)
    out = tmp_path / "out"
    result = run(bomb, liar, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    first, second = error_lines(result)
    assert first == (
        f"jixiao: error: {bomb}: word/document.xml would decompress to 5000013 bytes; "
        "limit is 1000000"
    ), result.output
    assert second.startswith(f"jixiao: error: {liar}: word/document.xml is corrupt in the ZIP")
    assert_valid_outputs(out, GOOD_STEM)
    assert_only(out, GOOD_OUTPUTS)


# --- paths that are not files ---------------------------------------------------------


def test_missing_path_is_one_error_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.docx"
    out = tmp_path / "out"
    result = run(missing, GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [f"jixiao: error: {missing}: no such file"], result.output
    assert_only(out, GOOD_OUTPUTS)


def test_directory_is_searched_and_its_bad_files_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.docx")
    broken = bad.truncated_seed(folder / "broken.docx")
    (folder / "notes.txt").write_text("not a document", "utf-8")
    out = tmp_path / "out"
    result = run(folder, tmp_path / "missing.docx", "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: {broken}: corrupt or truncated ZIP package",
        f"jixiao: error: {tmp_path / 'missing.docx'}: no such file",
    ], result.output
    assert "converted 1 of 3 files (1 non-document files skipped)" in result.stderr
    assert_valid_outputs(out, "good.docx")
    assert_only(out, {"good.docx.json", "good.docx.xml"})


def test_folder_without_documents_is_named(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in/notes.txt").write_text("hello", "utf-8")
    result = run(tmp_path / "in", "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: {tmp_path / 'in'}: a folder with no documents in it "
        "(1 other file skipped)"
    ], result.output
    assert not (tmp_path / "out").exists()


# --- usage errors ---------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["json,yaml", "tsv", ","])
def test_unknown_output_format_is_usage_error(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(GOOD, "-o", out, "--to", spec)
    assert result.exit_code == 2, result.output
    assert "--to" in result.output, result.output
    if spec != ",":
        assert "unknown output format" in result.output, result.output
    assert not out.exists()


def test_no_paths_is_usage_error() -> None:
    result = run()
    assert result.exit_code == 2, result.output


# --- output folder --------------------------------------------------------------------


def test_outdir_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("keep me", "utf-8")
    result = run(GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: cannot use output folder {out}: it exists and is not a folder"
    ], result.output
    assert out.read_text("utf-8") == "keep me"


def test_outdir_below_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    out = blocker / "out"
    result = run(GOOD, "-o", out)
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result)
    assert line.startswith(f"jixiao: error: cannot use output folder {out}: "), result.output
    assert "Not a directory" in line, result.output


def test_outdir_without_write_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real = os.access

    def no_write(path: str | Path, mode: int) -> bool:
        if Path(path) == out and mode & os.W_OK:
            return False
        return real(path, mode)

    # root ignores mode bits, so a chmod would show nothing: pretend instead
    monkeypatch.setattr(os, "access", no_write)
    result = run(GOOD, "-o", out)
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: cannot use output folder {out}: permission denied"
    ], result.output
    assert_only(out, set())


def test_error_line_stays_one_line(tmp_path: Path) -> None:
    odd = bad.truncated_seed(tmp_path / "two\nlines  here.docx")
    result = run(odd, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: {tmp_path}/two lines  here.docx: corrupt or truncated ZIP package"
    ], result.output


def test_write_failure_leaves_no_half_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.writers as writers

    real = writers.write_atomic

    def failing(path: Path, data: bytes, durable: bool = True) -> None:
        if path.suffix == ".xml":
            raise OSError(28, "No space left on device", str(path))
        real(path, data, durable)

    monkeypatch.setattr(writers, "write_atomic", failing)
    out = tmp_path / "out"
    result = run(GOOD, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: {GOOD}: cannot write output {out / (GOOD_STEM + '.xml')}: "
        "No space left on device"
    ], result.output
    assert_only(out, set())


def test_failed_rename_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rename(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", no_rename)
    out = tmp_path / "out"
    result = run(GOOD, "-o", out, "--to", "json")
    assert result.exit_code == 1, result.output
    (line,) = error_lines(result)
    assert line.endswith("Permission denied"), result.output
    assert_only(out, set())


def test_outputs_are_replaced_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for n in range(3):
        result = run(GOOD, "-o", out, "--to", "json,xml")
        assert result.exit_code == 0, result.output
        assert_valid_outputs(out, GOOD_STEM)
        assert_only(out, GOOD_OUTPUTS)  # no .*.tmp from write_atomic
        if n == 0:  # jixiao's own output, damaged: the next run replaces it
            (out / f"{GOOD_STEM}.json").write_text("{stale", "utf-8")


# --- output names ---------------------------------------------------------------------


def test_same_name_in_two_folders_is_refused_not_renamed(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx"
    for path, seed in ((a, GOOD), (b, bad.OTHER_SEED)):
        path.parent.mkdir()
        shutil.copy(seed, path)
    out = tmp_path / "out"
    result = run(a, b, "-o", out, "--to", "json,xml")
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        f"jixiao: error: {b}: its outputs (x.docx.*) would be those of {a}: "
        "convert it to another output folder"
    ], result.output
    assert_only(out, {"x.docx.json", "x.docx.xml"})
    assert_valid_outputs(out, "x.docx", a)


def test_output_names_mirror_the_tree_and_depend_on_the_input_alone(tmp_path: Path) -> None:
    """The name of an input's outputs is the same whatever else is in the run."""
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    shutil.copy(GOOD, archive / "sub/r.docx")
    alone = tmp_path / "alone"
    assert run(archive / "sub/r.docx", "-o", alone).exit_code == 0
    shutil.copy(bad.OTHER_SEED, archive / "sub/r.pdf.docx")  # once x.docx-2's name
    shutil.copy(GOOD, archive / "r.docx")
    together = tmp_path / "together"
    result = run(archive, "-o", together)
    assert result.exit_code == 0, result.output
    assert_only(alone, {"r.docx.json"})
    assert sorted(p.relative_to(together).as_posix() for p in together.rglob("*.json")) == [
        "r.docx.json", "sub/r.docx.json", "sub/r.pdf.docx.json",
    ]
    assert (alone / "r.docx.json").read_bytes() != b""
    assert json.loads((together / "sub/r.docx.json").read_text("utf-8"))["forms"] == json.loads(
        (alone / "r.docx.json").read_text("utf-8"))["forms"]


# --- a real process: real exit codes and streams --------------------------------------


def _commands() -> list[list[str]]:
    commands = [[sys.executable, "-m", "jixiao"]]
    script = shutil.which("jixiao")
    if script:
        commands.append([script])
    return commands


@pytest.mark.parametrize("command", _commands(), ids=lambda c: Path(c[-1]).name)
def test_real_process_exit_codes(command: list[str], tmp_path: Path) -> None:
    broken = bad.truncated_seed(tmp_path / "broken.docx")
    out = tmp_path / "out"
    proc = subprocess.run(
        [*command, "convert", str(broken), str(GOOD), "-o", str(out), "--to", "json,xml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("jixiao: error:")] == [
        f"jixiao: error: {broken}: corrupt or truncated ZIP package"
    ], proc.stderr
    assert_valid_outputs(out, GOOD_STEM)
    assert_only(out, GOOD_OUTPUTS)

    usage = subprocess.run(
        [*command, "convert", str(GOOD), "-o", str(out), "--to", "yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 2, usage.stderr
    assert "unknown output format yaml" in usage.stderr
