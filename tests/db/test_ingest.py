"""``jixiao ingest``: only new or changed files are processed (unchanged ones are not even
hashed), bad documents are recorded and left alone until they change, transient database
errors are retried with backoff, two runs never overlap, and every run is recorded.
Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner, Result

from jixiao.cli import app
from jixiao.cli.ingest import _sigterm_interrupts
from jixiao.db import init_schema, open_engine
from jixiao.db.tables import documents, forms, ingest_files, ingest_runs
from jixiao.guard import GuardedConverter
from jixiao.ingest import INGEST_LOCK_KEY, LOCK_NAME
from jixiao.ingest import retry as ingest_retry
from jixiao.ingest import run as ingest_run
from tests.conftest import FIXTURES, SEEDS
from tests.db.postgres import Postgres
from tests.db.test_load import snapshot

DOCX = sorted(SEEDS.glob("*.docx")) + sorted((FIXTURES / "variants").glob("*.docx"))
N = len(DOCX)  # 11: the two seeds and the Word variants


def run(inbox: Path, db_url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["ingest", str(inbox), "--db", db_url, *args])


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("jixiao: error:")]


def runs(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(ingest_runs).order_by(ingest_runs.c.id)).mappings().all()
    return [dict(r) for r in rows]


def files(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(ingest_files)).mappings().all()
    return {Path(r["path"]).name: dict(r) for r in rows}


def count(engine: Engine, table: Any = documents) -> int:
    with engine.connect() as conn:
        n: int = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return n


def last_counts(engine: Engine) -> dict[str, int]:
    names = ("new", "changed", "unchanged", "failed", "retried", "loaded", "skipped",
             "missing", "pruned", "db_retries")
    return {k: v for k, v in runs(engine)[-1].items() if k in names and v}


def edited_docx(path: Path, old: str, new: str) -> bytes:
    """``path`` with ``old`` replaced by ``new`` in its body: the same layout, new content."""
    target = path.with_name(f"edited-{path.name}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                body = data.decode("utf-8")
                assert old in body
                data = body.replace(old, new).encode("utf-8")
            out.writestr(item, data)
    data = target.read_bytes()
    target.unlink()
    return data


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """The seeds and Word variants, a text file (skipped) and files an uploader or editor
    leaves behind (ignored: neither candidates nor counted)."""
    folder = tmp_path / "inbox"
    (folder / "variants").mkdir(parents=True)
    for src in DOCX:
        dest = folder / ("variants" if src.parent.name == "variants" else "") / src.name
        shutil.copy2(src, dest)
    (folder / "notes.txt").write_text("not a document")
    (folder / "~$owner.docx").write_bytes(b"x")
    (folder / ".upload.docx.Ab12").write_bytes(b"x")
    (folder / "big.docx.part").write_bytes(b"x")
    return folder


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Path]]:
    """Every file hashed and converted by the ingest, recorded."""
    seen: dict[str, list[Path]] = {"hashed": [], "converted": []}

    def wrap(name: str, key: str) -> None:
        real: Callable[..., Any] = getattr(ingest_run, name)

        def counted(path: Path) -> Any:
            seen[key].append(path)
            return real(path)

        monkeypatch.setattr(ingest_run, name, counted)

    wrap("file_sha256", "hashed")
    real_convert = GuardedConverter.convert

    def converted(guard: GuardedConverter, path: Path) -> Any:
        seen["converted"].append(path)
        return real_convert(guard, path)

    monkeypatch.setattr(GuardedConverter, "convert", converted)
    return seen


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(ingest_retry, "sleep", slept.append)
    return slept


def test_first_run_loads_everything_second_run_opens_nothing(
    engine: Engine, db_url: str, inbox: Path, counting: dict[str, list[Path]]
) -> None:
    first = run(inbox, db_url)
    assert first.exit_code == 0, first.output
    assert last_counts(engine) == {"new": N, "loaded": N, "skipped": 1}
    assert count(engine) == N and len(counting["converted"]) == N
    assert f"{N} new, 0 changed, 0 unchanged, 0 failed" in first.stderr
    recorded = files(engine)
    assert set(recorded) == {p.name for p in DOCX}  # no lock, temporary or owner files
    assert all(r["status"] == "ok" and r["attempts"] == 1 for r in recorded.values())
    before = snapshot(engine)
    counting["hashed"].clear()
    counting["converted"].clear()

    second = run(inbox, db_url)
    assert second.exit_code == 0, second.output
    assert counting == {"hashed": [], "converted": []}
    assert last_counts(engine) == {"unchanged": N, "skipped": 1}
    assert f"0 new, 0 changed, {N} unchanged, 0 failed" in second.stderr
    after = snapshot(engine)
    assert {k: v for k, v in after.items() if not k.startswith("ingest_")} == {
        k: v for k, v in before.items() if not k.startswith("ingest_")
    }
    [one, two] = runs(engine)
    for r in (one, two):
        assert r["status"] == "ok" and r["error"] is None
        assert r["pid"] == os.getpid() and r["host"] and r["inbox"] == str(inbox)
        assert r["finished_at"] >= r["started_at"]
    assert files(engine)["clean-project.docx"]["run_id"] == one["id"]


def test_changed_new_copied_and_touched_files(
    engine: Engine, db_url: str, inbox: Path, counting: dict[str, list[Path]]
) -> None:
    assert run(inbox, db_url).exit_code == 0
    target = inbox / "variants" / "clean-project.docx"
    old_sha = files(engine)["clean-project.docx"]["sha256"]
    target.write_bytes(edited_docx(target, "法治宣传教育经费", "普法宣传经费"))
    (inbox / "later").mkdir()
    shutil.copy(FIXTURES / "variants" / "xlsx-published.xlsx", inbox / "later" / "book.xlsx")
    shutil.copy(SEEDS / "yuanjiang-2024.docx", inbox / "later" / "copy.docx")
    counting["converted"].clear()

    result = run(inbox, db_url)
    assert result.exit_code == 0, result.output
    assert last_counts(engine) == {
        "new": 2, "changed": 1, "unchanged": N - 1, "loaded": 2, "skipped": 1,
    }
    assert {p.name for p in counting["converted"]} == {"clean-project.docx", "book.xlsx"}
    assert f"ingest: {target}: replaced (1 form)" in result.stderr
    assert f"ingest: {inbox / 'later' / 'copy.docx'}: already loaded" in result.stderr
    assert count(engine) == N + 1  # the copy is recorded, not loaded twice
    with engine.connect() as conn:
        names = conn.execute(select(forms.c.project_name).join(documents).where(
            documents.c.path == str(target))).scalars().all()
        assert names == ["普法宣传经费"]
        assert not conn.execute(select(documents).where(documents.c.sha256 == old_sha)).first()
    recorded = files(engine)
    assert recorded["clean-project.docx"]["attempts"] == 2
    assert recorded["copy.docx"]["sha256"] == recorded["yuanjiang-2024.docx"]["sha256"]

    counting["converted"].clear()
    counting["hashed"].clear()
    os.utime(target, ns=(0, 10**18))  # touched: hashed, found loaded, recorded
    assert run(inbox, db_url).exit_code == 0
    assert last_counts(engine) == {"changed": 1, "unchanged": N + 1, "skipped": 1}
    assert counting == {"hashed": [target], "converted": []}
    assert files(engine)["clean-project.docx"]["mtime_ns"] == 10**18
    assert count(engine) == N + 1


def test_corrupt_file_failed_until_it_changes(
    engine: Engine, db_url: str, inbox: Path, counting: dict[str, list[Path]]
) -> None:
    bad = inbox / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    first = run(inbox, db_url)
    assert first.exit_code == 1
    [line] = error_lines(first)
    assert line.startswith(f"jixiao: error: {bad}: ")
    assert last_counts(engine) == {"new": N, "failed": 1, "loaded": N, "skipped": 1}
    assert runs(engine)[-1]["status"] == "failed"
    row = files(engine)["broken.docx"]
    assert row["status"] == "failed" and row["attempts"] == 1
    assert row["last_error"] and row["last_error"] in line

    counting["converted"].clear()
    again = run(inbox, db_url)  # a bad document, unchanged: not tried again
    assert again.exit_code == 0 and not error_lines(again)
    assert last_counts(engine) == {"unchanged": N + 1, "skipped": 1}
    assert counting["converted"] == [] and files(engine)["broken.docx"]["attempts"] == 1

    bad.write_bytes(b"PK\x03\x04 still not a zip, but changed")
    assert run(inbox, db_url).exit_code == 1
    assert last_counts(engine) == {"unchanged": N, "failed": 1, "retried": 1, "skipped": 1}
    assert files(engine)["broken.docx"]["attempts"] == 2

    assert run(inbox, db_url, "--retry-failed").exit_code == 1  # asked for: tried again
    assert last_counts(engine)["retried"] == 1 and counting["converted"][-1] == bad

    bad.write_bytes(edited_docx(SEEDS / "laoting-2024.docx", "见义勇为", "见义勇为表彰"))
    fixed = run(inbox, db_url)
    assert fixed.exit_code == 0, fixed.output
    assert last_counts(engine) == {
        "changed": 1, "unchanged": N, "retried": 1, "loaded": 1, "skipped": 1,
    }
    row = files(engine)["broken.docx"]
    assert row["status"] == "ok" and row["last_error"] is None and row["attempts"] == 4
    assert count(engine) == N + 1


def test_unreadable_file_is_tried_again_every_run(
    engine: Engine, db_url: str, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_run.file_sha256

    def denied(path: Path) -> str:
        if path.name == "clean-project.docx":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(ingest_run, "file_sha256", denied)
    for _ in range(2):  # not a bad document: no size recorded, so never "unchanged"
        result = run(inbox, db_url)
        assert result.exit_code == 1
        assert error_lines(result)[0].endswith("clean-project.docx: cannot read: Permission denied")
    row = files(engine)["clean-project.docx"]
    assert (row["status"], row["size"], row["attempts"]) == ("failed", -1, 2)
    monkeypatch.undo()
    assert run(inbox, db_url).exit_code == 0
    assert last_counts(engine) == {
        "changed": 1, "unchanged": N - 1, "retried": 1, "loaded": 1, "skipped": 1,
    }


def test_transient_database_errors_are_retried_with_backoff(
    engine: Engine, db_url: str, tmp_path: Path, waits: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "yuanjiang-2024.docx", inbox)
    real = ingest_run.load_document
    calls: list[int] = []

    def flaky(engine: Engine, document: Any) -> Any:
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("INSERT INTO documents", {}, Exception("database is locked"))
        return real(engine, document)

    monkeypatch.setattr(ingest_run, "load_document", flaky)
    result = run(inbox, db_url)
    assert result.exit_code == 0, result.output
    assert waits == [0.5, 1.0] and len(calls) == 3
    assert "database is locked); retrying in 0.5 s" in result.stderr
    assert last_counts(engine) == {"new": 1, "loaded": 1, "db_retries": 2}
    assert count(engine) == 1


def test_database_down_through_every_retry_stops_the_run_with_5(
    engine: Engine, db_url: str, tmp_path: Path, waits: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "yuanjiang-2024.docx", inbox)

    def down(engine: Engine, document: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(ingest_run, "load_document", down)
    result = run(inbox, db_url, "--retries", "2")
    assert result.exit_code == 5
    assert waits == [0.5, 1.0]
    assert error_lines(result) == [
        "jixiao: error: database unavailable (loading a document, 3 tries): "
        "server closed the connection"
    ]
    [recorded] = runs(engine)
    assert recorded["status"] == "failed" and "database unavailable" in recorded["error"]
    assert files(engine) == {}  # not recorded: the next run tries it again
    monkeypatch.undo()
    assert run(inbox, db_url).exit_code == 0
    assert last_counts(engine) == {"new": 1, "loaded": 1}


def test_unreachable_database_exits_5_after_retries(tmp_path: Path) -> None:
    result = run(tmp_path, "postgresql://jixiao:secret@127.0.0.1:1/jixiao", "--retries", "1")
    assert result.exit_code == 5
    assert "retrying in 0.5 s" in result.stderr and "secret" not in result.stderr
    [line] = error_lines(result)
    assert line.startswith("jixiao: error: database unavailable (opening the database, 2 tries)")


def test_database_without_schema_exits_5(db_url: str, tmp_path: Path) -> None:
    result = run(tmp_path, db_url)
    assert result.exit_code == 5
    [line] = error_lines(result)
    assert "jixiao db init --db" in line


@pytest.fixture
def flock() -> Iterator[Callable[[Path], None]]:
    """Hold ``flock`` on a path, as a running ingest does."""
    fds: list[int] = []

    def hold(path: Path) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, b"host elsewhere pid 1\n")
        fds.append(fd)

    yield hold
    for fd in fds:
        os.close(fd)


def test_a_second_run_while_one_holds_the_lock_exits_4(
    engine: Engine, db_url: str, inbox: Path, tmp_path: Path, flock: Callable[[Path], None]
) -> None:
    flock(inbox / LOCK_NAME)
    held = run(inbox, db_url)
    assert held.exit_code == 4
    assert held.stderr.splitlines() == [
        f"jixiao: error: another jixiao ingest holds {inbox / LOCK_NAME} "
        "(host elsewhere pid 1)"
    ]
    other = tmp_path / "other.lock"
    flock(other)
    assert run(inbox, db_url, "--lock", str(other)).exit_code == 4
    assert runs(engine) == [] and count(engine) == 0
    free = tmp_path / "free.lock"
    assert run(inbox, db_url, "--lock", str(free)).exit_code == 0  # another lock file: runs
    assert (inbox / LOCK_NAME).read_bytes() == b"host elsewhere pid 1\n"  # left alone
    assert free.read_text().startswith("host ")


def test_postgresql_advisory_lock_guards_other_machines(postgres: Postgres, inbox: Path) -> None:
    """SQLite needs no such test: its database is guarded by the file lock alone."""
    db_url = postgres.database()
    engine = open_engine(db_url)
    init_schema(engine)
    try:
        with engine.connect() as conn:  # another machine's run: same database, own lock file
            key = {"k": INGEST_LOCK_KEY}
            assert conn.execute(text("SELECT pg_try_advisory_lock(:k)"), key).scalar()
            held = run(inbox, db_url)
            assert held.exit_code == 4
            [line] = held.stderr.splitlines()
            assert "holds the database lock" in line and str(INGEST_LOCK_KEY) in line
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), key)
        assert run(inbox, db_url).exit_code == 0
        assert runs(engine)[0]["status"] == "ok"
        with engine.connect() as conn:  # released at the end of the run
            advisory = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            assert conn.execute(text(advisory)).scalar() == 0
    finally:
        engine.dispose()


def test_sigterm_ends_the_run_like_ctrl_c() -> None:
    with pytest.raises(KeyboardInterrupt), _sigterm_interrupts():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # pragma: no cover - the signal arrives first
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_interrupted_run_is_recorded_and_the_next_one_goes_on(
    engine: Engine, db_url: str, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = GuardedConverter.convert
    done: list[Path] = []

    def interrupted(guard: GuardedConverter, path: Path) -> Any:
        if len(done) == 3:
            raise KeyboardInterrupt
        done.append(path)
        return real(guard, path)

    monkeypatch.setattr(GuardedConverter, "convert", interrupted)
    result = run(inbox, db_url)
    assert result.exit_code == 130
    [stopped] = runs(engine)
    assert stopped["status"] == "interrupted" and stopped["new"] == 3
    monkeypatch.undo()
    assert run(inbox, db_url).exit_code == 0
    assert last_counts(engine) == {"new": N - 3, "unchanged": 3, "loaded": N - 3, "skipped": 1}
    assert count(engine) == N


def test_run_left_running_by_a_killed_process_is_marked_interrupted(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    with engine.begin() as conn:
        conn.execute(ingest_runs.insert().values(
            started_at=func.now(), host="gone", pid=1, inbox=str(tmp_path), status="running",
        ))
    assert run(tmp_path, db_url).exit_code == 0
    killed, fine = runs(engine)
    assert killed["status"] == "interrupted" and "killed" in killed["error"]
    assert fine["status"] == "ok"


def test_files_gone_from_the_inbox_are_kept_unless_pruned(
    engine: Engine, db_url: str, inbox: Path
) -> None:
    assert run(inbox, db_url).exit_code == 0
    (inbox / "variants" / "clean-project.docx").unlink()
    kept = run(inbox, db_url)
    assert kept.exit_code == 0 and "1 files gone from the inbox (documents kept)" in kept.stderr
    assert last_counts(engine)["missing"] == 1 and count(engine) == N
    assert "clean-project.docx" in files(engine)
    assert run(inbox, db_url, "--prune").exit_code == 0
    assert last_counts(engine) == {"unchanged": N - 1, "missing": 1, "pruned": 1, "skipped": 1}
    assert count(engine) == N - 1 and "clean-project.docx" not in files(engine)
    assert count(engine, ingest_files) == N - 1

    empty = inbox.parent / "empty"
    empty.mkdir()
    shutil.move(inbox, empty / "inbox")  # the share not mounted: nothing is pruned
    inbox.mkdir()
    assert run(inbox, db_url, "--prune").exit_code == 0
    assert last_counts(engine) == {"missing": N - 1} and count(engine) == N - 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    assert run(tmp_path / "missing", url).exit_code == 2
    assert run(tmp_path, "not a url").exit_code == 2
    assert run(tmp_path, url, "--retries", "-1").exit_code == 2
