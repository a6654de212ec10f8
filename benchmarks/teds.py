"""TEDS: tree edit distance similarity of two tables (Zhong et al. 2020, PubTabNet).

A table becomes the HTML-shaped tree ``table > tr > td`` with each ``td`` carrying its
``colspan``/``rowspan`` and its text. Edit costs follow PubTabNet's reference implementation:
insert and delete cost 1; renaming a node to a node of another tag or other spans costs 1; a
``td`` to ``td`` rename with equal spans costs the normalized Levenshtein distance of the two
texts. Then ``TEDS = 1 - distance / max(|T_a|, |T_b|)``.

The tree edit distance itself is APTED (``pip install apted``, in the dev extra).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from apted import APTED, Config  # type: ignore[import-untyped]


@dataclass(frozen=True)
class GridCell:
    """One cell at its top-left slot, 0-based, with its spans and text."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""


def normalize_text(text: str) -> str:
    """Whitespace runs (including newlines) collapsed to one space, ends trimmed."""
    return " ".join(text.split())


class Node:
    """A tree node for APTED: tag, spans, text and children."""

    __slots__ = ("children", "colspan", "rowspan", "tag", "text")

    def __init__(
        self, tag: str, colspan: int = 1, rowspan: int = 1, text: str = "", *children: Node
    ) -> None:
        self.tag = tag
        self.colspan = colspan
        self.rowspan = rowspan
        self.text = text
        self.children = list(children)

    def size(self) -> int:
        return 1 + sum(child.size() for child in self.children)

    def html(self) -> str:
        """A compact HTML rendering, for reports and debugging."""
        if self.tag != "td":
            inner = "".join(child.html() for child in self.children)
            return f"<{self.tag}>{inner}</{self.tag}>"
        attrs = ""
        if self.colspan != 1:
            attrs += f' colspan="{self.colspan}"'
        if self.rowspan != 1:
            attrs += f' rowspan="{self.rowspan}"'
        return f"<td{attrs}>{self.text}</td>"


def table_tree(cells: Iterable[GridCell]) -> Node:
    """``table > tr* > td*``: one ``tr`` per grid row, each cell in the row it starts in.

    Rows fully covered by row spans still get an (empty) ``tr``, as in HTML; slots that no
    cell covers get no ``td``.
    """
    cells = list(cells)
    n_rows = max((c.row + max(c.row_span, 1) for c in cells), default=0)
    rows: list[list[GridCell]] = [[] for _ in range(n_rows)]
    for cell in cells:
        rows[cell.row].append(cell)
    trs = []
    for row in rows:
        tds = [
            Node("td", c.col_span, c.row_span, normalize_text(c.text))
            for c in sorted(row, key=lambda c: c.col)
        ]
        trs.append(Node("tr", 1, 1, "", *tds))
    return Node("table", 1, 1, "", *trs)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute: 1 each), bit-parallel (Hyyrö 2001).

    Python's unbounded ints hold the whole pattern as one bit vector, so this is
    O(len(a) + len(b)) big-int operations rather than O(len(a) * len(b)) steps.
    """
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv & mask
    return score


@lru_cache(maxsize=1 << 16)
def normalized_distance(a: str, b: str) -> float:
    if not a and not b:
        return 0.0
    return levenshtein(a, b) / max(len(a), len(b))


class TedsConfig(Config):  # type: ignore[misc]
    def rename(self, node1: Node, node2: Node) -> float:
        if (
            node1.tag != node2.tag
            or node1.colspan != node2.colspan
            or node1.rowspan != node2.rowspan
        ):
            return 1.0
        if node1.tag == "td":
            return normalized_distance(node1.text, node2.text)
        return 0.0

    def children(self, node: Node) -> list[Node]:
        return node.children


def teds(a: Node, b: Node) -> float:
    """Similarity in [0, 1]; 1 means same structure and same texts."""
    n = max(a.size(), b.size())
    if n == 0:
        return 1.0
    distance = APTED(a, b, TedsConfig()).compute_edit_distance()
    return max(0.0, 1.0 - float(distance) / n)


def teds_structure(a: Node, b: Node) -> float:
    """TEDS-Struct: the same, with every text blanked (structure only)."""
    return teds(_blank(a), _blank(b))


def _blank(node: Node) -> Node:
    return Node(node.tag, node.colspan, node.rowspan, "", *(_blank(c) for c in node.children))


def best_match(truth: Node, candidates: list[Node]) -> tuple[float, int | None]:
    """The best TEDS of ``truth`` against any candidate, and that candidate's index.

    The distance is at least the difference of the tree sizes, so candidates are tried closest
    size first and skipped once that bound says they cannot beat the best so far.
    """
    n = truth.size()
    sizes = [c.size() for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: (abs(sizes[i] - n), i))
    best, at = 0.0, None
    for i in order:
        bound = 1.0 - abs(sizes[i] - n) / max(sizes[i], n, 1)
        if at is not None and bound <= best:
            break
        score = teds(truth, candidates[i])
        if at is None or score > best:
            best, at = score, i
        if best == 1.0:
            break
    return best, at


def shape_of(table: list[GridCell]) -> tuple[int, int]:
    """Rows and columns a sparse table covers."""
    rows = max((c.row + c.row_span for c in table), default=0)
    cols = max((c.col + c.col_span for c in table), default=0)
    return rows, cols
