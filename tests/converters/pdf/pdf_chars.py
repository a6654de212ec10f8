"""Hand-made glyphs for the PDF tests: positions are simple enough to check by hand.

At the default size of 10pt a Chinese (wide) character is 10pt wide, a Latin letter or
digit 5pt, a space glyph 2.5pt; glyphs of one ``run`` touch, gaps come from separate runs.
"""

from __future__ import annotations

from jixiao.converters.pdf.textlines import Char, Line, is_wide

SIZE = 10.0


def width(ch: str, size: float = SIZE) -> float:
    if ch == " ":
        return 0.25 * size
    return size if is_wide(ch) else 0.5 * size


def run(
    text: str, x0: float, top: float = 0.0, size: float = SIZE, *, pitch: float = 0.0
) -> list[Char]:
    """``text`` set from ``x0`` on, glyphs touching (or ``pitch`` apart: letter spacing)."""
    out = []
    x = x0
    for ch in text:
        w = width(ch, size)
        out.append(Char(ch, x, x + w, top, top + size, size))
        x += w + pitch
    return out


def line(*runs: list[Char]) -> Line:
    return Line([c for r in runs for c in r])


def text_line(text: str, x0: float, top: float = 0.0, size: float = SIZE) -> Line:
    return Line(run(text, x0, top, size))
