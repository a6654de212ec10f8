"""Source PDF pages as inline images (``data:`` URIs), rendered with pypdfium2.

The writer gets only the ``Document``: the PDF is opened again at ``source.path``, and
used only when it is still there and still the same file (its SHA-256 matches). Digital
pages are grey PNGs, encoded here (zlib, no image library); scanned pages are grey JPEGs
when Pillow is installed (PNG of a scan is five times larger). Either way the bytes depend
only on the page, so the report is deterministic.

Text in a font the PDF does not embed is drawn with a system font: without a Chinese one
installed its Chinese characters would come out as boxes, so such a page is left out with a
note saying why (``jixiao.writers.fonts``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.schemas import Document
from jixiao.writers import fonts

SCALE = 1.5  # 108 dpi: text readable beside the table, ~50 kB a digital page
MAX_PAGES = 200  # a report stays openable in a browser
JPEG_QUALITY = 60
NO_FONT_NOTE = ("未安装中文字体，页面图像未显示 (no Chinese font installed: page images left out; "
                "install fonts-noto-cjk)")


@dataclass(frozen=True)
class PageImage:
    page: int
    uri: str
    width: float  # the rendered box in PDF points, for placing cell boxes on it
    height: float
    left: float  # offset of the rendered (crop) box from the page's top-left corner
    top: float
    rotated: bool


def page_images(document: Document, pages: Iterable[int]) -> tuple[dict[int, PageImage], str]:
    """Images of ``pages`` (1-based) and, when some are left out, why (else '')."""
    wanted = sorted(set(pages))
    if document.source.format != "pdf" or not wanted:
        return {}, ""
    path = Path(document.source.path)
    try:
        data = path.read_bytes()
    except OSError:
        return {}, "源文件不可读，未显示页面图像 (source PDF not found: no page images)"
    if hashlib.sha256(data).hexdigest() != document.source.sha256:
        return {}, "源文件已变更，未显示页面图像 (source PDF changed since conversion)"
    note = ""
    if len(wanted) > MAX_PAGES:
        wanted = wanted[:MAX_PAGES]
        note = f"仅显示前 {MAX_PAGES} 页 (only the first {MAX_PAGES} pages are shown)"
    try:
        images, boxes = _render(data, wanted, set(document.ocr_pages))
    except Exception:  # pdfium refuses the file: the report is still useful without images
        return {}, "源文件无法渲染，未显示页面图像 (source PDF could not be rendered)"
    if boxes:
        note = f"{note}; {NO_FONT_NOTE}" if note else NO_FONT_NOTE
    return images, note


def _render(data: bytes, pages: list[int], scanned: set[int]) -> tuple[dict[int, PageImage], bool]:
    """The pages' images, and whether some were left out for want of a Chinese font."""
    import pypdfium2 as pdfium

    out: dict[int, PageImage] = {}
    boxes = False
    pdf = pdfium.PdfDocument(data)
    try:
        for number in pages:
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                if not fonts.cjk_font_installed() and needs_cjk_font(page):
                    boxes = True
                    continue
                pixels = page.render(scale=SCALE, grayscale=True).to_numpy()
                m_left, _, _, m_top = page.get_mediabox()
                c_left, c_bottom, c_right, c_top = page.get_cropbox()
                rotated = page.get_rotation() != 0
            finally:
                page.close()
            out[number] = PageImage(
                page=number, uri=_encode(pixels, jpeg=number in scanned),
                width=c_right - c_left, height=c_top - c_bottom,
                left=c_left - m_left, top=m_top - c_top, rotated=rotated,
            )
    finally:
        pdf.close()
    return out, boxes


def needs_cjk_font(page: Any) -> bool:
    """True when the (pypdfium2) page draws Chinese text in a font the PDF does not embed:
    PDFium then draws it with a system font."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            font = raw.FPDFTextObj_GetFont(obj.raw)
            if font and not raw.FPDFFont_GetIsEmbedded(font) and fonts.has_cjk(
                _object_text(raw, obj, textpage)
            ):
                return True
    finally:
        textpage.close()
    return False


def _object_text(raw: Any, obj: Any, textpage: Any) -> str:
    """The text of one text object (``FPDFTextObj_GetText``: UTF-16LE, with a terminator)."""
    import ctypes

    size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFTextObj_GetText(
        obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size
    )
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def _encode(pixels: Any, jpeg: bool) -> str:
    if pixels.ndim == 3:  # some pdfium builds give grey as one channel of a 3-d array
        pixels = pixels[:, :, 0]
    if jpeg:
        try:
            from PIL import Image
        except ImportError:
            pass
        else:
            buf = io.BytesIO()
            Image.fromarray(pixels).save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return "data:image/png;base64," + base64.b64encode(png_grey(pixels)).decode("ascii")


def png_grey(pixels: Any) -> bytes:
    """An 8-bit greyscale PNG of a 2-d uint8 array (filter 0 on every row)."""
    height, width = pixels.shape
    raw = _rows(pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))


def _rows(pixels: Any) -> bytes:
    import numpy as np

    array = np.ascontiguousarray(pixels, dtype=np.uint8)
    framed = np.zeros((array.shape[0], array.shape[1] + 1), dtype=np.uint8)
    framed[:, 1:] = array  # a leading 0 per row: PNG filter type "None"
    return framed.tobytes()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
