"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary folder and
``pg_ctl start`` listening on a Unix socket in that folder only (no TCP port, so nothing
to collide with), with durability off. About a second from nothing to ready.

PostgreSQL refuses to run as root: as root (CI) the server runs as the ``postgres`` user
that Debian's package creates (else ``nobody``). Binaries: ``$JIXIAO_PG_BINDIR``, else
``initdb`` on PATH, else the newest ``/usr/lib/postgresql/*/bin`` (Debian's layout).

By hand: ``.venv/bin/python -m tests.db.postgres`` starts one and prints its URL.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

USER = "jixiao"  # the superuser initdb creates; local connections are trusted


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is missing."""
    candidates: list[Path] = []
    if os.environ.get("JIXIAO_PG_BINDIR"):
        candidates.append(Path(os.environ["JIXIAO_PG_BINDIR"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", p.parent.name))

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for d in candidates:
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file():
            return d
    return None


class Postgres:
    """One throwaway cluster; ``database()`` gives the URL of a new, empty database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._names = itertools.count(1)
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                account = pwd.getpwnam("nobody")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    def _run(self, *args: str) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
               "HOME": str(self.root)}
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]], cwd=self.root, env=env,
            capture_output=True, text=True, timeout=60, check=False, **self._as,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.is_file() else ""
            raise RuntimeError(
                f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}\n{log}"
            )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        options = (f"-k {self.root} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "30", "-s", "start")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, OSError, subprocess.SubprocessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-s", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, schema: str | None = None) -> str:
        url = f"postgresql+psycopg://{USER}@/postgres?host={self.root}"
        return url + (f"&options=-csearch_path%3D{schema}" if schema else "")

    def database(self) -> str:
        """The URL of a new, empty database: a schema of its own (``search_path``), which
        takes milliseconds where ``CREATE DATABASE`` takes a few tenths of a second."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.root), user=USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(name)

if __name__ == "__main__":
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL not found: run scripts/system-deps.sh")
    server = Postgres(bindir)
    server.start()
    try:
        print(server.database(), flush=True)
        input("PostgreSQL running; press Enter to stop and delete it\n")
    finally:
        server.stop()
