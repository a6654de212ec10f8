"""``jixiao batch --executor dask`` on a real cluster (a scheduler and two workers, each its
own process): the same outputs, byte for byte, and the same report as the local pool."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.batch.archive import SMALL_PDFS, Archive, jixiao
from tests.batch.archive import add_documents as add_copies
from tests.conftest import SEEDS

pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[2]


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", *args], stdout=fh, stderr=subprocess.STDOUT, cwd=REPO,
            start_new_session=True,  # its own group: the nanny's worker goes down with it
        )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.killpg(p.pid, signal.SIGKILL)  # anything left of its group (the nanny's worker)
        p.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers."""
    base = tmp_path_factory.mktemp("dask")
    sched_file = base / "scheduler.json"
    processes = [_start(
        ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
         "--dashboard-address", ":0", "--scheduler-file", str(sched_file)],
        base / "scheduler.log",
    )]
    try:
        deadline = time.monotonic() + 30
        while not sched_file.exists() or not sched_file.read_text().strip():
            assert processes[0].poll() is None, (base / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        for i in range(2):
            processes.append(_start(
                ["distributed.cli.dask_worker", "--nthreads", "1", "--nworkers", "1",
                 "--host", "127.0.0.1", "--dashboard-address", ":0",
                 "--scheduler-file", str(sched_file)],
                base / f"worker{i}.log",
            ))
        # Waited for in another process: the client's threads stay out of this one.
        waited = subprocess.run(
            [sys.executable, "-c",
             "import sys; from distributed import Client; "
             "c = Client(scheduler_file=sys.argv[1], timeout=30); "
             "c.wait_for_workers(2, timeout=60); c.close()",
             str(sched_file)],
            capture_output=True, text=True, timeout=90, check=False,
        )
        assert waited.returncode == 0, waited.stderr[-2000:]
        yield str(json.loads(sched_file.read_text())["address"])
    finally:
        _stop(processes)


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(("_", "."))  # report, manifest, ledger
    }


def _by_file(report: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        f["rel"]: (f["status"], f["sha256"], f["forms"], f["findings"], f["outputs"],
                   f.get("error"))
        for f in report["files"]
    }


def test_dask_matches_local(cluster: str, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    add_copies(archive, 16)
    add_copies(archive, 4, SMALL_PDFS, top="pdf/")
    (archive.root / "notes.txt").write_text("not a document\n", "utf-8")
    (archive.root / "bad.docx").write_bytes(b"not a zip")
    local_out, dask_out = tmp_path / "out-local", tmp_path / "out-dask"

    local = jixiao("batch", archive.root, "-o", local_out, "--workers", "2", timeout=120)
    started = time.monotonic()
    remote = jixiao(
        "batch", archive.root, "-o", dask_out, "--executor", "dask", "--scheduler", cluster,
        timeout=120,
    )
    seconds = time.monotonic() - started
    assert local.returncode == remote.returncode == 1, remote.stderr[-2000:]  # bad.docx
    assert "Traceback" not in remote.stderr

    expected = _outputs(local_out)
    assert len(expected) == 20
    assert _outputs(dask_out) == expected  # the same files, byte for byte

    reports = [json.loads((o / "_report.json").read_text("utf-8")) for o in (local_out,
                                                                             dask_out)]
    assert reports[0]["totals"] == reports[1]["totals"]
    assert reports[1]["totals"]["ok"] == 20 and reports[1]["totals"]["failed"] == 1
    assert _by_file(reports[0]) == _by_file(reports[1])
    assert set(reports[0]) == set(reports[1])

    manifests = [
        [json.loads(line) for line in (o / "_manifest.jsonl").read_text("utf-8").splitlines()]
        for o in (local_out, dask_out)
    ]
    assert [sorted(r) for r in sorted(manifests[0], key=lambda r: r["rel"])] == [
        sorted(r) for r in sorted(manifests[1], key=lambda r: r["rel"])
    ]
    assert seconds < 30, f"the dask batch took {seconds:.0f} s"


def test_dask_rerun_resumes(cluster: str, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    add_copies(archive, 3)
    out = tmp_path / "out"
    args = ("batch", archive.root, "-o", out, "--executor", "dask", "--scheduler", cluster)
    assert jixiao(*args, timeout=120).returncode == 0
    assert jixiao(*args, timeout=120).returncode == 0
    again = json.loads((out / "_report.json").read_text("utf-8"))
    assert all(f["resumed"] for f in again["files"])


def test_dask_timeout(cluster: str, tmp_path: Path) -> None:
    """A file over --timeout fails with the local pool's words; the batch goes on. (.doc
    files: LibreOffice takes about a second, far over the timeout, however late the loop
    looks; a small .docx could finish before a loaded test machine's loop looks at it.)"""
    archive = Archive(tmp_path / "archive")
    add_copies(archive, 2, sorted(SEEDS.glob("*.doc")))
    out = tmp_path / "out"
    done = jixiao(
        "batch", archive.root, "-o", out, "--executor", "dask", "--scheduler", cluster,
        "--timeout", "0.001", timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads((out / "_report.json").read_text("utf-8"))
    assert {f["error"] for f in report["files"]} == {"timed out after 0.001 s"}


def test_dask_needs_a_scheduler(tmp_path: Path) -> None:
    done = jixiao("batch", tmp_path, "-o", tmp_path / "out", "--executor", "dask")
    assert done.returncode == 2
    assert "--scheduler" in done.stderr
