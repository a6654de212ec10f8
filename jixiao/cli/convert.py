"""``jixiao convert``: files (or folders of them) to OUTDIR/<rel>.<format> per format."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.writers import WRITERS

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings

COVERAGE_WARNING = 0.9  # a form using less of its table's cells gets a warning line

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


def convert_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Input files or folders (searched recursively).")
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output folder (created if missing).")
    ] = Path("."),
    to: Annotated[
        str, typer.Option("--to", help=f"Comma-separated output formats: {', '.join(WRITERS)}.")
    ] = "json",
    memory_limit: MemoryOption = None,
    timeout: TimeoutOption = None,
    pdf_setting: PdfSettingOption = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="A line for every file: ok, or why not.")
    ] = False,
) -> None:
    """Convert documents to structured data.

    Each input gives OUT/<rel>.<format>: rel is its path under the folder given (the
    tree is mirrored), or its file name. An output never replaces an input, nor a file
    that is not jixiao's output of the same input.

    Example: jixiao convert archive/ -o out --to json,xml

    PDF tolerances: --pdf-setting snap=3 (see --pdf-setting help).
    """
    from jixiao.exceptions import UsageError
    from jixiao.runner import Outcome, RunError, convert_paths
    from jixiao.writers import parse_formats

    try:
        formats = parse_formats(to)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None
    pdf = pdf_settings(pdf_setting)

    def report(outcome: Outcome) -> None:
        if outcome.error is not None:
            print_error(f"{outcome.path}: {outcome.error}")
            return
        for form in outcome.document.forms if outcome.document is not None else []:
            if form.coverage is not None and form.coverage < COVERAGE_WARNING:
                name = form.project.name or form.title or ""
                _line(f"jixiao: warning: {outcome.path}: form {form.id} {name} uses "
                      f"{form.coverage:.0%} of its cells; {len(form.unmapped)} unmapped")
        if verbose and outcome.document is not None:
            forms = len(outcome.document.forms)
            _line(f"jixiao: ok {outcome.path} ({forms} form{'' if forms == 1 else 's'})")

    many = len(paths) > 1 or any(p.is_dir() for p in paths)
    try:
        summary = convert_paths(
            paths, out, formats, memory_limit_mb=memory_limit, timeout=timeout,
            report=report, index=many, pdf=pdf,
        )
    except RunError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from None
    if summary.index_error:
        print_error(summary.index_error)
    for skipped in summary.skipped if verbose else []:
        _line(f"jixiao: skipped {skipped.path}: {skipped.reason}")
    total = len(summary.outcomes)
    line = f"jixiao: converted {total - summary.failed} of {total} files"
    if summary.skipped:
        line += f" ({len(summary.skipped)} non-document files skipped)"
    typer.echo(line, err=True)
    raise typer.Exit(1 if summary.failed or summary.index_error else 0)


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def print_error(message: str) -> None:
    """One line on stderr, whatever the message holds (paths and reasons can hold newlines)."""
    _line("jixiao: error: " + message)


def _line(message: str) -> None:
    typer.echo(_LINE_BREAKS.sub(" ", message).strip(), err=True)
