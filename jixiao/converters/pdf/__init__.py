"""Digital PDF: ruling lines → span-exact grids, text by character position, page stitching."""

from jixiao.converters.pdf.extract import FORMAT, extract

__all__ = ["FORMAT", "extract"]
