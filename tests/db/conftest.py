"""Every database test runs twice: on a SQLite file and on a real PostgreSQL server.

The PostgreSQL server is started once per session (``tests.db.postgres``). When its
binaries are missing the PostgreSQL tests fail, loudly: CI installs them
(scripts/system-deps.sh). A developer without PostgreSQL may set JIXIAO_SKIP_POSTGRES=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jixiao.db import init_schema, open_engine
from tests.db.postgres import Postgres, find_bindir


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    if os.environ.get("JIXIAO_SKIP_POSTGRES") == "1":
        pytest.skip("JIXIAO_SKIP_POSTGRES=1")
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with "
            "scripts/system-deps.sh (Debian package postgresql), or set "
            "JIXIAO_SKIP_POSTGRES=1 to skip the PostgreSQL tests",
            pytrace=False,
        )
    server = Postgres(bindir)
    try:
        server.start()
    except RuntimeError as exc:
        server.stop()
        pytest.fail(f"cannot start a throwaway PostgreSQL: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database (no schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jixiao.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.database()


@pytest.fixture
def bare_engine(db_url: str) -> Iterator[Engine]:
    """An engine on the empty database (the SQLite file is created, without tables)."""
    engine = open_engine(db_url, create=True)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """An engine on a database with the jixiao schema."""
    init_schema(bare_engine)
    return bare_engine
