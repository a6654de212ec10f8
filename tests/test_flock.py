"""The one file lock (``jixiao.flock``) the ledger and the ingest inbox both take."""

from __future__ import annotations

import os
from pathlib import Path

from jixiao.flock import try_exclusive, unlock


def test_a_held_lock_is_refused_then_free_once_released(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    first = os.open(path, os.O_RDWR | os.O_CREAT)
    second = os.open(path, os.O_RDWR)  # another open file: as another process sees it
    try:
        assert try_exclusive(first)
        assert not try_exclusive(second)
        unlock(first)
        assert try_exclusive(second)
    finally:
        os.close(first)
        os.close(second)
