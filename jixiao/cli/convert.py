"""``jixiao convert``: files (or folders of them) to OUTDIR/<rel>.<format> per format."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.writers import WRITERS

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings

COVERAGE_WARNING = 0.9  # a form using less of its table's cells gets a warning line
STDIN_NAME = "stdin"  # the file standard input is kept in while read

MemoryOption = Annotated[
    int | None,
    typer.Option(
        "--memory-limit", min=0, show_default=False, metavar="MB",
        help="Address space for converting one file, MB (0: none; default: $JIXIAO_MEMORY_LIMIT "
        "or 8192).",
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout", min=0, show_default=False, metavar="SECONDS",
        help="Seconds allowed per file (0: none; default: $JIXIAO_TIMEOUT or 300).",
    ),
]


def _pdf_setting_help(values: list[str] | None) -> list[str] | None:
    """``--pdf-setting help``: the keys, defaults, units and meanings, then exit 0. Eager,
    so that it works without the paths a command needs."""
    if values and "help" in values:
        from jixiao.converters.pdf.settings import describe

        rows = describe()
        width = max(len(f"{key}={default}") for key, default, _, _ in rows)
        for key, default, unit, doc in rows:
            typer.echo(f"{f'{key}={default}':<{width}}  {doc} ({unit})")
        raise typer.Exit(0)
    return values


PdfSettingOption = Annotated[
    list[str] | None,
    typer.Option(
        "--pdf-setting", metavar="KEY=VALUE", show_default=False, is_eager=True,
        callback=_pdf_setting_help,
        help="A tolerance of the PDF table finder, e.g. snap=3 (repeatable); "
        "'--pdf-setting help' lists the keys, defaults and meanings.",
    ),
]


def pdf_settings(pairs: list[str] | None) -> PdfSettings | None:
    """``--pdf-setting`` values → settings (None when none is given): a bad key or value is
    a usage error (exit 2) naming it."""
    if not pairs:
        return None
    from jixiao.converters.pdf.settings import PdfSettings
    from jixiao.exceptions import UsageError

    try:
        return PdfSettings.from_pairs(pairs)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--pdf-setting") from None


ToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to", metavar="FORMAT", show_default=False,
        help=f"Output format, repeatable or comma-separated: {', '.join(WRITERS)} "
        "(default: json).",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("-q", "--quiet", help="Only errors on stderr: no warnings, no totals.")
]


def formats_of(to: list[str] | None) -> list[str]:
    """``--to json --to xml,md`` → ``['json', 'xml', 'md']``; a usage error (exit 2) for a
    format jixiao does not write."""
    from jixiao.exceptions import UsageError
    from jixiao.writers import parse_formats

    try:
        return parse_formats(",".join(to or ["json"]))
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None


def convert_command(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH",
                       help="Input files or folders (searched recursively); - reads one "
                       "file from standard input."),
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", metavar="DIR",
                           help="Output folder (created if missing); - writes the one output "
                           "(one file, one format) to standard output.")
    ] = Path("."),
    to: ToOption = None,
    memory_limit: MemoryOption = None,
    timeout: TimeoutOption = None,
    pdf_setting: PdfSettingOption = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="A line for every file: ok, or why not.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Convert documents to structured data.

    Each input gives OUT/<rel>.<format>: rel is its path under the folder given (the
    tree is mirrored), or its file name. An output never replaces an input, nor a file
    that is not jixiao's output of the same input.

    Example: jixiao convert archive/ -o out --to json --to xml

    Pipes: cat report.pdf | jixiao convert - -o - --to md

    PDF tolerances: --pdf-setting snap=3 (see --pdf-setting help).
    """
    import tempfile

    from jixiao.discovery import output_name

    formats = formats_of(to)
    pdf = pdf_settings(pdf_setting)
    to_stdout = str(out) == "-"
    if to_stdout and (len(formats) != 1 or len(paths) != 1 or paths[0].is_dir()):
        raise typer.BadParameter("-o - writes one output: give one file and one --to format",
                                 param_hint="-o")
    if sum(str(p) == "-" for p in paths) > 1:
        raise typer.BadParameter("- (standard input) can be given once", param_hint="PATH")
    with tempfile.TemporaryDirectory(prefix="jixiao-") as scratch:
        inputs = [_from_stdin(Path(scratch)) if str(p) == "-" else p for p in paths]
        shown_as = {i: "-" for i, p in zip(inputs, paths, strict=True) if str(p) == "-"}
        folder = Path(scratch) / "out" if to_stdout else out
        code = _convert(inputs, folder, formats, memory_limit, timeout, pdf, verbose,
                        quiet or to_stdout, shown_as)
        if to_stdout and code == 0:
            written = folder / output_name(inputs[0].name, formats[0])  # its one output
            if not written.is_file():
                print_error(f"{paths[0]}: no document to write")
                raise typer.Exit(1)
            import sys

            sys.stdout.buffer.write(written.read_bytes())
            sys.stdout.flush()
    raise typer.Exit(code)


def _from_stdin(folder: Path) -> Path:
    """Standard input saved as a file (its format is told by its content, as any input's)."""
    import shutil
    import sys

    path = folder / STDIN_NAME
    with path.open("wb") as fh:
        shutil.copyfileobj(sys.stdin.buffer, fh)
    return path


def _convert(
    paths: list[Path], out: Path, formats: list[str], memory_limit: int | None,
    timeout: float | None, pdf: PdfSettings | None, verbose: bool, quiet: bool,
    shown_as: dict[Path, str] | None = None,
) -> int:
    """Convert, report each file (and show progress on a terminal); the exit code."""
    from jixiao.runner import Outcome, RunError, convert_paths

    many = len(paths) > 1 or any(p.is_dir() for p in paths)
    with _progress(enabled=not quiet) as advance:

        def report(outcome: Outcome) -> None:
            advance(outcome.path)
            shown = (shown_as or {}).get(outcome.path, outcome.path)
            if outcome.error is not None:
                print_error(f"{shown}: {outcome.error}")
                return
            for form in outcome.document.forms if outcome.document is not None else []:
                if not quiet and form.coverage is not None and form.coverage < COVERAGE_WARNING:
                    name = form.project.name or form.title or ""
                    _line(f"jixiao: warning: {shown}: form {form.id} {name} uses "
                          f"{form.coverage:.0%} of its cells; {len(form.unmapped)} unmapped")
            if verbose and outcome.document is not None:
                forms = len(outcome.document.forms)
                _line(f"jixiao: ok {shown} ({forms} form{'' if forms == 1 else 's'})")

        try:
            summary = convert_paths(
                paths, out, formats, memory_limit_mb=memory_limit, timeout=timeout,
                report=report, index=many, pdf=pdf, shown_as=shown_as,
            )
        except RunError as exc:
            print_error(str(exc))
            return 1
    if summary.index_error:
        print_error(summary.index_error)
    for skipped in summary.skipped if verbose else []:
        _line(f"jixiao: skipped {skipped.path}: {skipped.reason}")
    total = len(summary.outcomes)
    line = f"jixiao: converted {total - summary.failed} of {total} files"
    if summary.skipped:
        line += f" ({len(summary.skipped)} non-document files skipped)"
    if not quiet:
        typer.echo(line, err=True)
    return 1 if summary.failed or summary.index_error else 0


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[Path], None]]:
    """On a terminal (stderr), a live line while files convert — a spinner, how many are
    done, the last one — so a long scan does not look hung; nothing when piped or quiet."""
    import sys

    if not enabled or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("converting …", total=None)
        done = 0

        def advance(path: Path) -> None:
            nonlocal done
            done += 1
            progress.update(task, description=f"{done} converted, last {path.name}")

        yield advance


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def print_error(message: str) -> None:
    """One line on stderr, whatever the message holds (paths and reasons can hold newlines)."""
    _line("jixiao: error: " + message)


def _line(message: str) -> None:
    typer.echo(_LINE_BREAKS.sub(" ", message).strip(), err=True)
