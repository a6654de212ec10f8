"""``jixiao load`` (documents into a database) and ``jixiao db init`` (create or upgrade its
schema). Loading never creates tables: a database without the schema is refused.

Exit codes: 0 done; 1 some file failed (one line each on stderr, the others loaded) or the
database cannot be used; 2 usage error (bad URL, no inputs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.cli.convert import MemoryOption, QuietOption, TimeoutOption, print_error

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jixiao.pipeline import Result

_DEFAULT_URL = "sqlite:///jixiao.db"  # jixiao.db.DEFAULT_URL, without importing SQLAlchemy

DbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar="JIXIAO_DB", show_default=True, metavar="URL",
        help="Database URL: sqlite:///file.db or postgresql://user:pw@host/dbname.",
    ),
]

db_app = typer.Typer(
    name="db", help="Manage the database schema.", no_args_is_help=True, add_completion=False,
)


def _open(url: str, *, create: bool) -> Engine:
    """The engine, or exit: 2 for a bad URL, 1 for a database that cannot be used."""
    from jixiao.db import DatabaseError, open_engine
    from jixiao.exceptions import UsageError

    try:
        return open_engine(url, create=create)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None
    except DatabaseError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from None


@contextmanager
def _or_exit(engine: Engine, doing: str) -> Iterator[None]:
    """A database step: its failure is one error line (jixiao's own reason, else "cannot
    ``doing`` database URL: why") and exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from jixiao.db import DatabaseError
    from jixiao.db.engine import reason, shown

    try:
        yield
    except DatabaseError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        print_error(f"cannot {doing} database {shown(engine.url)}: {reason(exc)}")
        raise typer.Exit(1) from None


@db_app.command(name="init")
def init_command(db: DbOption = _DEFAULT_URL) -> None:
    """Create the database tables, or upgrade them to this jixiao's schema version.

    Example: jixiao db init --db postgresql://jixiao@localhost/jixiao
    """
    from jixiao.db import init_schema
    from jixiao.db.engine import shown

    engine = _open(db, create=True)
    try:
        with _or_exit(engine, "initialize"):
            result = init_schema(engine)
    finally:
        engine.dispose()
    typer.echo(f"jixiao: {shown(engine.url)}: {result.describe()}", err=True)


def load_command(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", help="Input files or folders (searched recursively).")
    ],
    db: DbOption = _DEFAULT_URL,
    memory_limit: MemoryOption = None,
    timeout: TimeoutOption = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="A line for every file: what loading did.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Convert documents and load them into a database (one transaction per document).

    A file already loaded is left as it is; a changed file replaces its rows.
    Example: jixiao load archive/ --db sqlite:///jixiao.db
    """
    from jixiao.db import check_schema
    from jixiao.db.engine import shown
    from jixiao.discovery import discover

    found = discover(paths)
    inputs, skipped = [f.path for f in found.documents], len(found.skipped)
    engine = _open(db, create=False)
    try:
        with _or_exit(engine, "open"), engine.connect() as conn:
            check_schema(conn)
        for path, why in found.barren:
            print_error(f"{path}: {why}")
        outcomes = _load_all(engine, inputs, memory_limit, timeout, verbose)
    finally:
        engine.dispose()
    failed = outcomes.pop("failed", 0) + len(found.barren)
    inputs += [path for path, _ in found.barren]
    done = ", ".join(f"{n} {name}" for name, n in sorted(outcomes.items()))
    summary = f"jixiao: loaded {len(inputs) - failed} of {len(inputs)} files"
    summary += f" into {shown(engine.url)}" + (f" ({done})" if done else "")
    if skipped:
        summary += f"; {skipped} non-document files skipped"
    if not quiet:
        typer.echo(summary, err=True)
    raise typer.Exit(1 if failed else 0)


def _load_all(
    engine: Engine, inputs: list[Path], memory_limit: int | None, timeout: float | None,
    verbose: bool = False,
) -> Counter[str]:
    """Convert (each in the guarded process: ``jixiao.guard``) and load each file; a failure
    is reported and the next file goes on."""
    from jixiao.guard import GuardedConverter

    outcomes: Counter[str] = Counter()
    with GuardedConverter(memory_limit, timeout) as converter:
        for path in inputs:
            outcome, error = _load_one(engine, converter.convert(path))
            outcomes[outcome] += 1
            if error is not None:
                print_error(f"{path}: {error}")
            elif verbose:
                typer.echo(f"jixiao: {outcome} {path}", err=True)
    return outcomes


def _load_one(engine: Engine, result: Result) -> tuple[str, str | None]:
    """What loading a converted file did (``failed`` with the reason, or ``load_document``'s
    outcome)."""
    from sqlalchemy.exc import SQLAlchemyError

    from jixiao.db import DatabaseError, load_document
    from jixiao.db.engine import reason

    if result.document is None:
        return "failed", str(result.error)
    try:
        return load_document(engine, result.document), None
    except DatabaseError as exc:
        return "failed", str(exc)
    except SQLAlchemyError as exc:
        return "failed", f"database error: {reason(exc)}"
    except Exception as exc:  # a bug: report it for this file, keep the batch going
        return "failed", f"internal error ({type(exc).__name__}: {exc})"
