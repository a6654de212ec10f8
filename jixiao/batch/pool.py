"""A process pool the batch controls: per-file timeouts, crash and OOM survival.

Each worker has its own duplex pipe (see ``jixiao.batch.worker`` for the protocol), so
the parent always knows which file a worker holds, and a worker killed mid-message breaks
only its own pipe. The parent waits on every pipe and every process sentinel at once, with
one selector the pool keeps (each worker's two are registered when it starts and unregistered
before they close), so a turn of the loop costs a single ``epoll_wait``:

- a worker that overruns the per-file timeout is killed (with the processes it started,
  e.g. LibreOffice) and replaced; its file fails with ``timed out after N s``;
- a worker that dies (segfault, OOM kill, ``os._exit``) fails its file with ``worker died:
  signal SIGKILL`` (or ``exit code N``) and is replaced;
- workers that cannot even start (three in a row) fail the remaining files with why.

A worker holds the file it converts and, while there is plenty left, the next one (so it
never idles while the parent writes the manifest); the timeout runs from "started".

Scans go to the workers that read scans. Which files are scans the plan says (``Task.scan``:
``converters.needs_ocr``, a cheap look at a PDF's pages); the first worker to be ready
reads them, before any other file, and the others are sent the rest. Another worker
becomes one when more than ``DEPTH`` scans wait for each that reads them, or when it would
otherwise idle. So a mixed archive's few scans cost one worker the engine's 0.8 s and
600 MB, not every worker; an archive of scans soon has every worker reading them. (A file
the plan misjudged is converted by whichever worker has it: the hint only places work.)

Workers are forked from a forkserver that imported jixiao once (``spawn`` where there is no
forkserver), so replacing one costs milliseconds.
"""

from __future__ import annotations

import contextlib
import os
import select
import selectors
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from jixiao.batch.forkserver import default_context, main_module_hidden, start_forkserver
from jixiao.batch.task import FileResult, Task, failed_result

MAX_START_FAILURES = 3
# Tasks a worker holds at once: the one it converts and the next, so that it never waits
# for the parent between two files (only while more tasks wait than there are workers).
DEPTH = 2
START_TIMEOUT = 120.0  # seconds for a worker to say it is ready


@dataclass(frozen=True)
class Event:
    kind: Literal["started", "done"]
    task: Task
    result: FileResult | None = None


@dataclass(eq=False)  # hashed by identity: the selector's keys point to it
class _Worker:
    process: BaseProcess
    conn: Connection
    fds: tuple[int, int] = (-1, -1)  # the pipe's and the sentinel's, while registered
    poller: Any = None  # select.poll() of the pipe alone: "is another message there?"
    ready: bool = False
    stopping: bool = False
    queue: deque[Task] = field(default_factory=deque)  # sent, not done; [0] is converting
    started: bool = False  # it said "started" for queue[0]
    deadline: float = 0.0  # of queue[0], or of its start-up while not ready
    ocr: bool = False  # reads scans (it is sent the tasks with ``scan``)


def failure(task: Task, error: str, seconds: float = 0.0) -> FileResult:
    return failed_result(task.sha256, seconds, error)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def descendants(pid: int) -> list[int]:
    """Processes started (directly or not) by ``pid``, from /proc (empty elsewhere)."""
    children: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            fields = Path("/proc", name, "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


class WorkerPool:
    """Run tasks on ``workers`` processes; ``run`` yields ``started`` and ``done`` events."""

    def __init__(
        self, workers: int, timeout: float, memory_limit_mb: int, ocr_threads: int = 0
    ) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.memory_limit_mb = memory_limit_mb
        self.ocr_threads = ocr_threads
        self.replaced = 0
        self.ocr_workers = 0  # workers that were sent scans
        self._ctx = default_context()
        self._workers: list[_Worker] = []
        self._todo: deque[Task] = deque()
        self._for_ocr: deque[Task] = deque()  # scans: for a worker that reads them
        self._start_failures = 0
        self._selector: selectors.BaseSelector | None = None

    def warm_up(self) -> None:
        """Start the forkserver now (if ``jixiao batch`` has not already), so that it
        imports jixiao while the parent is still scanning (no effect with ``spawn``)."""
        if self._ctx.get_start_method() == "forkserver":
            start_forkserver()

    def run(self, tasks: Iterable[Task]) -> Iterator[Event]:
        every = list(tasks)
        self._todo = deque(t for t in every if not t.scan)
        self._for_ocr = deque(t for t in every if t.scan)
        try:
            for _ in range(min(self.size, len(every))):
                self._spawn()
            while self._todo or self._for_ocr or any(w.queue for w in self._workers):
                yield from self._step()
        finally:
            self.shutdown()

    # --- one turn of the loop -------------------------------------------------------

    def _step(self) -> Iterator[Event]:
        now = time.monotonic()
        busy = [w.deadline - now for w in self._workers if w.queue or not w.ready]
        wait_for = min([1.0, *busy]) if busy else 1.0
        readable: set[_Worker] = set()  # its pipe has a message (or broke)
        ended: set[_Worker] = set()  # its process ended
        if self._selector is not None and self._workers:
            for key, _ in self._selector.select(max(0.0, wait_for)):
                w, is_sentinel = key.data
                (ended if is_sentinel else readable).add(w)
        else:  # nothing to wait on: sleep the turn out, as waiting on no handle did
            time.sleep(max(0.0, wait_for))
        for w in list(self._workers):
            broken = False
            if w in readable:
                events, broken = self._drain(w)
                yield from events
            if broken or w in ended:
                yield from self._reap(w)
        now = time.monotonic()
        for w in list(self._workers):
            if (w.queue or not w.ready) and now > w.deadline:
                self._kill(w)
                yield from self._reap(w, timed_out=True)
        if (self._todo or self._for_ocr) and not self._workers:
            self._replace()

    def _drain(self, w: _Worker) -> tuple[list[Event], bool]:
        """Handle every message waiting on the worker's pipe (the selector said it has one,
        or that it broke); ``True`` when it broke."""
        events: list[Event] = []
        try:
            while True:
                message = w.conn.recv()
                kind = message[0]
                head = w.queue[0] if w.queue else None
                if kind == "ready":
                    w.ready = True
                    self._start_failures = 0
                    if self._for_ocr and not any(other.ocr for other in self._workers):
                        self._allow_ocr(w)
                    self._assign(w)
                elif kind == "started" and head and message[1] == head.id:
                    w.started, w.deadline = True, time.monotonic() + self.timeout
                    events.append(Event("started", head))
                elif kind == "done" and head and message[1] == head.id:
                    w.queue.popleft()
                    w.started, w.deadline = False, time.monotonic() + self.timeout
                    events.append(Event("done", head, message[2]))
                    following = w.queue[0] if w.queue else None
                    if following and len(message) > 3 and message[3] == following.id:
                        w.started = True  # its "started", sent along
                        events.append(Event("started", following))
                    self._assign(w)
                if not w.poller.poll(0):  # (Connection.poll builds a selector per call)
                    break
        except (EOFError, OSError):
            return events, True
        return events, False

    def _reap(self, w: _Worker, timed_out: bool = False) -> Iterator[Event]:
        """A worker whose pipe closed, whose process ended or that was killed for
        overrunning: report the file it was converting, give back the one it held next,
        replace it."""
        w.process.join(timeout=1.0)
        if w.process.is_alive():  # pipe broken but still running: not to be trusted
            self._kill(w)
        self._close(w)
        self._workers.remove(w)
        how = "did not start in time" if timed_out else describe_exit(w.process.exitcode)
        head = w.queue.popleft() if w.queue else None
        for held in reversed(w.queue):  # not started: not their fault
            self._queue_of(held).appendleft(held)
        if head is not None and timed_out:
            error = f"timed out after {self.timeout:g} s"
            yield Event("done", head, failure(head, error, self.timeout))
        elif head is not None and not w.started:  # died before taking it
            self._queue_of(head).appendleft(head)
        elif head is not None:
            yield Event("done", head, failure(head, f"worker died: {how}"))
        elif not w.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                for waiting in (self._todo, self._for_ocr):
                    while waiting:
                        task = waiting.popleft()
                        yield Event("done", task, failure(task, f"worker could not start: {how}"))
        if (self._todo or self._for_ocr) and len(self._workers) < self.size:
            self._replace()

    # --- workers --------------------------------------------------------------------

    def _spawn(self) -> None:
        from jixiao.batch.worker import worker_main

        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main, args=(child, self.memory_limit_mb, self.ocr_threads),
            name="jixiao-batch-worker", daemon=True,
        )
        with main_module_hidden():
            process.start()
        child.close()
        w = _Worker(process, parent, deadline=time.monotonic() + START_TIMEOUT)
        self._watch(w)
        self._workers.append(w)

    def _watch(self, w: _Worker) -> None:
        """Register the worker's pipe and sentinel with the pool's selector."""
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
        conn_fd, sentinel = w.conn.fileno(), w.process.sentinel
        self._selector.register(conn_fd, selectors.EVENT_READ, (w, False))
        try:
            self._selector.register(sentinel, selectors.EVENT_READ, (w, True))
        except BaseException:
            self._selector.unregister(conn_fd)
            raise
        w.fds = (conn_fd, sentinel)
        w.poller = select.poll()
        w.poller.register(conn_fd, select.POLLIN)

    def _close(self, w: _Worker) -> None:
        """Unregister the worker's pipe and sentinel (before either is closed: a closed
        fd's number is soon another's), then close its pipe. Safe to call twice."""
        if self._selector is not None and w.fds != (-1, -1):
            for fd in w.fds:
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.unregister(fd)
            w.fds = (-1, -1)
        w.conn.close()

    def _replace(self) -> None:
        if (self._todo or self._for_ocr) and len(self._workers) < self.size:
            self.replaced += 1
            self._spawn()

    def _queue_of(self, task: Task) -> deque[Task]:
        return self._for_ocr if task.scan else self._todo

    def _allow_ocr(self, w: _Worker) -> None:
        if not w.ocr:
            w.ocr = True
            self.ocr_workers += 1

    def _take(self, w: _Worker) -> tuple[Task, deque[Task]] | None:
        """The next task for this worker and the queue it came from: scans first for a
        worker that reads them; another worker becomes one when more than ``DEPTH`` scans
        wait for each that reads them, or rather than idle while they wait."""
        if self._for_ocr and not w.ocr and (
            (not self._todo and not w.queue)
            or len(self._for_ocr) > DEPTH * sum(o.ocr for o in self._workers)
        ):
            self._allow_ocr(w)
        if self._for_ocr and w.ocr:
            return self._for_ocr.popleft(), self._for_ocr
        if self._todo:
            return self._todo.popleft(), self._todo
        return None

    def _assign(self, w: _Worker) -> None:
        """Top up the worker's tasks; tell it to stop when it has none and none are left."""
        while not w.queue or (
            len(w.queue) < DEPTH and len(self._todo) + len(self._for_ocr) > self.size
        ):
            taken = self._take(w)
            if taken is None:
                break
            task, source = taken
            try:
                w.conn.send(task)
            except OSError:  # died just now: the sentinel will tell
                source.appendleft(task)
                return
            if not w.queue:
                w.started, w.deadline = False, time.monotonic() + self.timeout
            w.queue.append(task)
        if not w.queue and not self._todo and not self._for_ocr and not w.stopping:
            w.stopping = True
            with contextlib.suppress(OSError):
                w.conn.send(None)

    def _kill(self, w: _Worker) -> None:
        """SIGKILL the worker and everything it started (LibreOffice runs in its own
        session, so killing the worker alone would leave it behind)."""
        pid = w.process.pid
        others = descendants(pid) if pid else []
        w.process.kill()
        for other in others:
            with contextlib.suppress(OSError):
                os.kill(other, signal.SIGKILL)
        w.process.join(timeout=5.0)
        self._close(w)

    def shutdown(self) -> None:
        """Stop every worker: idle ones are told to exit, busy ones are killed."""
        self._todo.clear()
        self._for_ocr.clear()
        for w in self._workers:
            if not w.queue:
                self._assign(w)
        deadline = time.monotonic() + 2.0
        for w in self._workers:
            if not w.queue:
                w.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                self._kill(w)
            else:
                self._close(w)
        self._workers.clear()
        if self._selector is not None:
            self._selector.close()
            self._selector = None
