"""A folder of hostile inputs for the converters, built offline from code.

``build(folder)`` writes every entry and returns ``{relative path: what it is}``;
``python -m tests.hostile FOLDER`` does the same from the command line. Every file is small
on disk (the whole folder is under 20 MB) and the folder builds in a few seconds: the zip
bombs repeat one deflate block made once, and the ZIPs with 100,000 members list them in the
central directory only (all pointing at one local header).

The real documents some entries start from are the repository's fixtures (cut, renamed or
copied under hostile names); the binary formats (ZIP, PDF, OLE2) that a library would not
write in a hostile shape are spelled out byte by byte in ``tests.converters.hostile_bytes``.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.converters.hostile_bytes import (
    GIB,
    RawMember,
    bomb_member,
    content_bomb_pdf,
    deflated,
    encrypted_office_file,
    image_bomb_pdf,
    pdf_bytes,
    raw_zip,
    table_page,
    xref_bomb_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DOCX = FIXTURES / "variants" / "clean-project.docx"
SEED_DOCX = FIXTURES / "seeds" / "yuanjiang-2024.docx"
SEED_PDF = FIXTURES / "seeds" / "yuanjiang-2024.pdf"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "word/document.xml"
SHEET = "xl/worksheets/sheet1.xml"

Builder = Callable[[Path], str]  # writes one entry at the path, returns its description


# --- packages ---------------------------------------------------------------------------


def docx_members() -> list[RawMember]:
    """The members of a real small .docx (a variant fixture), compressed as they were."""
    import zipfile

    with zipfile.ZipFile(DOCX) as zf:
        return [deflated(info.filename, zf.read(info)) for info in zf.infolist()]


def word_document(body: bytes, prolog: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>' + prolog
            + f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + body
            + b"</w:body></w:document>")


def docx_with(document: bytes | RawMember, extra_central: int = 0) -> bytes:
    """The real .docx with its document.xml replaced (and padding central entries)."""
    member = document if isinstance(document, RawMember) else deflated(DOCUMENT, document)
    members = [m for m in docx_members() if m.name != DOCUMENT] + [member]
    return raw_zip(members, extra_central)


def xlsx_members(sheet: bytes | RawMember, strings: bytes | None = None) -> list[RawMember]:
    """A minimal workbook of one sheet: content types, relationships, workbook, sheet."""
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    rels = (f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" Type="{R_NS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets><sheet name="Sheet1" '
                'sheetId="1" r:id="rId1"/></sheets></workbook>')
    book_rels = (f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" Type="{R_NS}/'
                 'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                 f'Type="{R_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    members = [deflated("[Content_Types].xml", types.encode()),
               deflated("_rels/.rels", rels.encode()),
               deflated("xl/workbook.xml", workbook.encode()),
               deflated("xl/_rels/workbook.xml.rels", book_rels.encode()),
               sheet if isinstance(sheet, RawMember) else deflated(SHEET, sheet)]
    if strings is not None:
        members.append(deflated("xl/sharedStrings.xml", strings))
    return members


def worksheet(rows: bytes, after: bytes = b"", prolog: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>' + prolog
            + f'<worksheet xmlns="{S_NS}"><sheetData>'.encode() + rows + b"</sheetData>"
            + after + b"</worksheet>")


def text_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def real_xlsx() -> bytes:
    """A small real workbook (openpyxl): a title merged across, a header and two rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目支出绩效目标表"])
    ws.merge_cells("A1:D1")
    ws.append(["项目名称", "见义勇为工作经费", "资金总额", 5])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "慰问人数", "≥20人"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- entries ----------------------------------------------------------------------------

LAUGHS = (b'<!DOCTYPE r [<!ENTITY a "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10)
                     for i in range(9)) + b"]>")
XXE = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _write(data: bytes, note: str) -> Builder:
    def build(path: Path) -> str:
        path.write_bytes(data)
        return note
    return build


def _lazy(make: Callable[[], bytes], note: str) -> Builder:
    def build(path: Path) -> str:
        path.write_bytes(make())
        return note
    return build


def _garbage(size: int, seed: int, prefix: bytes = b"") -> bytes:
    return prefix + random.Random(seed).randbytes(size)


def _cut(source: Path, share: float) -> bytes:
    data = source.read_bytes()
    return data[: int(len(data) * share)]


def _table_docx(n_rows: int, n_cols: int) -> bytes:
    def cell(text: str) -> str:
        return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    grid = "<w:tblGrid>" + "<w:gridCol/>" * n_cols + "</w:tblGrid>"
    rows = "".join("<w:tr>" + "".join(cell(f"{r}.{c}") for c in range(n_cols)) + "</w:tr>"
                   for r in range(n_rows))
    return docx_with(word_document(f"<w:tbl>{grid}{rows}</w:tbl>".encode()))


def _nested_docx(depth: int) -> bytes:
    body = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
    return docx_with(word_document(body + b"<w:p/>"))


def _gridspan_docx() -> bytes:
    body = (b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>'
            b"<w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc></w:tr>"
            b"<w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>")
    return docx_with(word_document(body))


def _wide_docx(n_cols: int, n_rows: int) -> bytes:
    grid = b"<w:tblGrid>" + b"<w:gridCol/>" * n_cols + b"</w:tblGrid>"
    rows = b"<w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>" * n_rows
    return docx_with(word_document(b"<w:tbl>" + grid + rows + b"</w:tbl>"))


def _far_xlsx(extra_cell: bytes, after: bytes = b"") -> bytes:
    rows = b'<row r="1">' + text_cell("A1", "标题") + b"</row>"
    if extra_cell:
        rows += b'<row r="1048576">' + extra_cell + b"</row>"
    return raw_zip(xlsx_members(worksheet(rows, after)))


def _merges_xlsx(n: int) -> bytes:
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (2 * i + 1, 2 * i + 2) for i in range(n))
    rows = b'<row r="1">' + text_cell("A1", "x") + b"</row>"
    return raw_zip(xlsx_members(worksheet(rows, b"<mergeCells>" + merges + b"</mergeCells>")))


def _cells_xlsx(n: int) -> bytes:
    """``n`` styled empty cells in one row (random styles: they compress like real data)."""
    styles = random.Random(7).choices(b"01", k=n)
    return raw_zip(xlsx_members(worksheet(
        b"<row>" + b"".join(b'<c s="%c"/>' % d for d in styles) + b"</row>")))


def _styles_xlsx(n: int) -> bytes:
    """``n`` cell formats (random number formats, so they compress like real data)."""
    ids = random.Random(8).choices(range(50), k=n)
    styles = (f'<styleSheet xmlns="{S_NS}"><cellXfs count="{n}">'.encode()
              + b"".join(b'<xf numFmtId="%d" fontId="0"/>' % i for i in ids)
              + b"</cellXfs></styleSheet>")
    rows = b'<row r="1"><c r="A1" s="1"><v>1</v></c></row>'
    return raw_zip([*xlsx_members(worksheet(rows)), deflated("xl/styles.xml", styles)])


def _xxe_xlsx() -> bytes:
    strings = (b'<?xml version="1.0"?>' + XXE + f'<sst xmlns="{S_NS}"><si><t>'.encode()
               + b"&x;</t></si></sst>")
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return raw_zip(xlsx_members(worksheet(rows), strings))


def _pdf_pages(n_pages: int, shared: bool) -> bytes:
    if shared:
        return pdf_bytes([table_page(1)], n_pages)
    return pdf_bytes([table_page(n) for n in range(1, n_pages + 1)], n_pages)


def _encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


FILES: dict[str, Builder] = {
    "garbage.docx": _write(_garbage(65536, 1), "random bytes named .docx"),
    "garbage.xlsx": _write(_garbage(65536, 2), "random bytes named .xlsx"),
    "garbage.pdf": _write(_garbage(65536, 3), "random bytes named .pdf"),
    "garbage.doc": _write(_garbage(65536, 4), "random bytes named .doc"),
    "zip-garbage.docx": _write(_garbage(65536, 5, b"PK\x03\x04"), "ZIP magic, then noise"),
    "pdf-garbage.pdf": _write(_garbage(65536, 6, b"%PDF-1.7\n"), "PDF header, then noise"),
    "empty.docx": _write(b"", "an empty file"),
    "truncated.docx": _lazy(lambda: _cut(SEED_DOCX, 0.6), "a real .docx cut at 60%"),
    "truncated.xlsx": _lazy(lambda: real_xlsx()[:-400], "a real .xlsx without its end"),
    "truncated.pdf": _lazy(lambda: _cut(SEED_PDF, 0.5), "a real PDF cut in half"),
    "laughs.docx": _lazy(lambda: docx_with(word_document(
        b"<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", LAUGHS)),
                         "billion laughs in document.xml"),
    "xxe.docx": _lazy(lambda: docx_with(word_document(
        b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", XXE)), "external entity to /etc/passwd"),
    "laughs.xlsx": _lazy(lambda: raw_zip(xlsx_members(worksheet(
        b'<row r="1">' + text_cell("A1", "&j;") + b"</row>", prolog=LAUGHS))),
                         "billion laughs in the sheet"),
    "xxe.xlsx": _lazy(_xxe_xlsx, "shared string from /etc/passwd (XXE)"),
    "bomb.docx": _lazy(lambda: docx_with(bomb_member(DOCUMENT, 3 * GIB // 2)),
                       "document.xml inflates to 1.5 GiB"),
    "bomb.xlsx": _lazy(lambda: raw_zip(xlsx_members(bomb_member(SHEET, 3 * GIB // 2))),
                       "sheet1.xml inflates to 1.5 GiB"),
    "liar.docx": _lazy(lambda: docx_with(bomb_member(DOCUMENT, GIB // 2, declared=1000)),
                       "document.xml declares 1000 bytes, inflates to 512 MiB"),
    "liar.xlsx": _lazy(lambda: raw_zip(xlsx_members(bomb_member(SHEET, GIB // 2, declared=1000))),
                       "sheet1.xml declares 1000 bytes, inflates to 512 MiB"),
    "members.docx": _lazy(lambda: docx_with(word_document(b"<w:p/>"), 100_000),
                          "100,000 ZIP members"),
    "members.xlsx": _lazy(lambda: raw_zip(xlsx_members(worksheet(b"")), 100_000),
                          "100,000 ZIP members"),
    "far-corner.xlsx": _lazy(lambda: _far_xlsx(b'<c r="XFD1048576"><v>1</v></c>'),
                             "values in A1 and XFD1048576"),
    "merge-all.xlsx": _lazy(lambda: _far_xlsx(b"", b'<mergeCells count="1"><mergeCell '
                                                   b'ref="A1:XFD1048576"/></mergeCells>'),
                            "A1 merged over the whole sheet"),
    "styled-corner.xlsx": _lazy(lambda: _far_xlsx(b'<c r="XFD1048576" s="1"/>'),
                                "a styled empty cell at XFD1048576"),
    "merges.xlsx": _lazy(lambda: _merges_xlsx(150_000), "150,000 merged ranges"),
    "cells.xlsx": _lazy(lambda: _cells_xlsx(1_200_000), "1,200,000 styled empty cells"),
    "styles.xlsx": _lazy(lambda: _styles_xlsx(500_000), "500,000 cell formats"),
    "rows-10k.docx": _lazy(lambda: _table_docx(10_000, 10), "a 10,000 x 10 table"),
    "nested-1000.docx": _lazy(lambda: _nested_docx(1000), "tables nested 1,000 deep"),
    "gridspan.docx": _lazy(_gridspan_docx, "a cell with gridSpan 1,000,000,000"),
    "columns.docx": _lazy(lambda: _wide_docx(20_000, 10),
                          "20,000 grid columns declared, 10 rows"),
    "pages-300.pdf": _lazy(lambda: _pdf_pages(300, shared=False),
                           "300 pages, a ruled table on each"),
    "pages-2000.pdf": _lazy(lambda: _pdf_pages(2000, shared=True),
                            "2,000 pages sharing one content stream"),
    "content-bomb.pdf": _lazy(lambda: content_bomb_pdf(GIB // 4),
                              "a content stream inflating to 256 MiB, its checksum wrong"),
    "xref-bomb.pdf": _lazy(lambda: xref_bomb_pdf(GIB // 4),
                           "a cross-reference stream inflating to 256 MiB"),
    "image-bomb.pdf": _lazy(lambda: image_bomb_pdf(GIB // 4),
                            "a scan: one 16384 x 16384 image (256 MiB when decoded)"),
    "encrypted.pdf": _lazy(_encrypted_pdf, "a PDF that needs a password"),
    "encrypted.docx": _lazy(encrypted_office_file, "password-protected Word (OLE2, "
                                                   "EncryptionInfo and EncryptedPackage)"),
    "pdf-named.docx": _lazy(SEED_PDF.read_bytes, "a PDF named .docx"),
    "docx-named.pdf": _lazy(DOCX.read_bytes, "a .docx named .pdf"),
    "docx-named.bin": _lazy(DOCX.read_bytes, "a .docx named .bin"),
}

# File names a shell would read as commands, quotes, white space and bytes that are not
# UTF-8; each holds a real .docx.
NAMES: dict[bytes, str] = {
    b"a;rm -rf ~.docx": "a name with ; and ~",
    b"$(touch x).docx": "a name with command substitution",
    b"with space.docx": "a name with a space",
    b"it's \"quoted\".docx": "a name with quotes",
    b"new\nline.docx": "a name with a newline",
    b"\xff\xfe-latin1-\xe9.docx": "a name that is not UTF-8",
}


def _special(folder: Path) -> dict[str, str]:
    """Entries that are not regular files, or folders."""
    out: dict[str, str] = {}
    loop = folder / "loop"
    (loop / "sub").mkdir(parents=True)
    (loop / "doc.docx").write_bytes(DOCX.read_bytes())
    os.symlink("..", loop / "sub" / "up")
    out["loop"] = "a folder whose sub/up links back to it (a symlink loop)"
    os.symlink("missing-target.docx", folder / "dangling.docx")
    out["dangling.docx"] = "a symlink to nothing"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.docx")
        out["fifo.docx"] = "a named pipe (FIFO) named .docx"
    (folder / "folder.docx").mkdir()
    (folder / "folder.docx" / "inside.docx").write_bytes(DOCX.read_bytes())
    out["folder.docx"] = "a folder named .docx, a real document inside"
    return out


def _names(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    names = folder / "names"
    names.mkdir()
    data = DOCX.read_bytes()
    for raw, note in NAMES.items():
        path = os.path.join(os.fsencode(names), raw)
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError:  # a file system that refuses the name: leave that entry out
            continue
        out[os.fsdecode(os.path.relpath(path, os.fsencode(folder)))] = note
    return out


def build(folder: Path) -> dict[str, str]:
    """Write every hostile entry into ``folder`` (created; must not hold them already)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {name: make(folder / name) for name, make in FILES.items()}
    made.update(_names(folder))
    made.update(_special(folder))
    return made


# Runs argv[2:] and prints "<exit code or 'hung'> <peak RSS in KiB>" of that process. A
# small process of its own: a child forked from pytest would carry pytest's memory into its
# peak (the peak survives exec), so the conversion is forked from this one.
_HELPER = r"""
import os, signal, sys, time
timeout, argv = float(sys.argv[1]), sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.setsid()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
start = time.monotonic()
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
        break
    if time.monotonic() - start > timeout:
        os.killpg(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        print("hung", usage.ru_maxrss)
        break
    time.sleep(0.02)
"""


def measure(
    argv: list[str], timeout: float, cwd: Path | None = None
) -> tuple[int | None, float, bytes]:
    """Run ``argv``; its exit code (None: killed after ``timeout`` s), its peak RSS in MiB
    (with every process it started and reaped) and its stderr. The command is forked from a
    small helper process: forked from pytest, it would carry pytest's peak into its own (a
    peak survives exec)."""
    with tempfile.TemporaryFile() as err:
        helper = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _HELPER, str(timeout), *argv], cwd=cwd,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, check=True,
        )
        err.seek(0)
        text = err.read()
    code, peak = helper.stdout.decode().split()
    return (None if code == "hung" else int(code)), int(peak) / 1024, text


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.hostile FOLDER")
    for name, note in build(Path(sys.argv[1])).items():
        print(f"{name!r}: {note}")
