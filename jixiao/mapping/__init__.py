"""Map extracted tables (and the text around them) to forms."""

from __future__ import annotations

import re

from jixiao.converters.base import Extraction
from jixiao.mapping.continuation import adjacent, grids_only
from jixiao.mapping.forms import Context, build_form
from jixiao.schemas import Block, Form, Table
from jixiao.script import fold
from jixiao.vocabulary import FOOTER_HINTS, HEADER_NOTE_HINTS, key

__all__ = ["map_forms"]

_TITLE_WORDS = ("表", "绩效目标", "自评")


# A note after a title in the same line: 项目支出绩效自评表（2023年度）.
_TRAILING_NOTE = re.compile(r"\s*[（(][^（()）]{1,20}[)）]$")


def _is_title(block: Block) -> bool:
    text = _TRAILING_NOTE.sub("", fold(block.text.strip()))
    return block.kind == "heading" or (0 < len(text) <= 60 and text.endswith(_TITLE_WORDS))


def _context(before: list[Block], after: Block | None) -> Context:
    """Title: the last title-like block above the table; header lines: notes below it."""
    title_at = next((i for i in range(len(before) - 1, -1, -1) if _is_title(before[i])), None)
    below_title = before[title_at + 1 :] if title_at is not None else before[-1:]
    header = tuple(
        b.text.strip() for b in below_title if any(h in b.text for h in HEADER_NOTE_HINTS)
    )
    footer = None
    if after is not None and any(h in after.text for h in FOOTER_HINTS):
        footer = after.text.strip()
    return Context(
        title=before[title_at].text.strip() if title_at is not None else None,
        header_lines=header,
        footer=footer,
    )


def _joins(form: Form) -> bool:
    """Whether tables continuing a grid may join ``form`` (built from its first table
    alone): it shows a form's evidence, or names a department (部门名称), whose form is
    told by its grid."""
    return form.kind != "unknown" or any(key(f.label) == "部门名称" for f in form.fields)


# A line between a form's table and the table of its grid that only names the grid
# (绩效指标：, 三、年度绩效指标): it ends with 指标; a table's name (…绩效指标表) does not.
_GRID_HEADING = re.compile(r"^[^：:]{0,16}指标[：:]?$")


def _names_grid(block: Block) -> bool:
    return bool(_GRID_HEADING.match(fold(block.text).strip()))


def _continued(items: list[Table | Block], i: int) -> tuple[list[Table], int]:
    """The tables after ``items[i]`` that continue its grid, with nothing between them but
    empty paragraphs and lines that only name the grid (``_names_grid``), and how many
    items they and those lines take."""
    out: list[Table] = []
    last = items[i]
    taken = j = i + 1
    while j < len(items):
        item = items[j]
        if isinstance(item, Block) and _names_grid(item):
            j += 1
            continue
        if not (isinstance(item, Table) and isinstance(last, Table) and adjacent(last, item)
                and grids_only(item)):
            break
        out.append(item)
        last = item
        j += 1
        taken = j
    return out, taken - i - 1


def map_forms(extraction: Extraction) -> list[Form]:
    """A form per table that shows a performance form's evidence (an indicator grid, or
    the fields of a known family: ``forms.classify``); other tables (a budget's 收支总表 …)
    stay tables, never forms of unknown kind with their labels taken as values. A table
    holding only the indicator grid that goes on from the table before it joins that
    table's form (``continuation``)."""
    items = extraction.items()
    forms: list[Form] = []
    pending: list[Block] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Block):
            pending.append(item)
            i += 1
            continue
        table: Table = item
        form_id = f"f{len(forms)}"
        continued, taken = _continued(items, i)
        if continued and not _joins(build_form(form_id, table, _context(pending, None))):
            continued, taken = [], 0
        i += 1 + taken
        nxt = items[i] if i < len(items) else None
        after = nxt if isinstance(nxt, Block) else None
        form = build_form(form_id, table, _context(pending, after), continued)
        if form.kind != "unknown":  # no evidence of a performance form: it stays a table
            forms.append(form)
        pending = []
    return forms
