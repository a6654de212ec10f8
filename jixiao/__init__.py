"""jixiao: Chinese budget performance tables from Word and PDF to clean, validated data.

Library API::

    from jixiao import PdfSettings, convert
    doc = convert("report.docx")          # jixiao.schemas.Document
    doc = convert("scan.pdf", pdf=PdfSettings(snap=3.0))  # the PDF tolerances, tuned
    for form in doc.forms: ...

The API is imported on first use (PEP 562), so that ``import jixiao.<module>`` stays cheap
for the parts that do not convert (the batch's parent process, the CLI's start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.converters.pdf.settings import PdfSettings
    from jixiao.pipeline import Result, convert, convert_file

__version__ = "0.1.0"
"""The version of jixiao (as in ``pyproject.toml``)."""
__all__ = ["PdfSettings", "Result", "__version__", "convert", "convert_file"]


def __getattr__(name: str) -> Any:
    """The API names, imported on first use and then kept in the module like any other."""
    value: Any
    if name in ("Result", "convert", "convert_file"):
        from jixiao import pipeline

        value = getattr(pipeline, name)
    elif name == "PdfSettings":
        from jixiao.converters.pdf.settings import PdfSettings

        value = PdfSettings
    else:
        raise AttributeError(f"module 'jixiao' has no attribute {name!r}")
    globals()[name] = value
    return value
