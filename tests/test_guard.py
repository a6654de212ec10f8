"""The guard: each file converted in a child process that a crash, a hang or a memory-hungry
input takes down alone, with the same result as converting in-process."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from jixiao.guard import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    GuardedConverter,
    _env_number,
    can_isolate,
)
from jixiao.pipeline import Result, convert_file
from jixiao.writers import json as json_writer
from tests.conftest import FIXTURES, SEEDS

SMALL = FIXTURES / "variants/clean-project.docx"

pytestmark = pytest.mark.skipif(not can_isolate(), reason="no fork on this platform")


def _gone(pid: int) -> bool:
    """The process has ended (a zombie nobody reaps counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def _all_gone(pids: list[int], within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(_gone(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _hanging_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A .doc and a fake LibreOffice that never finishes converting it; the fake writes its
    own pid and its child's to the file returned second."""
    pids = tmp_path / "soffice.pids"
    fake = tmp_path / "fake-soffice"
    fake.write_text(f"#!/bin/sh\necho $$ >> {pids}\nsleep 60 &\necho $! >> {pids}\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("JIXIAO_SOFFICE", str(fake))
    doc = tmp_path / "hangs.doc"
    shutil.copyfile(SEEDS / "yuanjiang-2024.doc", doc)
    return doc, pids


def _started_pids(pids: Path, within: float = 5.0) -> list[int]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = pids.read_text().split() if pids.exists() else []
        if len(found) == 2:
            return [int(p) for p in found]
        time.sleep(0.02)
    raise AssertionError("the fake LibreOffice did not start")


def test_the_result_is_that_of_converting_in_process() -> None:
    path = SEEDS / "laoting-2024.docx"
    expected = convert_file(path)
    with GuardedConverter() as guard:
        first, again = guard.convert(path), guard.convert(path)  # the same child, reused
    assert first.path == path and first.error is None
    assert first.document is not None and expected.document is not None
    assert first.document.model_dump() == expected.document.model_dump()
    assert json_writer.render(first.document) == json_writer.render(expected.document)
    assert again == first


def test_a_bad_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with GuardedConverter() as guard:
        assert guard.convert(bad) == convert_file(bad)
        assert guard.convert(tmp_path / "missing.docx").error == "no such file"


@pytest.mark.parametrize(
    ("hook", "error"),
    [("crash.docx", "worker died: exit code 1"),
     ("crash.docx:SIGKILL", "worker died: signal SIGKILL (out of memory?)"),
     ("crash.docx:SIGTERM", "worker died: signal SIGTERM")],
)
def test_a_child_that_dies_fails_its_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook: str, error: str
) -> None:
    monkeypatch.setenv("JIXIAO_BATCH_CRASH_ON", hook)
    crash, fine = tmp_path / "crash.docx", tmp_path / "fine.docx"
    shutil.copyfile(SMALL, crash)
    shutil.copyfile(SMALL, fine)
    with GuardedConverter() as guard:
        assert guard.convert(fine).ok
        assert guard.convert(crash).error == error
        assert guard.convert(fine).ok  # a fresh child


def test_a_child_killed_between_files_is_replaced_silently() -> None:
    with GuardedConverter() as guard:
        assert guard.convert(SMALL).ok
        assert guard._child is not None
        pid = guard._child.process.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert _all_gone([pid])
        assert guard.convert(SMALL).ok


def test_a_file_over_the_time_limit_is_killed_with_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, pids = _hanging_soffice(tmp_path, monkeypatch)
    with GuardedConverter(timeout=2) as guard:
        result = guard.convert(doc)
        assert result.error == "timed out after 2 s" and result.path == doc
        assert _all_gone(_started_pids(pids)), "LibreOffice was left running"
        assert guard.convert(SMALL).ok


def test_ctrl_c_kills_the_child_and_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, pids = _hanging_soffice(tmp_path, monkeypatch)
    def press_ctrl_c_once_libreoffice_runs() -> None:
        _started_pids(pids)
        os.kill(os.getpid(), signal.SIGINT)

    guard = GuardedConverter(timeout=30)
    assert guard.convert(SMALL).ok  # forked before the thread starts: no threads to copy
    presser = threading.Thread(target=press_ctrl_c_once_libreoffice_runs, daemon=True)
    presser.start()
    with pytest.raises(KeyboardInterrupt):
        guard.convert(doc)
    presser.join()
    assert guard._child is None
    assert _all_gone(_started_pids(pids)), "LibreOffice was left running"
    assert guard.convert(SMALL).ok
    guard.close()


# In a fresh interpreter: this one may have loaded the OCR engine already (other tests), and
# a forked child would start with it.
_OVER_THE_LIMIT = """
import json, re, sys
from pathlib import Path
from jixiao.guard import GuardedConverter
small, scan = Path(sys.argv[1]), Path(sys.argv[2])
status = Path("/proc/self/status").read_text()
limit = int(re.search(r"VmSize:\\s+(\\d+)", status).group(1)) // 1024 + 150
with GuardedConverter(memory_limit_mb=limit) as guard:
    results = [guard.convert(small), guard.convert(scan), guard.convert(small)]
print(json.dumps({"limit": limit, "errors": [r.error for r in results],
                  "paths": [str(r.path) for r in results]}))
"""


def test_a_file_that_needs_more_memory_than_the_limit_fails_alone() -> None:
    scan = SEEDS / "yuanjiang-2024.scan.pdf"  # loads the OCR engine: gigabytes of addresses
    done = subprocess.run(
        [sys.executable, "-c", _OVER_THE_LIMIT, str(SMALL), str(scan)],
        capture_output=True, text=True, timeout=60, check=True,
    )
    seen = json.loads(done.stdout)
    small_error, scan_error, small_again = seen["errors"]
    assert small_error is None and small_again is None
    assert scan_error.endswith(f"(memory limit {seen['limit']} MB)"), scan_error
    assert seen["paths"][1] == str(scan)


@pytest.mark.parametrize(
    ("limit", "error", "expected"),
    [(300, "out of memory while converting", "out of memory while converting (memory limit "
      "300 MB)"),
     (300, "page 1 cannot be read (RuntimeException: std::bad_alloc)",
      "page 1 cannot be read (RuntimeException: std::bad_alloc) (memory limit 300 MB)"),
     (300, "no such file", "no such file"),
     (0, "out of memory while converting", "out of memory while converting")],
)
def test_an_allocation_failure_names_the_limit(limit: int, error: str, expected: str) -> None:
    guard = GuardedConverter(memory_limit_mb=limit)
    assert guard._with_limit_named(Result(SMALL, error=error)).error == expected


def test_close_ends_the_child_and_the_guard_can_go_on() -> None:
    guard = GuardedConverter()
    assert guard.convert(SMALL).ok
    assert guard._child is not None
    pid = guard._child.process.pid
    guard.close()
    assert guard._child is None and pid is not None and _all_gone([pid], within=0.1)
    assert guard.convert(SMALL).ok
    guard.close()
    guard.close()


def test_without_isolation_it_is_convert_file() -> None:
    with GuardedConverter(isolate=False) as guard:
        assert not guard.isolated
        assert guard.convert(SMALL) == convert_file(SMALL)
        assert guard._child is None


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 7.0), ("", 7.0), ("0", 0.0), ("2.5", 2.5), ("-1", 7.0),
                            ("ten", 7.0), ("inf", 7.0), ("nan", 7.0)],
)
def test_a_number_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: float
) -> None:
    if value is None:
        monkeypatch.delenv("JIXIAO_TEST_LIMIT", raising=False)
    else:
        monkeypatch.setenv("JIXIAO_TEST_LIMIT", value)
    assert _env_number("JIXIAO_TEST_LIMIT", 7.0) == expected


def test_limits_default_to_the_environment_and_zero_means_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JIXIAO_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("JIXIAO_TIMEOUT", raising=False)
    guard = GuardedConverter()
    assert (guard.memory_limit_mb, guard.timeout) == (DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S)
    monkeypatch.setenv("JIXIAO_MEMORY_LIMIT", "512")
    monkeypatch.setenv("JIXIAO_TIMEOUT", "0")
    guard = GuardedConverter()
    assert (guard.memory_limit_mb, guard.timeout) == (512, None)
    guard = GuardedConverter(memory_limit_mb=0, timeout=2.5)  # given: the environment's unused
    assert (guard.memory_limit_mb, guard.timeout) == (0, 2.5)


def test_the_child_dies_with_its_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jixiao convert`` killed (SIGKILL) in the middle of a file: its guarded child goes
    too, instead of converting on for nobody."""
    from jixiao.batch.pool import descendants

    doc, pids = _hanging_soffice(tmp_path, monkeypatch)
    caller = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "convert", str(doc), "-o", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        soffice = _started_pids(pids, within=30)
        children = [p for p in descendants(caller.pid) if p not in soffice]
        assert children, "no guarded child"
        caller.kill()
        caller.wait()
        assert _all_gone(children), "the guarded child outlived its caller"
    finally:
        caller.kill()
        for pid in _started_pids(pids):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
