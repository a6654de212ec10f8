"""``OUT/_manifest.jsonl``: what a batch has finished, so that a rerun resumes.

Append-only; one JSON object per finished file (converted or failed), handed to the
operating system in one ``write`` as the file finishes: a kill, even ``kill -9``, loses no
finished file. Durability is committed in groups, by a thread, at most ``SYNC_INTERVAL``
apart and on close: the manifest is fsync'd, or, with ``sync_outputs`` (a local batch,
whose workers write outputs without an fsync each), the whole file system of OUT is synced
(``syncfs``: outputs and manifest in one flush; an fsync per file made the workers wait
on the disk a tenth of the time). A power cut can lose the last fraction of a second: lines
that did not reach the disk are converted again on the rerun (outputs replaced whole), and
a line that did while its outputs did not is caught by the sizes it records: an output of
another size than recorded is converted again. A line cut short (the last one) is dropped
when the manifest is opened; any other line that does not parse is ignored. Records are
keyed by the file's sha256 (with its output name, since an archive can hold the same file
twice): a file is done when its latest record says ``ok`` and its outputs are all present,
at their recorded sizes. The open manifest holds an exclusive lock (``flock``), so two
batches never write to one OUT at the same time.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, cast

from jixiao.batch.task import ManifestRecord
from jixiao.ledger import BATCH_NAMES, lock_exclusive

MANIFEST_NAME = BATCH_NAMES[1]
SYNC_INTERVAL = 0.5  # seconds from a finished file to its commit, at most
_KEYS = ("sha256", "rel", "out_stem", "status")


class ManifestLockedError(Exception):
    """Another batch holds this OUT folder."""


def sync_filesystem(folder: Path) -> None:
    """Flush every file of ``folder``'s file system to the disk (Linux ``syncfs``; where
    there is none, ``sync``). Raises ``OSError`` when the system reports a write error."""
    try:
        import ctypes

        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError, TypeError):  # not Linux: sync everything
        if hasattr(os, "sync"):
            os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno), str(folder))
    finally:
        os.close(fd)


class _Committer:
    """Runs ``commit`` in a thread, ``interval`` after it is marked dirty at most, so the
    batch's loop never waits on the disk. The first error stops it and is kept."""

    def __init__(self, commit: Callable[[], None], interval: float) -> None:
        self._commit, self._interval = commit, interval
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self.error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="manifest-sync", daemon=True)
        self._thread.start()

    def mark(self) -> None:
        self._dirty.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait()
            if self._stop.wait(self._interval):
                return
            self._dirty.clear()  # before: what is written during the commit waits for the next
            try:
                self._commit()
            except OSError as exc:
                self.error = exc
                return

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        self._thread.join()


def _lock(fh: IO[bytes]) -> None:
    if not lock_exclusive(fh):
        raise ManifestLockedError("another jixiao batch is writing to this folder")


def _output_intact(path: Path, size: Any) -> bool:
    """``path`` is a file, of ``size`` bytes when a size was recorded."""
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (not isinstance(size, int) or info.st_size == size)


class Manifest:
    def __init__(
        self, path: Path, fh: IO[bytes], records: list[ManifestRecord],
        sync_outputs: bool = False,
    ) -> None:
        self.path = path
        self._fh = fh
        self._done: dict[tuple[str, str], ManifestRecord] = {}
        self._by_rel: dict[str, ManifestRecord] = {}
        self._ok_keys: dict[str, int] = {}  # out_stem: how many of its _done records are ok
        self.lines = 0
        self.sync_outputs = sync_outputs
        for record in records:
            self._remember(record)
        self._committer = _Committer(self._commit, SYNC_INTERVAL)

    @classmethod
    def open(cls, out: Path, sync_outputs: bool = False) -> Manifest:
        """Open (or create) and lock ``out/_manifest.jsonl``; drop a cut-off last line.
        ``sync_outputs``: each commit syncs OUT's file system (the outputs were written
        without an fsync), not only the manifest."""
        path = out / MANIFEST_NAME
        fh = path.open("a+b")
        try:
            _lock(fh)
            fh.seek(0)
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
                os.fsync(fh.fileno())
            records: list[ManifestRecord] = []
            for line in data.splitlines(keepends=True):
                if not line.endswith(b"\n"):
                    break
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and all(isinstance(record.get(k), str) for k in _KEYS):
                    # (a line of an older jixiao may lack the newer keys: read with .get)
                    records.append(cast(ManifestRecord, record))
        except BaseException:
            fh.close()
            raise
        return cls(path, fh, records, sync_outputs)

    def _remember(self, record: ManifestRecord) -> None:
        stem = record["out_stem"]
        key = (record["sha256"] or "", stem)
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

    def done(self, sha256: str, out_stem: str, out: Path, formats: list[str],
             pdf_settings: Mapping[str, float] | None = None) -> ManifestRecord | None:
        """The record of a finished conversion of this content to these outputs, when its
        outputs (every format asked for now) are all there, at their recorded sizes, and a
        PDF's were made with the PDF settings asked for now (``pdf_settings``: those that
        differ from the defaults); else None (to convert)."""
        record = self._done.get((sha256, out_stem))
        if record is None or record["status"] != "ok":
            return None
        if record.get("format") == "pdf" and record.get("pdf_settings", {}) != dict(
            pdf_settings or {}
        ):
            return None
        outputs = record.get("outputs") or []
        sizes = record.get("output_sizes")
        sizes = sizes if isinstance(sizes, dict) else {}
        for wanted in (f"{out_stem}.{fmt}" for fmt in formats):
            if wanted not in outputs or not _output_intact(out / wanted, sizes.get(wanted)):
                return None
        return record

    def wrote(self, rel: str, output: str, sha256: Callable[[], str | None]) -> bool:
        """Whether a batch recorded ``output`` (relative to OUT) as written for the input at
        ``rel`` or for the same content (``sha256``, asked only when needed): a batch's
        output from before the ledger."""
        records = [r for r in self._done.values()
                   if r["status"] == "ok" and output in (r.get("outputs") or [])]
        if any(r["rel"] == rel for r in records):
            return True
        return bool(records) and any(r["sha256"] == sha256() for r in records)

    def append(self, record: ManifestRecord) -> None:
        """Add one finished file: written whole at once; made durable with the lines of the
        last ``SYNC_INTERVAL`` (see the module's note)."""
        try:
            data = _json_line(record, ascii_only=False)
        except UnicodeEncodeError:  # a file name that is not UTF-8: kept as escapes
            data = _json_line(record, ascii_only=True)
        self._fh.write(data)
        self._fh.flush()
        self._committer.mark()
        self._remember(record)

    def _commit(self) -> None:
        if self.sync_outputs:  # outputs and manifest: one flush of the file system
            sync_filesystem(self.path.parent)
        else:
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        """The last commit, then the lock goes. Raises ``OSError`` when a commit failed
        (the disk refused a write: what was finished may not be on it)."""
        try:
            self._committer.stop()
            if not self._fh.closed:
                if self._committer.error is not None:
                    raise self._committer.error
                self._commit()
        finally:
            self._fh.close()


def _json_line(record: ManifestRecord, ascii_only: bool) -> bytes:
    text = json.dumps(record, ensure_ascii=ascii_only, separators=(",", ":")) + "\n"
    return text.encode("utf-8")
