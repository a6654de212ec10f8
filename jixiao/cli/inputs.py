"""Turn command-line paths into the list of files to convert, and their output names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

# Folders are searched for these; files named on the command line are always tried
# (their format is decided by content, not by name).
DOCUMENT_SUFFIXES = frozenset(
    {".docx", ".docm", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".xlsx", ".xls", ".et"}
)


def collect_inputs(paths: list[Path]) -> tuple[list[Path], int]:
    """Files to convert (in a stable order) and how many folder entries were skipped."""
    files: list[Path] = []
    skipped = 0
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in DOCUMENT_SUFFIXES and not child.name.startswith("~$"):
                    files.append(child)
                else:
                    skipped += 1
        else:
            files.append(path)  # missing files are reported by the converter, per file
    return list(dict.fromkeys(files)), skipped


def output_stems(files: list[Path]) -> list[str]:
    """``<stem>`` per input, all distinct (ignoring case, for case-insensitive disks).

    Inputs sharing a stem keep their suffix (``a.docx``, ``a.pdf``); a name still taken
    gets ``-2``, ``-3``, … until it is free, so no output ever overwrites another.
    """
    counts = Counter(f.stem.casefold() for f in files)
    used: set[str] = set()
    out = []
    for f in files:
        base = f.stem if counts[f.stem.casefold()] == 1 else f.name
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        out.append(name)
    return out
