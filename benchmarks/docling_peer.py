"""Time docling on files, for ``bench_batch.py``; prints one JSON line on stdout.

docling is not a jixiao dependency (it brings PyTorch): ``bench_batch.py`` runs this script
with the interpreter of a side environment where docling is installed
(``--docling-python``; README, "Benchmarks"). Usage::

    DOCLING_PYTHON benchmarks/docling_peer.py FILE...

The first file is converted once untimed (docling loads its backends), then every file in
turn with one ``DocumentConverter``, timed. Output::

    {"system": "docling", "version": "...", "files": n, "seconds": s, "tables": t,
     "failed": [{"file": "...", "error": "..."}]}

``seconds`` covers the files that converted only; a file docling cannot convert (a PDF when
its layout model cannot be downloaded, say) is listed under ``failed`` with the reason.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download: fail at once instead

import json
import logging
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any


@contextmanager
def quiet() -> Iterator[None]:
    """File descriptors 1 and 2 to /dev/null: only our JSON line reaches stdout."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in saved:
            os.dup2(devnull, fd)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        os.close(devnull)


def reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:300]


def main(files: list[str]) -> int:
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    with quiet():
        from docling.document_converter import DocumentConverter

        converter = DocumentConverter()

        def convert(path: str) -> tuple[int | None, str | None]:
            try:
                result: Any = converter.convert(path, raises_on_error=False)
            except Exception as exc:
                return None, reason(exc)
            if result.status.name not in ("SUCCESS", "PARTIAL_SUCCESS"):
                return None, f"status {result.status.name}"
            return len(result.document.tables), None

        convert(files[0])  # warm-up
        tables, seconds, failed = 0, 0.0, []
        for path in files:
            started = time.perf_counter()
            found, error = convert(path)
            if error is None and found is not None:
                seconds += time.perf_counter() - started
                tables += found
            else:
                failed.append({"file": path, "error": error})
    print(json.dumps({
        "system": "docling", "version": version("docling"), "files": len(files),
        "seconds": round(seconds, 4), "tables": tables, "failed": failed,
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
