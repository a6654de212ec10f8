"""Helpers shared by the benchmark scripts (run as scripts: this folder is on sys.path)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def pin_one_core() -> str:
    """Run this process on one CPU, the last one allowed: 'one core' targets mean this."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    return f"pinned to CPU {cpus[-1]} (of {len(cpus)} allowed)"


def cli_command() -> list[str]:
    """The installed ``jixiao`` script next to this interpreter (not a pyenv shim)."""
    script = Path(sys.executable).parent / "jixiao"
    if script.is_file():
        return [str(script)]
    found = shutil.which("jixiao")
    if found and "shims" not in Path(found).parts:
        return [found]
    return [sys.executable, "-m", "jixiao"]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
