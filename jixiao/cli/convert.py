"""``jixiao convert``: files (or folders of them) to OUTDIR/<stem>.<ext> per format."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.inputs import collect_inputs, output_stems
from jixiao.exceptions import UsageError
from jixiao.writers import WRITERS
from jixiao.writers.html.index import IndexEntry, index_entry


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
) -> None:
    """Convert documents to structured data.

    Example: jixiao convert archive/ -o out --to json,xml
    """
    from jixiao.pipeline import convert_file
    from jixiao.writers import OutputError, parse_formats, write_outputs

    try:
        formats = parse_formats(to)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None
    inputs, skipped = collect_inputs(paths)
    if not inputs:
        typer.echo("jixiao: error: no input documents found", err=True)
        raise typer.Exit(2)
    problem = _unusable_out_dir(out)
    if problem:
        print_error(f"cannot use output folder {out}: {problem}")
        raise typer.Exit(1)
    failed = 0
    entries: list[IndexEntry] = []  # for the HTML index page
    for path, stem in zip(inputs, output_stems(inputs), strict=True):
        result = convert_file(path)
        if result.document is None:
            failed += 1
            print_error(f"{path}: {result.error}")
            entries.append(index_entry(path, stem, None, str(result.error)))
            continue
        try:
            write_outputs(result.document, formats, out, stem)
        except OutputError as exc:
            cause, target = exc.__cause__, exc.target
            if not isinstance(cause, OSError):
                raise  # a writer bug, not a file system problem
            failed += 1
            print_error(f"{path}: cannot write output {target}: {cause.strerror or cause}")
            entries.append(index_entry(path, stem, None, f"cannot write output {target.name}"))
        else:
            entries.append(index_entry(path, stem, result.document))
    index_ok = True
    if "html" in formats and (len(inputs) > 1 or any(p.is_dir() for p in paths)):
        index_ok = _write_html_index(out, entries, output_stems(inputs))
    summary = f"jixiao: converted {len(inputs) - failed} of {len(inputs)} files"
    if skipped:
        summary += f" ({skipped} non-document files skipped)"
    typer.echo(summary, err=True)
    raise typer.Exit(1 if failed or not index_ok else 0)


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def print_error(message: str) -> None:
    """One line on stderr, whatever the message holds (paths and reasons can hold newlines)."""
    typer.echo("jixiao: error: " + _LINE_BREAKS.sub(" ", message).strip(), err=True)


def _write_html_index(out: Path, entries: list[IndexEntry], stems: list[str]) -> bool:
    """OUT/index.html linking every report of the run (``index-2.html`` … when an input
    has that name). False, with an error line, when it cannot be written."""
    from jixiao.writers import write_atomic
    from jixiao.writers.html.index import index_name, render_index

    name = index_name(stems)
    try:
        write_atomic(out / name, render_index(entries))
    except OSError as exc:
        print_error(f"cannot write {out / name}: {exc.strerror or exc}")
        return False
    return True


def _unusable_out_dir(out: Path) -> str | None:
    """Why OUTDIR cannot take output (created if missing), or None when it can."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "it exists and is not a folder"
    except OSError as exc:
        return exc.strerror or str(exc)
    if not os.access(out, os.W_OK | os.X_OK):
        return "permission denied"
    return None
