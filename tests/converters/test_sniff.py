"""Formats are told by content: a file's name never decides how it is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao import convert
from jixiao.converters.sniff import is_pdf, sniff
from jixiao.exceptions import UnsupportedFormatError
from tests.conftest import FIXTURES, SEEDS


@pytest.mark.parametrize(("source", "name", "fmt"), [
    (SEEDS / "yuanjiang-2024.docx", "report.pdf", "docx"),
    (SEEDS / "yuanjiang-2024.pdf", "report.docx", "pdf"),
    (SEEDS / "yuanjiang-2024.doc", "report.xlsx", "doc"),
    (FIXTURES / "variants" / "xlsx-published.xlsx", "report.doc", "xlsx"),
])
def test_format_from_content(source: Path, name: str, fmt: str, tmp_path: Path) -> None:
    renamed = tmp_path / name
    shutil.copyfile(source, renamed)
    assert sniff(renamed) == fmt


def test_a_docx_named_pdf_converts(tmp_path: Path) -> None:
    renamed = tmp_path / "report.pdf"
    shutil.copyfile(SEEDS / "laoting-2024.docx", renamed)
    doc = convert(renamed)
    assert doc.source.format == "docx" and len(doc.forms) == 10


def test_an_unknown_binary_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "data.docx"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormatError, match="unknown file type"):
        sniff(junk)


def test_password_protected_office_file_says_so(tmp_path: Path) -> None:
    from jixiao.exceptions import DocumentLoadError
    from tests.converters.hostile_bytes import encrypted_office_file

    path = tmp_path / "locked.docx"
    path.write_bytes(encrypted_office_file())
    with pytest.raises(DocumentLoadError, match="encrypted Office document: it needs a password"):
        sniff(path)


def test_is_pdf_agrees_with_sniff_from_the_first_kb(tmp_path: Path) -> None:
    """The batch plan's cheap test (``is_pdf``) tells PDFs as ``sniff`` does, on every fixture
    format and on the edge cases of the rule."""
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.suffix.lower() in
             {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".wps", ".rtf"}][:60]
    junk_first = tmp_path / "junk-first.pdf"  # a mail header before %PDF-: still a PDF
    junk_first.write_bytes(b"X" * 900 + (SEEDS / "yuanjiang-2024.pdf").read_bytes())
    too_late = tmp_path / "too-late.bin"  # %PDF- after the first KB: not one
    too_late.write_bytes(b"X" * 1100 + b"%PDF-1.7\n")
    files += [junk_first, too_late]
    for path in files:
        try:
            fmt = sniff(path)
        except Exception:
            fmt = None
        assert is_pdf(path) == (fmt == "pdf"), path
    assert is_pdf(tmp_path / "missing.pdf") is False
