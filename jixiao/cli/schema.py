"""``jixiao schema``: print the JSON Schema (or, with --xsd, the XSD) of the output."""

from __future__ import annotations

from typing import Annotated

import typer

from jixiao.schemas.generate import JSON_SCHEMA_PATH, XSD_PATH


def schema_command(
    xsd: Annotated[
        bool, typer.Option("--xsd", help="Print the XSD of the XML output instead.")
    ] = False,
) -> None:
    """Print the schema of jixiao's output.

    Example: jixiao schema --xsd > document.xsd
    """
    path = XSD_PATH if xsd else JSON_SCHEMA_PATH
    typer.echo(path.read_text(encoding="utf-8"), nl=False)
