"""Convert files one at a time in a child process, so that no input can take the caller down.

``GuardedConverter.convert(path)`` gives what ``jixiao.pipeline.convert_file(path)`` gives,
but the conversion runs in a persistent child process (started on the first file, reused
for the next ones) under an address-space limit (RLIMIT_AS) and a per-file time limit:

- a file that runs over the time limit: the child is killed with everything it started
  (LibreOffice too, which runs in a session of its own), the file's error is
  ``timed out after N s``;
- a child that dies (segfault, OOM killer): ``worker died: signal SIGSEGV`` (``signal
  SIGKILL (out of memory?)``, ``exit code N``);
- a conversion that needs more memory than the limit gets a ``MemoryError`` or a library's
  allocation error in the child, reported for its file (``out of memory while converting``,
  or the converter's own message) with ``(memory limit N MB)`` added; the child is then
  replaced, as it is after a crash or a timeout.

The next file gets a fresh child. Ctrl-C (``KeyboardInterrupt``) in the caller kills the
child and propagates. The child is forked (no start-up cost: it has the caller's imports),
so it sees the environment and working directory of the moment it started, and the
address-space limit counts what the caller had mapped then. Where there is no ``fork``
(Windows), or in a daemonic process (which may have no children), files are converted in
the calling process, unguarded, as with ``isolate=False``.

Defaults (for a limit given as ``None``), from the environment when the guard is made (a
value that is not a number >= 0 is ignored):

- ``JIXIAO_MEMORY_LIMIT``: the child's address-space limit in MB; 0 = none; default 8192
  (address space, not resident memory: the OCR runtime alone reserves about 3 GB);
- ``JIXIAO_TIMEOUT``: seconds a file may take; 0 = none; default 300.

The batch's test-only crash hook (``JIXIAO_BATCH_CRASH_ON``, see ``jixiao.resources``)
works in the child too.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import os
import re
import signal
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from jixiao.batch.pool import descendants, describe_exit
from jixiao.pipeline import Result, convert_file
from jixiao.resources import apply_memory_limit, crash_hook

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings


def _env_number(name: str, default: float) -> float:
    """The environment variable as a number >= 0, else ``default``."""
    try:
        value = float(os.environ.get(name, "").strip() or default)
    except ValueError:
        return default
    return value if value >= 0 and math.isfinite(value) else default


DEFAULT_MEMORY_MB = 8192  # without JIXIAO_MEMORY_LIMIT
DEFAULT_TIMEOUT_S = 300.0  # without JIXIAO_TIMEOUT
_OUT_OF_MEMORY = re.compile(
    r"MemoryError|out of memory|bad_alloc|failed to map segment|Insufficient memory|"
    r"Cannot allocate memory", re.IGNORECASE,
)
CLOSE_WAIT_S = 2.0  # for an idle child to exit when told to, before it is killed

# The callers' ends of every guard's pipe: a new child closes them all, or the child of
# another guard would never see its caller go away (it would hold the caller's end open).
_CALLER_ENDS: weakref.WeakSet[Connection] = weakref.WeakSet()


def can_isolate() -> bool:
    """Whether this process can fork guarded children (see the module's docstring)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while a result is pickled or unpickled: the many objects it
    creates would trigger collections that find nothing (a quarter of the cost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection  # the caller's end


class GuardedConverter:
    """Converts files as ``convert_file`` does, each in a guarded child process (see the
    module's docstring). Use it as a context manager, or call ``close`` when done."""

    def __init__(
        self,
        memory_limit_mb: int | None = None,
        timeout: float | None = None,
        isolate: bool = True,
        pdf: PdfSettings | None = None,
    ) -> None:
        """``None``: the default (the environment's, read now, else ``DEFAULT_MEMORY_MB`` /
        ``DEFAULT_TIMEOUT_S``); 0 (or less): no limit. ``isolate=False`` converts in this
        process, with neither limit. ``pdf``: the PDF settings every file is converted with
        (None: the defaults)."""
        if memory_limit_mb is None:
            memory_limit_mb = int(_env_number("JIXIAO_MEMORY_LIMIT", DEFAULT_MEMORY_MB))
        if timeout is None:
            timeout = _env_number("JIXIAO_TIMEOUT", DEFAULT_TIMEOUT_S)
        self.memory_limit_mb = max(0, memory_limit_mb)  # 0: none
        self.timeout: float | None = timeout if timeout > 0 else None  # None: none
        self.isolated = isolate and can_isolate()
        self.pdf = pdf
        self._child: _Child | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def convert(self, path: Path) -> Result:
        """The ``Result`` for ``path`` (its ``path`` is ``Path(path)``): a document, or why
        there is none. Never raises for a bad file; ``KeyboardInterrupt`` (and any other
        exception in this process) kills the child and propagates."""
        if not self.isolated:
            return convert_file(path, pdf=self.pdf)
        path = Path(path)
        try:
            return self._convert_in_child(path)
        except BaseException:
            self._kill()
            raise

    def close(self) -> None:
        """Stop the child (an idle one is told to exit, a stuck one is killed). The guard
        may still be used: the next file starts a new child."""
        child = self._child
        if child is None:
            return
        with contextlib.suppress(OSError):
            child.conn.send(None)
        if not wait([child.process.sentinel], CLOSE_WAIT_S):
            self._kill()
            return
        self._child = None
        child.process.join()
        child.conn.close()

    # --- the caller's side ------------------------------------------------------------

    def _convert_in_child(self, path: Path) -> Result:
        if self._child is not None and wait([self._child.process.sentinel], 0):
            self._kill()  # died while idle: not this file's doing
        try:
            child = self._child or self._start()
        except OSError as exc:
            return Result(path=path, error=f"could not start a worker process ({exc})")
        try:
            child.conn.send(path)
        except OSError:  # it died just now
            return self._died(path)
        ready = wait([child.conn, child.process.sentinel], self.timeout)
        if not ready:
            self._kill()
            return Result(path=path, error=f"timed out after {self.timeout:g} s")
        if child.conn in ready:  # its answer, or the pipe broke as it died
            with contextlib.suppress(EOFError, OSError), _gc_paused():
                result: Result = child.conn.recv()
                return self._with_limit_named(result)
        return self._died(path)

    def _with_limit_named(self, result: Result) -> Result:
        """A failure that reads as an allocation failure names the memory limit, which is
        likely why (libraries word it their own way: ``MemoryError``, ``bad_alloc`` …), and
        retires the child: what it allocated (half-loaded libraries …) is not the next file's
        to inherit."""
        if result.error and self.memory_limit_mb > 0 and _OUT_OF_MEMORY.search(result.error):
            self.close()
            error = f"{result.error} (memory limit {self.memory_limit_mb} MB)"
            return replace(result, error=error)
        return result

    def _died(self, path: Path) -> Result:
        """The child is gone (or going): the file's error says how it ended."""
        process = self._child.process if self._child else None
        self._kill()
        how = describe_exit(process.exitcode if process else None)
        if how == "signal SIGKILL":
            how += " (out of memory?)"
        return Result(path=path, error=f"worker died: {how}")

    def _start(self) -> _Child:
        ctx = multiprocessing.get_context("fork")
        ours, theirs = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_child_main, args=(theirs, self.memory_limit_mb, self.pdf),
            name="jixiao-guard", daemon=True,
        )
        _CALLER_ENDS.add(ours)  # before the fork: the child closes its copy too
        try:
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        if process.pid:  # its own group (the child does it too: whichever is first)
            with contextlib.suppress(OSError):
                os.setpgid(process.pid, process.pid)
        self._child = _Child(process, ours)
        return self._child

    def _kill(self) -> None:
        """SIGKILL the child, its process group and every process it started (LibreOffice
        runs in a session of its own), then reap it. Safe to call when there is none."""
        child, self._child = self._child, None
        if child is None:
            return
        pid = child.process.pid
        if pid:
            others = descendants(pid)
            # the group before reaping the child: until then its id is nobody else's
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            child.process.kill()
            for other in others:
                with contextlib.suppress(OSError):
                    os.kill(other, signal.SIGKILL)
            child.process.join(timeout=5.0)
        child.conn.close()


# --- the child's side -------------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: the child is killed when its caller dies, even by SIGKILL, in the middle of a
    file (the closed pipe only tells it between files)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass


def _child_main(conn: Connection, memory_limit_mb: int, pdf: PdfSettings | None) -> None:
    """Convert each path the caller sends (with the PDF settings ``pdf``) and send back its
    ``Result``, until ``None`` or until the caller is gone."""
    for caller_end in list(_CALLER_ENDS):
        caller_end.close()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # a group of its own: killed with whatever it starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # (the caller may have its own handler)
    _die_with_parent()
    apply_memory_limit(memory_limit_mb)
    try:
        while (path := conn.recv()) is not None:
            crash_hook(path)
            result = convert_file(path, pdf=pdf)
            try:
                with _gc_paused():
                    conn.send(result)
            except MemoryError:  # pickling it: nothing was sent yet
                conn.send(Result(path=path, error="out of memory while converting"))
    except (EOFError, OSError):  # the caller is gone: nobody to answer
        return
