"""Whether a PDF has a page to read by OCR, found cheaply: before it is converted, so that
a batch can send it to a worker that has the OCR engine loaded (``jixiao.batch.pool``).

PDFium counts each page's characters, without reading them; only a page with almost none
has its images measured. The rule is the converter's (``extract.is_scanned``); it is a
hint: a file it misjudges is still converted right, by whichever worker gets it.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.converters.pdf.settings import DEFAULTS, PdfSettings
from jixiao.limits import PDF_PAGES


def has_scanned_pages(path: Path, settings: PdfSettings = DEFAULTS) -> bool:
    """Whether some page of the PDF at ``path`` is an image rather than text (by
    ``settings``, as its conversion will judge). False for a file PDFium cannot open (its
    conversion will say why)."""
    import pypdfium2

    from jixiao.converters.pdf.extract import is_scanned
    from jixiao.converters.pdf.pdfium_page import page_drawing, page_frame

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except Exception:  # damaged, encrypted …: the converter reports it
        return False
    try:
        for index in range(min(len(pdf), PDF_PAGES.value())):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    count = textpage.count_chars()
                finally:
                    textpage.close()
                if count >= settings.min_text_chars:
                    continue
                frame = page_frame(page)
                if is_scanned([], page_drawing(page, frame).images, frame, settings):
                    return True
            finally:
                page.close()
    except Exception:  # a page PDFium cannot read: the converter reports it
        return False
    finally:
        pdf.close()
    return False
