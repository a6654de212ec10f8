"""Byte-level writers for hostile inputs: ZIPs with lying headers or 100,000 members, zip
bombs, multi-page PDFs and an OLE2 compound file, all spelled out here because the usual
libraries would not write them in these shapes (or would take minutes to).
"""

from __future__ import annotations

import functools
import struct
import zlib
from dataclasses import dataclass

GIB = 1 << 30
_BLOCK = 16 << 20  # a bomb repeats one deflate block of this many spaces
_DOS_DATE = (1 << 5) | 1  # 1980-01-01


@dataclass(frozen=True)
class RawMember:
    """One ZIP member as stored: its (compressed) bytes and the headers' claims."""

    name: str
    data: bytes
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int  # the declared uncompressed size


def deflated(name: str, content: bytes) -> RawMember:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = c.compress(content) + c.flush()
    return RawMember(name, data, 8, zlib.crc32(content), len(content))


def stored(name: str, content: bytes) -> RawMember:
    return RawMember(name, content, 0, zlib.crc32(content), len(content))


@functools.cache
def _spaces_block() -> bytes:
    """16 MiB of spaces as a raw deflate block ending in a full flush: the block does not
    refer back past itself, so the same bytes can be repeated to inflate any multiple."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b" " * _BLOCK) + c.flush(zlib.Z_FULL_FLUSH)


@functools.cache
def _spaces_checksum(size: int, adler: bool = False) -> int:
    """CRC-32 (zip) or Adler-32 (zlib) of ``size`` spaces (a multiple of 16 MiB)."""
    block = b" " * _BLOCK
    update, value = (zlib.adler32, 1) if adler else (zlib.crc32, 0)
    for _ in range(size // _BLOCK):
        value = update(block, value)
    return value


def bomb_member(name: str, size: int, declared: int | None = None) -> RawMember:
    """``name`` inflating to ``size`` bytes of spaces (a multiple of 16 MiB) from about
    ``size / 1000`` bytes. ``declared``: the headers claim that size instead (and the CRC
    of that many spaces, so that a reader trusting the claim sees a consistent member)."""
    blocks = size // _BLOCK
    data = _spaces_block() * blocks + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    if declared is None:
        return RawMember(name, data, 8, _spaces_checksum(blocks * _BLOCK), blocks * _BLOCK)
    return RawMember(name, data, 8, zlib.crc32(b" " * declared), declared)


def raw_zip(members: list[RawMember], extra_central: int = 0) -> bytes:
    """A ZIP of ``members``; ``extra_central`` more central-directory entries (named
    ``0`` … ``_Oo``) all point at the first member's local header, so a ZIP that lists
    100,000 members takes 5 MB. ZIP64 end records are written when the count needs them."""
    out = bytearray()
    central = bytearray()
    offsets = []
    for m in members:
        offsets.append(len(out))
        name = m.name.encode()
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, m.method, 0, _DOS_DATE,
                           m.crc, len(m.data), m.size, len(name), 0) + name + m.data
        central += _central(name, m, offsets[-1])
    first = members[0]
    for i in range(extra_central):
        central += _central(_short_name(i), first, offsets[0])
    count = len(members) + extra_central
    start = len(out)
    out += central
    if count > 0xFFFF:
        zip64 = len(out)
        out += struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                           len(central), start)
        out += struct.pack("<4sIQI", b"PK\x06\x07", 0, zip64, 1)
    short = min(count, 0xFFFF)
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, short, short, len(central), start, 0)
    return bytes(out)


_NAME_CHARS = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _short_name(i: int) -> bytes:
    """A distinct name of at most three characters for i < 262,144."""
    out = bytearray()
    while True:
        i, digit = divmod(i, len(_NAME_CHARS))
        out.append(_NAME_CHARS[digit])
        if not i:
            return bytes(out)


def _central(name: bytes, m: RawMember, offset: int) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, m.method, 0,
                       _DOS_DATE, m.crc, len(m.data), m.size, len(name), 0, 0, 0, 0, 0,
                       offset) + name


# --- PDF --------------------------------------------------------------------------------


def table_page(number: int, rows: int = 12, cols: int = 5) -> bytes:
    """A page's content: a heading and a ruled ``rows`` x ``cols`` table of short texts."""
    x0, top, w, h = 60, 720, 95, 22
    ops = [f"BT /F1 14 Tf 60 760 Td (Table {number}: performance targets) Tj ET", "0.5 w"]
    for r in range(rows + 1):
        ops.append(f"{x0} {top - r * h} m {x0 + cols * w} {top - r * h} l S")
    for c in range(cols + 1):
        ops.append(f"{x0 + c * w} {top} m {x0 + c * w} {top - rows * h} l S")
    for r in range(rows):
        for c in range(cols):
            text = f"R{r + 1}C{c + 1} {number * 100 + r}"
            ops.append(f"BT /F1 9 Tf {x0 + c * w + 4} {top - r * h - 15} Td ({text}) Tj ET")
    return "\n".join(ops).encode()


def pdf_bytes(contents: list[bytes], n_pages: int) -> bytes:
    """A PDF of ``n_pages`` A4 pages; page i draws ``contents[i]`` (or ``contents[0]`` for
    every page when one content is given). Helvetica, not embedded."""
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>"]
    streams = [len(objects) + 1 + i for i in range(len(contents))]
    objects += [b"<< /Length %d >>\nstream\n%s\nendstream" % (len(c), c) for c in contents]
    pages_id = len(objects) + n_pages + 1
    kids = []
    for i in range(n_pages):
        stream = streams[i] if len(streams) > 1 else streams[0]
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents "
                       b"%d 0 R /Resources << /Font << /F1 1 0 R >> >> >>" % (pages_id, stream))
        kids.append(b"%d 0 R" % len(objects))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), n_pages))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return pdf_file(objects)


def pdf_file(objects: list[bytes], xref_stream: bytes | None = None) -> bytes:
    """Objects 1..n (the last one the catalog) with a classic cross-reference table; or,
    given ``xref_stream`` (a stream object's body), with that as the cross-reference."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    if xref_stream is not None:
        out += b"%d 0 obj\n" % (len(objects) + 1) + xref_stream + b"\nendobj\n"
        return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, len(objects), xref))
    return bytes(out)


def flate_bomb_stream(size: int, entries: bytes = b"", checksum: bool = True) -> bytes:
    """A stream object's body: ``size`` bytes of spaces (a multiple of 16 MiB) as FlateDecode
    data of about ``size / 1000`` bytes; ``checksum=False``: its zlib checksum is wrong."""
    blocks = size // _BLOCK
    adler = _spaces_checksum(blocks * _BLOCK, adler=True) if checksum else 0
    data = (b"\x78\x9c" + _spaces_block() * blocks
            + zlib.compressobj(9, zlib.DEFLATED, -15).flush() + struct.pack(">I", adler))
    return (b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n" % (entries, len(data))
            + data + b"\nendstream")


def _page_objects(content: int, resources: bytes) -> list[bytes]:
    """A page (object 3) drawing object ``content``, its page tree (4) and catalog (5)."""
    return [b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << %s >> >>" % (content, resources),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Catalog /Pages 4 0 R >>"]


def content_bomb_pdf(size: int) -> bytes:
    """One page whose content stream inflates to ``size`` bytes (with a wrong checksum: the
    slow path of pdfminer's recovery)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return pdf_file([font, flate_bomb_stream(size, checksum=False),
                     *_page_objects(2, b"/Font << /F1 1 0 R >>")])


def image_bomb_pdf(size: int) -> bytes:
    """One page filled by a grey image of ``size`` pixels (a square), no text: a scan."""
    side = int(size ** 0.5)
    image = flate_bomb_stream(size, b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                                    b"/ColorSpace /DeviceGray /BitsPerComponent 8" % (side, side))
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return pdf_file([image, stream, *_page_objects(2, b"/XObject << /Im1 1 0 R >>")])


def xref_bomb_pdf(size: int) -> bytes:
    """A PDF whose cross-reference stream inflates to ``size`` bytes."""
    objects = [b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /Type /Catalog /Pages 1 0 R >>"]
    return pdf_file(objects, flate_bomb_stream(size, b"/Type /XRef /Size 4 /W [1 4 2] "
                                                     b"/Root 2 0 R"))


# --- OLE2 -------------------------------------------------------------------------------

_SECTOR = 512
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = _FREE,
               right: int = _FREE) -> bytes:
    raw = (name + "\0").encode("utf-16-le")
    return struct.pack("<64sHBBIII16sIQQIII", raw, len(raw), kind, 1, _FREE, right, child,
                       b"\0" * 16, 0, 0, 0, start, size, 0)


def encrypted_office_file() -> bytes:
    """An OLE2 compound file holding ``EncryptionInfo`` and ``EncryptedPackage`` streams:
    how Office stores a password-protected .docx. The streams (4 KiB each, so in regular
    sectors) hold a version header and noise: nothing can be decrypted, nor needs to be."""
    size = 4096
    per = size // _SECTOR
    info, package = 2, 2 + per  # first sectors of the two streams (0: FAT, 1: directory)
    fat = [_FAT, _END]
    for first in (info, package):
        fat += [first + i + 1 for i in range(per - 1)] + [_END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0,
                         4096, _END, 0, _END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    directory = (_dir_entry("Root Entry", 5, _END, 0, child=1)
                 + _dir_entry("EncryptionInfo", 2, info, size, right=2)
                 + _dir_entry("EncryptedPackage", 2, package, size)
                 + b"\0" * 128)
    info_stream = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>".ljust(size - 8, b"\0")
    package_stream = struct.pack("<Q", 30000) + bytes(range(256)) * ((size - 8) // 256)
    package_stream = package_stream.ljust(size, b"\0")
    fat_sector = struct.pack(f"<{_SECTOR // 4}I", *fat)
    return header + fat_sector + directory + info_stream + package_stream
