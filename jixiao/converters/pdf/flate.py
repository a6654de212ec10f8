"""Flate (zlib) streams of a PDF, inflated under ``PDF_STREAM_BYTES``.

A PDF stream of about 1 MB can inflate to gigabytes: a content stream, but also the
cross-reference or object streams pdfminer decodes as soon as the file is opened. pdfminer
inflates each stream whole (``zlib.decompress``), and a stream whose checksum is wrong
again byte by byte into a growing ``bytes`` (quadratic: hours for a gigabyte). While jixiao
reads a PDF, ``bounded_pdfminer`` gives pdfminer this module's inflater instead: the same
result for every stream under the cap, linear time, and a ``TooLargeError`` for a stream
past it. PDFium reads a page only after ``integrity.check_page`` has inflated that page's
content streams here (counted, not kept).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from jixiao.limits import PDF_STREAM_BYTES, too_large

_SLICE = 1 << 20


def inflate(data: bytes, *, complete: bool = True, keep: bool = True) -> bytes:
    """``data`` inflated in counted slices (returned when ``keep``, else dropped).

    Raises ``zlib.error`` as ``zlib.decompress`` does, also when ``complete`` and the stream
    does not end within ``data``; ``TooLargeError`` past ``PDF_STREAM_BYTES``.
    """
    inflater = zlib.decompressobj()
    out = bytearray()
    total, cap = 0, PDF_STREAM_BYTES.value()
    pending = data
    while True:
        piece = inflater.decompress(pending, _SLICE)
        total += len(piece)
        if total > cap:
            raise too_large("a compressed stream inflates past the size limit "
                            "(decompression bomb?)", cap, PDF_STREAM_BYTES)
        if keep:
            out += piece
        pending = inflater.unconsumed_tail
        if inflater.eof or not (pending or piece):
            break
    if complete and not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    return bytes(out)


def inflate_lenient(data: bytes, keep: bool = True) -> bytes:
    """pdfminer's recovery of a stream that does not inflate cleanly: all it gives, cut short
    or not, when the error (if any) is in its last three bytes (the checksum); an error
    before them is an error."""
    try:
        return inflate(data, complete=False, keep=keep)
    except zlib.error:
        return inflate(data[:-3], complete=False, keep=keep)


def inflates(data: bytes, bad_checksum_ok: bool = True) -> bool:
    """True when ``data`` is a whole zlib stream (a bad checksum at its very end is allowed
    unless ``bad_checksum_ok`` is false, as pdfminer allows it). Nothing is kept."""
    try:
        inflate(data, keep=False)
        return True
    except zlib.error:
        if not bad_checksum_ok:
            return False
    try:
        inflate_lenient(data, keep=False)
        return True
    except zlib.error:
        return False


class _BoundedZlib:
    """What pdfminer's ``pdftypes`` module sees as ``zlib`` inside ``bounded_pdfminer``."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        return inflate(data)


@contextmanager
def bounded_pdfminer() -> Iterator[None]:
    """pdfminer inflates streams with ``inflate`` (and ``inflate_lenient`` where it would
    have recovered a stream byte by byte) until the block ends."""
    from pdfminer import pdftypes

    module = vars(pdftypes)
    saved = {name: module[name] for name in ("zlib", "decompress_corrupted")}
    module.update(zlib=_BoundedZlib, decompress_corrupted=inflate_lenient)
    try:
        yield
    finally:
        module.update(saved)
