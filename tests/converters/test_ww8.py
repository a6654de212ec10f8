"""The .doc repair that LibreOffice needs when a document's main text ends inside a table:
one paragraph mark appended after the table, in place, and nothing done to any other file."""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import pytest

from jixiao.converters import ww8
from tests.conftest import SEEDS

LAOTING = SEEDS / "laoting-2024.doc"  # main text ends with the last table's row-end mark
YUANJIANG = SEEDS / "yuanjiang-2024.doc"  # ends with a paragraph after its last table


def _main_text_end(path: Path) -> tuple[int, str]:
    """(ccpText, the last three characters of the main text) of a .doc."""
    doc = ww8.Compound(bytearray(path.read_bytes()))
    word = doc.stream("WordDocument")
    assert word is not None
    wd = word.read()
    fib = ww8._Fib(wd)
    table = doc.stream(fib.table_stream)
    assert table is not None
    _, end, width = ww8._last_piece(table.read(), fib)
    tail = wd[end - 3 * width : end].decode("utf-16-le" if width == 2 else "cp1252")
    return fib.ccp(0), tail


def test_a_doc_ending_in_a_table_gets_a_paragraph_mark_after_it(tmp_path: Path) -> None:
    copy = tmp_path / "in.doc"
    shutil.copyfile(LAOTING, copy)
    ccp, tail = _main_text_end(copy)
    assert tail == "划\x07\x07"  # a cell's mark, then the row-end mark: no paragraph after
    assert ww8.repair_final_table(copy)
    assert _main_text_end(copy) == (ccp + 1, "\x07\x07\r")
    before, after = LAOTING.read_bytes(), copy.read_bytes()
    assert len(after) == len(before)  # repaired in place: no stream moves or grows
    assert sum(a != b for a, b in zip(before, after, strict=True)) <= 16
    assert not ww8.repair_final_table(copy)  # and only once


def test_the_new_paragraph_has_default_properties(tmp_path: Path) -> None:
    copy = tmp_path / "in.doc"
    shutil.copyfile(LAOTING, copy)
    ww8.repair_final_table(copy)
    doc = ww8.Compound(bytearray(copy.read_bytes()))
    word, table = doc.stream("WordDocument"), doc.stream("1Table")
    assert word is not None and table is not None
    wd, tb = word.read(), table.read()
    fib = ww8._Fib(wd)
    last, n = ww8._plc_last(tb, fib, 13, 4)
    _, end, _ = ww8._last_piece(tb, fib)
    assert struct.unpack_from("<I", tb, last)[0] == end
    page = (struct.unpack_from("<I", tb, last + 4 + 4 * (n - 1))[0] & 0x3FFFFF) * 512
    crun = wd[page + 511]
    runs = struct.unpack_from(f"<{crun + 1}I", wd, page)
    assert runs[-2:] == (end - 2, end)  # a run of its own: the row-end mark's keeps its own
    assert wd[page + 4 * (crun + 1) + 13 * (crun - 1)] == 0  # no PAPX: default properties


def test_a_doc_that_ends_with_a_paragraph_is_left_alone(tmp_path: Path) -> None:
    copy = tmp_path / "in.doc"
    shutil.copyfile(YUANJIANG, copy)
    assert not ww8.repair_final_table(copy)
    assert copy.read_bytes() == YUANJIANG.read_bytes()


def test_no_free_space_after_the_text_means_no_repair(tmp_path: Path) -> None:
    data = bytearray(LAOTING.read_bytes())
    doc = ww8.Compound(data)
    word = doc.stream("WordDocument")
    assert word is not None
    wd = word.read()
    fib = ww8._Fib(wd)
    table = doc.stream(fib.table_stream)
    assert table is not None
    _, end, _ = ww8._last_piece(table.read(), fib)
    wd[end : end + 2] = b"xx"  # something, not padding, right after the text
    word.write(wd)
    copy = tmp_path / "in.doc"
    copy.write_bytes(data)
    assert not ww8.repair_final_table(copy)
    assert copy.read_bytes() == bytes(data)


def test_small_streams_are_read_from_the_mini_stream() -> None:
    doc = ww8.Compound(bytearray(LAOTING.read_bytes()))
    summary = doc.stream("\x05SummaryInformation")  # 272 bytes: under the 4096-byte cutoff
    assert summary is not None
    data = summary.read()
    assert len(data) == 272 and data[:2] == b"\xfe\xff"  # a property set's byte order mark
    assert doc.stream("NoSuchStream") is None


@pytest.mark.parametrize("content", [b"", b"plain text", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_what_is_not_a_doc_is_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.doc"
    path.write_bytes(content)
    assert not ww8.repair_final_table(path)
    assert path.read_bytes() == content


def test_damaged_files_never_raise(tmp_path: Path) -> None:
    original = LAOTING.read_bytes()
    rng = random.Random(20240)
    path = tmp_path / "in.doc"
    for trial in range(150):
        data = bytearray(original[: rng.randrange(512, len(original))] if trial % 5 == 0
                         else original)
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(data)
        assert ww8.repair_final_table(path) in (True, False)
        assert len(path.read_bytes()) == len(data)
