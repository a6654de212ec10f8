"""The ``jixiao`` command's Typer app: its subcommands (see ``jixiao.cli``)."""

from __future__ import annotations

from typing import Annotated

import typer

from jixiao.cli.batch import batch_command
from jixiao.cli.convert import convert_command
from jixiao.cli.db import db_app, load_command
from jixiao.cli.ingest import ingest_command
from jixiao.cli.schema import schema_command
from jixiao.cli.validate import validate_command

app = typer.Typer(
    name="jixiao",
    help="Convert Chinese budget performance tables (绩效目标表, 绩效自评表) to clean data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(name="convert")(convert_command)
app.command(name="validate")(validate_command)
app.command(name="schema")(schema_command)
app.command(name="load")(load_command)
app.command(name="ingest")(ingest_command)
app.command(name="batch")(batch_command)
app.add_typer(db_app, name="db")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.")
    ] = False,
) -> None:
    if version:
        from jixiao import __version__

        typer.echo(__version__)
        raise typer.Exit(0)

