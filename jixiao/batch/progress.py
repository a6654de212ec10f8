"""What a running batch shows: a rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import re
import sys
import time
from typing import Any, Protocol, TextIO

from jixiao.batch.task import FileResult

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


class Progress(Protocol):
    def begin(self, total: int, resumed: int, skipped: int, workers: int) -> None: ...
    def started(self, rel: str) -> None: ...
    def finished(self, rel: str, result: FileResult) -> None: ...
    def end(self) -> None: ...


def _headline(total: int, resumed: int, skipped: int, workers: int) -> str:
    """``N documents to convert (R already done, S non-documents skipped), W workers``."""
    notes = []
    if resumed:
        notes.append(f"{resumed} already done")
    if skipped:
        notes.append(f"{skipped} non-documents skipped")
    more = f" ({', '.join(notes)})" if notes else ""
    plural = "s" if workers != 1 else ""
    return f"{total} documents to convert{more}, {workers} worker{plural}"


class _Counts:
    def __init__(self, total: int = 0) -> None:
        self.total = total
        self.done = self.failed = self.pages = 0
        self.t0 = time.monotonic()

    def add(self, result: FileResult) -> None:
        self.done += 1
        self.failed += result["status"] == "failed"
        self.pages += result.get("pages") or 0

    def rate(self) -> str:
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        text = f"{self.done / elapsed:.3g} files/s"
        if self.pages:
            text += f", {self.pages / elapsed:.3g} pages/s"
        return text


class PlainProgress:
    """One line per finished file (for logs, pipes, CI): ``[n/total] ok|failed rel …``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.counts = _Counts()

    def _say(self, text: str) -> None:
        self.stream.write(f"jixiao: {text}\n")
        self.stream.flush()

    def begin(self, total: int, resumed: int, skipped: int, workers: int) -> None:
        self.counts = _Counts(total)
        self._say(f"batch: {_headline(total, resumed, skipped, workers)}")

    def started(self, rel: str) -> None:
        pass

    def finished(self, rel: str, result: FileResult) -> None:
        self.counts.add(result)
        width = len(str(self.counts.total))
        head = f"[{self.counts.done:>{width}}/{self.counts.total}]"
        if result["status"] == "ok":
            pages = f", {result['pages']} pages" if result.get("pages") else ""
            forms = f"{result['forms']} form" + ("s" if result["forms"] != 1 else "")
            self._say(f"{head} ok {one_line(rel)} ({forms}{pages}, {result['seconds']:.2f} s)")
        else:
            self._say(f"{head} failed {one_line(rel)}: {one_line(str(result['error']))}")

    def end(self) -> None:
        if self.counts.total:
            self._say(f"batch: {self.counts.done} files in "
                      f"{time.monotonic() - self.counts.t0:.1f} s ({self.counts.rate()})")


class RichProgress:
    """A live bar: files done of total, pages, rate, failures, elapsed and ETA."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self.counts = _Counts()
        self.bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[pages]}"), TextColumn("{task.fields[rate]}"),
            TextColumn("[red]{task.fields[failed]}"), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, transient=False,
        )
        self.task_id: Any = None

    def begin(self, total: int, resumed: int, skipped: int, workers: int) -> None:
        self.counts = _Counts(total)
        self.console.print(
            f"jixiao batch: {_headline(total, resumed, skipped, workers)}", highlight=False
        )
        self.bar.start()
        self.task_id = self.bar.add_task(
            "converting", total=total, pages="", rate="", failed=""
        )

    def started(self, rel: str) -> None:
        pass

    def finished(self, rel: str, result: FileResult) -> None:
        from rich.markup import escape

        self.counts.add(result)
        if result["status"] == "failed":
            self.bar.console.print(
                f"[red]failed[/] {escape(one_line(rel))}: {escape(one_line(str(result['error'])))}",
                highlight=False,
            )
        failed = f"{self.counts.failed} failed" if self.counts.failed else ""
        pages = f"{self.counts.pages} pages" if self.counts.pages else ""
        self.bar.update(
            self.task_id, advance=1, pages=pages, rate=self.counts.rate(), failed=failed
        )

    def end(self) -> None:
        self.bar.stop()


class QuietProgress:
    """``-q``: nothing but a line per failed file (``jixiao: error: rel: why``) on stderr."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def begin(self, total: int, resumed: int, skipped: int, workers: int) -> None:
        pass

    def started(self, rel: str) -> None:
        pass

    def finished(self, rel: str, result: FileResult) -> None:
        if result["status"] == "failed":
            self.stream.write(one_line(f"jixiao: error: {rel}: {result['error']}") + "\n")
            self.stream.flush()

    def end(self) -> None:
        pass


def make_progress(stream: TextIO | None = None) -> Progress:
    """The bar when the stream (stderr by default) is a terminal, else plain lines."""
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return RichProgress() if tty else PlainProgress(stream)
