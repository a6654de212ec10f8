"""``jixiao batch``: a folder tree to OUT with a pool of workers, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.convert import PdfSettingOption
from jixiao.writers import WRITERS


def batch_command(
    folder: Annotated[Path, typer.Argument(help="Folder of documents (searched recursively).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder (created if missing).")],
    to: Annotated[
        str, typer.Option("--to", help=f"Comma-separated output formats: {', '.join(WRITERS)}.")
    ] = "json",
    workers: Annotated[
        int, typer.Option(
            "--workers", min=0,
            help="Worker processes, and so cores used: OCR threads are shared among them "
            "(0: one per core).",
        )
    ] = 0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds allowed per file.")
    ] = 300.0,
    memory_limit: Annotated[
        int,
        typer.Option("--memory-limit", min=0, help="Address space per worker, MB (0: none)."),
    ] = 8192,
    executor: Annotated[
        str,
        typer.Option(
            "--executor", help="local: worker processes here; dask: a Dask cluster (--scheduler)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address, e.g. tcp://HOST:8786 (workers must see the same paths).",
        ),
    ] = None,
    pdf_setting: PdfSettingOption = None,
) -> None:
    """Convert a folder tree of documents with a pool of workers; rerun to resume.

    Outputs mirror the tree (OUT/<dir>/<stem>.<format>); OUT/_report.json lists every
    file; OUT/_manifest.jsonl records finished files so that a rerun skips them.

    Example: jixiao batch archive/ -o out --to json,xml --workers 4

    With --executor dask --scheduler tcp://HOST:8786 the files are converted on a Dask
    cluster, whose workers must see FOLDER and OUT at the same paths (shared storage).

    PDF tolerances: --pdf-setting snap=3 (see --pdf-setting help); a rerun with other
    settings converts the PDFs again.
    """
    from jixiao.batch import BatchError, BatchOptions, run_batch
    from jixiao.batch.report import print_summary
    from jixiao.cli.convert import pdf_settings, print_error
    from jixiao.exceptions import UsageError
    from jixiao.writers import parse_formats

    try:
        formats = parse_formats(to)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None
    pdf = pdf_settings(pdf_setting)
    if executor not in ("local", "dask"):
        raise typer.BadParameter("choose local or dask", param_hint="--executor")
    if executor == "dask":
        if not scheduler:
            print_error("--executor dask needs --scheduler tcp://HOST:8786")
            raise typer.Exit(2)
        try:
            import distributed  # noqa: F401
        except ImportError:
            print_error(
                "--executor dask needs the 'distributed' package: pip install 'jixiao[dask]'"
            )
            raise typer.Exit(2) from None
    elif scheduler:
        raise typer.BadParameter("only with --executor dask", param_hint="--scheduler")
    if not folder.is_dir():
        print_error(f"{folder}: not a folder" if folder.exists() else f"{folder}: no such folder")
        raise typer.Exit(2)
    options = BatchOptions(
        folder, out, formats, workers, timeout, memory_limit, executor, scheduler, pdf=pdf
    )
    try:
        outcome = run_batch(options)
    except BatchError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from None
    print_summary(outcome.report)
    if outcome.report_path is None:
        print_error(f"cannot write the report in {out}")
        raise typer.Exit(1)
    if "html" in formats and outcome.index_path is None:
        print_error(f"cannot write the HTML index in {out}")
        raise typer.Exit(1)
    raise typer.Exit(outcome.exit_code)
