"""The ``jixiao`` command's Typer app: its subcommands (see ``jixiao.cli``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from jixiao.cli.batch import batch_command
from jixiao.cli.convert import convert_command
from jixiao.cli.db import db_app, load_command
from jixiao.cli.debug import debug_command
from jixiao.cli.ingest import ingest_command
from jixiao.cli.schema import schema_command
from jixiao.cli.validate import validate_command

app = typer.Typer(
    name="jixiao",
    help="Convert Chinese budget performance tables (绩效目标表, 绩效自评表) to clean data.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # click's plain help, as docling's and camelot's: choices shown, no Python type names
    rich_markup_mode=None,
)


class _PlainArgument(TyperArgument):
    """An argument shown as click shows one: ``PATH...`` in the usage line (``[PATH]...``
    when optional), and its metavar alone in the help, without a Python type
    (``PATH <list[Path]>``) or typer's braces (``{PATH}...``)."""

    def display_type_rich(self, ctx: Any) -> str | None:  # typer's own (vendored) click
        return None if self.metavar else super().display_type_rich(ctx)

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return f"{name}..." if self.nargs != 1 else name


class PlainCommand(TyperCommand):
    """A command whose arguments are shown as click shows them (``_PlainArgument``)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument


for _name, _command in (
    ("convert", convert_command), ("validate", validate_command), ("schema", schema_command),
    ("load", load_command), ("ingest", ingest_command), ("batch", batch_command),
    ("debug", debug_command),
):
    app.command(name=_name, cls=PlainCommand)(_command)
app.add_typer(db_app, name="db")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[
        bool, typer.Option("-V", "--version", help="Print the version and exit.")
    ] = False,
    lexicon: Annotated[
        Path | None,
        typer.Option(
            "--lexicon", envvar="JIXIAO_LEXICON", show_default=False, metavar="FILE",
            help="A TOML file of your own wording, added to the bundled lexicon (see README).",
        ),
    ] = None,
) -> None:
    if lexicon is not None:
        _use_lexicon(lexicon)
    if version:
        from jixiao import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


def _use_lexicon(path: Path) -> None:
    """Check the user's lexicon and make it this process's (and its workers'): exit 2 with
    the reason when it cannot be used."""
    from jixiao.cli.convert import print_error
    from jixiao.lexicon import ENV, LexiconError, read_user_file

    try:
        read_user_file(path)
    except LexiconError as exc:
        print_error(str(exc))
        raise typer.Exit(2) from None
    wanted = os.path.abspath(path)
    if "jixiao.vocabulary" in sys.modules and os.environ.get(ENV) != wanted:
        print_error("--lexicon must be given before anything is mapped in this process")
        raise typer.Exit(2)
    os.environ[ENV] = wanted
