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
as a segfault or the OOM killer would (see ``jixiao.resources``, shared with ``jixiao.guard``).
It exists for the crash tests; never set it otherwise.
"""

from __future__ import annotations

import os
import signal
from multiprocessing.connection import Connection

from jixiao.batch.task import Task, convert_one
from jixiao.resources import apply_memory_limit, crash_hook


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
            crash_hook(task.path)
            result = convert_one(  # not fsync'd here: the parent syncs OUT (see manifest)
                task.path, task.out_root, task.out_stem, task.formats, task.sha256,
                durable=False, pdf=task.pdf,
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
