"""What the batch's parent process does per file, kept small: it hashes a file only when
the manifest could hold it as done, one persistent selector watches the workers, and the
records still carry every file's sha256."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import jixiao.batch.run as run
from jixiao.batch import BatchOptions, Task, run_batch
from jixiao.batch.manifest import MANIFEST_NAME, Manifest
from jixiao.batch.pool import WorkerPool, failure
from jixiao.batch.progress import PlainProgress
from jixiao.batch.task import file_sha256
from tests.conftest import FIXTURES

CLEAN = FIXTURES / "variants/clean-project.docx"
OTHER = FIXTURES / "variants/department-duties.docx"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / MANIFEST_NAME).read_text("utf-8").splitlines()]


def test_the_parent_hashes_only_files_the_manifest_may_hold_as_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    for name in ("a.docx", "b.docx", "c.docx"):
        shutil.copyfile(CLEAN, root / name)
    hashed: list[str] = []

    def counting(path: str | Path) -> str | None:
        hashed.append(Path(path).name)
        return file_sha256(path)

    monkeypatch.setattr(run, "file_sha256", counting)  # the parent's hashing only

    def batch() -> dict[str, Any]:
        hashed.clear()
        opts = BatchOptions(root, out, ["json"], workers=2)
        outcome = run_batch(opts, PlainProgress(io.StringIO()))
        totals: dict[str, Any] = outcome.report["totals"]
        return totals

    first = batch()  # nothing on record: nothing hashed here, the workers tell the sha256
    assert first["converted_now"] == 3 and hashed == []
    assert {r["rel"]: r["sha256"] for r in _records(out)} == dict.fromkeys(
        ["a.docx", "b.docx", "c.docx"], _sha(CLEAN))

    again = batch()  # unchanged (size, mtime): the recorded sha256 serves
    assert again["resumed"] == 3 and again["converted_now"] == 0 and hashed == []

    os.utime(root / "a.docx", ns=(1, 10**18))  # touched, same bytes: hashed, still done
    shutil.copyfile(OTHER, root / "b.docx")  # new content under a done name: hashed, converted
    shutil.copyfile(CLEAN, root / "d.docx")  # a new name: not hashed here
    third = batch()
    assert sorted(hashed) == ["a.docx", "b.docx"]
    assert third["resumed"] == 2 and third["converted_now"] == 2
    latest = {r["rel"]: r for r in _records(out)}
    assert latest["b.docx"]["sha256"] == _sha(OTHER) and latest["d.docx"]["sha256"] == _sha(CLEAN)
    assert Counter(r["rel"] for r in _records(out)) == {
        "a.docx": 1, "b.docx": 2, "c.docx": 1, "d.docx": 1}

    last = batch()
    assert last["resumed"] == 4 and last["converted_now"] == 0 and hashed == ["a.docx"]


def test_a_file_without_a_result_is_hashed_for_its_record(tmp_path: Path) -> None:
    """A worker that died or timed out gave no sha256: the record still has it."""
    path = tmp_path / "a.docx"
    shutil.copyfile(CLEAN, path)
    task = Task(0, str(path), "a.docx", str(tmp_path), "a", ("json",))
    record = run._record(task, failure(task, "worker died: signal SIGKILL"))
    assert record["sha256"] == _sha(CLEAN) and record["status"] == "failed"
    gone = Task(1, str(tmp_path / "gone.docx"), "gone.docx", str(tmp_path), "gone", ("json",))
    assert run._record(gone, failure(gone, "worker died: exit code 1"))["sha256"] == ""
    known = Task(2, str(path), "a.docx", str(tmp_path), "a", ("json",), sha256="f" * 64)
    assert run._record(known, failure(known, "timed out after 1 s"))["sha256"] == "f" * 64


def test_manifest_tells_which_stems_may_be_done(tmp_path: Path) -> None:
    manifest = Manifest.open(tmp_path)
    try:
        ok = {"sha256": "s1", "rel": "a.docx", "out_stem": "a", "status": "ok"}
        assert not manifest.may_be_done("a")
        manifest.append({**ok, "status": "failed"})
        assert not manifest.may_be_done("a")  # only a failure on record
        manifest.append(ok)
        manifest.append({**ok, "sha256": "s2"})
        assert manifest.may_be_done("a") and not manifest.may_be_done("b")
        manifest.append({**ok, "status": "failed"})  # s1 failed since; s2 still done
        assert manifest.may_be_done("a")
        manifest.append({**ok, "sha256": "s2", "status": "failed"})
        assert not manifest.may_be_done("a")
    finally:
        manifest.close()
    reopened = Manifest.open(tmp_path)
    try:
        assert not reopened.may_be_done("a")
    finally:
        reopened.close()


def test_the_selector_follows_the_workers_through_a_kill(tmp_path: Path) -> None:
    """A killed worker's pipe and sentinel leave the selector before they close (its
    replacement often gets the same fd numbers); nothing is left registered after."""
    tasks = []
    for i in range(8):
        shutil.copyfile(CLEAN, tmp_path / f"c{i}.docx")
        tasks.append(Task(i, str(tmp_path / f"c{i}.docx"), f"c{i}.docx", str(tmp_path / "out"),
                          f"c{i}", ("json",)))
    pool = WorkerPool(2, timeout=60.0, memory_limit_mb=0)
    results: dict[int, dict[str, Any]] = {}
    killed = False
    for event in pool.run(tasks):
        selector = pool._selector
        assert selector is not None
        live = {fd for w in pool._workers for fd in w.fds}
        assert set(selector.get_map()) == live and len(live) == 2 * len(pool._workers)
        for fd in live:
            os.fstat(fd)  # open
        if event.kind == "started" and not killed:
            holder = next(w for w in pool._workers if w.queue and w.queue[0] is event.task)
            assert holder.process.pid
            os.kill(holder.process.pid, signal.SIGKILL)
            killed = True
        if event.kind == "done":
            assert event.result is not None and event.task.id not in results
            results[event.task.id] = event.result
    assert pool._selector is None and pool._workers == [] and pool.replaced >= 1
    assert sorted(results) == list(range(8))
    failed = [r["error"] for r in results.values() if r["status"] != "ok"]
    assert failed in ([], ["worker died: signal SIGKILL"])  # unless it had just finished
