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
from tests.conftest import SEEDS, collapse, needs_libreoffice

needs_soffice = needs_libreoffice


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


@pytest.fixture
def profiles_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """LibreOffice profiles kept under ``tmp_path`` (a fresh process's state), and a fake
    soffice that logs the profile it is given and exits with ``$FAKE_EXIT``."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(legacy, "_folder", None)
    monkeypatch.setattr(legacy, "_idle", [])
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\necho "$1" >> "$FAKE_LOG"\nexit "${FAKE_EXIT:-0}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("JIXIAO_SOFFICE", str(fake))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "log"))
    return tmp_path


def _profiles_used(root: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in (root / "log").read_text().splitlines()]


def test_a_profile_is_kept_for_the_next_call_unless_its_call_failed(
    profiles_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    source, outdir = profiles_in / "a.doc", profiles_in / "out"
    assert legacy.run_soffice(source, "docx", outdir, 5).returncode == 0
    assert legacy.run_soffice(source, "docx", outdir, 5).returncode == 0
    first, second = _profiles_used(profiles_in)
    assert first == second  # the same profile again
    folder = profiles_in / f"jixiao-lo-profiles-{os.getuid()}" / str(os.getpid())
    assert first.startswith(folder.as_uri())
    monkeypatch.setenv("FAKE_EXIT", "1")
    assert legacy.run_soffice(source, "docx", outdir, 5).returncode == 1
    assert _profiles_used(profiles_in)[2] == first
    assert list(folder.iterdir()) == []  # failed: its profile is gone
    monkeypatch.delenv("FAKE_EXIT")
    legacy.run_soffice(source, "docx", outdir, 5)
    assert _profiles_used(profiles_in)[3] != first  # a new one


def test_a_killed_calls_profile_is_deleted(profiles_in: Path) -> None:
    import os

    (profiles_in / "soffice").write_text('#!/bin/sh\necho "$1" >> "$FAKE_LOG"\nsleep 30\n')
    with pytest.raises(DocumentLoadError, match="did not finish"):
        legacy.run_soffice(profiles_in / "a.doc", "docx", profiles_in / "out", 0.5)
    folder = profiles_in / f"jixiao-lo-profiles-{os.getuid()}" / str(os.getpid())
    assert list(folder.iterdir()) == []


def test_profiles_of_processes_gone_are_removed(profiles_in: Path) -> None:
    import os

    root = profiles_in / f"jixiao-lo-profiles-{os.getuid()}"
    gone = root / "2147483646"  # no such process
    (gone / "profile-x").mkdir(parents=True)
    alive = root / "1"  # init: alive
    alive.mkdir()
    legacy.run_soffice(profiles_in / "a.doc", "docx", profiles_in / "out", 5)
    assert not gone.exists() and alive.exists() and (root / str(os.getpid())).is_dir()


def test_a_profiles_folder_that_is_not_ours_is_not_used(profiles_in: Path) -> None:
    import os

    elsewhere = profiles_in / "elsewhere"
    elsewhere.mkdir()
    (profiles_in / f"jixiao-lo-profiles-{os.getuid()}").symlink_to(elsewhere)
    legacy.run_soffice(profiles_in / "a.doc", "docx", profiles_in / "out", 5)
    [used] = _profiles_used(profiles_in)
    assert "jixiao-lo-profiles" not in used and list(elsewhere.iterdir()) == []
