"""Standardized Word (and PDF) output: every form of a document redrawn in one layout per
kind, with real merged cells, on A4, in a CJK font. Converting the output again gives the
same forms (see ``layout.py``)."""

from __future__ import annotations

from jixiao.writers.docx.document import render
from jixiao.writers.docx.pdf import render_pdf

__all__ = ["render", "render_pdf"]
