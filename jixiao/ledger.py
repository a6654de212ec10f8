"""``OUT/.jixiao-outputs.jsonl``: which files jixiao wrote in an output folder, for which input.

It backs the overwrite rule of ``jixiao convert`` and ``jixiao batch``: before a document's
outputs are written, each target is checked (``Ledger.refusal``), and the document fails
with the reason, none of its outputs written, when a target

- is an input of the run (its real path: links followed), or
- exists and is not an output jixiao wrote, in an earlier run, for the same input (the
  same real path, or the same content by sha256): a user's file, another input's output,
  a folder.

One JSON line per output written (``output`` relative to OUT, the input's real ``path``
and ``sha256``), appended as it is written. The file system search of every command leaves
out what a ledger lists (``jixiao.discovery``), so an output is never read back as an
input. The ledger is locked (``flock``) while a run writes to OUT: two runs never share
one. It is compacted (latest line per output kept) when stale lines outnumber the others.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from jixiao.flock import try_exclusive

LEDGER_NAME = ".jixiao-outputs.jsonl"
# What a batch writes beside its ledger, at the top of its output folder (its report and its
# manifest): jixiao's too, and so never taken for inputs either.
BATCH_NAMES = ("_report.json", "_manifest.jsonl")


class LedgerLockedError(Exception):
    """Another jixiao run is writing to this output folder."""


@dataclass(frozen=True)
class Refusal:
    """Why an output must not be written; ``foreign``: the file there is not jixiao's."""

    message: str
    foreign: bool = False

    def __str__(self) -> str:
        return self.message


# Whether an output the ledger does not know is jixiao's all the same (a batch's manifest
# from before the ledger): called with the output and the input's digest function.
Excuse = Callable[[str, Callable[[], str | None]], bool]


@dataclass(frozen=True)
class Owner:
    path: str  # the input's real path when its output was written
    sha256: str


def _records(data: bytes) -> list[dict[str, Any]]:
    records = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:  # a cut-off last line, or garbage: ignored
            continue
        if isinstance(record, dict) and all(
            isinstance(record.get(k), str) for k in ("output", "path", "sha256")
        ):
            records.append(record)
    return records


def listed_outputs(folder: Path) -> set[str]:
    """The outputs (relative to ``folder``) its ledger lists; empty when it has none."""
    try:
        data = (folder / LEDGER_NAME).read_bytes()
    except OSError:
        return set()
    return {r["output"] for r in _records(data)}


def real(path: Path | str) -> str:
    return os.path.realpath(path)


class Ledger:
    """The open, locked ledger of one output folder."""

    def __init__(self, out: Path, fh: IO[bytes], records: list[dict[str, Any]]) -> None:
        self.out = out
        self._fh = fh
        self._owners: dict[str, list[Owner]] = {}
        self._latest: dict[str, dict[str, Any]] = {}
        for record in records:
            self._remember(record)
        self._lines = len(records)

    @classmethod
    def open(cls, out: Path) -> Ledger:
        """Open (or create) and lock ``out``'s ledger. Raises ``LedgerLockedError`` when
        another run holds it, ``OSError`` when it cannot be made."""
        fh = (out / LEDGER_NAME).open("a+b")
        try:
            _lock(fh)
            fh.seek(0)
            ledger = cls(out, fh, _records(fh.read()))
            ledger._compact()
        except BaseException:
            fh.close()
            raise
        return ledger

    def _remember(self, record: dict[str, Any]) -> None:
        key = record["output"].casefold()
        self._owners.setdefault(key, []).append(Owner(record["path"], record["sha256"]))
        self._latest[key] = record

    def _compact(self) -> None:
        if self._lines <= 2 * len(self._latest) + 100:
            return
        data = b"".join(_line(r) for r in self._latest.values())
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._lines = len(self._latest)

    def owners(self, output: str) -> list[Owner]:
        return self._owners.get(output.casefold(), [])

    def refusal(
        self, output: str, input_path: Path, sha256: Callable[[], str | None],
        inputs: set[str],
    ) -> Refusal | None:
        """Why ``OUT/output`` must not be written for ``input_path`` (see the module's
        rule), or None. ``sha256`` gives the input's digest, asked only when needed;
        ``inputs``: the real paths of the run's inputs."""
        target = self.out / output
        if real(target) in inputs:
            return Refusal(f"its output {target} would replace an input of this run")
        if not os.path.lexists(target):
            return None
        if target.is_dir() and not target.is_symlink():
            return Refusal(f"its output {target} is an existing folder")
        owners = self.owners(output)
        if not owners or target.is_symlink():
            return Refusal(
                f"its output {target} exists and was not written by jixiao: not overwritten",
                foreign=True)
        source = real(input_path)
        if any(o.path == source for o in owners):
            return None
        digest = sha256()
        if digest is not None and any(o.sha256 == digest for o in owners):
            return None
        return Refusal(f"its output {target} exists and is jixiao's output of another input: "
                       "not overwritten")

    def first_refusal(
        self, outputs: Iterable[str], input_path: Path, inputs: set[str],
        sha256: str | None = None, excuse: Excuse | None = None,
    ) -> str | None:
        """Why one of ``outputs`` must not be written for ``input_path`` (``refusal``), or
        None. The input is hashed once, and only when an existing output asks (unless its
        ``sha256`` is known); ``excuse`` may clear a file the ledger does not know."""
        known: list[str | None] = [sha256]

        def digest() -> str | None:
            if known[0] is None:
                from jixiao.batch.task import file_sha256  # the one that never raises

                known[0] = file_sha256(input_path)
            return known[0]

        for output in outputs:
            why = self.refusal(output, input_path, digest, inputs)
            if why is not None and not (why.foreign and excuse and excuse(output, digest)):
                return why.message
        return None

    def record(self, output: str, input_path: Path, sha256: str) -> None:
        """Note that ``OUT/output`` was written for ``input_path`` (handed to the system at
        once; made durable with the outputs)."""
        record = {"output": output, "path": real(input_path), "sha256": sha256}
        self._fh.write(_line(record))
        self._fh.flush()
        self._remember(record)
        self._lines += 1

    def sync(self) -> None:
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        """Make the ledger durable and unlock it; an empty one (nothing was ever written to
        OUT) is removed, lock still held, so a run that wrote nothing leaves nothing."""
        if self._fh.closed:
            return
        try:
            if self._fh.seek(0, os.SEEK_END) == 0:
                (self.out / LEDGER_NAME).unlink(missing_ok=True)
            else:
                self.sync()
        finally:
            self._fh.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _line(record: dict[str, Any]) -> bytes:
    # ASCII JSON: a file name that is not UTF-8 (surrogate escapes) is kept exactly
    return (json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n").encode()


def lock_exclusive(fh: IO[bytes]) -> bool:
    """Take an exclusive lock on ``fh`` without waiting (``jixiao.flock``): False when
    another process holds it."""
    return try_exclusive(fh.fileno())


def _lock(fh: IO[bytes]) -> None:
    if not lock_exclusive(fh):
        raise LedgerLockedError("another jixiao run is writing to this folder")

