"""``jixiao debug``: OUTDIR/<stem>.page-<N>.png per page, showing what jixiao saw there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from jixiao.cli.convert import print_error


def debug_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A PDF (digital or scanned).")],
    page: Annotated[
        list[int] | None,
        typer.Option("--page", "-p", min=1, show_default=False, metavar="N",
                     help="Page to draw, 1-based (repeat for several; default: every page)."),
    ] = None,
    out: Annotated[
        Path, typer.Option("-o", "--out", metavar="DIR", help="Output folder (created if missing).")
    ] = Path("."),
    dpi: Annotated[
        int, typer.Option("--dpi", min=20, max=600, metavar="DPI",
                          help="Resolution of the pictures.")
    ] = 100,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Do not print the pictures' paths.")
    ] = False,
) -> None:
    """Draw what jixiao saw on PDF pages: ruling lines, cells, and each cell's role.

    Each page gives OUT/<stem>.page-<N>.png: the page (a scan: as straightened for
    reading) with the ruling lines found (red), every table cell's box, and the cells of
    each form tinted by role (field label, field value, indicator level 1/2/3, target,
    other used cell, unmapped cell); a legend below the page names the colours. The path
    of each picture written is printed. Exit 2 for a file that is not a PDF or a page it
    lacks, 1 for a file that cannot be read.

    Example: jixiao debug report.pdf --page 3 -o pictures
    """
    from jixiao.debug import NotPdfError, check_format, check_pages, page_count, pictures, png
    from jixiao.exceptions import JixiaoError, UsageError
    from jixiao.writers import write_atomic

    pages = sorted(set(page)) if page else None
    try:
        check_format(path)
        count = page_count(path)  # a page the file lacks is told before it is converted
        check_pages(pages or [], count)
    except NotPdfError as exc:
        _fail(str(exc), 2)
    except UsageError as exc:
        _fail(f"{path}: {exc}", 2)
    except JixiaoError as exc:
        _fail(f"{path}: {exc}", 1)
    targets = {n: out / f"{path.stem}.page-{n}.png" for n in pages or range(1, count + 1)}
    for target in targets.values():
        refusal = input_refusal(target, path)
        if refusal is not None:
            _fail(f"{path}: {refusal}", 1)
    try:
        for number, image in pictures(path, pages, dpi):
            target = targets[number]
            try:
                write_atomic(target, png(image))
            except OSError as exc:
                _fail(f"{path}: cannot write {target}: {exc.strerror or exc}", 1)
            if not quiet:
                typer.echo(str(target))
    except UsageError as exc:
        _fail(f"{path}: {exc}", 2)
    except JixiaoError as exc:
        _fail(f"{path}: {exc}", 1)


def input_refusal(target: Path, source: Path) -> str | None:
    """Why ``target`` must not be written: it is the input itself (the same real path,
    links followed, as ``jixiao convert``'s rule has it: ``ledger.Ledger.refusal``, or
    the same file by another name: a hard link), else None."""
    from jixiao.ledger import real

    same = real(target) == real(source)
    if not same and os.path.exists(target):
        try:
            same = os.path.samefile(target, source)
        except OSError:
            same = False
    return f"its picture {target} would replace the input: not written" if same else None


def _fail(message: str, code: int) -> NoReturn:
    print_error(message)
    raise typer.Exit(code)
