"""One file discovery for every command: what is a candidate, what is skipped and why,
each real file once, no loop, jixiao's own outputs left out, names from the input alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jixiao.discovery import discover, output_name
from jixiao.ledger import Ledger
from tests.conftest import FIXTURES

CLEAN = FIXTURES / "variants/clean-project.docx"


def _tree(root: Path) -> Path:
    (root / "a/deeper").mkdir(parents=True)
    shutil.copy(CLEAN, root / "a/x.docx")
    shutil.copy(CLEAN, root / "a/deeper/word.bin")  # a Word file by content only
    (root / "a/notes.txt").write_text("hello")
    os.symlink("..", root / "a/up")  # a loop
    os.symlink("missing.pdf", root / "a/dangling.pdf")
    os.symlink("x.docx", root / "a/again.docx")  # the same file by another name
    os.mkfifo(root / "a/pipe.docx")
    (root / "folder.docx").mkdir()  # a folder named like a document: searched
    shutil.copy(CLEAN, root / "folder.docx/inner.docx")
    return root


def test_what_is_found_and_why_the_rest_is_not(tmp_path: Path) -> None:
    root = _tree(tmp_path / "in")
    found = {f.rel: f for f in discover([root]).found}
    assert {r for r, f in found.items() if f.document} == {"a/x.docx", "folder.docx/inner.docx"}
    assert {r: f.reason for r, f in found.items() if not f.document} == {
        "a/again.docx": f"the same file as {root / 'a/x.docx'}",
        "a/dangling.pdf": "a broken symbolic link",
        "a/deeper/word.bin": "not a document (by its name)",
        "a/notes.txt": "not a document (by its name)",
        "a/pipe.docx": "not a regular file",
        "a/up": "a symbolic link to a folder (not followed)",
    }
    sniffed = discover([root], sniff=True)
    assert "a/deeper/word.bin" in {f.rel for f in sniffed.documents}


def test_each_real_file_once_and_paths_in_the_order_given(tmp_path: Path) -> None:
    root = _tree(tmp_path / "in")
    found = discover([root / "a/x.docx", root, root / "a/again.docx"])
    assert [(f.rel, f.document) for f in found.found][:1] == [("x.docx", True)]
    assert [f.rel for f in found.documents] == ["x.docx", "folder.docx/inner.docx"]
    assert found.found[-1].reason == f"the same file as {root / 'a/x.docx'}"


def test_output_folder_and_ledger_outputs_are_left_out(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "out/sub").mkdir(parents=True)
    shutil.copy(CLEAN, root / "x.docx")
    shutil.copy(CLEAN, root / "out/sub/old.docx")
    assert [f.rel for f in discover([root], exclude=[root / "out"]).found] == ["x.docx"]
    shutil.copy(CLEAN, root / "x.docx.docx")  # as `convert in -o in --to docx` writes it
    with Ledger.open(root) as ledger:
        ledger.record("x.docx.docx", root / "x.docx", "s")
    rels = [f.rel for f in discover([root], exclude=[root]).found]
    assert rels == ["out/sub/old.docx", "x.docx"]  # OUT == the folder: only what it wrote
    assert "x.docx.docx" in [f.rel for f in discover([root], outputs=True).found]


def test_a_folder_without_documents_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty.docx").mkdir()
    (tmp_path / "text").mkdir()
    (tmp_path / "text/a.txt").write_text("x")
    found = discover([tmp_path / "empty.docx", tmp_path / "text"])
    assert found.barren == [
        (tmp_path / "empty.docx", "a folder with no documents in it"),
        (tmp_path / "text", "a folder with no documents in it (1 other file skipped)"),
    ]


def test_output_names_come_from_the_input_alone() -> None:
    assert output_name("a/b/report.docx", "json") == "a/b/report.docx.json"
    assert output_name("report.pdf", "pdf") == "report.pdf.pdf"
