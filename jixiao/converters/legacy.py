"""Legacy and other word-processor formats (.doc, .wps, .rtf, .odt) through LibreOffice.

Each call converts to .docx with ``soffice --headless`` in a profile directory of its own
while it runs (so calls can run in parallel and never touch a user's profile), under a time
limit after which the whole LibreOffice process group is killed; the result then goes
through the Word path. Profiles are kept for the next call of the same process (a fresh
one costs LibreOffice an eighth more time to set up); one whose call failed is deleted, and
so are those of processes gone (a worker killed at its time limit leaves its own behind).
A .doc whose main text ends inside a table is first repaired on that copy (see
``jixiao.converters.ww8``): LibreOffice would otherwise read its last table as running text.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
from pathlib import Path

from jixiao.converters import ww8
from jixiao.converters.base import Extraction
from jixiao.exceptions import DocumentLoadError, UnsupportedFormatError

TIMEOUT_S = float(os.environ.get("JIXIAO_SOFFICE_TIMEOUT", "120"))
# Suffix LibreOffice is given for each sniffed format (it reads content, but uses the name
# to pick an import filter first).
SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odf": ".odt", "xls": ".xls"}
TARGET = {"xls": "xlsx"}  # spreadsheets become .xlsx; everything else .docx


def soffice() -> str:
    """The LibreOffice binary (``JIXIAO_SOFFICE`` overrides), or a clear error."""
    found = os.environ.get("JIXIAO_SOFFICE") or shutil.which("soffice") or shutil.which(
        "libreoffice"
    )
    if not found:
        raise UnsupportedFormatError(
            "legacy Word/WPS/Excel, RTF and ODT files need LibreOffice (soffice), which is not "
            "installed"
        )
    return found


_PROFILES = "jixiao-lo-profiles-{uid}"  # in the temporary folder; in it, a folder per pid
_idle: list[Path] = []  # this process's profiles not in use
_idle_pid = 0  # the process _idle belongs to (a forked child starts with none)
_folder: tuple[int, Path] | None = None  # (pid, its folder of profiles)
_lock = threading.Lock()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _own_folder(path: Path) -> bool:
    """``path`` is a real folder (no link) of this user: safe to keep profiles in."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == getattr(os, "getuid", int)()


def work_folder() -> Path:
    """This process's folder for LibreOffice's profiles and work files:
    ``<tmp>/jixiao-lo-profiles-<uid>/<pid>``, created on first use, removed when the process
    exits; folders of processes that are gone are removed then too. (A new private folder
    when that one is not this user's own.)"""
    global _folder
    if _folder is not None and _folder[0] == os.getpid():
        return _folder[1]
    root = Path(tempfile.gettempdir()) / _PROFILES.format(uid=getattr(os, "getuid", int)())
    if _own_folder(root):
        for other in root.iterdir():
            if other.name.isdigit() and not _alive(int(other.name)):
                shutil.rmtree(other, ignore_errors=True)
        mine = root / str(os.getpid())
        mine.mkdir(mode=0o700, exist_ok=True)
    else:
        mine = Path(tempfile.mkdtemp(prefix="jixiao-lo-private-"))
    from multiprocessing import util  # runs at exit in pool workers too, unlike atexit

    util.Finalize(None, shutil.rmtree, args=(mine,), kwargs={"ignore_errors": True},
                  exitpriority=0)
    _folder = (os.getpid(), mine)
    return mine


def _take_profile() -> Path:
    """A LibreOffice profile folder for one call: an idle one of this process, or a new one."""
    global _idle_pid
    with _lock:
        if _idle_pid != os.getpid():  # forked: the parent's profiles are not ours
            _idle.clear()
            _idle_pid = os.getpid()
        if _idle:
            return _idle.pop()
    return Path(tempfile.mkdtemp(prefix="profile-", dir=work_folder()))


def run_soffice(
    source: Path, target: str, outdir: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """``soffice --headless --convert-to target`` of ``source`` into ``outdir``; raises
    ``DocumentLoadError`` when it runs over ``timeout`` seconds (it is killed). The profile
    is kept for the next call only when LibreOffice succeeded."""
    binary = soffice()
    profile = _take_profile()
    keep = False
    try:
        done = _run([
            binary, f"-env:UserInstallation={profile.as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", target, "--outdir", str(outdir), str(source),
        ], timeout)
        keep = done.returncode == 0
        return done
    finally:
        if keep:
            with _lock:
                _idle.append(profile)
        else:
            shutil.rmtree(profile, ignore_errors=True)


def failure_reason(done: subprocess.CompletedProcess[str]) -> str:
    """What LibreOffice said when it produced nothing: the end of its output, on one line."""
    return " ".join((done.stderr or done.stdout or "no output").split())[-200:]


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a hung soffice is killed whole
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise DocumentLoadError(
                f"LibreOffice conversion did not finish within {timeout:g} s (killed)"
            ) from None
        return subprocess.CompletedProcess(command, proc.returncode, out, err)


def convert_with_libreoffice(
    path: Path, fmt: str, workdir: Path, timeout: float = TIMEOUT_S
) -> Path:
    """Convert ``path`` into ``workdir``; returns the .docx (.xlsx for spreadsheets) path."""
    target = TARGET.get(fmt, "docx")
    source = workdir / f"input{SUFFIX.get(fmt, '.doc')}"
    shutil.copyfile(path, source)
    if fmt == "doc":
        ww8.repair_final_table(source)
    outdir = workdir / "out"
    done = run_soffice(source, target, outdir, timeout)
    result = outdir / f"input.{target}"
    if done.returncode != 0 or not result.is_file():
        raise DocumentLoadError(
            f"LibreOffice could not convert the file ({failure_reason(done)})"
        )
    return result


def extract(path: Path, fmt: str) -> Extraction:
    from jixiao.converters import docx, xlsx

    reader = xlsx.extract if TARGET.get(fmt) == "xlsx" else docx.extract
    # in this process's folder: what a worker killed at its time limit leaves is removed later
    with tempfile.TemporaryDirectory(prefix="call-", dir=work_folder()) as tmp:
        converted = convert_with_libreoffice(path, fmt, Path(tmp))
        extraction = reader(converted)
    extraction.converted_by = f"LibreOffice ({fmt} → {TARGET.get(fmt, 'docx')})"
    return extraction
