"""Tiny PDFs written by hand: one page, a content stream the test spells out, Helvetica as
/F1 (a standard font: nothing embedded), optional form XObject /X1 and 2x2 image /Im1."""

from __future__ import annotations

from pathlib import Path

from tests.converters.hostile_bytes import pdf_file


def write_pdf(
    path: Path,
    content: str,
    *,
    media: tuple[float | str, ...] = (0, 0, 600, 800),
    rotate: int = 0,
    form: str | None = None,
    form_matrix: str = "1 0 0 1 0 0",
) -> Path:
    """Write a one-page PDF whose page draws ``content`` (PDF operators)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: str, extra: str = "") -> bytes:
        raw = data.encode("latin-1")
        return b"<< /Length %d %s >>\nstream\n" % (len(raw), extra.encode()) + raw + (
            b"\nendstream"
        )

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    image = add(stream("\x00\xff\xff\x00", "/Type /XObject /Subtype /Image /Width 2 "
                       "/Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"))
    xobjects = f"/Im1 {image} 0 R"
    if form is not None:
        form_id = add(stream(form, f"/Type /XObject /Subtype /Form /BBox [0 0 600 800] "
                                   f"/Matrix [{form_matrix}] "
                                   f"/Resources << /Font << /F1 {font} 0 R >> >>"))
        xobjects += f" /X1 {form_id} 0 R"
    contents = add(stream(content))
    pages_id = len(objects) + 2
    page = add((f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [{' '.join(map(str, media))}] "
                f"/Rotate {rotate} /Contents {contents} 0 R /Resources << /Font << /F1 {font} "
                f"0 R >> /XObject << {xobjects} >> >> >>").encode())
    add(f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())  # the last object
    path.write_bytes(pdf_file(objects))
    return path
