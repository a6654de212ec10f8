"""Join a table that continues on the next page into one table.

A table continues when it is the last thing on a page, the next page starts with a table,
and the new part's column boundaries are the table's (all of them, or some of them with the
same outer edges: a part whose rows all merge two columns draws no line between them).
Header rows repeated on the new page are dropped. A row that the page break cut in two is
joined again (its continuation has text only where the row above has text, and at least as
many of its single-row cells are blank under text as hold text: only the cells that
overflowed go on), and a merged cell cut by the break (a label spanning rows on either page,
blank on the new page) is one cell. A blank under a label spanning rows is no evidence of a
cut: a new row at the top of the page has that too.
"""

from __future__ import annotations

from jixiao.converters.pdf.layout import PageCell, PageTable
from jixiao.converters.pdf.settings import DEFAULTS
from jixiao.converters.pdf.textlines import is_wide


def column_map(
    a: PageTable, b: PageTable, tol: float = DEFAULTS.stitch_tolerance
) -> list[int] | None:
    """For each column boundary of ``b``, the index of the same boundary in ``a`` (within
    ``tol``); None unless every one of ``b``'s is one of ``a``'s and both share their outer
    edges."""
    out: list[int] = []
    j = 0
    for x in b.xs:
        while j < len(a.xs) and a.xs[j] < x - tol:
            j += 1
        if j == len(a.xs) or abs(a.xs[j] - x) > tol:
            return None
        out.append(j)
    if not out or out[0] != 0 or out[-1] != len(a.xs) - 1:
        return None
    return out


def align_columns(second: PageTable, mapping: list[int], xs: list[float]) -> None:
    """Renumber ``second``'s cells onto the columns ``xs`` (``mapping`` from
    ``column_map``)."""
    for cell in second.cells:
        start, end = mapping[cell.col], mapping[cell.col + cell.col_span]
        cell.col, cell.col_span = start, end - start
    second.xs = list(xs)


def _row(table: PageTable, row: int) -> list[tuple[int, int, int, str]]:
    return sorted((c.col, c.col_span, c.row_span, c.text) for c in table.cells if c.row == row)


def _drop_repeated_headers(first: PageTable, second: PageTable) -> None:
    """Leading rows of ``second`` equal to leading rows of ``first`` are a repeated header."""
    heads = [_row(first, r) for r in range(min(4, first.n_rows))]
    while second.n_rows > 1 and _row(second, 0) in heads and any(t for *_, t in _row(second, 0)):
        second.cells = [c for c in second.cells if c.row != 0]
        for cell in second.cells:
            cell.row -= 1
        second.n_rows -= 1


def _bottom_cells(table: PageTable) -> dict[tuple[int, int], PageCell]:
    return {
        (c.col, c.col_span): c for c in table.cells if c.row + c.row_span == table.n_rows
    }


def is_split_row(first: PageTable, second: PageTable) -> bool:
    below = [c for c in second.cells if c.row == 0]
    above = _bottom_cells(first)
    if not below or any((c.col, c.col_span) not in above for c in below):
        return False
    texts = sum(1 for c in below if c.text)
    texts_continue = all(above[(c.col, c.col_span)].text for c in below if c.text)
    # Evidence of a cut: single-row cells continued blank, at least as many as the cells
    # that go on (a new row has text in most of its cells; a cut row only in those that
    # overflowed). A blank under a cell spanning rows on either page is a merged label going
    # on, which a genuinely new row has too.
    blank_under_text = sum(
        1 for c in below
        if not c.text and c.row_span == 1 == above[(c.col, c.col_span)].row_span
        and above[(c.col, c.col_span)].text
    )
    return texts > 0 and texts_continue and blank_under_text >= texts


def _join(a: str, b: str) -> str:
    if not a or not b:
        return a or b
    return a + b if is_wide(a[-1]) or is_wide(b[0]) else f"{a} {b}"


def stitch(first: PageTable, second: PageTable) -> None:
    """Append ``second`` (the next page's part) to ``first`` in place."""
    _drop_repeated_headers(first, second)
    split = is_split_row(first, second)
    offset = first.n_rows - 1 if split else first.n_rows
    above = _bottom_cells(first)
    for cell in second.cells:
        origin = above.get((cell.col, cell.col_span)) if cell.row == 0 else None
        # Not cut: a blank cell under a cell spanning rows on either page is one label.
        label = origin is not None and not cell.text and max(origin.row_span, cell.row_span) > 1
        if origin is not None and (split or label):
            origin.row_span += cell.row_span - (1 if split else 0)
            origin.text = _join(origin.text, cell.text)
            continue
        cell.row += offset
        first.cells.append(cell)
    first.n_rows = offset + second.n_rows
    first.pages.extend(p for p in second.pages if p not in first.pages)
