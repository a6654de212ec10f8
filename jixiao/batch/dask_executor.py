"""``jixiao batch --executor dask``: the same per-file task on a Dask distributed cluster.

``DaskPool`` exposes what ``run_batch`` uses of the local ``WorkerPool`` (``warm_up``,
``run`` yielding ``started``/``done`` events, ``size``, ``ocr_threads``, ``replaced``), so
results go through the same manifest and report code. Each file is one future of
``convert_one`` (``pure=False``); at most ``size`` run at once (the cluster's threads, or
``--workers``), so a file's deadline (``--timeout`` from its submission) is close to its own
run time. A file past its deadline fails with ``timed out after N s`` and its future is
cancelled (Dask cannot stop a running thread: the worker finishes it in the background, its
outputs are then ignored by the manifest). A lost worker is retried by Dask (its
``allowed-failures``), then the file fails with the exception's text.

Workers read the inputs and write the outputs at the paths the client gives: every worker
must see the batch folder and OUT at the same paths (shared storage).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jixiao.batch.pool import Event, failure
from jixiao.batch.task import FileResult, Task, convert_one

CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler
POLL = 0.1  # seconds between looks at the deadlines while nothing completes


class DaskUnavailableError(Exception):
    """``distributed`` is not installed, or the scheduler cannot be reached."""


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DaskPool:
    """Run tasks as futures on the Dask scheduler at ``scheduler`` (``tcp://HOST:8786``)."""

    def __init__(self, scheduler: str, timeout: float, workers: int = 0) -> None:
        self.scheduler = scheduler
        self.timeout = timeout
        self.size = max(0, workers)  # 0 until warm_up: every thread of the cluster
        self.ocr_threads = 0  # not used: a Dask worker's threads are its own
        self.replaced = 0  # Dask replaces (retries) lost workers itself
        self._client: Any = None

    def warm_up(self) -> None:
        """Connect to the scheduler; ``size`` becomes the cluster's threads (at least 1)."""
        try:
            import distributed
        except ImportError:
            raise DaskUnavailableError(
                "--executor dask needs the 'distributed' package (pip install 'jixiao[dask]')"
            ) from None
        try:
            self._client = self._dask(distributed).Client(
                self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailableError(
                f"cannot reach the Dask scheduler {self.scheduler}: {exc}"
            ) from None
        if not self.size:
            threads = sum(self._client.nthreads().values())
            self.size = max(1, threads)

    def run(self, tasks: Iterable[Task]) -> Iterator[Event]:
        import distributed

        if self._client is None:
            self.warm_up()
        client = self._client
        todo = list(tasks)
        todo.reverse()  # pop() from the end keeps the given order
        running: dict[Any, tuple[Task, float]] = {}  # future: (task, deadline)
        completed = self._dask(distributed).as_completed(loop=client.loop)
        try:
            while todo or running:
                while todo and len(running) < max(1, self.size):
                    task = todo.pop()
                    future = client.submit(
                        convert_one, task.path, task.out_root, task.out_stem,
                        list(task.formats), task.sha256, pdf=task.pdf, pure=False,
                    )
                    running[future] = (task, time.monotonic() + self.timeout)
                    completed.add(future)
                    yield Event("started", task)
                if not completed.has_ready():
                    first = min(deadline for _, deadline in running.values())
                    wait_for = min(max(0.0, first - time.monotonic()), POLL)
                    with completed.thread_condition:
                        completed.thread_condition.wait(timeout=wait_for)
                for future in completed.next_batch(block=False):
                    if future in running:  # not one given up on (timed out) already
                        task, _ = running.pop(future)
                        yield Event("done", task, self._result(future, task))
                now = time.monotonic()
                for future, (task, deadline) in list(running.items()):
                    if now > deadline:
                        del running[future]
                        future.cancel()
                        error = f"timed out after {self.timeout:g} s"
                        yield Event("done", task, failure(task, error, self.timeout))
        finally:
            for future in running:
                future.cancel()
            self.shutdown()

    @staticmethod
    def _dask(module: Any) -> Any:
        """``distributed`` untyped: its API is partly annotated, varies between versions."""
        return module

    @staticmethod
    def _result(future: Any, task: Task) -> FileResult:
        if future.status == "finished":
            try:
                result: FileResult = future.result()
                return result
            except Exception as exc:  # lost in transit
                return failure(task, _describe(exc))
        if future.status == "cancelled":
            return failure(task, "cancelled by the Dask cluster")
        try:
            error: BaseException | None = future.exception()
        except Exception as other:
            error = other
        return failure(task, _describe(error) if error is not None else f"dask: {future.status}")

    def shutdown(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(Exception):  # the scheduler went away: nothing to close
                client.close()
