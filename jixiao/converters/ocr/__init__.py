"""Scanned pages: render, straighten, find ruling lines, recognise text (RapidOCR, offline)."""

from jixiao.converters.ocr.page import read_scanned_page

__all__ = ["read_scanned_page"]
