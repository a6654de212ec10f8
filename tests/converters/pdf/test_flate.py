"""Bounded inflating of PDF streams: pdfminer's results for every stream under the cap
(whole, checksum wrong, cut short, corrupt), linear time, and a refusal past the cap."""

from __future__ import annotations

import zlib

import pytest
from pdfminer import pdftypes

from jixiao.converters.pdf.flate import bounded_pdfminer, inflate, inflate_lenient, inflates
from jixiao.limits import TooLargeError

TEXT = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 2000
GOOD = zlib.compress(TEXT)
BAD_CHECKSUM = GOOD[:-4] + b"\0\0\0\0"
CUT = GOOD[: len(GOOD) // 2]
CORRUPT = GOOD[:20] + b"\xff" * 40 + GOOD[60:]


def pdfminer_recovers(data: bytes) -> bytes | None:
    """What pdfminer's own byte-by-byte recovery gives (None: it fails)."""
    try:
        return pdftypes.decompress_corrupted(data)
    except zlib.error:
        return None


@pytest.mark.parametrize("data", [GOOD, BAD_CHECKSUM, CUT, CORRUPT],
                         ids=["good", "bad-checksum", "cut", "corrupt"])
def test_lenient_inflate_gives_what_pdfminer_recovers(data: bytes) -> None:
    expected = pdfminer_recovers(data)
    try:
        got: bytes | None = inflate_lenient(data)
    except zlib.error:
        got = None
    assert got == expected
    assert inflates(data) is (expected is not None)


def test_strict_check_wants_a_whole_stream_with_its_checksum() -> None:
    assert inflate(GOOD) == TEXT
    assert inflates(GOOD, bad_checksum_ok=False)
    for data in (BAD_CHECKSUM, CUT, CORRUPT):
        assert not inflates(data, bad_checksum_ok=False)
        with pytest.raises(zlib.error):
            inflate(data)


def test_past_the_cap_is_refused_whatever_the_checksum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PDF_STREAM_BYTES", "10000")
    for data in (GOOD, BAD_CHECKSUM):
        with pytest.raises(TooLargeError, match="JIXIAO_MAX_PDF_STREAM_BYTES"):
            inflates(data)


def test_pdfminer_inflates_through_the_cap_only_inside_the_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PDF_STREAM_BYTES", "10000")
    stream = pdftypes.PDFStream({"Filter": pdftypes.LITERALS_FLATE_DECODE[0]}, GOOD)
    with bounded_pdfminer(), pytest.raises(TooLargeError):
        stream.decode()
    assert vars(pdftypes)["zlib"] is zlib
    assert pdftypes.decompress_corrupted.__module__ == "pdfminer.pdftypes"
    stream.decode()
    assert stream.data == TEXT
