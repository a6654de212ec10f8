"""PDF output: the standardized DOCX printed by LibreOffice (``soffice --headless``), as the
legacy converters run it (``legacy.run_soffice``: a profile of its own per call, the same
time limit, ``JIXIAO_SOFFICE_TIMEOUT``). Without a Chinese font LibreOffice would print boxes
for every character: that is refused with the reason instead (``jixiao.writers.fonts``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jixiao.converters import legacy
from jixiao.exceptions import JixiaoError, UsageError
from jixiao.schemas import Document
from jixiao.writers import fonts


class WriterUnavailableError(UsageError, OSError):
    """An output format that cannot be made here (no LibreOffice, or it failed).

    Also an ``OSError``, like any other failure to produce an output file, so
    ``jixiao convert`` reports it as that file's error and goes on with the others.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _soffice() -> str:
    try:
        return legacy.soffice()
    except JixiaoError:
        raise WriterUnavailableError(
            "PDF output needs LibreOffice (soffice), which is not installed"
        ) from None


def _chinese_font() -> None:
    if not fonts.cjk_font_installed():
        raise WriterUnavailableError(
            f"PDF output needs a Chinese font ({fonts.INSTALL_HINT}); none is installed"
        )


def docx_to_pdf(data: bytes, timeout: float | None = None) -> bytes:
    """Print a .docx (bytes) to PDF with LibreOffice."""
    _soffice()  # a clear error when there is none
    _chinese_font()  # or when it would print boxes
    with tempfile.TemporaryDirectory(prefix="pdf-", dir=legacy.work_folder()) as tmp:
        work = Path(tmp)
        source = work / "form.docx"
        source.write_bytes(data)
        outdir = work / "out"
        try:
            done = legacy.run_soffice(
                source, "pdf", outdir, legacy.TIMEOUT_S if timeout is None else timeout
            )
        except JixiaoError as exc:  # the time limit: LibreOffice was killed
            raise WriterUnavailableError(f"PDF output: {exc}") from None
        result = outdir / "form.pdf"
        if done.returncode != 0 or not result.is_file():
            raise WriterUnavailableError(
                f"LibreOffice could not print the PDF ({legacy.failure_reason(done)})"
            )
        return result.read_bytes()


def render_pdf(document: Document) -> bytes:
    from jixiao.writers.docx.document import render

    return docx_to_pdf(render(document))
