"""``OUT/_manifest.jsonl``: what a batch has finished, so that a rerun resumes.

Append-only; one JSON object per finished file (converted or failed), handed to the
operating system in one ``write`` as the file finishes: a kill, even ``kill -9``, loses no
finished file. Lines are fsync'd together at most ``SYNC_INTERVAL`` apart and on close (one
fsync per file cost the parent a fifth of a core on small files): a power cut can lose the
last fraction of a second of lines, and those files are converted again on the rerun, their
outputs replaced whole. A line cut short (the last one) is dropped when the manifest is
opened; any other line that does not parse is ignored. Records are keyed by the file's
sha256 (with its output name, since an archive can hold the same file twice): a file is
done when its latest record says ``ok`` and its outputs are all present. The open manifest
holds an exclusive lock (``flock``), so two batches never write to one OUT at the same time.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Any

from jixiao.batch.task import FileResult

MANIFEST_NAME = "_manifest.jsonl"
SYNC_INTERVAL = 0.5  # seconds between two fsyncs of the manifest at most
_KEYS = ("sha256", "rel", "out_stem", "status")


class ManifestLockedError(Exception):
    """Another batch holds this OUT folder."""


def _lock(fh: IO[bytes]) -> None:
    try:
        import fcntl
    except ImportError:  # no flock on this platform: run unguarded
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ManifestLockedError("another jixiao batch is writing to this folder") from None


class Manifest:
    def __init__(self, path: Path, fh: IO[bytes], records: list[FileResult]) -> None:
        self.path = path
        self._fh = fh
        self._done: dict[tuple[str, str], FileResult] = {}
        self._by_rel: dict[str, FileResult] = {}
        self._ok_keys: dict[str, int] = {}  # out_stem: how many of its _done records are ok
        self.lines = 0
        self._synced_at = time.monotonic()
        self._unsynced = False
        for record in records:
            self._remember(record)

    @classmethod
    def open(cls, out: Path) -> Manifest:
        """Open (or create) and lock ``out/_manifest.jsonl``; drop a cut-off last line."""
        path = out / MANIFEST_NAME
        fh = path.open("a+b")
        try:
            _lock(fh)
            fh.seek(0)
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
                os.fsync(fh.fileno())
            records = []
            for line in data.splitlines(keepends=True):
                if not line.endswith(b"\n"):
                    break
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and all(isinstance(record.get(k), str) for k in _KEYS):
                    records.append(record)
        except BaseException:
            fh.close()
            raise
        return cls(path, fh, records)

    def _remember(self, record: FileResult) -> None:
        stem = record["out_stem"]
        key = (record["sha256"], stem)
        ok = self._ok_keys
        before = self._done.get(key)
        if before is not None and before["status"] == "ok":
            ok[stem] -= 1
        if record["status"] == "ok":
            ok[stem] = ok.get(stem, 0) + 1
        self._done[key] = record
        self._by_rel[record["rel"]] = record
        self.lines += 1

    def may_be_done(self, out_stem: str) -> bool:
        """Whether some content converted to ``out_stem`` is on record (``done`` can only
        say yes for such a stem): a file whose stem is not needs no hashing to be planned."""
        return self._ok_keys.get(out_stem, 0) > 0

    def known_sha256(self, rel: str, size: int, mtime_ns: int) -> str | None:
        """The sha256 recorded for this path when its size and mtime are unchanged (saves
        hashing the whole archive again on every rerun)."""
        record = self._by_rel.get(rel)
        if record and record.get("size") == size and record.get("mtime_ns") == mtime_ns:
            sha = record["sha256"]
            return sha if isinstance(sha, str) else None
        return None

    def done(self, sha256: str, out_stem: str, out: Path, formats: list[str]) -> FileResult | None:
        """The record of a finished conversion of this content to these outputs, when its
        outputs (every format asked for now) are all there; else None (to convert)."""
        record = self._done.get((sha256, out_stem))
        if record is None or record["status"] != "ok":
            return None
        outputs = record.get("outputs") or []
        wanted = [f"{out_stem}.{fmt}" for fmt in formats]
        if any(w not in outputs or not (out / w).is_file() for w in wanted):
            return None
        return record

    def append(self, record: dict[str, Any]) -> None:
        """Add one finished file: written whole at once; fsync'd with the lines of the last
        ``SYNC_INTERVAL`` (see the module's note)."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._fh.write(line.encode("utf-8"))
        self._fh.flush()
        self._unsynced = True
        if time.monotonic() - self._synced_at >= SYNC_INTERVAL:
            self.sync()
        self._remember(record)

    def sync(self) -> None:
        """fsync what was appended."""
        if self._unsynced:
            os.fsync(self._fh.fileno())
            self._unsynced = False
        self._synced_at = time.monotonic()

    def close(self) -> None:
        try:
            if not self._fh.closed:
                self.sync()
        finally:
            self._fh.close()
