"""Text lines outside tables → paragraphs and headings.

Consecutive lines form one paragraph when the first runs to the right edge of the text
(it wrapped), the gap between them is a normal line gap and their fonts match. A short
paragraph that is bold or clearly larger than the body text is a heading; heading levels
rank the heading font sizes of the document, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from jixiao.converters.pdf.layout import BBox
from jixiao.converters.pdf.textlines import Line, is_wide

MAX_HEADING_CHARS = 40


@dataclass
class Paragraph:
    page: int
    lines: list[Line]

    @property
    def text(self) -> str:
        out = self.lines[0].text.strip()
        for line in self.lines[1:]:
            nxt = line.text.strip()
            wide = is_wide(out[-1:] or " ") or is_wide(nxt[:1] or " ")
            out = out + nxt if wide else f"{out} {nxt}"
        return out

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def bbox(self) -> BBox:
        return (min(ln.x0 for ln in self.lines), self.lines[0].top,
                max(ln.x1 for ln in self.lines), self.lines[-1].bottom)


def lines_to_paragraphs(lines: list[Line], page: int, right_edge: float) -> list[Paragraph]:
    out: list[Paragraph] = []
    for line in lines:
        if out:
            prev = out[-1].lines[-1]
            wrapped = right_edge - prev.x1 < 1.5 * prev.size
            close = line.top - prev.bottom < 0.8 * prev.size
            alike = abs(line.size - prev.size) < 0.5 and line.bold == prev.bold
            if wrapped and close and alike:
                out[-1].lines.append(line)
                continue
        out.append(Paragraph(page, [line]))
    return out


def heading_sizes(paragraphs: list[Paragraph]) -> dict[float, int]:
    """Font size → heading level, for the headings among ``paragraphs``."""
    sizes = [p.size for p in paragraphs]
    if not sizes:
        return {}
    body = median(sizes)
    heads = {round(p.size, 1) for p in paragraphs if is_heading(p, body)}
    return {s: i + 1 for i, s in enumerate(sorted(heads, reverse=True))}


def is_heading(paragraph: Paragraph, body_size: float) -> bool:
    text = paragraph.text
    if not text or len(text) > MAX_HEADING_CHARS or text.endswith(("。", "；", ";")):
        return False
    return paragraph.size >= 1.15 * body_size or (
        all(line.bold for line in paragraph.lines) and paragraph.size >= body_size
    )
