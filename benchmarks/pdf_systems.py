"""The table extractors compared in ``eval_pdf_teds.py``: jixiao, pdfplumber (merged cells
once, or every slot as the peers' README counts them) and camelot lattice."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from teds import GridCell

CAMELOT_BACKENDS = ("pdfium", "ghostscript", "poppler")

Table = list[GridCell]


@dataclass
class Found:
    """One table a system extracted: its cells and the 1-based pages it is on."""

    pages: frozenset[int]
    cells: Table


System = Callable[[Path, tuple[int, ...] | None], list[Found]]  # pdf, pages wanted (None: all)


def jixiao_tables(path: Path, pages: tuple[int, ...] | None) -> list[Found]:
    from jixiao.converters.pdf import extract

    return [
        Found(
            frozenset(t.pages),
            [GridCell(c.row, c.col, c.row_span, c.col_span, c.text) for c in t.cells],
        )
        for t in extract(path).tables
    ]


@lru_cache(maxsize=4)
def _plumber_raw(path: Path, pages: tuple[int, ...] | None) -> list[tuple[int, list[Any]]]:
    """``(page, table.extract())`` of every table pdfplumber finds, default settings."""
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        numbers = pages or tuple(range(1, len(pdf.pages) + 1))
        for number in numbers:
            page = pdf.pages[number - 1]
            out.extend((number, t.extract()) for t in page.find_tables())
            page.close()
    return out


def pdfplumber_tables(path: Path, pages: tuple[int, ...] | None) -> list[Found]:
    """Merged cells kept once: the ``None`` slots pdfplumber leaves under a span are dropped."""
    found = []
    for number, rows in _plumber_raw(path, pages):
        cells = []
        for r, row in enumerate(rows):
            texts = [text for text in row if text is not None]
            cells.extend(GridCell(r, c, 1, 1, text) for c, text in enumerate(texts))
        found.append(Found(frozenset({number}), cells))
    return found


def plumber_grid_tables(path: Path, pages: tuple[int, ...] | None) -> list[Found]:
    """Every slot a cell, ``None`` as empty text (the README's protocol for pdfplumber)."""
    return [
        Found(
            frozenset({number}),
            [
                GridCell(r, c, 1, 1, text or "")
                for r, row in enumerate(rows)
                for c, text in enumerate(row)
            ],
        )
        for number, rows in _plumber_raw(path, pages)
    ]


def camelot_system(probe: Path) -> tuple[System | None, str]:
    """camelot lattice with the first backend that works on ``probe``, or None and why."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import camelot  # type: ignore[import-untyped]
    except Exception as exc:
        return None, f"camelot-py not importable ({type(exc).__name__}: {exc})"
    reasons = []
    for backend in CAMELOT_BACKENDS:

        def run(path: Path, pages: tuple[int, ...] | None, backend: str = backend) -> list[Found]:
            spec = ",".join(map(str, pages)) if pages else "all"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = camelot.read_pdf(str(path), pages=spec, flavor="lattice", backend=backend)
            return [
                Found(
                    frozenset({int(t.page)}),
                    [
                        GridCell(r, c, 1, 1, str(text))
                        for r, row in enumerate(t.df.values.tolist())
                        for c, text in enumerate(row)
                    ],
                )
                for t in tables
            ]

        try:
            run(probe, (1,))
        except Exception as exc:
            reasons.append(f"{backend}: {type(exc).__name__}: {' '.join(str(exc).split())[:120]}")
            continue
        return run, f"camelot-py {camelot.__version__} lattice, backend {backend}"
    return None, "camelot lattice cannot run here (" + "; ".join(reasons) + ")"
