"""Repair a Word 97-2003 (.doc) file whose main text ends inside a table, before LibreOffice.

Word always ends a document's main text with a paragraph mark, after the last table if need
be ([MS-DOC] 2.3.1: "the last character in the main document MUST be a paragraph mark"). A .doc
written by another program may end the text with the last table's row-end mark instead:
LibreOffice's own export does so for a .docx whose body ends with a table (as
python-docx writes them). LibreOffice's .doc import then reads that whole last table as
running text, whatever the output format, so a document loses its last form.

``repair_final_table`` appends one plain paragraph mark after that table, in place, on the
caller's copy of the file: the mark goes into the zero padding after the text in the
WordDocument stream, and the main text length (FIB ``ccpText``), the piece table, the section
table and the paragraph-property tables (a new run with default properties in the last
PapxFkp page) are extended by it. No stream changes size, so the compound file keeps its
layout. Anything that does not fit this simple case (other sub-documents, no room, encrypted,
damaged) is left as it is.
"""

from __future__ import annotations

import struct
from pathlib import Path

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_SID = 0xFFFFFFFA  # sector ids above this are markers (end of chain, free, FAT, DIFAT)
_NOSTREAM = 0xFFFFFFFF
_PAGE = 512  # WordDocument FKP pages
_WIDENT = 0xA5EC
_NFIB_WORD97 = 0x00C1
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
_COMPRESSED = 0x40000000
_CELL_MARK = 0x07
_PARA_MARK = 0x0D
_FC_SED, _FC_BTE_CHPX, _FC_BTE_PAPX, _FC_CLX = 6, 12, 13, 33
_MAX_PAPX_RUNS = 0x1D


class Unfit(ValueError):
    """The file is not the simple case the repair handles (it is then left unchanged)."""


def _u16(buf: bytes | bytearray, at: int) -> int:
    value: int = struct.unpack_from("<H", buf, at)[0]
    return value


def _u32(buf: bytes | bytearray, at: int) -> int:
    value: int = struct.unpack_from("<I", buf, at)[0]
    return value


class _Stream:
    """A stream of a compound file as (file offset, length) pieces, read and written in place."""

    def __init__(self, data: bytearray, extents: list[tuple[int, int]]) -> None:
        self.data, self.extents = data, extents

    def read(self) -> bytearray:
        return bytearray(b"".join(self.data[o : o + n] for o, n in self.extents))

    def write(self, content: bytes | bytearray) -> None:
        at = 0
        for offset, n in self.extents:
            self.data[offset : offset + n] = content[at : at + n]
            at += n
        if at != len(content):
            raise Unfit("stream size changed")


class Compound:
    """The little of the compound file format needed to find and rewrite top-level streams."""

    def __init__(self, data: bytearray) -> None:
        if data[:8] != OLE2_MAGIC or len(data) < 512:
            raise Unfit("not a compound file")
        self.data = data
        self.ssz = 1 << _u16(data, 0x1E)
        self.mini = 1 << _u16(data, 0x20)
        if self.ssz not in (512, 4096) or self.mini != 64:
            raise Unfit("unusual sector sizes")
        self.major = _u16(data, 0x1A)
        self.cutoff = _u32(data, 0x38)
        self.fat = self._table(self._fat_sectors())
        self.dir = self._bytes(self._chain(_u32(data, 0x30), self.fat))
        root = self._entry(0)
        self.mini_fat = self._table(self._chain(_u32(data, 0x3C), self.fat))
        self.mini_sectors = self._chain(root[1], self.fat)

    def _offset(self, sid: int) -> int:
        at = (sid + 1) * self.ssz
        if at >= len(self.data):
            raise Unfit("sector outside the file")
        return at

    def _fat_sectors(self) -> list[int]:
        count = _u32(self.data, 0x2C)
        sids = [_u32(self.data, 0x4C + 4 * k) for k in range(109)]
        nxt, per = _u32(self.data, 0x44), self.ssz // 4 - 1
        for _ in range(min(_u32(self.data, 0x48), len(self.data) // self.ssz)):
            if nxt >= _MAX_SID:
                break
            at = self._offset(nxt)
            sids += [_u32(self.data, at + 4 * k) for k in range(per)]
            nxt = _u32(self.data, at + 4 * per)
        if count > len(sids):
            raise Unfit("FAT sectors missing")
        return sids[:count]

    def _table(self, sids: list[int]) -> list[int]:
        raw = self._bytes(sids)
        return list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

    def _bytes(self, sids: list[int]) -> bytes:
        return b"".join(self.data[self._offset(s) : self._offset(s) + self.ssz] for s in sids)

    @staticmethod
    def _chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        sid = start
        while sid < _MAX_SID:
            if sid >= len(table) or len(out) > len(table):
                raise Unfit("broken sector chain")
            out.append(sid)
            sid = table[sid]
        return out

    def _entry(self, index: int) -> tuple[str, int, int, int, int, int]:
        """(name, start sector, size, left, right, child) of directory entry ``index``."""
        at = index * 128
        if at + 128 > len(self.dir):
            raise Unfit("directory entry outside the directory")
        e = self.dir[at : at + 128]
        name = e[: max(0, min(_u16(e, 0x40), 64) - 2)].decode("utf-16-le", "replace")
        size = struct.unpack_from("<Q", e, 0x78)[0]
        if self.major == 3:
            size &= 0xFFFFFFFF
        return name, _u32(e, 0x74), size, _u32(e, 0x44), _u32(e, 0x48), _u32(e, 0x4C)

    def stream(self, name: str) -> _Stream | None:
        """The top-level stream ``name`` (the root storage's children only), or None."""
        pending, seen = [self._entry(0)[5]], set()
        while pending:
            index = pending.pop()
            if index == _NOSTREAM or index in seen:
                continue
            seen.add(index)
            entry = self._entry(index)
            if entry[0] == name:
                return self._extents(entry[1], entry[2])
            pending += [entry[3], entry[4]]
        return None

    def _extents(self, start: int, size: int) -> _Stream:
        if size >= self.cutoff:
            places = [(self._offset(s), self.ssz) for s in self._chain(start, self.fat)]
        else:
            places = []
            for m in self._chain(start, self.mini_fat):
                sector, within = divmod(m * self.mini, self.ssz)
                if sector >= len(self.mini_sectors):
                    raise Unfit("mini sector outside the mini stream")
                places.append((self._offset(self.mini_sectors[sector]) + within, self.mini))
        extents, left = [], size
        for offset, n in places:
            if left <= 0:
                break
            take = min(n, left)
            if offset + take > len(self.data):
                raise Unfit("stream runs past the end of the file")
            extents.append((offset, take))
            left -= take
        if left > 0:
            raise Unfit("stream shorter than its size")
        return _Stream(self.data, extents)


class _Fib:
    """Where the FIB keeps the numbers the repair reads and changes."""

    def __init__(self, wd: bytearray) -> None:
        if _u16(wd, 0) != _WIDENT or _u16(wd, 2) < _NFIB_WORD97:
            raise Unfit("not a Word 97-2003 document")
        self.flags = _u16(wd, 0x0A)
        if self.flags & _F_ENCRYPTED:
            raise Unfit("encrypted")
        at = 32 + 2 + 2 * _u16(wd, 32)
        cslw = _u16(wd, at)
        self.lw = at + 2
        at = self.lw + 4 * cslw
        cb = _u16(wd, at)
        self.fclcb = at + 2
        if cslw < 11 or cb <= _FC_CLX:
            raise Unfit("FIB too short")
        self.wd = wd

    @property
    def table_stream(self) -> str:
        return "1Table" if self.flags & _F_WHICH_TABLE else "0Table"

    def ccp(self, k: int) -> int:
        """ccpText (0), ccpFtn (1), ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx (7)."""
        return _u32(self.wd, self.lw + 12 + 4 * k)

    def fc_lcb(self, k: int) -> tuple[int, int]:
        fc, lcb = struct.unpack_from("<II", self.wd, self.fclcb + 8 * k)
        return int(fc), int(lcb)


def _plc_last(tb: bytearray, fib: _Fib, k: int, item: int) -> tuple[int, int]:
    """(offset in the table stream of the last CP/FC of PLC ``k``, its count of items)."""
    fc, lcb = fib.fc_lcb(k)
    n = (lcb - 4) // (4 + item)
    if n < 1 or 4 + n * (4 + item) != lcb or fc + lcb > len(tb):
        raise Unfit(f"PLC {k} malformed")
    return fc + 4 * n, n


def _last_piece(tb: bytearray, fib: _Fib) -> tuple[int, int, int]:
    """(table-stream offset of the piece table's last CP, WordDocument offset after the main
    text, bytes per character of the last piece)."""
    fc, lcb = fib.fc_lcb(_FC_CLX)
    at, end = fc, fc + lcb
    while at < end and tb[at] == 0x01:  # Prc: property modifiers for pieces
        at += 3 + _u16(tb, at + 1)
    if at >= end or tb[at] != 0x02:
        raise Unfit("no piece table")
    size = _u32(tb, at + 1)
    n = (size - 4) // 12
    plc = at + 5
    if n < 1 or plc + size > end:
        raise Unfit("piece table malformed")
    cp_start, cp_end = _u32(tb, plc + 4 * (n - 1)), _u32(tb, plc + 4 * n)
    pcd = plc + 4 * (n + 1) + 8 * (n - 1)
    raw, prm = _u32(tb, pcd + 2), _u16(tb, pcd + 6)
    if cp_end != fib.ccp(0):
        raise Unfit("piece table does not end with the main text")
    if prm:  # properties for the whole piece, which the new mark would take on too
        raise Unfit("the last piece has properties of its own")
    width = 1 if raw & _COMPRESSED else 2
    start = (raw & ~_COMPRESSED) // 2 if raw & _COMPRESSED else raw
    return plc + 4 * n, start + (cp_end - cp_start) * width, width


def _add_paragraph_run(wd: bytearray, tb: bytearray, fib: _Fib, end: int, width: int) -> None:
    """Give the new mark at ``end`` a paragraph run of its own with default properties."""
    last, n = _plc_last(tb, fib, _FC_BTE_PAPX, 4)
    if _u32(tb, last) != end:
        raise Unfit("paragraph runs do not end with the text")
    page = (_u32(tb, last + 4 + 4 * (n - 1)) & 0x3FFFFF) * _PAGE
    if page + _PAGE > len(wd):
        raise Unfit("paragraph page outside the stream")
    crun = wd[page + _PAGE - 1]
    if crun < 1 or crun >= _MAX_PAPX_RUNS or _u32(wd, page + 4 * crun) != end:
        raise Unfit("last paragraph page does not end with the text")
    fcs = struct.unpack_from(f"<{crun + 1}I", wd, page)
    bx = [wd[page + 4 * (crun + 1) + 13 * i : page + 4 * (crun + 1) + 13 * (i + 1)]
          for i in range(crun)]
    header = struct.pack(f"<{crun + 2}I", *fcs, end + width) + b"".join(bx) + bytes(13)
    if len(header) > min([2 * b[0] for b in bx if b[0]] or [_PAGE - 1]):
        raise Unfit("no room for another paragraph run")
    wd[page : page + len(header)] = header
    wd[page + _PAGE - 1] = crun + 1
    struct.pack_into("<I", tb, last, end + width)


def _pages(tb: bytearray, fib: _Fib) -> set[int]:
    """The WordDocument pages holding character and paragraph property runs."""
    pages = set()
    for k in (_FC_BTE_CHPX, _FC_BTE_PAPX):
        last, n = _plc_last(tb, fib, k, 4)
        pages |= {_u32(tb, last + 4 + 4 * i) & 0x3FFFFF for i in range(n)}
    return pages


def repair_streams(wd: bytearray, tb: bytearray) -> bool:
    """Append the paragraph mark to the WordDocument and table streams (same sizes).

    Returns False (nothing changed) when the main text already ends with a paragraph mark;
    raises ``Unfit`` when it does not but the file is not the case handled here.
    """
    fib = _Fib(wd)
    if any(fib.ccp(k) for k in range(1, 8)):
        raise Unfit("the document has footnotes, headers or other sub-documents")
    piece_end, end, width = _last_piece(tb, fib)
    if end < width or end + width > len(wd):
        raise Unfit("text outside the stream")
    last = int.from_bytes(wd[end - width : end], "little")
    if last == _PARA_MARK:
        return False
    if last != _CELL_MARK:
        raise Unfit("main text ends with neither a paragraph nor a table")
    pages = _pages(tb, fib)
    if any(wd[end : end + width]) or {end // _PAGE, (end + width - 1) // _PAGE} & pages:
        raise Unfit("no free space after the text")
    _add_paragraph_run(wd, tb, fib, end, width)
    ccp = fib.ccp(0)
    wd[end : end + width] = _PARA_MARK.to_bytes(width, "little")
    struct.pack_into("<I", wd, fib.lw + 12, ccp + 1)
    struct.pack_into("<I", tb, piece_end, ccp + 1)
    if _u32(wd, 0x1C) == end:  # the old fcMac, still written by some programs
        struct.pack_into("<I", wd, 0x1C, end + width)
    sed, _ = _plc_last(tb, fib, _FC_SED, 12)
    if _u32(tb, sed) == ccp:
        struct.pack_into("<I", tb, sed, ccp + 1)
    return True


def repair_final_table(path: Path) -> bool:
    """Repair ``path`` in place if its main text ends inside a table; True if it did."""
    data = bytearray(path.read_bytes())
    try:
        doc = Compound(data)
        word = doc.stream("WordDocument")
        if word is None:
            return False
        wd = word.read()
        table = doc.stream(_Fib(wd).table_stream)
        if table is None:
            return False
        tb = table.read()
        if not repair_streams(wd, tb):
            return False
        word.write(wd)
        table.write(tb)
    except (Unfit, struct.error, IndexError, ValueError, OverflowError):
        return False
    path.write_bytes(data)
    return True
