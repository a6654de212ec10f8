"""``jixiao convert``: files (or folders of them) to OUTDIR/<stem>.<ext> per format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.inputs import collect_inputs, output_stems
from jixiao.exceptions import UsageError


def convert_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Input files or folders (searched recursively).")
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output folder (created if missing).")
    ] = Path("."),
    to: Annotated[
        str, typer.Option("--to", help="Comma-separated output formats: json, xml.")
    ] = "json",
) -> None:
    """Convert documents to structured data.

    Example: jixiao convert archive/ -o out --to json,xml
    """
    from jixiao.pipeline import convert_file
    from jixiao.writers import parse_formats, render_all, write_atomic

    try:
        formats = parse_formats(to)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None
    inputs, skipped = collect_inputs(paths)
    if not inputs:
        typer.echo("jixiao: error: no input documents found", err=True)
        raise typer.Exit(2)
    failed = 0
    for path, stem in zip(inputs, output_stems(inputs), strict=True):
        result = convert_file(path)
        if result.document is None:
            failed += 1
            typer.echo(f"jixiao: error: {path}: {result.error}", err=True)
            continue
        try:
            rendered = render_all(result.document, formats)
            for fmt, data in rendered.items():
                write_atomic(out / f"{stem}.{fmt}", data)
        except OSError as exc:
            failed += 1
            typer.echo(f"jixiao: error: {path}: cannot write output ({exc})", err=True)
    summary = f"jixiao: converted {len(inputs) - failed} of {len(inputs)} files"
    if skipped:
        summary += f" ({skipped} non-document files skipped)"
    typer.echo(summary, err=True)
    raise typer.Exit(1 if failed else 0)
