"""``jixiao ingest INBOX``: load what is new or changed in a folder, for cron and systemd
timers. Exit codes: 0 done; 1 some file failed to convert (or load); 2 usage error; 4 another
run holds the lock; 5 database unavailable (after retries) or schema missing or of another
version (run ``jixiao db init``); 130 interrupted (SIGINT or SIGTERM)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jixiao.cli.convert import MemoryOption, QuietOption, TimeoutOption, print_error
from jixiao.cli.db import _DEFAULT_URL, DbOption

if TYPE_CHECKING:
    from sqlalchemy import URL

    from jixiao.ingest import Report

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_DATABASE = 0, 1, 2, 4, 5
EXIT_INTERRUPTED = 130
CONNECT_TIMEOUT = "10"  # seconds, for a PostgreSQL URL that sets none


def ingest_command(
    inbox: Annotated[
        Path,
        typer.Argument(exists=True, file_okay=False, metavar="INBOX",
                       help="The folder to ingest (searched recursively)."),
    ],
    db: DbOption = _DEFAULT_URL,
    lock: Annotated[
        Path | None,
        typer.Option("--lock", metavar="FILE",
                     help="Lock file (default: INBOX/.jixiao-ingest.lock).",
                     show_default=False),
    ] = None,
    retries: Annotated[
        int,
        typer.Option("--retries", min=0, max=20, metavar="N",
                     help="Retries of a database operation that failed for a transient "
                          "reason, waiting 0.5 s, 1 s, 2 s … between them."),
    ] = 4,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Delete the documents of files gone from the inbox "
                                     "(default: kept)."),
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Try files that failed again even if unchanged "
                                            "(e.g. after upgrading jixiao)."),
    ] = False,
    memory_limit: MemoryOption = None,
    timeout: TimeoutOption = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose",
                           help="A line for each file converted (the default; -q: none).")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Load new and changed documents from INBOX into the database (cron, timers).

    Files with the path, size and mtime recorded are skipped without being opened.
    A file that fails to convert is not tried again until it changes.
    Two runs never overlap: a file lock, and on PostgreSQL an advisory lock.
    Runs are recorded in the table ingest_runs, files in ingest_files.

    Exit codes:
    0 done;
    1 some file failed to convert or load (one line each on stderr);
    2 usage error;
    4 another run holds the lock;
    5 database unavailable after retries, or no current schema (jixiao db init);
    130 interrupted (SIGINT, SIGTERM).

    Example: jixiao ingest /srv/inbox --db postgresql://jixiao@/jixiao
    """
    from jixiao.db import DatabaseError
    from jixiao.db.engine import open_engine, parse_url, shown
    from jixiao.exceptions import UsageError
    from jixiao.guard import GuardedConverter
    from jixiao.ingest import LockHeld, ingest

    try:
        url = _with_timeout(parse_url(db))
        engine = open_engine(url)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None
    except DatabaseError as exc:  # a SQLite file that does not exist: no schema
        print_error(str(exc))
        raise typer.Exit(EXIT_DATABASE) from None

    def log(line: str) -> None:
        if line.startswith("error: "):
            print_error(line.removeprefix("error: "))
        elif not quiet or verbose:
            typer.echo(f"jixiao: {line}", err=True)

    try:
        with _sigterm_interrupts(), GuardedConverter(memory_limit, timeout) as guard:
            report = ingest(engine, inbox, lock=lock, retries=retries, prune=prune,
                            retry_failed=retry_failed, log=log, guard=guard)
    except UsageError as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except LockHeld as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_LOCKED) from None
    except DatabaseError as exc:  # DatabaseUnavailable, SchemaError
        print_error(str(exc))
        raise typer.Exit(EXIT_DATABASE) from None
    except KeyboardInterrupt:
        print_error("interrupted; the next run goes on from where this one stopped")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        engine.dispose()
    if not quiet:
        typer.echo(_summary(report, shown(engine.url)), err=True)
    raise typer.Exit(EXIT_FAILED if report.counts.failed else EXIT_OK)


def _with_timeout(url: URL) -> URL:
    """A PostgreSQL URL without ``connect_timeout`` gets one: an unreachable host then
    fails (and is retried) in seconds, not after the system's TCP timeout."""
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        return url.update_query_dict({"connect_timeout": CONNECT_TIMEOUT})
    return url


def _summary(report: Report, where: str) -> str:
    c = report.counts
    line = (f"jixiao: ingest run {report.run_id} into {where}: {c.new} new, {c.changed} "
            f"changed, {c.unchanged} unchanged, {c.failed} failed")
    extra = [f"{n} {name}" for name, n in (("retried", c.retried), ("loaded", c.loaded),
                                           ("database retries", c.db_retries)) if n]
    if extra:
        line += f" ({', '.join(extra)})"
    if c.skipped:
        line += f"; {c.skipped} non-document files skipped"
    if c.missing:
        kept = f"{c.pruned} documents pruned" if c.pruned else "documents kept"
        line += f"; {c.missing} files gone from the inbox ({kept})"
    return line


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (systemd stopping the service, ``kill``) ends the run like Ctrl-C: the
    current transaction rolls back and the run is recorded as interrupted."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
