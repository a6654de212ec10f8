"""``jixiao convert`` on every entry of the hostile folder (``tests.hostile``), each in a
process of its own: peak memory under 1 GiB (``os.wait4`` gives that one process's peak,
its reaped children included), never a traceback, never a hang, and each file either
converted or refused with an error line that names it."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile import build, measure

PEAK_LIMIT_MIB = 1024
TIMEOUT = 60.0
# Not regular files: how the CLI reports them is its file discovery's business.
SPECIAL = {"loop", "dangling.docx", "fifo.docx", "folder.docx"}
# Hostile in shape but readable: these convert; every other regular entry is refused.
CONVERTS = {"pdf-named.docx", "docx-named.pdf", "docx-named.bin", "rows-10k.docx",
            "pages-300.pdf", "styled-corner.xlsx", "merges.xlsx", "styles.xlsx"}


@dataclass(frozen=True)
class Run:
    name: str
    code: int | None  # None: killed after TIMEOUT
    seconds: float
    peak_mib: float
    stderr: str


def convert_alone(path: Path, out: Path, cwd: Path) -> Run:
    """``jixiao convert PATH -o OUT`` in a process of its own; its own peak RSS."""
    start = time.monotonic()
    cli = [sys.executable, "-m", "jixiao", "convert", str(path), "-o", str(out)]
    code, peak_mib, text = measure(cli, TIMEOUT, cwd)
    return Run(os.fsdecode(path.name), code, time.monotonic() - start, peak_mib,
               text.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Folder:
    path: Path
    entries: dict[str, str]
    seconds: float


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Folder:
    folder = tmp_path_factory.mktemp("hostile") / "in"
    start = time.monotonic()
    entries = build(folder)
    return Folder(folder, entries, time.monotonic() - start)


@pytest.fixture(scope="module")
def runs(hostile: Folder) -> dict[str, Run]:
    root = hostile.path.parent
    work = root / "cwd"
    work.mkdir()

    def one(item: tuple[int, str]) -> tuple[str, Run]:
        index, name = item
        return name, convert_alone(hostile.path / name, root / f"out{index}", work)

    with ThreadPoolExecutor(max_workers=min(6, os.cpu_count() or 1)) as pool:
        done = dict(pool.map(one, enumerate(hostile.entries)))
    print(f"\n{'entry':40} {'exit':>4} {'s':>6} {'MiB':>6}")
    for name, run in done.items():
        print(f"{name!r:40} {run.code!s:>4} {run.seconds:6.1f} {run.peak_mib:6.0f}")
    assert not (work / "x").exists(), "a file name ran as a shell command"
    for out in root.glob("out*"):
        for file in out.rglob("*"):
            assert not file.is_file() or b"root:x:0:0" not in file.read_bytes(), file
    return done


def test_the_folder_is_small_and_quick_to_build(hostile: Folder) -> None:
    files = [p for p in hostile.path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert sum(p.stat().st_size for p in files) < 20_000_000
    assert hostile.seconds < 10
    assert {"bomb.docx", "far-corner.xlsx", "pages-300.pdf", "fifo.docx"} <= set(hostile.entries)


def test_every_entry_is_bounded_and_never_a_traceback(runs: dict[str, Run]) -> None:
    assert len(runs) > 40
    for name, run in runs.items():
        assert run.code is not None, f"{name!r} hung past {TIMEOUT} s"
        assert run.peak_mib < PEAK_LIMIT_MIB, f"{name!r} peaked at {run.peak_mib:.0f} MiB"
        assert "Traceback" not in run.stderr, f"{name!r}:\n{run.stderr}"


def test_each_file_converts_or_is_refused_by_name(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        if name in SPECIAL:
            continue
        if name in CONVERTS or name.startswith("names/"):
            assert run.code == 0, f"{name!r}: {run.stderr}"
            continue
        assert run.code == 1, f"{name!r} was not refused: {run.stderr}"
        line = next(ln for ln in run.stderr.splitlines() if ln.startswith("jixiao: error: "))
        assert f"{name}: " in line and line.rstrip().split(": ")[-1], line
