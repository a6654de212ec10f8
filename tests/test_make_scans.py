"""The scan maker (fixtures/scans/make_scans.py): the same command writes the same bytes,
and what it writes is an image-only PDF (no text layer) of the source's pages."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pypdfium2

from tests.conftest import FIXTURES

sys.path.insert(0, str(FIXTURES / "scans"))
import make_scans


def test_scans_are_deterministic_and_image_only(tmp_path: Path) -> None:
    source = FIXTURES / "variants" / "clean-project.pdf"
    settings = make_scans.Settings(dpi=150)
    a = make_scans.scan(source, tmp_path / "a.pdf", settings)
    b = make_scans.scan(source, tmp_path / "b.pdf", settings)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    photo = make_scans.scan(source, tmp_path / "c.pdf", make_scans.Settings(dpi=150, photo=True))
    assert photo.read_bytes() != a.read_bytes()
    pdf = pypdfium2.PdfDocument(str(a))
    original = pypdfium2.PdfDocument(str(source))
    assert len(pdf) == len(original)
    page = pdf[0]
    assert page.get_textpage().get_text_range().strip() == ""  # no text layer
    width, height = page.get_size()
    assert abs(width - original[0].get_width()) < 2 and abs(height - original[0].get_height()) < 2
