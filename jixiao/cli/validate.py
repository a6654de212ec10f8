"""``jixiao validate``: the findings of documents (or of jixiao's JSON and XML outputs), as
a table or JSON, and a totals line on stderr.

Exit codes: 0 done; 1 some file could not be read; 3 with ``--strict`` when any finding is
an error (and every file was read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from jixiao.discovery import discover
from jixiao.locate import location
from jixiao.schemas import SEVERITIES, SEVERITY_NAMES, Document, Finding

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _load(path: Path) -> tuple[Document | None, str | None]:
    """A document: re-validated when the file is jixiao's own JSON or XML output, else
    converted."""
    from jixiao.pipeline import convert_file, revalidate

    suffix = path.suffix.lower()
    if suffix in (".json", ".xml") and path.is_file():
        try:
            data = path.read_bytes()
            if suffix == ".json":
                document = Document.model_validate_json(data)
            else:
                from jixiao.writers.xml import read

                document = read(data)
        except (OSError, ValueError) as exc:
            kind = suffix[1:].upper()
            return None, f"not a jixiao {kind} document ({str(exc).splitlines()[0]})"
        return revalidate(document), None
    result = convert_file(path)
    return result.document, result.error


def totals_line(rows: list[tuple[Path, Document | None, str | None]]) -> str:
    """``jixiao: validated 3 files: 2 errors, 5 warnings, 1 info (1 could not be read)``."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for _, document, _ in rows:
        for finding in document.findings if document is not None else []:
            counts[finding.severity] += 1
    failed = sum(1 for _, document, _ in rows if document is None)
    files = len(rows)
    line = (f"jixiao: validated {files} file{'' if files == 1 else 's'}: "
            f"{counts['error']} error{'' if counts['error'] == 1 else 's'}, "
            f"{counts['warning']} warning{'' if counts['warning'] == 1 else 's'}, "
            f"{counts['info']} info")
    return line + (f" ({failed} could not be read)" if failed else "")


def _form_names(document: Document) -> dict[str, str]:
    return {f.id: f.project.name or f.title or f.id for f in document.forms}


def _cell(finding: Finding) -> str:
    """Where to open the cell: ``'Sheet'!D20``, ``p.28 table 3 row 5 col 2`` (see
    ``jixiao.locate``)."""
    return location(finding.cell) if finding.cell is not None else ""


def _print_table(rows: list[tuple[Path, Document | None, str | None]], quiet: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    for path, document, _ in rows:
        if document is None:
            continue
        findings = sorted(document.findings, key=lambda f: SEVERITIES.index(f.severity))
        if not findings:
            if not quiet:
                console.print(f"[green]{path}: 未发现问题 (no findings)[/green]")
            continue
        names = _form_names(document)
        table = Table(title=str(path), title_justify="left", show_lines=False, expand=False)
        table.add_column("级别", no_wrap=True)
        table.add_column("规则 rule", no_wrap=True)
        table.add_column("表 form", max_width=18, overflow="fold")
        table.add_column("位置 location", no_wrap=True)
        table.add_column("说明", ratio=1, overflow="fold")
        for f in findings:
            table.add_row(
                f"[{_SEVERITY_STYLE[f.severity]}]{SEVERITY_NAMES[f.severity]}[/]", f.rule,
                names.get(f.form or "", f.form or ""), _cell(f), f.message,
            )
        console.print(table)


def _json_rows(rows: list[tuple[Path, Document | None, str | None]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path, document, error in rows:
        out.append({
            "path": str(path),
            "error": error,
            "findings": [f.model_dump(mode="json") for f in document.findings]
            if document is not None else [],
        })
    return out


def validate_command(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH",
                       help="Documents, folders, or JSON / XML files written by convert."),
    ],
    output_format: Annotated[
        Literal["table", "json"], typer.Option("--format", help="table (readable) or json.")
    ] = "table",
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 when any finding is an error.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q",
                           help="Table: list only files with findings; no totals line.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="A line on stderr for each file read.")
    ] = False,
) -> None:
    """Check documents against the validation rules and print what is wrong.

    Example: jixiao validate archive/ --format json --strict
    """
    from jixiao.cli.convert import print_error

    files = [f.path for f in discover(paths).documents]
    files += [p for p in _json_inputs(paths) if p not in files]
    if not files:
        typer.echo("jixiao: error: no input documents found", err=True)
        raise typer.Exit(2)
    rows = []
    for path in files:
        document, error = _load(path)
        if error is not None:
            print_error(f"{path}: {error}")
        elif verbose and document is not None:
            typer.echo(f"jixiao: read {path} ({len(document.forms)} forms, "
                       f"{len(document.findings)} findings)", err=True)
        rows.append((path, document, error))
    if output_format == "json":
        sys.stdout.write(json.dumps(_json_rows(rows), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(rows, quiet)
    if not quiet:
        typer.echo(totals_line(rows), err=True)
    failed = sum(1 for _, document, _ in rows if document is None)
    errors = sum(
        1 for _, d, _ in rows if d is not None for f in d.findings if f.severity == "error"
    )
    if failed:
        raise typer.Exit(1)
    raise typer.Exit(3 if strict and errors else 0)


def _json_inputs(paths: list[Path]) -> list[Path]:
    """JSON and XML outputs of ``convert`` inside the folders given (the documents are found
    by ``jixiao.discovery``, which leaves jixiao's outputs out)."""
    folders = [p for p in paths if p.is_dir()]
    found = discover(folders, suffixes=frozenset({".json", ".xml"}), outputs=True)
    return [f.path for f in found.documents]
