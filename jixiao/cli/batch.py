"""``jixiao batch``: a folder tree to OUT with a pool of workers, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from jixiao.cli.convert import PdfSettingOption, QuietOption, ToOption

# Not the current folder, as convert's: a batch writes a tree and its ledgers, and is most
# often run on the current folder itself (jixiao batch .), which can hold its output folder
# but cannot be it.
DEFAULT_OUT = Path("jixiao-out")


def batch_command(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER",
                                           help="Folder of documents (searched recursively).")],
    out: Annotated[Path, typer.Option(
        "-o", "--out", metavar="DIR", show_default=False,
        help="Output folder (created if missing). Default: jixiao-out in the current folder, "
        "which a rerun finds again and which is never searched for inputs.")] = DEFAULT_OUT,
    to: ToOption = None,
    workers: Annotated[
        int, typer.Option(
            "--workers", min=0, metavar="N",
            help="Worker processes, and so cores used: OCR threads are shared among them "
            "(0: one per core).",
        )
    ] = 0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, metavar="SECONDS",
                            help="Seconds allowed per file.")
    ] = 300.0,
    memory_limit: Annotated[
        int,
        typer.Option("--memory-limit", min=0, metavar="MB",
                     help="Address space per worker, MB (0: none)."),
    ] = 8192,
    executor: Annotated[
        Literal["local", "dask"],
        typer.Option(
            "--executor", help="local: worker processes here; dask: a Dask cluster (--scheduler)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", metavar="ADDRESS",
            help="Dask scheduler address, e.g. tcp://HOST:8786 (workers must see the same paths).",
        ),
    ] = None,
    pdf_setting: PdfSettingOption = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose",
                           help="A line for every file, even on a terminal (no bar).")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Convert a folder tree of documents with a pool of workers; rerun to resume.

    Outputs mirror the tree (OUT/<dir>/<stem>.<format>); OUT/_report.json lists every
    file; OUT/_manifest.jsonl records finished files so that a rerun skips them.

    Example: jixiao batch archive/ -o out --to json --to xml --workers 4

    Or just: jixiao batch . (outputs in ./jixiao-out)

    With --executor dask --scheduler tcp://HOST:8786 the files are converted on a Dask
    cluster, whose workers must see FOLDER and OUT at the same paths (shared storage).

    PDF tolerances: --pdf-setting snap=3 (see --pdf-setting help); a rerun with other
    settings converts the PDFs again.
    """
    from jixiao.batch import BatchError, BatchOptions, run_batch
    from jixiao.batch.progress import PlainProgress, Progress, QuietProgress
    from jixiao.batch.report import print_summary
    from jixiao.cli.convert import formats_of, pdf_settings, print_error

    formats = formats_of(to)
    pdf = pdf_settings(pdf_setting)
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
    progress: Progress | None = (QuietProgress() if quiet else PlainProgress() if verbose
                                 else None)  # None: a bar on a terminal, lines elsewhere
    try:
        outcome = run_batch(options, progress)
    except BatchError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from None
    if not quiet:
        print_summary(outcome.report)
    if outcome.report_path is None:
        print_error(f"cannot write the report in {out}")
        raise typer.Exit(1)
    if "html" in formats and outcome.index_path is None:
        print_error(f"cannot write the HTML index in {out}")
        raise typer.Exit(1)
    raise typer.Exit(outcome.exit_code)
