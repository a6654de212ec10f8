"""HTML review report: one self-contained page per document, and an index page per run.

``render(document)`` draws every table with its real merges beside the source page image
(PDFs), highlights the cells findings point to, and lists each form's fields and
indicators. Everything is inline (CSS, script, images as ``data:`` URIs): the page opens
offline and fetches nothing.
"""

from __future__ import annotations

from jixiao.writers.html.document import render
from jixiao.writers.html.index import IndexEntry, index_entry, render_index

__all__ = ["IndexEntry", "index_entry", "render", "render_index"]
