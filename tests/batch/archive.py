"""Archives for the batch tests, generated in a tmp folder at test time (nothing binary is
committed): copies of the fixture documents in a folder tree, bad documents, other files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import FIXTURES, SEEDS
from tests.converters.docx import bad_docs as bad

DOCX = sorted(SEEDS.glob("*.docx")) + sorted((FIXTURES / "variants").glob("*.docx"))
SMALL_PDFS = sorted((FIXTURES / "variants").glob("*.pdf"))


@dataclass
class Archive:
    root: Path
    documents: list[str] = field(default_factory=list)  # rel paths expected to convert
    bad: list[str] = field(default_factory=list)  # rel paths expected to fail
    other: list[str] = field(default_factory=list)  # rel paths expected to be skipped

    @property
    def total(self) -> int:
        return len(self.documents) + len(self.bad) + len(self.other)


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def encrypted_pdf(path: Path) -> Path:
    """A PDF that opens only with a user password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(SMALL_PDFS[0]).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def add_documents(archive: Archive, n: int, sources: list[Path] = DOCX, top: str = "") -> None:
    """``n`` copies of ``sources`` in a tree ``d<i>/s<j>/…`` (a few files per folder)."""
    for i in range(n):
        src = sources[i % len(sources)]
        folder = f"{top}d{i % 7}/s{(i // 7) % 5}"
        rel = f"{folder}/{src.stem}-{i}{src.suffix}"
        _copy(src, archive.root / rel)
        archive.documents.append(rel)


def add_bad_and_other(archive: Archive) -> None:
    root = archive.root
    (root / "bad").mkdir(parents=True, exist_ok=True)
    bad.truncated_seed(root / "bad/truncated.docx")
    bad.empty_file(root / "bad/empty.docx")
    (root / "bad/empty.pdf").write_bytes(b"")
    encrypted_pdf(root / "bad/encrypted.pdf")
    bad.bomb(root / "bad/bomb.docx", 70 * 1024 * 1024)  # over the 64 MB part cap
    bad.plain_text(root / "bad/text-named.docx")
    archive.bad += [
        "bad/truncated.docx", "bad/empty.docx", "bad/empty.pdf", "bad/encrypted.pdf",
        "bad/bomb.docx", "bad/text-named.docx",
    ]
    _copy(SEEDS / "yuanjiang-2024.docx", root / "other/disguised.dat")  # a docx by content
    archive.documents.append("other/disguised.dat")
    (root / "other/notes.txt").write_text("不是文档\n", "utf-8")
    (root / "other/data.json").write_text('{"a": 1}\n', "utf-8")
    (root / "other/empty.txt").write_bytes(b"")
    (root / "other/image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    bad.zip_not_office(root / "other/archive.zip")
    archive.other += [
        "other/notes.txt", "other/data.json", "other/empty.txt", "other/image.png",
        "other/archive.zip",
    ]


def jixiao(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``jixiao ARGS`` in a fresh process (stderr a pipe: not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *map(str, args)],
        capture_output=True, text=True, check=False, **kwargs,  # type: ignore[call-overload]
    )
