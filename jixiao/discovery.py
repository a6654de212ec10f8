"""Find the input files of a run and name their outputs: one discovery for ``convert``,
``batch``, ``load``, ``ingest`` and ``validate``.

The rules, whatever the command:

- A path given that is a folder is searched recursively. Symbolic links to folders are
  never followed (listed as skipped: no loop, no escape from the tree); links to files are.
  A path given that is not a folder is always a candidate: its format is decided by its
  content, and a missing one fails with its reason when converted.
- In a folder, a file is a candidate when its suffix is a document's (``DOCUMENT_SUFFIXES``)
  or, with ``sniff=True`` (``jixiao batch``), when its content is a format jixiao reads (a
  Word file saved as ``.bin``). Anything else is listed as skipped with its reason: not a
  regular file (FIFO, socket, device), a broken link, an Office lock file (``~$x.docx``),
  a temporary of jixiao's.
- Each real file is converted once per run: a second name for the same file (a link, a
  folder given twice, a file given inside a folder given) is skipped as such.
- What jixiao wrote is left out: the output folder when it lies inside a folder searched,
  and every file listed in the output ledger (``jixiao.ledger``) of a folder searched.
- The output name of a document is computed from that input alone: ``<rel>.<format>`` in
  the output folder, ``rel`` being the input's path relative to the folder given (so the
  tree is mirrored), or its file name when the file was named directly. ``a/x.docx`` under
  ``archive/`` gives ``OUT/a/x.docx.json``, whatever else is in the run.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.exceptions import JixiaoError
from jixiao.ledger import BATCH_NAMES, LEDGER_NAME, listed_outputs, real

# Folders are searched for these; files named on the command line are always tried.
DOCUMENT_SUFFIXES = frozenset(
    {".docx", ".docm", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".xlsx", ".xls", ".et"}
)
# write_atomic's temporaries: tempfile.mkstemp(prefix=".<name>.", suffix=".tmp").
TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def path_text(path: Path) -> str:
    """``path`` as text that every output can hold: a name whose bytes are not UTF-8
    (decoded with surrogate escapes) gets ``\\xNN`` escapes for those bytes."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return text


def output_name(rel: str, fmt: str) -> str:
    """The output of the input at ``rel`` (POSIX, relative to the folder given) in ``fmt``,
    relative to the output folder."""
    return f"{rel}.{fmt}"


@dataclass(frozen=True)
class Found:
    """One file (or name) met by the discovery."""

    path: Path  # as reached: the path given, or the folder given joined with ``rel``
    rel: str  # POSIX path relative to the folder given (the name, for a file given)
    document: bool  # a candidate for conversion
    reason: str | None = None  # why it is skipped, for the others
    root: Path | None = None  # the folder given it was found under; None: named directly


@dataclass
class Discovery:
    found: list[Found] = field(default_factory=list)
    # paths given that yielded no document, with why (a folder with none in it)
    barren: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def documents(self) -> list[Found]:
        return [f for f in self.found if f.document]

    @property
    def skipped(self) -> list[Found]:
        return [f for f in self.found if not f.document]


def classify(
    path: Path, sniff: bool, suffixes: frozenset[str] = DOCUMENT_SUFFIXES
) -> str | None:
    """None when the file at ``path`` (found in a folder) is a candidate, else why not."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "a broken symbolic link" if path.is_symlink() else "vanished while listed"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "a symbolic link to a folder (not followed)"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    name = path.name
    if name.startswith("~$"):
        return "an Office lock file"
    if TEMP_NAME.match(name):
        return "a temporary file of jixiao's"
    if path.suffix.lower() in suffixes:
        return None
    if not sniff:
        return "not a document (by its name)"
    return _sniffed(path)


def _sniffed(path: Path) -> str | None:
    from jixiao.converters import CONVERTERS, FORMAT_NAMES
    from jixiao.converters import sniff as sniff_format

    try:
        fmt = sniff_format(path)
    except JixiaoError as exc:
        return f"not a document ({exc})"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if fmt in CONVERTERS:
        return None
    return f"not a document jixiao reads ({FORMAT_NAMES.get(fmt, fmt)})"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


class _Walker:
    def __init__(
        self, exclude: Iterable[Path], sniff: bool, suffixes: frozenset[str], outputs: bool
    ) -> None:
        self.sniff, self.suffixes, self.outputs = sniff, suffixes, outputs
        self.excluded = {real(p) for p in exclude}
        self.seen: dict[tuple[int, int], str] = {}  # identity -> where it was first found
        self.out = Discovery()

    def once(self, path: Path, reason: str | None) -> str | None:
        """``reason``, or, for a candidate already met under another name, why it is not."""
        if reason is not None:
            return reason
        key = _identity(path)
        if key is None:
            return None
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = str(path)
            return None
        return f"the same file as {first}"

    def given(self, path: Path) -> None:
        before = len(self.out.found)
        if path.is_dir():
            self.folder(path)
            if not any(f.document for f in self.out.found[before:]):
                others = len(self.out.found) - before
                why = "a folder with no documents in it"
                if others:
                    why += f" ({others} other file{'s' if others > 1 else ''} skipped)"
                self.out.barren.append((path, why))
        else:  # a file, a missing one, a FIFO…: its conversion says what is wrong with it
            reason = self.once(path, None)
            self.out.found.append(Found(path, path.name, reason is None, reason))

    def folder(self, root: Path) -> None:
        """Everything under ``root``, sorted by relative path; of several names of one
        file, its own name is kept (before links to it), else the first."""
        met: list[tuple[Path, str, str | None]] = []

        def unreadable(exc: OSError) -> None:
            where = Path(exc.filename) if exc.filename else root
            met.append((where, _rel(where, root), f"cannot list folder: {exc.strerror or exc}"))

        for here, dirs, files in os.walk(root, onerror=unreadable):
            folder = Path(here)
            kept = []
            for name in sorted(dirs):
                sub = folder / name
                if sub.is_symlink():
                    met.append((sub, _rel(sub, root), classify(sub, self.sniff, self.suffixes)))
                elif not (self.excluded and real(sub) in self.excluded):
                    kept.append(name)
            dirs[:] = kept
            self._listed_outputs(folder, files)
            for name in files:
                path = folder / name
                if not (self.excluded and real(path) in self.excluded):
                    met.append((path, _rel(path, root), classify(path, self.sniff, self.suffixes)))
        met.sort(key=lambda m: m[1])
        reasons: dict[int, str | None] = {}
        for i in sorted(range(len(met)), key=lambda i: met[i][0].is_symlink()):
            reasons[i] = self.once(met[i][0], met[i][2])
        for i, (path, rel, _) in enumerate(met):
            self.out.found.append(Found(path, rel, reasons[i] is None, reasons[i], root))

    def _listed_outputs(self, folder: Path, files: list[str]) -> None:
        """A ledger in this folder: the outputs it lists, itself and a batch's report and
        manifest beside it are left out."""
        if LEDGER_NAME in files and not self.outputs:
            self.excluded.update(real(folder / name) for name in (LEDGER_NAME, *BATCH_NAMES))
            self.excluded.update(real(folder / rel) for rel in listed_outputs(folder))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def discover(
    paths: Iterable[Path], *, exclude: Iterable[Path] = (), sniff: bool = False,
    suffixes: frozenset[str] = DOCUMENT_SUFFIXES, outputs: bool = False,
) -> Discovery:
    """Every file under ``paths`` (see the module's rules), in a stable order: the paths in
    the order given, each folder's files sorted by relative path. ``exclude``: folders (the
    output folder) left out when they lie inside a folder searched (never the folder given
    itself). ``suffixes``: what makes a candidate by name; ``outputs``: keep what ledgers
    list (to read jixiao's outputs, as ``jixiao validate`` does)."""
    given = list(paths)
    roots = {real(p) for p in given if p.is_dir()}
    walker = _Walker((p for p in exclude if real(p) not in roots), sniff, suffixes, outputs)
    for path in given:
        walker.given(path)
    return walker.out


def output_clashes(documents: Iterable[Found]) -> dict[int, Found]:
    """Documents (by position) whose output names, ignoring case (for case-insensitive
    disks), are those of an earlier document of the run: the earlier one it clashes with."""
    first: dict[str, Found] = {}
    clashes: dict[int, Found] = {}
    for i, found in enumerate(documents):
        key = found.rel.casefold()
        if key in first:
            clashes[i] = first[key]
        else:
            first[key] = found
    return clashes
