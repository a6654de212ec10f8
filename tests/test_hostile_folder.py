"""``jixiao convert`` and ``jixiao batch`` over a folder of hostile inputs (``tests.hostile``):
both finish, every file is named with ok or a reason, no traceback, and memory stays bounded
(peak RSS of the command and every process it started: under 1 GB for ``convert``, under
2 GB for ``batch``)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.hostile import build, measure

GIB = 1024 * 1024 * 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "in"
    build(folder)
    return folder


def every_entry(folder: Path) -> list[Path]:
    """Every file, link and FIFO under ``folder`` (links to folders not followed)."""
    found = []
    for here, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            found.append(Path(here) / name)
    return found


def run_measured(args: list[str], timeout: float) -> tuple[int, str, int]:
    """Exit code, stderr and peak RSS in bytes (``tests.hostile.measure``)."""
    code, peak_mib, err = measure(args, timeout)
    assert code is not None, f"{args[3]} did not finish in {timeout} s"
    return code, err.decode("utf-8", "surrogateescape"), int(peak_mib * 1024 * 1024)


def shown(path: Path) -> set[str]:
    """How ``path`` can appear on a line of stderr: line breaks made spaces, bytes that
    are not UTF-8 as Python's stderr writes them."""
    text = " ".join(str(path).split("\n"))
    return {text.encode("utf-8", "backslashreplace").decode("utf-8"),
            text.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")}


def test_convert_names_every_file_and_stays_small(hostile: Path, tmp_path: Path) -> None:
    code, err, peak = run_measured(
        [sys.executable, "-m", "jixiao", "convert", str(hostile), "-o", str(tmp_path / "out"),
         "-v", "--to", "json"], timeout=600)
    assert code == 1, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    lines = err.splitlines()
    for entry in every_entry(hostile):
        named = [ln for ln in lines if any(f" {s}" in ln for s in shown(entry))]
        assert named, f"{entry} is not named: {err[-3000:]}"
        assert named[0].startswith(("jixiao: ok ", "jixiao: error: ", "jixiao: skipped ")), named
    assert peak < GIB, f"peak RSS {peak / 2**20:.0f} MiB"


def test_batch_reports_every_file_and_stays_small(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err, peak = run_measured(
        [sys.executable, "-m", "jixiao", "batch", str(hostile), "-o", str(out),
         "--workers", "2", "--timeout", "120"], timeout=600)
    assert code == 1, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    report = json.loads((out / "_report.json").read_text("utf-8"))
    files = {f["path"]: f for f in report["files"]}
    for entry in every_entry(hostile):
        record = files.get(str(entry))
        assert record is not None, f"{entry} missing from the report"
        assert record["status"] == "ok" or record["error"] or record["reason"], record
    assert peak < 2 * GIB, f"peak RSS {peak / 2**20:.0f} MiB"  # the batch process itself
    # each worker's peak (the workers are the forkserver's children, not the command's)
    peaks = [f["worker_peak_mib"] for f in report["files"] if f.get("worker_peak_mib")]
    assert peaks and max(peaks) < 2048, f"a worker peaked at {max(peaks)} MiB"
