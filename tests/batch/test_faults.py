"""One bad file never stops a batch: a file that hangs is killed at the timeout (with the
processes its worker started), a worker that dies is replaced, and both are reported."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from jixiao.batch.pool import descendants, describe_exit
from tests.batch.archive import jixiao
from tests.conftest import FIXTURES, SEEDS

GOOD = [f"c{i}.docx" for i in range(6)]


def _archive(root: Path) -> Path:
    root.mkdir()
    for name in GOOD:
        shutil.copyfile(FIXTURES / "variants/clean-project.docx", root / name)
    return root


def _report(out: Path) -> dict[str, dict[str, Any]]:
    report = json.loads((out / "_report.json").read_text("utf-8"))
    return {f["rel"]: f for f in report["files"]}


def _running(marker: str) -> list[int]:
    """Processes whose command line mentions ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


def test_a_hanging_file_times_out_and_the_rest_finish(tmp_path: Path) -> None:
    root = _archive(tmp_path / "in")
    shutil.copyfile(SEEDS / "yuanjiang-2024.doc", root / "hangs.doc")
    fake = tmp_path / "fake-soffice-sleeps"  # LibreOffice that never finishes
    fake.write_text("#!/bin/sh\nsleep 120\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "out"
    done = jixiao(
        "batch", root, "-o", out, "--workers", "2", "--timeout", "3",
        env={**_env(), "JIXIAO_SOFFICE": str(fake), "JIXIAO_SOFFICE_TIMEOUT": "600"},
    )
    assert done.returncode == 1, done.stderr
    files = _report(out)
    assert files["hangs.doc"]["status"] == "failed"
    assert files["hangs.doc"]["error"] == "timed out after 3 s"
    assert all(files[name]["status"] == "ok" for name in GOOD)
    assert "failed hangs.doc: timed out after 3 s" in done.stderr
    assert not _running(str(fake)), "the hung LibreOffice was left running"


@pytest.mark.parametrize(
    ("hook", "reason"),
    [("c2.docx", "worker died: exit code 1"), ("c2.docx:SIGKILL", "worker died: signal SIGKILL")],
)
def test_a_worker_that_dies_is_reported_and_replaced(
    tmp_path: Path, hook: str, reason: str
) -> None:
    root = _archive(tmp_path / "in")
    out = tmp_path / "out"
    done = jixiao("batch", root, "-o", out, "--workers", "2",
                  env={**_env(), "JIXIAO_BATCH_CRASH_ON": hook})
    assert done.returncode == 1, done.stderr
    files = _report(out)
    assert files["c2.docx"] | {"status": "failed", "error": reason} == files["c2.docx"]
    assert [n for n in GOOD if files[n]["status"] == "ok"] == [n for n in GOOD if n != "c2.docx"]
    # a rerun (without the hook) retries what failed and keeps what is done
    again = jixiao("batch", root, "-o", out, "--workers", "2", env=_env())
    assert again.returncode == 0, again.stderr
    report = json.loads((out / "_report.json").read_text("utf-8"))
    assert report["totals"]["converted_now"] == 1 and report["totals"]["resumed"] == 5


def test_a_worker_over_its_memory_limit_fails_its_file_not_the_batch(tmp_path: Path) -> None:
    root = _archive(tmp_path / "in")
    shutil.copyfile(SEEDS / "yuanjiang-2024.pdf", root / "big.pdf")
    out = tmp_path / "out"
    done = jixiao("batch", root, "-o", out, "--workers", "1", "--memory-limit", "1")
    files = _report(out)
    assert done.returncode == 1
    assert all(f["status"] == "failed" and f["error"] for f in files.values())


def test_process_helpers() -> None:
    assert describe_exit(-9) == "signal SIGKILL"
    assert describe_exit(1) == "exit code 1"
    assert descendants(2**22 + 12345) == []


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("JIXIAO_BATCH_CRASH_ON", None)
    return env
