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
    """``<stem>`` per input; inputs sharing a stem keep their suffix (``a.docx``, ``a.pdf``)."""
    counts = Counter(f.stem for f in files)
    names = [f.stem if counts[f.stem] == 1 else f.name for f in files]
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out
