"""``jixiao debug``: a PNG per page asked, named OUT/<stem>.page-<N>.png and printed; a page
the PDF lacks, a file that is not a PDF or cannot be read: one line naming the file, and a
non-zero exit; the input is never written over."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner, Result

from jixiao.cli import app
from tests.conftest import SEEDS

PDF = SEEDS / "yuanjiang-2024.pdf"
DOCX = SEEDS / "yuanjiang-2024.docx"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["debug", *map(str, args)])


def error_line(result: Result) -> str:
    (line,) = result.stderr.splitlines()
    assert line.startswith("jixiao: error: ")
    return line


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_one_page_is_written_and_printed(tmp_path: Path) -> None:
    out = tmp_path / "pictures"  # created
    result = run(PDF, "--page", "3", "-o", out)
    assert result.exit_code == 0, result.output
    target = out / "yuanjiang-2024.page-3.png"
    assert result.stdout.splitlines() == [str(target)]
    assert [p.name for p in out.iterdir()] == [target.name]  # no temporary file left
    image = cv2.imread(str(target))
    width, _ = pdfium.PdfDocument(PDF)[2].get_size()
    assert image is not None and abs(image.shape[1] - width * 100 / 72) < 1


def test_every_page_without_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No --page: every page, into the current folder by default."""
    src, two = pdfium.PdfDocument(PDF), pdfium.PdfDocument.new()
    two.import_pages(src, [2, 3])
    two.save(tmp_path / "two.pdf")
    monkeypatch.chdir(tmp_path)
    result = run("two.pdf", "--dpi", "50")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["two.page-1.png", "two.page-2.png"]
    image = cv2.imread(str(tmp_path / "two.page-2.png"))
    width, _ = src[3].get_size()
    assert image is not None and abs(image.shape[1] - width * 50 / 72) < 1


def test_page_out_of_range_names_the_file(tmp_path: Path) -> None:
    result = run(PDF, "--page", "11", "-o", tmp_path)
    assert result.exit_code == 2
    line = error_line(result)
    assert str(PDF) in line and "page 11" in line and "10 pages" in line
    assert list(tmp_path.iterdir()) == []


def test_docx_is_refused_with_exit_2(tmp_path: Path) -> None:
    result = run(DOCX, "-o", tmp_path)
    assert result.exit_code == 2
    assert error_line(result) == f"jixiao: error: debug draws PDF pages; {DOCX} is a docx"


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    result = run(missing)
    assert result.exit_code == 1
    assert error_line(result) == f"jixiao: error: {missing}: no such file"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(PDF.read_bytes()[:2000])  # a PDF's head, cut off
    result = run(broken, "-o", tmp_path)
    assert result.exit_code == 1
    assert str(broken) in error_line(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.pdf"]


def test_a_picture_never_replaces_the_input(tmp_path: Path) -> None:
    """The name <stem>.page-<N>.png never is the input's own name, but a link can make it
    the input: a symbolic link or a hard link at the picture's path is refused, the input
    left as it was (and nothing written)."""
    source = tmp_path / "x.pdf"
    shutil.copy(PDF, source)
    before = digest(source)
    for kind, make in (("symbolic", os.symlink), ("hard", os.link)):
        out = tmp_path / kind
        out.mkdir()
        make(source, out / "x.page-3.png")
        result = run(source, "--page", "3", "-o", out)
        assert result.exit_code == 1, kind
        line = error_line(result)
        assert str(source) in line and "would replace the input" in line
        assert digest(source) == before
        assert sorted(p.name for p in out.iterdir()) == ["x.page-3.png"]


def test_an_earlier_picture_is_replaced(tmp_path: Path) -> None:
    """Running again rewrites the picture (it is no input): the same bytes."""
    first = run(PDF, "--page", "3", "-o", tmp_path)
    target = tmp_path / "yuanjiang-2024.page-3.png"
    data = target.read_bytes()
    target.write_bytes(b"old")
    again = run(PDF, "--page", "3", "-o", tmp_path)
    assert first.exit_code == again.exit_code == 0
    assert target.read_bytes() == data
    assert np.frombuffer(data[:8], np.uint8).tobytes() == b"\x89PNG\r\n\x1a\n"
