"""Output formats. Each writer renders a ``Document`` to bytes; files are written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from jixiao.exceptions import UsageError
from jixiao.schemas import Document

Renderer = Callable[[Document], bytes]
_UMASK = os.umask(0)
os.umask(_UMASK)


def _json(document: Document) -> bytes:
    from jixiao.writers.json import render

    return render(document)


def _xml(document: Document) -> bytes:
    from jixiao.writers.xml import render

    return render(document)


def _xlsx(document: Document) -> bytes:
    from jixiao.writers.spreadsheet import render

    return render(document)


def _csv(document: Document) -> bytes:
    from jixiao.writers.flat_csv import render

    return render(document)


def _forms_csv(document: Document) -> bytes:
    from jixiao.writers.flat_csv import render_forms

    return render_forms(document)


WRITERS: dict[str, Renderer] = {"json": _json, "xml": _xml}
WRITERS["xlsx"] = _xlsx
WRITERS["csv"] = _csv
WRITERS["forms.csv"] = _forms_csv  # <input>.forms.csv: the XLSX forms sheet


def _html(document: Document) -> bytes:
    from jixiao.writers.html import render

    return render(document)


WRITERS["html"] = _html


def _docx(document: Document) -> bytes:
    from jixiao.writers.docx import render

    return render(document)


def _pdf(document: Document) -> bytes:  # the standardized DOCX printed by LibreOffice
    from jixiao.writers.docx import render_pdf

    return render_pdf(document)


WRITERS["docx"] = _docx
WRITERS["pdf"] = _pdf


def _md(document: Document) -> bytes:
    from jixiao.writers.markdown import render

    return render(document)


def _jsonl(document: Document) -> bytes:
    from jixiao.writers.jsonl import render

    return render(document)


WRITERS["md"] = _md
WRITERS["jsonl"] = _jsonl


def parse_formats(spec: str) -> list[str]:
    """``'json,xml'`` → ``['json', 'xml']``; an unknown name is a usage error."""
    names = [n.strip().lower() for n in spec.split(",") if n.strip()]
    if not names:
        raise UsageError("no output format given")
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise UsageError(
            f"unknown output format {', '.join(unknown)} (known: {', '.join(WRITERS)})"
        )
    return list(dict.fromkeys(names))


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then rename over ``path``.

    ``durable=False`` skips the fsync: the caller makes the file durable later, with others
    (a batch syncs its output folder's file system every half second, see
    ``jixiao.batch.manifest``). A reader still never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_all(document: Document, formats: list[str]) -> dict[str, bytes]:
    """Render every format first, so a failing writer leaves no partial set of files."""
    return {fmt: WRITERS[fmt](document) for fmt in formats}


class OutputError(Exception):
    """Writing a document's outputs failed; ``target`` is the file being written (the
    output folder while rendering) and ``__cause__`` the error."""

    def __init__(self, target: Path) -> None:
        super().__init__(str(target))
        self.target = target

    def reason(self, name_target: bool = True) -> str:
        """The file's one-line error: the file system's refusal (naming the target), no
        memory left, or a writer's bug (never a traceback: the other files go on)."""
        exc = self.__cause__
        if isinstance(exc, OSError):
            where = f" {self.target}" if name_target else ""
            return f"cannot write output{where}: {exc.strerror or exc}"
        if isinstance(exc, MemoryError):
            return "out of memory while writing the outputs"
        return f"internal error in a writer ({type(exc).__name__}: {exc})"


def write_outputs(
    document: Document, formats: list[str], out_dir: Path, stem: str, durable: bool = True
) -> dict[Path, int]:
    """Render every format, then write ``out_dir/<stem>.<format>`` each atomically
    (``durable``: see ``write_atomic``); returns each file written with its size in bytes.

    On any failure the files this call already wrote are removed (never a half set of
    outputs) and ``OutputError`` is raised from the error.
    """
    target = out_dir
    written: dict[Path, int] = {}
    try:
        for fmt, data in render_all(document, formats).items():
            target = out_dir / f"{stem}.{fmt}"
            write_atomic(target, data, durable)
            written[target] = len(data)
    except Exception as exc:
        for done in written:
            done.unlink(missing_ok=True)
        raise OutputError(target) from exc
    return written
