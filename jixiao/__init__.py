"""jixiao: Chinese budget performance tables from Word and PDF to clean, validated data.

Library API::

    from jixiao import convert
    doc = convert("report.docx")          # jixiao.schemas.Document
    for form in doc.forms: ...
"""

from jixiao.pipeline import Result, convert, convert_file

__version__ = "0.1.0"
__all__ = ["Result", "__version__", "convert", "convert_file"]
