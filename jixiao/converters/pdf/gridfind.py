"""Ruling segments → tables: connected groups of lines → column and row boundaries →
span-exact cells (slots joined wherever no line separates them).

A table whose outer border is missing still gets its outer boundaries: from where its
horizontal lines start and end, and where its vertical lines start and end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.converters.pdf.rulings import Segment, cluster
from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings

# (row, col, row_span, col_span) in the table's slot grid
Span = tuple[int, int, int, int]


@dataclass
class GridRegion:
    xs: list[float]  # column boundaries, left to right (n_cols + 1)
    ys: list[float]  # row boundaries, top to bottom (n_rows + 1)
    cells: list[Span] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def slot_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (row, col) slot containing point (x, y), or None when outside."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        col = min(bisect_right(self.xs, x) - 1, self.n_cols - 1)
        row = min(bisect_right(self.ys, y) - 1, self.n_rows - 1)
        return row, col


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _touch(a: Segment, b: Segment, tol: float) -> bool:
    if a.orient == b.orient:
        return abs(a.pos - b.pos) < tol and a.start <= b.end + tol and b.start <= a.end + tol
    h, v = (a, b) if a.orient == "h" else (b, a)
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def segments_to_groups(
    segments: list[Segment], tol: float = DEFAULTS.snap
) -> list[list[Segment]]:
    """Connected groups of segments (lines that touch or cross), each a table candidate."""
    uf = _UnionFind(len(segments))
    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if _touch(a, segments[j], tol):
                uf.union(i, j)
    groups: dict[int, list[Segment]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(uf.find(i), []).append(seg)
    return [g for g in groups.values() if _is_table(g)]


def _is_table(group: list[Segment]) -> bool:
    h = sum(1 for s in group if s.orient == "h")
    v = len(group) - h
    return (h >= 2 and v >= 2) or (h >= 1 and v >= 1 and h + v >= 3)


def _covers(segs: list[Segment], pos: float, at: float, tol: float, along: float) -> bool:
    """A segment at ``pos`` (within ``tol``) passing through ``at`` (within ``along``: a line
    must really pass through a slot's middle to separate it, ``PdfSettings.border_reach``)."""
    return any(abs(s.pos - pos) < tol and s.start - along <= at <= s.end + along for s in segs)


def _with_extent(
    lines: list[float], starts: list[float], ends: list[float], tol: float
) -> list[float]:
    """Line positions plus the outer edges where the crossing lines start and end (a missing
    outer border); an edge within a few points of a drawn line is that line overshot."""
    out = list(lines)
    for edge in (min(starts), max(ends)):
        if not any(abs(edge - x) < 2.5 * tol for x in out):
            out.append(edge)
    return sorted(out)


# A run of text read as one piece (an OCR line): (x0, x1, vertical centre). Text does not
# cross a real cell border, so a "border" a run crosses is noise (a glyph touching a line).
TextRun = tuple[float, float, float]


def _crossed(
    runs: Sequence[TextRun], x: float, top: float, bottom: float, cross: float
) -> bool:
    """A run reaching past ``x`` by more than ``cross`` on both sides (``scan_crossing``)."""
    return any(x0 < x - cross and x1 > x + cross and top < cy < bottom for x0, x1, cy in runs)


def group_to_region(
    group: list[Segment], tol: float = DEFAULTS.snap, runs: Sequence[TextRun] = (),
    settings: PdfSettings = DEFAULTS,
) -> GridRegion | None:
    hs = [s for s in group if s.orient == "h"]
    vs = [s for s in group if s.orient == "v"]
    xs = _with_extent(cluster([s.pos for s in vs], tol), [s.start for s in hs],
                      [s.end for s in hs], tol)
    ys = _with_extent(cluster([s.pos for s in hs], tol), [s.start for s in vs],
                      [s.end for s in vs], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    along, cross = settings.border_reach, settings.scan_crossing
    uf = _UnionFind(n_rows * n_cols)
    for r in range(n_rows):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            xmid = (xs[c] + xs[c + 1]) / 2
            # The outer boundary counts as drawn even when it is missing.
            if c + 1 < n_cols and (
                not _covers(vs, xs[c + 1], ymid, tol, along)
                or _crossed(runs, xs[c + 1], ys[r], ys[r + 1], cross)
            ):
                uf.union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not _covers(hs, ys[r + 1], xmid, tol, along):
                uf.union(r * n_cols + c, (r + 1) * n_cols + c)
    members: dict[int, list[int]] = {}
    for slot in range(n_rows * n_cols):
        members.setdefault(uf.find(slot), []).append(slot)
    cells: list[Span] = []
    for slots in members.values():
        rows = [s // n_cols for s in slots]
        cols = [s % n_cols for s in slots]
        r0, c0 = min(rows), min(cols)
        cells.append((r0, c0, max(rows) - r0 + 1, max(cols) - c0 + 1))
    cells.sort()
    return GridRegion(xs=xs, ys=ys, cells=cells)


def find_regions(
    segments: list[Segment], tol: float = DEFAULTS.snap, runs: Sequence[TextRun] = (),
    settings: PdfSettings = DEFAULTS,
) -> list[GridRegion]:
    """Every ruled table on a page, top to bottom. ``tol``: how near lines snap and touch
    (``settings.snap`` on a digital page, ``settings.scan_snap`` on a scan)."""
    regions = [
        r for g in segments_to_groups(segments, tol)
        if (r := group_to_region(g, tol, runs, settings))
    ]
    regions.sort(key=lambda r: (r.ys[0], r.xs[0]))
    return regions
