"""Durability of a batch's outputs: workers write them without an fsync each, the manifest's
commits sync OUT's file system in groups (in a thread), and a rerun checks each output
against the size its record gives."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from jixiao.batch import BatchError, BatchOptions, convert_one, run_batch
from jixiao.batch import manifest as manifest_module
from jixiao.batch.manifest import MANIFEST_NAME, Manifest, sync_filesystem
from jixiao.batch.run import ocr_threads
from tests.conftest import FIXTURES

CLEAN = FIXTURES / "variants/clean-project.docx"
RECORD = {"sha256": "s1", "rel": "a.docx", "out_stem": "a", "status": "ok",
          "outputs": ["a.json"]}


def _count_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = os.fsync

    def counted(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counted)
    return calls


def test_a_task_fsyncs_its_outputs_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsyncs = _count_fsyncs(monkeypatch)
    durable = convert_one(str(CLEAN), str(tmp_path), "a", ["json", "xml"])
    assert len(fsyncs) == 2
    left = convert_one(str(CLEAN), str(tmp_path), "b", ["json", "xml"], durable=False)
    assert len(fsyncs) == 2  # none more
    for result in (durable, left):
        sizes = result["output_sizes"]
        assert sorted(sizes) == sorted(result["outputs"])
        assert all(sizes[name] == (tmp_path / name).stat().st_size for name in sizes)
        assert all(size > 100 for size in sizes.values())


def test_sync_filesystem(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    sync_filesystem(tmp_path)  # no error on a real folder
    with pytest.raises(OSError):
        sync_filesystem(tmp_path / "missing")


def test_commits_run_in_a_thread_within_the_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[tuple[Path, str]] = []
    monkeypatch.setattr(manifest_module, "SYNC_INTERVAL", 0.05)
    monkeypatch.setattr(
        manifest_module, "sync_filesystem",
        lambda folder: synced.append((folder, threading.current_thread().name)),
    )
    manifest = Manifest.open(tmp_path, sync_outputs=True)
    try:
        time.sleep(0.2)
        assert synced == []  # nothing appended: nothing to commit
        manifest.append(RECORD)
        deadline = time.monotonic() + 5
        while not synced and time.monotonic() < deadline:
            time.sleep(0.01)
        assert synced == [(tmp_path, "manifest-sync")]  # OUT's file system, not in the loop
    finally:
        manifest.close()
    assert synced[-1] == (tmp_path, "MainThread")  # and once more on close


def test_without_sync_outputs_only_the_manifest_is_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest_module, "sync_filesystem", lambda folder: pytest.fail("synced"))
    fsyncs = _count_fsyncs(monkeypatch)
    manifest = Manifest.open(tmp_path)
    manifest.append(RECORD)
    manifest.close()
    assert fsyncs  # the Dask executor's workers fsync their own outputs
    assert json.loads((tmp_path / MANIFEST_NAME).read_text())["rel"] == "a.docx"


def test_a_failed_commit_is_reported_on_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(folder: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(manifest_module, "SYNC_INTERVAL", 0.01)
    monkeypatch.setattr(manifest_module, "sync_filesystem", broken)
    manifest = Manifest.open(tmp_path, sync_outputs=True)
    manifest.append(RECORD)
    time.sleep(0.2)
    with pytest.raises(OSError, match="Input/output error"):
        manifest.close()
    Manifest.open(tmp_path).close()  # the lock went anyway


def test_a_batch_whose_outputs_cannot_be_saved_fails_with_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(folder: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest_module, "sync_filesystem", broken)
    (tmp_path / "in").mkdir()
    shutil.copyfile(CLEAN, tmp_path / "in/a.docx")
    with pytest.raises(BatchError, match=r"cannot save the outputs in .*No space left"):
        run_batch(BatchOptions(tmp_path / "in", tmp_path / "out", workers=1))


def test_an_output_of_another_size_than_recorded_is_not_done(tmp_path: Path) -> None:
    manifest = Manifest.open(tmp_path)
    try:
        manifest.append({**RECORD, "output_sizes": {"a.json": 2}})
        (tmp_path / "a.json").write_text("{}")
        assert manifest.done("s1", "a", tmp_path, ["json"]) is not None
        (tmp_path / "a.json").write_text("")  # what a power cut can leave
        assert manifest.done("s1", "a", tmp_path, ["json"]) is None
        (tmp_path / "a.json").unlink()
        (tmp_path / "a.json").mkdir()  # not a file at all
        assert manifest.done("s1", "a", tmp_path, ["json"]) is None
        manifest.append({**RECORD, "rel": "b.docx", "out_stem": "b", "outputs": ["b.json"]})
        (tmp_path / "b.json").write_text("")  # a record of an older jixiao: no sizes
        assert manifest.done("s1", "b", tmp_path, ["json"]) is not None
    finally:
        manifest.close()


def test_a_rerun_converts_again_a_cut_output(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    for name in ("a", "b", "c"):
        shutil.copyfile(CLEAN, root / f"{name}.docx")
    first = run_batch(BatchOptions(root, out, workers=2))
    assert first.report["totals"]["converted_now"] == 3
    whole = (out / "b.docx.json").read_bytes()
    (out / "b.docx.json").write_bytes(whole[: len(whole) // 2])
    again = run_batch(BatchOptions(root, out, workers=2))
    assert again.report["totals"]["resumed"] == 2
    assert [f["rel"] for f in again.report["files"] if not f["resumed"]] == ["b.docx"]
    assert (out / "b.docx.json").read_bytes() == whole


@pytest.mark.parametrize(
    ("requested", "running", "cores", "threads"),
    [
        (0, 2, 2, 1),  # the default: one core per worker
        (0, 1, 2, 2),  # one file only: it gets every core
        (1, 1, 2, 1),  # --workers 1 keeps to one core
        (2, 1, 2, 2),  # fewer files than workers: the spare core goes to OCR
        (4, 1, 2, 2),  # never more than the machine has
        (3, 1, 8, 3),
        (0, 8, 2, 1),  # more workers than cores: still one each
    ],
)
def test_ocr_threads_share_the_cores_asked_for(
    requested: int, running: int, cores: int, threads: int
) -> None:
    assert ocr_threads(requested, running, cores) == threads
