"""Decide whether a body paragraph is a heading, and its level.

Order of evidence: an explicit outline level (paragraph or style), a heading / title style,
then formatting: a short paragraph whose text runs are all bold at 14 pt or more. Levels
from formatting are ranked by font size within the document (largest = 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from jixiao.converters.docx.ooxml import (
    SDT,
    SDT_CONTENT,
    P,
    R,
    T,
    W,
    flag,
    int_val,
    is_hidden_run,
    wattr,
)

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_BOLD = W + "b"
MIN_HEADING_SZ = 28  # half-points: 14 pt
MAX_HEADING_CHARS = 40


def _run_chars(r: etree._Element) -> str:
    return "".join(t.text or "" for t in r.iter(T))


class _StyleInfo:
    def __init__(self, level: int | None, size: int | None, bold: bool) -> None:
        self.level = level
        self.size = size
        self.bold = bold


def _read_styles(styles: etree._Element | None) -> dict[str, _StyleInfo]:
    out: dict[str, _StyleInfo] = {}
    if styles is None:
        return out
    for st in styles.iter(W + "style"):
        sid = wattr(st, "styleId")
        if not sid or wattr(st, "type") not in (None, "paragraph"):
            continue
        name = wattr(st.find(W + "name"), "val") or ""
        level: int | None = None
        match = _HEADING_NAME.match(name.strip())
        if match:
            level = int(match.group(1))
        elif name.strip().lower() == "title":
            level = 1
        ppr = st.find(W + "pPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        if outline is not None and level is None:
            lvl = int_val(outline, 9)
            level = lvl + 1 if lvl < 9 else None
        rpr = st.find(W + "rPr")
        size = int_val(rpr.find(W + "sz"), 0) if rpr is not None else 0
        bold = rpr is not None and flag(rpr.find(W + "b"))
        out[sid] = _StyleInfo(level, size or None, bold)
    return out


def _body_paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs outside tables, looking through content controls."""
    for child in container:
        if child.tag == P:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _body_paragraphs(content)


class HeadingDetector:
    def __init__(self, styles: dict[str, _StyleInfo], size_rank: dict[int, int]) -> None:
        self._styles = styles
        self._size_rank = size_rank
        self._sizes: dict[etree._Element, int] = {}  # body paragraphs that look like headings

    @classmethod
    def from_document(
        cls, body: etree._Element, styles_root: etree._Element | None
    ) -> HeadingDetector:
        styles = _read_styles(styles_root)
        detector = cls(styles, {})
        for p in _body_paragraphs(body):
            size = detector._formatted_heading_size(p)
            if size is not None:
                detector._sizes[p] = size
        ranked = sorted(set(detector._sizes.values()), reverse=True)
        detector._size_rank = {s: i + 1 for i, s in enumerate(ranked)}
        return detector

    def _style(self, p: etree._Element) -> _StyleInfo | None:
        ppr = p.find(W + "pPr")
        sid = wattr(ppr.find(W + "pStyle"), "val") if ppr is not None else None
        return self._styles.get(sid) if sid else None

    def _formatted_heading_size(self, p: etree._Element) -> int | None:
        """The font size if ``p`` looks like a heading by its formatting alone."""
        rough = "".join(p.itertext(T, with_tail=False)).strip()  # type: ignore[arg-type]
        if not rough or len(rough) > 2 * MAX_HEADING_CHARS:
            return None  # empty, or long prose: decided without looking at runs
        style = self._style(p)
        if (style is None or not style.bold) and next(p.iter(_BOLD), None) is None:
            return None  # nothing bold: not a heading by formatting
        runs = [r for r in p.iter(R) if not is_hidden_run(r) and _run_chars(r).strip()]
        if not runs:
            return None
        text = "".join(_run_chars(r) for r in runs).strip()
        if len(text) > MAX_HEADING_CHARS or text.endswith(("。", "；", ";")):
            return None
        sizes = set()
        for r in runs:
            rpr = r.find(W + "rPr")
            bold = flag(rpr.find(W + "b")) if rpr is not None and rpr.find(W + "b") is not None \
                else bool(style and style.bold)
            if not bold:
                return None
            size = int_val(rpr.find(W + "sz"), 0) if rpr is not None else 0
            sizes.add(size or (style.size if style and style.size else 0))
        size = max(sizes)
        return size if size >= MIN_HEADING_SZ else None

    def level(self, p: etree._Element, text: str) -> int | None:
        ppr = p.find(W + "pPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        if outline is not None:
            lvl = int_val(outline, 9)
            return lvl + 1 if lvl < 9 else None
        style = self._style(p)
        if style is not None and style.level is not None:
            return style.level
        size = self._sizes.get(p)
        return self._size_rank.get(size) if size is not None else None
