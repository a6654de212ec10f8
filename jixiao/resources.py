"""Process-level limits shared by the processes that convert files in isolation: the batch's
workers (``jixiao.batch.worker``) and the guard's child (``jixiao.guard``).

This module imports nothing of jixiao, so that either can use it without the other.

Test-only hook: ``JIXIAO_BATCH_CRASH_ON=<file name>[:<SIGNAL>]`` makes the process that is
about to convert that file die at once (``os._exit(1)``, or kill itself with the signal,
e.g. ``:SIGKILL``), as a segfault or the OOM killer would. It exists for the crash tests;
never set it otherwise.
"""

from __future__ import annotations

import os
import signal
from pathlib import PurePath

CRASH_HOOK = "JIXIAO_BATCH_CRASH_ON"


def fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc reserves 64 MB of address space per thread arena (up to 8 per core): with OCR
    threads that alone comes near the limit. Fewer arenas, same memory use."""
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc
        pass


def apply_memory_limit(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS); a conversion that needs more gets a
    ``MemoryError`` (reported for its file) instead of taking the machine down. Address
    space is not resident memory: the OCR runtime alone reserves about 3 GB of it.
    ``megabytes <= 0``: no limit. No effect where there is no ``resource`` module."""
    if megabytes <= 0:
        return
    fewer_malloc_arenas()
    try:
        import resource
    except ImportError:  # not on this platform
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def crash_hook(path: str | os.PathLike[str]) -> None:
    """Die now when ``JIXIAO_BATCH_CRASH_ON`` names this file (test-only, see above)."""
    spec = os.environ.get(CRASH_HOOK)
    if not spec:
        return
    name, _, how = spec.partition(":")
    if PurePath(path).name != name:
        return
    if how:
        os.kill(os.getpid(), signal.Signals[how.upper()])
    os._exit(1)
