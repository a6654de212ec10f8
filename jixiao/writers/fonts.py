"""Is a Chinese font installed? Outputs drawn with the system's fonts need one: LibreOffice
prints the standardized DOCX (``--to pdf``) in ``Noto Sans CJK SC``, and PDFium draws the
HTML report's page images with a system font wherever the PDF does not embed its own.
Without one, both print boxes (or nothing) for every Chinese character, in silence.

Asked of fontconfig (``fc-list :lang=zh family``: the fonts that cover Chinese), once per
process. Tests replace ``cjk_font_installed`` to play a machine without one.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

INSTALL_HINT = "install fonts-noto-cjk: scripts/system-deps.sh"


def cjk_font_installed() -> bool:
    """True when fontconfig lists a font that covers Chinese (no fontconfig: False)."""
    return bool(_chinese_families())


@cache
def _chinese_families() -> tuple[str, ...]:
    """Families fontconfig knows that cover Chinese; none when it is missing or fails."""
    binary = shutil.which("fc-list")
    if binary is None:
        return ()
    try:
        done = subprocess.run(
            [binary, ":lang=zh", "family"], capture_output=True, text=True, timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in done.stdout.splitlines() if line.strip())


CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, kana
    (0x3100, 0x31BF),  # bopomofo
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3134F),  # extensions B to G
)


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a character that only a CJK font draws."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in CJK_RANGES)
