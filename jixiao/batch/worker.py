"""The worker process: pulls one task at a time from the parent over its own pipe.

Protocol (tuples over a duplex ``multiprocessing`` connection)::

    worker → parent   ("ready", pid)            once, after start-up
    parent → worker   Task | None               a file to convert, or None: exit
    worker → parent   ("started", task_id)      before converting
    worker → parent   ("done", task_id, result) after; then it waits for the next task
    worker → parent   ("done", task_id, result, next_id)
                      the same, when the next task was already waiting: it is "started"
                      too (one message instead of two for the parent to read)

Test-only hook: ``JIXIAO_BATCH_CRASH_ON=<file name>[:<SIGNAL>]`` makes the worker that gets
that file die at once (``os._exit(1)``, or kill itself with the signal, e.g. ``:SIGKILL``),
as a segfault or the OOM killer would. It exists for the crash tests; never set it otherwise.
"""

from __future__ import annotations

import os
import signal
from multiprocessing.connection import Connection
from pathlib import PurePath

from jixiao.batch.task import Task, convert_one

CRASH_HOOK = "JIXIAO_BATCH_CRASH_ON"


def _fewer_malloc_arenas(arenas: int = 2) -> None:
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
    space is not resident memory: the OCR runtime alone reserves about 3 GB of it."""
    if megabytes <= 0:
        return
    _fewer_malloc_arenas()
    try:
        import resource
    except ImportError:  # not on this platform
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _crash_hook(path: str) -> None:
    spec = os.environ.get(CRASH_HOOK)
    if not spec:
        return
    name, _, how = spec.partition(":")
    if PurePath(path).name != name:
        return
    if how:
        os.kill(os.getpid(), signal.Signals[how.upper()])
    os._exit(1)


def worker_main(conn: Connection, memory_limit_mb: int, ocr_threads: int) -> None:
    """Run tasks until told to stop or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if ocr_threads > 0 and not os.environ.get("JIXIAO_OCR_THREADS"):
        os.environ["JIXIAO_OCR_THREADS"] = str(ocr_threads)  # no oversubscription
    apply_memory_limit(memory_limit_mb)
    try:
        conn.send(("ready", os.getpid()))
        task = conn.recv()
        announced = False  # its "started" went with the previous "done"
        while isinstance(task, Task):
            if not announced:
                conn.send(("started", task.id))
            _crash_hook(task.path)
            result = convert_one(  # not fsync'd here: the parent syncs OUT (see manifest)
                task.path, task.out_root, task.out_stem, task.formats, task.sha256,
                durable=False, ocr=task.ocr,
            )
            if conn.poll():  # the next task is already here: it starts with this "done"
                following = conn.recv()
                if not isinstance(following, Task):  # told to stop
                    conn.send(("done", task.id, result))
                    return
                conn.send(("done", task.id, result, following.id))
                task, announced = following, True
            else:
                conn.send(("done", task.id, result))
                task, announced = conn.recv(), False
    except (EOFError, OSError):  # the parent is gone: nobody to report to
        return
