"""Legacy Word through LibreOffice: same forms as the .docx, names do not matter, and a
conversion that hangs is killed at its time limit."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from jixiao import convert
from jixiao.converters import legacy
from jixiao.exceptions import DocumentLoadError
from jixiao.schemas import Document
from tests.conftest import SEEDS, collapse

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/system-deps.sh"
)


def _forms(doc: Document) -> list[tuple[object, ...]]:
    return [
        (f.kind, f.title, [(x.label, collapse(x.value)) for x in f.fields], f.project.model_dump(),
         [(i.level1, i.level2, i.level3, collapse(i.target.raw)) for i in f.indicators])
        for f in doc.forms
    ]


@needs_soffice
def test_seed_doc_gives_the_docx_forms(seed_documents: dict[str, Document]) -> None:
    doc = convert(SEEDS / "yuanjiang-2024.doc")
    assert doc.source.format == "doc"
    assert doc.source.converted_by == "LibreOffice (doc → docx)"
    assert _forms(doc) == _forms(seed_documents["yuanjiang-2024"])


@needs_soffice
def test_laoting_doc_gives_the_docx_forms(seed_documents: dict[str, Document]) -> None:
    # Its main text ends with the last table's row-end mark: LibreOffice would read that table
    # as running text (9 of 10 forms) but for the paragraph mark repaired in after it.
    doc = convert(SEEDS / "laoting-2024.doc")
    assert doc.source.format == "doc" and len(doc.forms) == 10
    assert _forms(doc) == _forms(seed_documents["laoting-2024"])


@needs_soffice
def test_a_wps_file_converts(tmp_path: Path, seed_documents: dict[str, Document]) -> None:
    """WPS Writer's .wps is the Word 97 binary format under its own name (no real WPS file
    is among the fixtures: this checks the name and the path through LibreOffice)."""
    wps = tmp_path / "乐亭.wps"
    shutil.copyfile(SEEDS / "laoting-2024.doc", wps)
    doc = convert(wps)
    assert doc.source.format == "doc"
    assert _forms(doc) == _forms(seed_documents["laoting-2024"])


@needs_soffice
def test_a_doc_named_docx_still_converts(tmp_path: Path) -> None:
    renamed = tmp_path / "report.docx"
    shutil.copyfile(SEEDS / "yuanjiang-2024.doc", renamed)
    doc = convert(renamed)
    assert doc.source.format == "doc" and len(doc.forms) == 9


def test_a_hanging_conversion_is_killed_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("JIXIAO_SOFFICE", str(fake))
    with pytest.raises(DocumentLoadError, match=r"did not finish within 0\.5 s"):
        legacy.convert_with_libreoffice(SEEDS / "yuanjiang-2024.doc", "doc", tmp_path, timeout=0.5)


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_SOFFICE", raising=False)
    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    with pytest.raises(DocumentLoadError, match="need LibreOffice"):
        legacy.soffice()


@needs_soffice
@pytest.mark.parametrize("target", ["rtf", "odt"])
def test_rtf_and_odt_give_the_docx_forms(
    target: str, tmp_path: Path, seed_documents: dict[str, Document]
) -> None:
    # Made here from the seed .docx by LibreOffice itself, then read back through it.
    import subprocess

    subprocess.run(
        [legacy.soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(tmp_path), str(SEEDS / "yuanjiang-2024.docx")],
        check=True, capture_output=True, timeout=120,
    )
    doc = convert(tmp_path / f"yuanjiang-2024.{target}")
    assert doc.source.format == {"rtf": "rtf", "odt": "odf"}[target]
    assert _forms(doc) == _forms(seed_documents["yuanjiang-2024"])
