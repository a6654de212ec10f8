"""``convert_paths``: files and folders to an output folder, one file at a time (what
``jixiao convert`` runs; ``jixiao batch`` is the parallel, resumable form of it).

Files are found by ``jixiao.discovery`` and named ``OUT/<rel>.<format>`` from their input
alone; no output replaces an input or a file that is not jixiao's output of the same input
(``jixiao.ledger``); each file is converted in a guarded process (``jixiao.guard``: memory
cap, time limit, a crash fails that file only); outputs are written atomically, all of a
document's or none. Nothing here prints: each file's outcome goes to ``report``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.discovery import Discovery, Found, discover, output_clashes, output_name
from jixiao.ledger import Ledger, LedgerLockedError, real
from jixiao.schemas import Document

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings


class RunError(Exception):
    """The run cannot start: the output folder is unusable or in use."""


@dataclass(frozen=True)
class Outcome:
    """One input's outcome: ``document`` when converted and written, else ``error``."""

    path: Path
    rel: str
    document: Document | None = None
    error: str | None = None


@dataclass
class RunSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Found] = field(default_factory=list)  # met in the folders, not converted
    index: Path | None = None  # the HTML index page, when one was written
    index_error: str | None = None

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.document is None)


Report = Callable[[Outcome], None]


def usable_folder(out: Path) -> str | None:
    """Why ``out`` cannot take output (created if missing), or None when it can."""
    import os

    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "it exists and is not a folder"
    except OSError as exc:
        return exc.strerror or str(exc)
    if not os.access(out, os.W_OK | os.X_OK):
        return "permission denied"
    return None


def convert_paths(
    paths: Iterable[Path], out: Path, formats: list[str], *,
    memory_limit_mb: int | None = None, timeout: float | None = None,
    report: Report | None = None, index: bool = False, pdf: PdfSettings | None = None,
    shown_as: dict[Path, str] | None = None,
) -> RunSummary:
    """Convert every document under ``paths`` into ``out`` (see the module). Raises
    ``RunError`` when ``out`` cannot be used. ``index``: with ``html`` among the formats,
    also write the run's index page (``OUT/index.html``). ``pdf``: the PDF settings, passed
    to the guarded process that converts (None: the defaults). ``shown_as``: the source
    path a document records for some inputs (standard input saved to a file: ``-``)."""
    found = discover(list(paths), exclude=[out])
    summary = RunSummary(skipped=found.skipped)
    tell = report or (lambda _: None)
    for path, why in found.barren:
        _add(summary, tell, Outcome(path, path.name, error=why))
    if not found.documents:
        return summary  # nothing to write: OUT is not even made
    problem = usable_folder(out)
    if problem:
        raise RunError(f"cannot use output folder {out}: {problem}")
    try:
        ledger = Ledger.open(out)
    except LedgerLockedError as exc:
        raise RunError(f"cannot use output folder {out}: {exc}") from None
    except OSError as exc:
        raise RunError(f"cannot use output folder {out}: {exc.strerror or exc}") from None
    with ledger:
        for outcome in _convert_all(found, ledger, formats, memory_limit_mb, timeout, pdf,
                                    shown_as or {}):
            _add(summary, tell, outcome)
        if index and "html" in formats:
            _write_index(summary, ledger)
    return summary


def _add(summary: RunSummary, tell: Report, outcome: Outcome) -> None:
    summary.outcomes.append(outcome)
    tell(outcome)


def _convert_all(
    found: Discovery, ledger: Ledger, formats: list[str],
    memory_limit_mb: int | None, timeout: float | None, pdf: PdfSettings | None = None,
    shown_as: dict[Path, str] | None = None,
) -> Iterable[Outcome]:
    from jixiao.guard import GuardedConverter

    documents = found.documents
    inputs = {real(f.path) for f in documents}
    clashes = output_clashes(documents)
    with GuardedConverter(memory_limit_mb, timeout, pdf=pdf) as guard:
        for i, f in enumerate(documents):
            other = clashes.get(i)
            if other is not None:
                yield Outcome(f.path, f.rel, error=(
                    f"its outputs ({output_name(f.rel, '*')}) would be those of {other.path}: "
                    "convert it to another output folder"))
                continue
            refusal = ledger.first_refusal(
                (output_name(f.rel, fmt) for fmt in formats), f.path, inputs)
            if refusal is not None:
                yield Outcome(f.path, f.rel, error=refusal)
                continue
            result = guard.convert(f.path)
            if result.document is None:
                yield Outcome(f.path, f.rel, error=str(result.error))
                continue
            document = result.document
            shown = (shown_as or {}).get(f.path)
            if shown is not None:
                document = document.evolve(source=document.source.evolve(path=shown))
            yield _write(document, f, formats, ledger)


def _write(document: Document, f: Found, formats: list[str], ledger: Ledger) -> Outcome:
    from jixiao.writers import OutputError, write_outputs

    try:
        written = write_outputs(document, formats, ledger.out, f.rel)
    except OutputError as exc:
        return Outcome(f.path, f.rel, error=exc.reason())
    for target in written:
        ledger.record(target.relative_to(ledger.out).as_posix(), f.path,
                      document.source.sha256)
    return Outcome(f.path, f.rel, document=document)


def _write_index(summary: RunSummary, ledger: Ledger) -> None:
    from jixiao.writers import write_atomic
    from jixiao.writers.html.index import index_entry, render_index

    entries = [index_entry(o.path, o.rel, o.document, o.error) for o in summary.outcomes]
    target = index_target(ledger, [o.rel for o in summary.outcomes])
    try:
        write_atomic(target, render_index(entries))
    except OSError as exc:
        summary.index_error = f"cannot write {target}: {exc.strerror or exc}"
        return
    ledger.record(target.name, ledger.out, INDEX_OWNER)
    summary.index = target


INDEX_OWNER = "index"  # the ledger's sha256 for a run's index page (its input: OUT itself)


def index_target(ledger: Ledger, stems: Iterable[str]) -> Path:
    """``OUT/index.html``, or ``index-2.html`` …: the first name that no report of the run
    takes and that is free or an index jixiao wrote there."""
    taken = {output_name(stem, "html").casefold() for stem in stems}
    n = 1
    while True:
        name = "index.html" if n == 1 else f"index-{n}.html"
        if name.casefold() not in taken and ledger.refusal(
            name, ledger.out, lambda: INDEX_OWNER, set()
        ) is None:
            return ledger.out / name
        n += 1
