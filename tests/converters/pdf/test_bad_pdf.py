"""Bad and unusual PDFs, built from the seeds with pypdf: a clear one-line error for input
that cannot be read (never an internal error), and normal output for what can.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from jixiao import convert, convert_file
from jixiao.cli import app
from jixiao.exceptions import DocumentLoadError
from jixiao.schemas import Document
from tests.conftest import SEEDS

NARRATIVE_SEED = SEEDS / "laoting-2024.pdf"  # page 1 is text only
GOOD = SEEDS / "yuanjiang-2024.pdf"


@pytest.fixture(scope="module")
def laoting() -> Document:
    return convert(NARRATIVE_SEED)


def encrypted(out: Path, *, user: str, owner: str, algorithm: str = "AES-256") -> Path:
    writer = PdfWriter(clone_from=str(NARRATIVE_SEED))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    writer.write(out)
    return out


def assert_load_error(path: Path, *words: str) -> str:
    """``convert`` raises DocumentLoadError with a one-line message; ``convert_file`` reports
    the same message, not an internal error."""
    with pytest.raises(DocumentLoadError) as info:
        convert(path)
    message = str(info.value)
    assert message and "\n" not in message
    for word in words:
        assert word in message
    result = convert_file(path)
    assert not result.ok
    assert result.error == message
    return message


# --- (a) and (b): encryption ------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128", "AES-256"])
def test_a_user_password_is_a_clear_error(tmp_path: Path, algorithm: str) -> None:
    path = encrypted(tmp_path / "locked.pdf", user="sesame", owner="owner", algorithm=algorithm)
    message = assert_load_error(path, "password")
    assert message == "encrypted PDF: it needs a password to open"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_an_owner_password_only_converts_like_the_original(
    tmp_path: Path, algorithm: str, laoting: Document
) -> None:
    path = encrypted(tmp_path / "restricted.pdf", user="", owner="owner", algorithm=algorithm)
    assert PdfReader(str(path)).is_encrypted
    doc = convert(path)
    assert doc.source.format == "pdf"
    assert len(doc.forms) == len(laoting.forms) == 10
    assert doc.forms == laoting.forms
    assert doc.tables == laoting.tables
    assert doc.blocks == laoting.blocks


def test_cli_reports_the_password_and_still_converts_the_good_pdf(tmp_path: Path) -> None:
    bad = encrypted(tmp_path / "locked.pdf", user="open-sesame", owner="owner")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["convert", str(bad), str(GOOD), "-o", str(out),
                                      "--to", "json"])
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("jixiao: error:")]
    assert errors == [f"jixiao: error: {bad}: encrypted PDF: it needs a password to open"]
    assert "internal error" not in result.output
    assert sorted(p.name for p in out.glob("*.json")) == [f"{GOOD.name}.json"]


# --- (c): damaged files ----------------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_pdf_is_a_load_error(tmp_path: Path, fraction: float) -> None:
    data = NARRATIVE_SEED.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    assert_load_error(path, "corrupt or unreadable PDF")


def _content_stream_span(data: bytes, objid: int) -> tuple[int, int]:
    """Byte offsets of the (compressed) data of stream object ``objid``."""
    header = re.search(rb"(?<![0-9])%d 0 obj" % objid, data)
    assert header is not None
    start = data.index(b"stream", header.end()) + len(b"stream")
    start += 2 if data[start : start + 2] == b"\r\n" else 1
    return start, data.index(b"endstream", start)


def test_garbage_in_a_page_content_stream_is_a_load_error(tmp_path: Path) -> None:
    data = NARRATIVE_SEED.read_bytes()
    contents = PdfReader(str(NARRATIVE_SEED)).pages[1].get("/Contents")
    start, end = _content_stream_span(data, contents.idnum)
    assert end - start > 600
    middle = (start + end) // 2
    garbage = random.Random(7).randbytes(256)
    path = tmp_path / "garbage.pdf"
    path.write_bytes(data[:middle] + garbage + data[middle + 256 :])
    assert_load_error(path, "page 2", "damaged PDF")


def test_a_page_whose_content_object_is_gone_is_a_load_error(tmp_path: Path) -> None:
    data = NARRATIVE_SEED.read_bytes()
    objid = PdfReader(str(NARRATIVE_SEED)).pages[2].get("/Contents").idnum
    header = re.search(rb"(?<![0-9])%d 0 obj" % objid, data)
    assert header is not None
    path = tmp_path / "no-content.pdf"
    # Overwrite the object's header: the page's content can no longer be found.
    path.write_bytes(data[: header.start()] + b"#" * 8 + data[header.start() + 8 :])
    assert_load_error(path, "page 3", "damaged PDF")


def content(doc: Document) -> tuple[object, ...]:
    cells = [[(c.row, c.col, c.row_span, c.col_span, c.text, c.provenance and c.provenance.page)
              for c in t.cells] for t in doc.tables]
    return cells, [(b.kind, b.level, b.text) for b in doc.blocks]


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75])
def test_garbage_in_the_middle_is_an_error_or_changes_nothing(
    tmp_path: Path, where: float, laoting: Document
) -> None:
    # Garbage in an embedded font program does not change the text: PDFium would lose
    # characters, so pdfminer (which reads glyph codes and the font's text map, not the
    # glyph shapes) reads that page instead, and the file still converts.
    data = NARRATIVE_SEED.read_bytes()
    at = int(len(data) * where)
    path = tmp_path / "garbage.pdf"
    path.write_bytes(data[:at] + bytes(range(256)) * 4 + data[at + 1024 :])
    result = convert_file(path)
    if result.ok:
        assert result.document is not None
        # The same content; boxes may differ by a hair when the damaged page's text is read
        # by pdfminer instead of PDFium (see converters/pdf/integrity.py).
        assert content(result.document) == content(laoting)
    else:
        assert result.error is not None and "damaged PDF" in result.error


# --- (d): no tables ----------------------------------------------------------------------------


def test_a_narrative_page_converts_to_blocks_only(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_page(PdfReader(str(NARRATIVE_SEED)).pages[0])
    path = tmp_path / "narrative.pdf"
    writer.write(path)
    doc = convert(path)
    assert doc.source.format == "pdf"
    assert doc.tables == []
    assert doc.forms == []
    assert doc.blocks
    texts = [b.text for b in doc.blocks]
    assert texts[:3] == ["第一部分", "部门整体绩效目标", "一、总体绩效目标"]
    assert [b.kind for b in doc.blocks[:3]] == ["heading", "heading", "heading"]
    assert all(b.provenance is not None and b.provenance.page == 1 for b in doc.blocks)


# --- (e): many pages ---------------------------------------------------------------------------

PAGES = 300
# The child reports its own peak: VmHWM belongs to the process image after exec, whereas
# ru_maxrss also counts the forked copy of this (test) process, which may hold OCR models.
CHILD = """
import resource, sys, jixiao
doc = jixiao.convert(sys.argv[1])
print(len(doc.tables), len(doc.forms), max(p for t in doc.tables for p in t.pages))
try:
    status = open("/proc/self/status").read()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_300_page_pdf_converts_in_bounded_memory(tmp_path: Path) -> None:
    reader = PdfReader(str(GOOD))
    n = len(reader.pages)  # 10 pages holding 9 tables, each one form
    writer = PdfWriter()
    for i in range(PAGES):
        writer.add_page(reader.pages[i % n])
    path = tmp_path / "long.pdf"
    writer.write(path)
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # 30 copies of the seed: 9 tables and 9 forms each, the last table ending on page 300.
    *counts, rss = done.stdout.split()
    assert counts == ["270", "270", "300"]
    peak = int(rss)  # the child's own peak: KiB (bytes on macOS)
    peak_mb = peak / (1 << 20) if sys.platform == "darwin" else peak / 1024
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB"


def test_a_page_box_that_is_not_numbers_is_a_load_error(tmp_path: Path) -> None:
    # pdfplumber raised its MalformedPDFException again while closing the file, which hid
    # the load error behind an "internal error".
    from tests.converters.pdf.pdf_build import write_pdf

    path = write_pdf(tmp_path / "box.pdf", "100 700 m 300 700 l S", media=(0, 0, "/Bad", 800))
    assert_load_error(path, "corrupt PDF page tree")
