"""The one file lock jixiao takes (a run's output folder, an ingest's inbox): an exclusive,
non-blocking ``flock``. Where the platform has none, runs go unguarded."""

from __future__ import annotations


def try_exclusive(fd: int) -> bool:
    """Take an exclusive ``flock`` on ``fd`` without waiting: False when another process
    holds it, True when taken (or when the platform has no ``flock``). Other failures (a
    file system without locks) raise ``OSError``."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    """Release the lock ``try_exclusive`` took (closing the file releases it too)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
