"""Legacy and other word-processor formats (.doc, .wps, .rtf, .odt) through LibreOffice.

Each call converts to .docx with ``soffice --headless`` in a private profile directory (so
calls can run in parallel and never touch a user's profile), under a time limit after which
the whole LibreOffice process group is killed; the result then goes through the Word path.
A .doc whose main text ends inside a table is first repaired on that copy (see
``jixiao.converters.ww8``): LibreOffice would otherwise read its last table as running text.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
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
    command = [
        soffice(),
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", target, "--outdir", str(outdir), str(source),
    ]
    done = _run(command, timeout)
    result = outdir / f"input.{target}"
    if done.returncode != 0 or not result.is_file():
        reason = " ".join((done.stderr or done.stdout or "no output").split())[-200:]
        raise DocumentLoadError(f"LibreOffice could not convert the file ({reason})")
    return result


def extract(path: Path, fmt: str) -> Extraction:
    from jixiao.converters import docx, xlsx

    reader = xlsx.extract if TARGET.get(fmt) == "xlsx" else docx.extract
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        converted = convert_with_libreoffice(path, fmt, Path(tmp))
        extraction = reader(converted)
    extraction.converted_by = f"LibreOffice ({fmt} → {TARGET.get(fmt, 'docx')})"
    return extraction
