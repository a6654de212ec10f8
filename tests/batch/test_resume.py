"""Kill -9 a running ``jixiao batch`` (its whole process group, workers included) once the
manifest has some lines, run it again: every file is converted exactly once, OUT holds one
output set per input and no temporary file, and the report is complete."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from jixiao.batch.manifest import MANIFEST_NAME
from jixiao.ledger import LEDGER_NAME
from tests.batch.archive import Archive, add_documents, jixiao
from tests.conftest import SEEDS

N = 60


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_kill_and_resume(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    add_documents(archive, N, sorted(SEEDS.glob("*.docx")))  # the big ones: ~0.15 s each
    out = tmp_path / "out"
    manifest = out / MANIFEST_NAME
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "batch", str(archive.root), "-o", str(out),
         "--to", "json,xml", "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while _lines(manifest) < 8 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _lines(manifest)
    assert 8 <= before < N, f"killed after {before} of {N} files: not mid-way"
    assert not (out / "_report.json").exists()
    # what a kill at a worse moment leaves: a cut-off manifest line, a temporary output
    with manifest.open("ab") as fh:
        fh.write(b'{"sha256": "abc", "rel": "d0/s0/cut')
    (out / "d0" / ".stray.json.abc123de.tmp").write_bytes(b"{")

    rerun = jixiao("batch", archive.root, "-o", out, "--to", "json,xml", "--workers", "2")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    report = json.loads((out / "_report.json").read_text("utf-8"))
    assert report["totals"]["ok"] == report["totals"]["files"] == N
    assert report["totals"]["resumed"] == before
    assert report["totals"]["converted_now"] == N - before
    # exactly once: one ok record per input in the manifest, one output set per input
    records = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()]
    assert Counter(r["rel"] for r in records if r["status"] == "ok") == Counter(archive.documents)
    expected = {"_report.json", MANIFEST_NAME, LEDGER_NAME}
    for rel in archive.documents:
        expected |= {f"{rel}.json", f"{rel}.xml"}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == expected  # no temporaries, no duplicates
    for rel in archive.documents[:3]:
        doc = json.loads((out / f"{rel}.json").read_text("utf-8"))
        assert doc["forms"]

    third = jixiao("batch", archive.root, "-o", out, "--to", "json,xml", "--workers", "2")
    assert third.returncode == 0
    report = json.loads((out / "_report.json").read_text("utf-8"))
    assert report["totals"]["resumed"] == N and report["totals"]["converted_now"] == 0
    assert _lines(manifest) == len(records)  # nothing converted again
