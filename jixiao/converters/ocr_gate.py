"""Whether this process may load the OCR engine: a batch worker that has not loaded it is
asked not to when another worker has, so that one worker reads a mixed archive's few scans
(each worker that loads the engine pays 0.8 s and about 600 MB for it).

Outside the ``ocr`` package on purpose: asking costs nothing (that package imports OpenCV).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

loaded = False  # this process has loaded an OCR model (set by ``ocr.runtime.load``)
_refusing = False


class OcrDeferred(BaseException):
    """This process was asked not to load the OCR engine (``refusing_to_load``) and the
    file needs it: a batch worker gives the file back, for a worker that has it loaded.
    Not an ``Exception``: no converter's "this page cannot be read" handler may take it."""


@contextlib.contextmanager
def refusing_to_load() -> Iterator[None]:
    """Within: a page that needs OCR raises ``OcrDeferred``, unless the engine is loaded."""
    global _refusing
    before, _refusing = _refusing, True
    try:
        yield
    finally:
        _refusing = before


def check() -> None:
    """Raise ``OcrDeferred`` when OCR is about to be needed here and may not be loaded."""
    if _refusing and not loaded:
        raise OcrDeferred
