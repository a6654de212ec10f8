"""No silent boxes instead of Chinese: without a Chinese font installed, ``--to pdf`` fails
with the reason, and the HTML report leaves out the page images PDFium would draw with a
system font (a note says why); with one, the PDF carries real Chinese in an embedded CJK
font and the page images are drawn."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from jixiao import convert
from jixiao.cli import app
from jixiao.schemas import Cell, Document, Source, Table
from jixiao.writers import WRITERS, fonts
from jixiao.writers.docx.pdf import WriterUnavailableError
from jixiao.writers.html import render as render_html
from jixiao.writers.html.images import NO_FONT_NOTE, needs_cjk_font, page_images
from tests.conftest import FIXTURES, SEEDS, needs_chinese_font, needs_libreoffice

CLEAN = FIXTURES / "variants" / "clean-project.docx"
TITLE = "项目支出绩效目标表"  # in the form's title (2024年项目支出绩效目标表)
NO_FONT_REASON = "PDF output needs a Chinese font (install fonts-noto-cjk"


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Play a machine without a Chinese font."""
    monkeypatch.setattr(fonts, "cjk_font_installed", lambda: False)


def unembedded_pdf(text: str) -> bytes:
    """A one-page PDF drawing ``text`` in STSong-Light, a CJK font it does not embed (Adobe's
    predefined GB1 font with the UCS-2 CMap: readers take it from the system)."""
    hexed = text.encode("utf-16-be").hex().upper()
    content = f"BT /F1 24 Tf 20 40 Td <{hexed}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def document_of(pdf: Path) -> Document:
    """A document read from ``pdf``: one table on its first page."""
    data = pdf.read_bytes()
    source = Source(path=str(pdf), sha256=hashlib.sha256(data).hexdigest(), format="pdf",
                    size=len(data))
    table = Table(id="t0", n_rows=1, n_cols=1, cells=[Cell(row=0, col=0, text=TITLE)],
                  pages=[1])
    return Document(source=source, tables=[table])


@pytest.fixture
def unembedded(tmp_path: Path) -> Document:
    path = tmp_path / "unembedded.pdf"
    path.write_bytes(unembedded_pdf(TITLE))
    return document_of(path)


# --- the check itself -------------------------------------------------------------------


def test_cjk_text_is_recognised() -> None:
    assert fonts.has_cjk("2024年") and fonts.has_cjk("（") and fonts.has_cjk("𠀀")
    assert not fonts.has_cjk("2024 ≥95% -12.5 Ⅳ")


def test_fontconfig_answer_is_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_which = shutil.which

    def which(name: str) -> str | None:
        calls.append(name)
        return real_which(name)

    fonts._chinese_families.cache_clear()
    monkeypatch.setattr(shutil, "which", which)
    first = fonts.cjk_font_installed()
    assert fonts.cjk_font_installed() == first
    assert calls == ["fc-list"]
    fonts._chinese_families.cache_clear()


def test_without_fontconfig_no_font_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts._chinese_families.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        assert fonts.cjk_font_installed() is False
    finally:
        fonts._chinese_families.cache_clear()


# --- PDF output ------------------------------------------------------------------------


@needs_libreoffice
@pytest.mark.usefixtures("no_cjk_font")
def test_pdf_without_a_chinese_font_is_refused_with_the_reason() -> None:
    with pytest.raises(WriterUnavailableError, match=r"needs a Chinese font") as caught:
        WRITERS["pdf"](convert(CLEAN))
    assert str(caught.value) == (
        "PDF output needs a Chinese font (install fonts-noto-cjk: scripts/system-deps.sh); "
        "none is installed")
    assert isinstance(caught.value, OSError)


@needs_libreoffice
@pytest.mark.usefixtures("no_cjk_font")
def test_cli_pdf_without_a_chinese_font_fails_that_file_only(tmp_path: Path) -> None:
    """Exit 1 with one line naming the file; the file's outputs are all or nothing (no json
    for it either), and the other formats still work in a run without pdf."""
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["convert", str(CLEAN), "-o", str(out),
                                      "--to", "json,pdf"])
    assert result.exit_code == 1, result.output
    errors = [x for x in result.stderr.splitlines() if x.startswith("jixiao: error:")]
    assert len(errors) == 1, result.stderr
    assert str(CLEAN) in errors[0] and NO_FONT_REASON in errors[0]
    assert not list(out.glob("clean-project*"))
    again = CliRunner().invoke(app, ["convert", str(CLEAN), "-o", str(out), "--to", "json"])
    assert again.exit_code == 0, again.output
    (written,) = out.glob("clean-project*.json")
    assert written.stat().st_size > 0


@needs_libreoffice
@needs_chinese_font
def test_pdf_has_real_chinese_in_an_embedded_cjk_font(tmp_path: Path) -> None:
    path = tmp_path / "std.pdf"
    path.write_bytes(WRITERS["pdf"](convert(CLEAN)))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert TITLE in (page.extract_text() or "")
        chinese = [c for c in page.chars if fonts.has_cjk(c["text"])]
    assert chinese
    # a subset of the font named in the document, Noto Sans CJK ("BAAAAA+NotoSansCJKjp-Bold":
    # LibreOffice names the collection's first face), not a Latin fallback whose glyphs for
    # these characters are boxes (DejaVuSans, on a machine without a Chinese font)
    names = {c["fontname"] for c in chinese}
    assert all(name.partition("+")[2].startswith("NotoSansCJK") for name in names), names


# --- HTML page images ------------------------------------------------------------------


def test_unembedded_chinese_is_found(unembedded: Document) -> None:
    pdf = pdfium.PdfDocument(Path(unembedded.source.path).read_bytes())
    try:
        assert needs_cjk_font(pdf[0])
    finally:
        pdf.close()
    seed = pdfium.PdfDocument(SEEDS / "yuanjiang-2024.pdf")  # every font embedded
    try:
        assert not any(needs_cjk_font(seed[i]) for i in range(len(seed)))
    finally:
        seed.close()


@pytest.mark.usefixtures("no_cjk_font")
def test_html_leaves_out_pages_that_would_show_boxes(unembedded: Document) -> None:
    images, note = page_images(unembedded, [1])
    assert images == {} and note == NO_FONT_NOTE
    report = render_html(unembedded).decode("utf-8")
    assert "<img" not in report
    assert "未安装中文字体，页面图像未显示" in report and "install fonts-noto-cjk" in report


@pytest.mark.usefixtures("no_cjk_font")
def test_html_keeps_pages_whose_fonts_are_embedded() -> None:
    document = document_of(FIXTURES / "variants" / "clean-project.pdf")
    images, note = page_images(document, [1])
    assert list(images) == [1] and note == ""


def test_html_draws_unembedded_chinese_with_a_font(
    unembedded: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "cjk_font_installed", lambda: True)
    images, note = page_images(unembedded, [1])
    assert list(images) == [1] and note == ""


@needs_chinese_font
def test_html_page_image_shows_the_unembedded_chinese(unembedded: Document) -> None:
    """With the font installed PDFium draws the characters (without it: a blank page)."""
    image = pytest.importorskip("PIL.Image")
    images, _ = page_images(unembedded, [1])
    png = base64.b64decode(images[1].uri.removeprefix("data:image/png;base64,"))
    pixels = np.asarray(image.open(io.BytesIO(png)))
    assert (pixels < 128).sum() > 500  # ink: nine characters at 24 pt
