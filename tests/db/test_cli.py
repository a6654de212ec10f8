"""``jixiao db init`` and ``jixiao load``: exit codes, one line per failed file, the other
files still loaded, and a clear refusal on a database without the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner, Result

from jixiao.cli import app
from jixiao.db import SCHEMA_VERSION, open_engine
from jixiao.db import load as db_load
from tests.conftest import SEEDS
from tests.db.test_load import counts, expected_counts

YUANJIANG = SEEDS / "yuanjiang-2024.docx"
LAOTING = SEEDS / "laoting-2024.docx"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, list(map(str, args)))


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("jixiao: error:")]


def db_counts(url: str) -> dict[str, int]:
    engine = open_engine(url)
    try:
        return counts(engine)
    finally:
        engine.dispose()


def test_load_before_init_fails_with_a_hint(db_url: str) -> None:
    result = run("load", YUANJIANG, "--db", db_url)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "jixiao db init --db" in line
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists()
    else:
        engine: Engine = open_engine(db_url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()


def test_init_then_load_twice(db_url: str, seed_documents: dict[str, Any]) -> None:
    init = run("db", "init", "--db", db_url)
    assert init.exit_code == 0, init.output
    assert f"created schema version {SCHEMA_VERSION}" in init.stderr
    assert f"already at version {SCHEMA_VERSION}" in run("db", "init", "--db", db_url).stderr
    first = run("load", YUANJIANG, LAOTING, "--db", db_url)
    assert first.exit_code == 0, first.output
    assert "loaded 2 of 2 files" in first.stderr and "(2 inserted)" in first.stderr
    want = expected_counts(*seed_documents.values())
    assert db_counts(db_url) == want
    second = run("load", YUANJIANG, LAOTING, "--db", db_url)
    assert second.exit_code == 0 and "(2 unchanged)" in second.stderr
    assert db_counts(db_url) == want


def test_failed_files_reported_and_others_loaded(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    seed_documents: dict[str, Any],
) -> None:
    assert run("db", "init", "--db", db_url).exit_code == 0
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    real = db_load.insert_document

    def failing(conn: Any, document: Any, digest: str) -> int:
        doc_id = real(conn, document, digest)  # every row inserted, then the failure
        if "yuanjiang" in document.source.path:
            raise RuntimeError("boom")
        return doc_id

    monkeypatch.setattr(db_load, "insert_document", failing)
    result = run("load", broken, YUANJIANG, LAOTING, "--db", db_url)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 2
    assert lines[0].startswith(f"jixiao: error: {broken}: ")
    assert lines[1] == f"jixiao: error: {YUANJIANG}: internal error (RuntimeError: boom)"
    assert "loaded 1 of 3 files" in result.stderr
    assert db_counts(db_url) == expected_counts(seed_documents["laoting-2024"])


def test_folder_input_and_default_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JIXIAO_DB", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.docx").write_bytes(YUANJIANG.read_bytes())
    (folder / "notes.txt").write_text("skip me")
    assert run("db", "init").exit_code == 0
    assert (tmp_path / "jixiao.db").is_file()
    result = run("load", folder)
    assert result.exit_code == 0, result.output
    assert "1 non-document files skipped" in result.stderr
    assert db_counts("sqlite:///jixiao.db")["documents"] == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("load", YUANJIANG, "--db", "not a url").exit_code == 2
    assert run("db", "init", "--db", "nosuchdb://x").exit_code == 2


def test_a_folder_without_documents_is_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    assert run("db", "init", "--db", url).exit_code == 0
    (tmp_path / "empty").mkdir()
    result = run("load", tmp_path / "empty", "--db", url)
    assert result.exit_code == 1, result.output
    assert f"jixiao: error: {tmp_path / 'empty'}: a folder with no documents in it" in (
        result.stderr)


def test_unreachable_database_exits_1(tmp_path: Path) -> None:
    url = f"postgresql://jixiao:secret@/jixiao?host={tmp_path}/nothing-here"
    for args in (("db", "init"), ("load", YUANJIANG)):
        result = run(*args, "--db", url)
        assert result.exit_code == 1
        [line] = error_lines(result)
        assert "cannot" in line and "secret" not in line
