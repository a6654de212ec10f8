"""The files of a batch folder (``jixiao.discovery``, with content sniffing), their output
names, and the temporaries a killed run left."""

from __future__ import annotations

import os
from pathlib import Path

from jixiao.discovery import TEMP_NAME, Found, discover, output_clashes, output_name
from jixiao.ledger import BATCH_NAMES, LEDGER_NAME

Entry = Found  # one file found under the batch folder

# What the batch itself writes at the top of OUT: no document's output may take these.
RESERVED_NAMES = (*BATCH_NAMES, LEDGER_NAME)


def scan(root: Path, exclude: Path | None = None) -> list[Entry]:
    """Every file under ``root`` (see ``jixiao.discovery``: symlinked folders not
    followed, each real file once, what jixiao wrote left out), sorted by relative path;
    ``exclude`` (the output folder, when it lies inside) is left out."""
    found = discover([root], exclude=[exclude] if exclude is not None else [], sniff=True)
    return sorted(found.found, key=lambda e: e.rel)


def unplannable(entries: list[Entry], formats: list[str]) -> dict[str, str]:
    """Documents (``rel``) that cannot be given outputs, with why: their output names are
    another document's (ignoring case) or one the batch writes itself."""
    documents = [e for e in entries if e.document]
    why = {
        documents[i].rel: f"its outputs ({output_name(documents[i].rel, '*')}) would be those "
        f"of {other.rel}" for i, other in output_clashes(documents).items()
    }
    reserved = {name.casefold() for name in RESERVED_NAMES}
    for e in documents:
        taken = [output_name(e.rel, f) for f in formats
                 if output_name(e.rel, f).casefold() in reserved]
        if taken and e.rel not in why:
            why[e.rel] = f"its output name {taken[0]} is the batch's own"
    return why


def remove_stale_temps(out: Path) -> int:
    """Delete the temporaries a killed run left (``.<name>.<random>.tmp``); their count."""
    removed = 0
    for folder, _, files in os.walk(out):
        for name in files:
            if TEMP_NAME.match(name):
                try:
                    (Path(folder) / name).unlink()
                except OSError:
                    continue
                removed += 1
    return removed
