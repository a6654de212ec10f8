"""Find the files of a batch folder, tell documents from the rest, name their outputs."""

from __future__ import annotations

import os
import re
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jixiao.converters import CONVERTERS, FORMAT_NAMES, sniff
from jixiao.exceptions import JixiaoError

# Names the batch writes at the top of OUT; no output may take them.
RESERVED_STEMS = ("_report", "_manifest")
# write_atomic's temporaries: tempfile.mkstemp(prefix=".<name>.", suffix=".tmp").
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def document_suffixes() -> frozenset[str]:
    from jixiao.cli.inputs import DOCUMENT_SUFFIXES  # (jixiao.cli is imported only here)

    return DOCUMENT_SUFFIXES


@dataclass(frozen=True)
class Entry:
    """One file found under the batch folder."""

    path: Path
    rel: str  # relative to the folder, POSIX separators
    document: bool  # a candidate for conversion
    reason: str | None = None  # why it is skipped, for the others


def classify(path: Path) -> str | None:
    """None when ``path`` is to be converted, else why it is skipped.

    A document suffix makes a candidate whatever the content (an empty or corrupt one then
    fails with its reason); any other file is a candidate only when its content is a format
    jixiao reads (a Word file saved as ``.bin``)."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if path.name.startswith("~$"):
        return "an Office lock file"
    if path.suffix.lower() in document_suffixes():
        return None
    try:
        fmt = sniff(path)
    except JixiaoError as exc:
        return f"not a document ({exc})"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if fmt in CONVERTERS:
        return None
    return f"not a document jixiao reads ({FORMAT_NAMES.get(fmt, fmt)})"


def scan(root: Path, exclude: Path | None = None) -> list[Entry]:
    """Every file under ``root`` (recursively, symlinked folders not followed), sorted by
    relative path; ``exclude`` (the output folder, when it lies inside) is left out."""
    root = root.resolve()
    skip = exclude.resolve() if exclude is not None else None
    entries: list[Entry] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        rel = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        entries.append(Entry(where, rel, False, f"cannot list folder: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if skip is None or (here / d).resolve() != skip)
        for name in sorted(files):
            path = here / name
            reason = classify(path)
            rel = path.relative_to(root).as_posix()
            entries.append(Entry(path, rel, reason is None, reason))
    entries.sort(key=lambda e: e.rel)
    return entries


def plan_outputs(entries: list[Entry]) -> dict[str, str]:
    """Document ``rel`` → output stem relative to OUT (``sub/dir/name``), unique (ignoring
    case) in its folder, as ``jixiao convert`` names them; never a name the batch uses."""
    from jixiao.cli.inputs import output_stems

    by_folder: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.document:
            by_folder[str(PurePosixPath(e.rel).parent)].append(e)
    stems: dict[str, str] = {}
    for folder, members in by_folder.items():
        reserved = [Path(name) for name in RESERVED_STEMS] if folder == "." else []
        names = output_stems(reserved + [Path(e.rel) for e in members])[len(reserved) :]
        for e, stem in zip(members, names, strict=True):
            stems[e.rel] = stem if folder == "." else f"{folder}/{stem}"
    return stems


def remove_stale_temps(out: Path) -> int:
    """Delete the temporaries a killed run left (``.<name>.<random>.tmp``); their count."""
    removed = 0
    for folder, _, files in os.walk(out):
        for name in files:
            if _TEMP.match(name):
                try:
                    (Path(folder) / name).unlink()
                except OSError:
                    continue
                removed += 1
    return removed
