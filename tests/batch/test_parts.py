"""The batch's parts on their own: scanning, output names, the manifest, temporaries,
progress output, the per-file task, and the command's usage errors."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.batch import BatchError, BatchOptions, Task, convert_one, run_batch
from jixiao.batch.manifest import MANIFEST_NAME, Manifest, ManifestLockedError
from jixiao.batch.progress import PlainProgress, RichProgress, make_progress
from jixiao.batch.scan import Entry, remove_stale_temps, scan, unplannable
from jixiao.cli import app
from tests.conftest import FIXTURES, SEEDS

CLEAN = FIXTURES / "variants/clean-project.docx"


def test_scan_tells_documents_by_suffix_or_content(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    shutil.copyfile(CLEAN, root / "a/doc.docx")
    shutil.copyfile(CLEAN, root / "a/renamed.bin")  # a docx by content
    (root / "a/empty.docx").write_bytes(b"")  # a document by name: fails later, with why
    (root / "a/notes.txt").write_text("hello")
    (root / "a/~$doc.docx").write_bytes(b"lock")
    os.mkfifo(root / "a/pipe.docx")  # never opened (it would block)
    (root / "out").mkdir()
    (root / "out/old.docx").write_bytes(b"")
    entries = {e.rel: e for e in scan(root, exclude=root / "out")}
    assert sorted(entries) == ["a/doc.docx", "a/empty.docx", "a/notes.txt", "a/pipe.docx",
                               "a/renamed.bin", "a/~$doc.docx"]
    assert {r for r, e in entries.items() if e.document} == {
        "a/doc.docx", "a/empty.docx", "a/renamed.bin"}
    assert entries["a/pipe.docx"].reason == "not a regular file"
    assert entries["a/notes.txt"].reason is not None and "text" in entries["a/notes.txt"].reason


def test_outputs_that_clash_or_take_the_batch_files_are_refused() -> None:
    rels = ["_report", "a.docx", "a.pdf", "sub/_report", "sub/A.docx", "sub/a.docx"]
    why = unplannable([Entry(Path(r), r, True) for r in rels], ["json", "xml"])
    assert why == {
        "_report": "its output name _report.json is the batch's own",
        "sub/a.docx": "its outputs (sub/a.docx.*) would be those of sub/A.docx",
    }


def test_manifest_drops_a_cut_line_and_needs_the_outputs(tmp_path: Path) -> None:
    record = {"sha256": "s1", "rel": "a.docx", "out_stem": "a", "status": "ok",
              "outputs": ["a.json"], "size": 3, "mtime_ns": 7}
    lines = [json.dumps(record), "not json", json.dumps({**record, "rel": 1})]
    (tmp_path / MANIFEST_NAME).write_text("\n".join(lines) + '\n{"sha256": "s2", "rel')
    manifest = Manifest.open(tmp_path)
    try:
        assert manifest.lines == 1
        assert (tmp_path / MANIFEST_NAME).read_text().endswith('"mtime_ns": 7}\n')  # cut line gone
        assert manifest.known_sha256("a.docx", 3, 7) == "s1"
        assert manifest.known_sha256("a.docx", 3, 8) is None
        assert manifest.done("s1", "a", tmp_path, ["json"]) is None  # a.json is missing
        (tmp_path / "a.json").write_text("{}")
        assert manifest.done("s1", "a", tmp_path, ["json"]) is not None
        assert manifest.done("s1", "a", tmp_path, ["json", "xml"]) is None  # a new format
        with pytest.raises(ManifestLockedError):
            Manifest.open(tmp_path)
        manifest.append({**record, "sha256": "s3", "status": "failed"})
    finally:
        manifest.close()
    reopened = Manifest.open(tmp_path)  # the lock went with the close
    try:
        assert reopened.lines == 2 and reopened.done("s3", "a", tmp_path, ["json"]) is None
    finally:
        reopened.close()


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    stale = [tmp_path / ".a.json.k2_x9zq1.tmp", tmp_path / "d/.b.xml.abcdefgh.tmp"]
    kept = [tmp_path / "notes.tmp", tmp_path / ".hidden.tmp", tmp_path / "a.json"]
    for p in stale + kept:
        p.write_text("x")
    assert remove_stale_temps(tmp_path) == 2
    assert [p.exists() for p in stale + kept] == [False, False, True, True, True]


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(make_progress(Terminal()), RichProgress)
    stream = io.StringIO()
    progress = make_progress(stream)
    assert isinstance(progress, PlainProgress)
    progress.begin(2, 1, 3, 2)
    ok = {"status": "ok", "forms": 1, "pages": 2, "seconds": 0.5, "error": None}
    progress.finished("a/x.pdf", ok)
    progress.finished("b\ny.docx", {**ok, "status": "failed", "error": "bad\nzip"})
    progress.end()
    lines = stream.getvalue().splitlines()
    assert lines[:3] == [
        "jixiao: batch: 2 documents to convert (1 already done, 3 non-documents skipped), "
        "2 workers",
        "jixiao: [1/2] ok a/x.pdf (1 form, 2 pages, 0.50 s)",
        "jixiao: [2/2] failed b y.docx: bad zip",
    ]
    assert lines[3].startswith("jixiao: batch: 2 files in ")


def test_the_task_is_a_plain_function_another_executor_can_run(tmp_path: Path) -> None:
    result = convert_one(str(CLEAN), str(tmp_path), "sub/clean", ["json", "xml"])
    assert result["status"] == "ok" and result["outputs"] == ["sub/clean.json", "sub/clean.xml"]
    assert (tmp_path / "sub/clean.xml").is_file() and result["forms"] == 1
    assert pickle.loads(pickle.dumps(convert_one)) is convert_one
    task = Task(0, str(CLEAN), "clean.docx", str(tmp_path), "clean", ("json",))
    assert pickle.loads(pickle.dumps(task)) == task
    failed = convert_one(str(tmp_path / "missing.docx"), str(tmp_path), "m", ["json"])
    assert failed["status"] == "failed" and failed["error"] == "no such file"


def test_run_batch_in_process(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copyfile(CLEAN, root / "clean.docx")
    shutil.copyfile(SEEDS / "yuanjiang-2024.pdf", root / "y.pdf")
    stream = io.StringIO()
    out = root / "out"  # inside the folder: left out of the scan
    opts = BatchOptions(root, out, ["json"], workers=1)
    outcome = run_batch(opts, PlainProgress(stream))
    assert outcome.exit_code == 0, stream.getvalue()
    assert outcome.report["totals"]["ok"] == 2 and outcome.report["totals"]["pages"] == 10
    held = Manifest.open(out)
    try:
        with pytest.raises(BatchError, match="another jixiao batch"):
            run_batch(opts, PlainProgress(io.StringIO()))
    finally:
        held.close()
    again = run_batch(opts, PlainProgress(io.StringIO()))
    assert again.report["totals"]["resumed"] == 2 and again.report["files"][1]["pages"] == 10


def test_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    bad_format = runner.invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path), "--to", "yaml"])
    assert bad_format.exit_code == 2
    (tmp_path / "file").write_text("x")
    blocked = runner.invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "file")])
    assert blocked.exit_code == 1 and "cannot use output folder" in blocked.stderr
    (tmp_path / "in").mkdir()
    for out in (tmp_path / "in", tmp_path):
        overlap = runner.invoke(app, ["batch", str(tmp_path / "in"), "-o", str(out)])
        assert overlap.exit_code == 1 and "contains, the input folder" in overlap.stderr


def test_without_o_outputs_go_to_jixiao_out_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``jixiao batch .`` (no -o) works: the default output folder lies inside the input
    folder and is never searched; from the folder above, that earlier output folder (report
    and manifest too) is no input either."""
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copyfile(CLEAN, archive / "clean.docx")
    monkeypatch.chdir(archive)
    runner = CliRunner()
    first = runner.invoke(app, ["batch", ".", "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert (archive / "jixiao-out/clean.docx.json").is_file()
    again = runner.invoke(app, ["batch", ".", "--workers", "1"])
    assert again.exit_code == 0 and "1 already done" in again.stderr, again.output
    monkeypatch.chdir(tmp_path)
    above = runner.invoke(app, ["batch", "archive", "--workers", "1"])
    assert above.exit_code == 0, above.output
    report = json.loads((tmp_path / "jixiao-out/_report.json").read_text())
    assert [f["rel"] for f in report["files"]] == ["clean.docx"]
    assert report["totals"]["skipped"] == 0


def test_workers_do_not_import_the_callers_main(tmp_path: Path) -> None:
    """A program given on stdin (no file for its ``__main__``, no ``if __name__`` guard)
    can still run a batch: workers never re-import the caller's main module."""
    root = tmp_path / "in"
    root.mkdir()
    shutil.copyfile(CLEAN, root / "clean.docx")
    script = (
        "import io, pathlib\n"
        "from jixiao.batch import BatchOptions, run_batch\n"
        "from jixiao.batch.progress import PlainProgress\n"
        f"opts = BatchOptions(pathlib.Path({str(root)!r}), pathlib.Path({str(tmp_path / 'o')!r}),"
        " workers=1)\n"
        "print(run_batch(opts, PlainProgress(io.StringIO())).report['totals']['ok'])\n"
    )
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.stdout.strip() == "1", done.stderr[-2000:]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("raised", "reason"), [
    (OSError(28, "No space left on device"), "cannot write output: No space left on device"),
    (MemoryError(), "out of memory while writing the outputs"),
    (ValueError("bad cell"), "internal error in a writer (ValueError: bad cell)"),
])
def test_task_writer_failure_fails_the_file_and_leaves_no_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: BaseException, reason: str
) -> None:
    from jixiao import writers

    def broken(document: object) -> bytes:
        raise raised

    monkeypatch.setitem(writers.WRITERS, "xml", broken)
    result = convert_one(str(CLEAN), str(tmp_path), "clean", ["json", "xml"])
    assert (result["status"], result["error"], result["outputs"]) == ("failed", reason, [])
    assert list(tmp_path.iterdir()) == []  # rendering fails before anything is written


def test_task_write_failure_removes_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao import writers

    real = writers.write_atomic

    def second_fails(path: Path, data: bytes, durable: bool = True) -> None:
        if path.suffix == ".xml":
            raise OSError(13, "Permission denied")
        real(path, data, durable)

    monkeypatch.setattr(writers, "write_atomic", second_fails)
    result = convert_one(str(CLEAN), str(tmp_path), "clean", ["json", "xml"])
    assert result["error"] == "cannot write output: Permission denied"
    assert list(tmp_path.iterdir()) == []  # the .json written first is gone again
