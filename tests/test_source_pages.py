"""A PDF's page count is counted while it is read (``Source.pages``), so the batch need not
open the file again to report it."""

from __future__ import annotations

import pypdfium2

from jixiao import convert
from jixiao.batch import task
from tests.conftest import SEEDS


def test_pdf_pages_are_counted_as_read_and_the_batch_reports_them() -> None:
    path = SEEDS / "yuanjiang-2024.scan.pdf"
    document = convert(path)
    pdf = pypdfium2.PdfDocument(str(path))
    assert document.source.pages == len(pdf) == 10
    pdf.close()
    assert task._pages(document) == 10
    assert convert(SEEDS / "yuanjiang-2024.docx").source.pages is None
