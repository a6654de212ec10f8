"""``jixiao batch`` on a generated archive of 1,000+ files: nothing crashes, every file is
accounted for in OUT/_report.json, outputs mirror the folder tree, the log has one plain
line per finished file (stderr is not a terminal here)."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from jixiao.ledger import LEDGER_NAME
from tests.batch.archive import SMALL_PDFS, Archive, add_bad_and_other, add_documents, jixiao
from tests.conftest import FIXTURES

N_DOCX = 1000


@pytest.fixture(scope="module")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Path, Any, float]:
    base = tmp_path_factory.mktemp("acceptance")
    archive = Archive(base / "archive")
    add_documents(archive, N_DOCX)
    add_documents(archive, 4, SMALL_PDFS, top="pdf/")
    add_bad_and_other(archive)
    # same stem twice in a folder, and a name the batch itself uses at the top of OUT
    (archive.root / "pairs").mkdir()
    for name in ("clean-project.docx", "clean-project.pdf"):
        shutil.copyfile(FIXTURES / "variants" / name, archive.root / "pairs" / name)
        archive.documents.append(f"pairs/{name}")
    shutil.copyfile(FIXTURES / "variants/clean-project.docx", archive.root / "_report.docx")
    archive.documents.append("_report.docx")
    out = base / "out"
    started = time.monotonic()
    done = jixiao("batch", archive.root, "-o", out, "--workers", "2", timeout=300)
    return archive, out, done, time.monotonic() - started


def test_every_file_is_accounted_for(big_run: tuple[Archive, Path, Any, float]) -> None:
    archive, out, done, seconds = big_run
    assert archive.total >= 1000
    assert done.returncode == 1, done.stderr[-2000:]  # the bad files failed, nothing else
    assert "Traceback" not in done.stderr
    report = json.loads((out / "_report.json").read_text("utf-8"))
    files = {f["rel"]: f for f in report["files"]}
    assert len(files) == archive.total == len(report["files"])
    t = report["totals"]
    assert t["ok"] + t["failed"] + t["skipped"] == t["files"] == archive.total
    by_status = {s: {r for r, f in files.items() if f["status"] == s} for s in ("ok", "failed",
                                                                             "skipped")}
    assert by_status == {"ok": set(archive.documents), "failed": set(archive.bad),
                         "skipped": set(archive.other)}
    for rel in archive.bad:
        assert files[rel]["error"], rel
    for rel in archive.other:
        assert files[rel]["reason"], rel
    assert "password" in files["bad/encrypted.pdf"]["error"]
    assert "limit" in files["bad/bomb.docx"]["error"]
    assert seconds < 90, f"took {seconds:.0f} s"


def test_outputs_mirror_the_tree(big_run: tuple[Archive, Path, Any, float]) -> None:
    archive, out, _, _ = big_run
    report = json.loads((out / "_report.json").read_text("utf-8"))
    files = {f["rel"]: f for f in report["files"]}
    expected = {"_report.json", "_manifest.jsonl", LEDGER_NAME}
    for rel in archive.documents:
        entry = files[rel]
        folder = str(Path(rel).parent)
        assert entry["outputs"] == [entry["outputs"][0]]
        output = entry["outputs"][0]
        assert str(Path(output).parent) == folder
        expected.add(output)
        assert entry["sha256"] and len(entry["sha256"]) == 64
        assert entry["forms"] >= 1 and set(entry["findings"]) == {"error", "warning", "info"}
    assert files["pairs/clean-project.pdf"]["outputs"] == ["pairs/clean-project.pdf.json"]
    assert files["pairs/clean-project.pdf"]["pages"] == 1
    assert files["_report.docx"]["outputs"] == ["_report.docx.json"]
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == expected
    sample = json.loads((out / files[archive.documents[0]]["outputs"][0]).read_text("utf-8"))
    assert sample["source"]["sha256"] == files[archive.documents[0]]["sha256"]


def test_plain_log_lines_when_not_a_terminal(big_run: tuple[Archive, Path, Any, float]) -> None:
    archive, _, done, _ = big_run
    lines = [ln for ln in done.stderr.splitlines() if re.match(r"jixiao: \[ *\d+/\d+\] ", ln)]
    assert len(lines) == len(archive.documents) + len(archive.bad)
    assert lines[-1].startswith(f"jixiao: [{len(lines)}/{len(lines)}] ")
    failed = [ln for ln in lines if "] failed " in ln]
    assert len(failed) == len(archive.bad)
    assert "\x1b[" not in done.stderr  # no terminal control sequences in a log
