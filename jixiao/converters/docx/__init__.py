"""Word .docx: safe package reading, OOXML text, span-exact grids."""

from jixiao.converters.docx.extract import FORMAT, extract

__all__ = ["FORMAT", "extract"]
