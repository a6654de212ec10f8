"""Bad .docx inputs, built on the fly in a test's tmp_path (no binary junk is committed).

Every builder writes one file and returns its path. The package-level ones start from a
real seed document and change one thing, so the failure they provoke is the one named.
"""

from __future__ import annotations

import io
import socket
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SEEDS

GOOD_SEED = SEEDS / "yuanjiang-2024.docx"
OTHER_SEED = SEEDS / "laoting-2024.docx"
DOCUMENT = "word/document.xml"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MINIMAL_DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>好</w:t></w:r></w:p></w:body>'
    f"</w:document>"
).encode()


# The same, with a paragraph style, so that word/styles.xml is read too.
STYLED_DOCUMENT = MINIMAL_DOCUMENT.replace(
    b"<w:p>", b'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
)


def seed_members(seed: Path = GOOD_SEED) -> dict[str, bytes]:
    with zipfile.ZipFile(seed) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def docx_with(path: Path, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> Path:
    """The good seed's package with some parts replaced and some removed."""
    members = {n: d for n, d in seed_members().items() if n not in drop}
    members.update(replace)
    return write_zip(path, members)


def docx_with_document(path: Path, document_xml: bytes) -> Path:
    return docx_with(path, {DOCUMENT: document_xml})


# --- the plain cases ------------------------------------------------------------------


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def plain_text(path: Path) -> Path:
    path.write_text("这不是一个 Word 文件。\nJust some notes renamed to .docx.\n", "utf-8")
    return path


def binary_junk(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 8)
    return path


def truncated_seed(path: Path) -> Path:
    data = GOOD_SEED.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_not_office(path: Path) -> Path:
    return write_zip(path, {"notes.txt": b"hello", "pics/a.png": b"\x89PNG"})


def ooxml_without_document(path: Path) -> Path:
    return docx_with(path, {}, drop=(DOCUMENT,))


def not_well_formed(path: Path) -> Path:
    return docx_with_document(path, MINIMAL_DOCUMENT.replace(b"</w:body>", b"</w:bdy>"))


def document_without_body(path: Path) -> Path:
    return docx_with_document(path, f'<w:document xmlns:w="{W_NS}"/>'.encode())


# --- entities -------------------------------------------------------------------------


def entity_document(system_id: str) -> bytes:
    """A document.xml whose text is an external entity: XXE if it were ever resolved."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{system_id}">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()


def billion_laughs_document(depth: int = 12) -> bytes:
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, depth)
    )
    return (
        f"<!DOCTYPE w:document [{entities}]>"
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&e{depth - 1};</w:t></w:r></w:p>'
        f"</w:body></w:document>"
    ).encode()


class Listener:
    """A TCP port on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.port: int = self.sock.getsockname()[1]

    def connections(self) -> int:
        n = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return n
            conn.close()
            n += 1

    def close(self) -> None:
        self.sock.close()


# --- size caps ------------------------------------------------------------------------


def bomb(path: Path, size: int, name: str = DOCUMENT) -> Path:
    """The seed package with ``name`` replaced by ``size`` bytes of XML white space.

    Written through a streaming member, so building a 100 MB member needs no 100 MB buffer.
    """
    members = seed_members()
    members.pop(name, None)
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for other, data in members.items():
            zf.writestr(other, data)
        with zf.open(name, "w", force_zip64=True) as fh:
            fh.write(b"<w:document/>")
            left = size
            while left > 0:
                fh.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return path


def _central_entries(data: bytes) -> dict[str, tuple[int, int]]:
    """Member name -> (central directory entry offset, local header offset); no ZIP64."""
    eocd = data.rfind(b"PK\x05\x06")
    count, _, start = struct.unpack_from("<HII", data, eocd + 10)
    entries = {}
    pos = start
    for _ in range(count):
        assert data[pos : pos + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        (local,) = struct.unpack_from("<I", data, pos + 42)
        name = data[pos + 46 : pos + 46 + name_len].decode("utf-8")
        entries[name] = (pos, local)
        pos += 46 + name_len + extra_len + comment_len
    return entries


def patch_member(
    path: Path,
    name: str,
    *,
    file_size: int | None = None,
    crc: int | None = None,
    method: int | None = None,
    flags_or: int = 0,
    version_needed: int | None = None,
) -> Path:
    """Rewrite header fields of one member, in both its local and central headers."""
    data = bytearray(path.read_bytes())
    central, local = _central_entries(bytes(data))[name]
    if file_size is not None:
        struct.pack_into("<I", data, central + 24, file_size)
        struct.pack_into("<I", data, local + 22, file_size)
    if crc is not None:
        struct.pack_into("<I", data, central + 16, crc)
        struct.pack_into("<I", data, local + 14, crc)
    if method is not None:
        struct.pack_into("<H", data, central + 10, method)
        struct.pack_into("<H", data, local + 8, method)
    if flags_or:
        for off in (central + 8, local + 6):
            (flags,) = struct.unpack_from("<H", data, off)
            struct.pack_into("<H", data, off, flags | flags_or)
    if version_needed is not None:
        struct.pack_into("<H", data, central + 6, version_needed)
    path.write_bytes(bytes(data))
    return path


def lying_size(path: Path, actual: int, declared: int, *, prefix_crc: bool) -> Path:
    """document.xml really inflates to ``actual`` bytes but its headers say ``declared``.

    With ``prefix_crc`` the CRC is that of the first ``declared`` bytes, so the lie is
    self-consistent and only a reader that trusts the declared size would be fooled.
    """
    body = b"<w:document/>" + b" " * (actual - len(b"<w:document/>"))
    docx_with(path, {DOCUMENT: body})
    crc = zlib.crc32(body[:declared]) if prefix_crc else None
    return patch_member(path, DOCUMENT, file_size=declared, crc=crc)


def encrypted_member(path: Path) -> Path:
    """document.xml flagged as encrypted (general purpose bit 0), as a password-protected zip."""
    return patch_member(docx_with(path, {}), DOCUMENT, flags_or=0x1)


def broken_deflate(path: Path) -> Path:
    """document.xml stored with junk bytes and then marked as deflated: zlib rejects it."""
    members = seed_members()
    members[DOCUMENT] = b"\xff" * 4096
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return patch_member(path, DOCUMENT, method=zipfile.ZIP_DEFLATED)


def unknown_compression(path: Path) -> Path:
    return patch_member(docx_with(path, {}), DOCUMENT, method=99)


def future_zip_version(path: Path) -> Path:
    """A central directory entry that asks for ZIP version 25.5 (zipfile refuses > 6.3)."""
    return patch_member(docx_with(path, {}), DOCUMENT, version_needed=255)


Builder = Callable[[Path], Path]
