"""A C-speed reading of plain tables: one XSLT pass (libxslt) serializes them compactly.

Most published forms are plain tables: cells holding a tcPr and paragraphs of ordinary runs.
Reading those element by element in Python costs most of a conversion, so one XSLT pass
writes every body-level table's rows and cells (spans, merges, paragraph count, text) as a
delimited string, which ``plain_tables`` parses into ``RowSpec`` lists for ``assemble``.

A table is *plain* only when every rule of the careful reader (``ooxml.paragraph_text``) would
read its text as the joined ``w:t`` of each paragraph: no nested tables, content controls,
tracked deletions, hidden runs, text boxes, alternate content, symbols, math, tabs or breaks,
and no deleted rows. Anything else goes through ``grid.build_grid``; the results are
identical by construction (tests compare both readers on the same tables).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from jixiao.converters.docx.grid import CellContent, CellSpec, RowSpec
from jixiao.converters.docx.ooxml import (
    CUSTOM_XML,
    M_NS,
    MC_NS,
    NEEDS_CARE,
    SDT,
    STRUCTURAL,
    TBL,
    W16SE_NS,
    W_NS,
)

# Delimiters: table, cell, row, paragraph (before each), end of a cell property.
_TABLE, _CELL, _ROW, _PARA, _PROP = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"

# A table holding any of these is not plain: nested tables, content controls and custom
# XML (the grid reader unwraps them), and whatever the paragraph reader's fast path would
# not read (``ooxml.NEEDS_CARE``, ``ooxml.STRUCTURAL``: the one rule of both fast paths).
_NOT_PLAIN = (TBL, SDT, CUSTOM_XML, *NEEDS_CARE, *STRUCTURAL)
_TABS = f"{{{W_NS}}}tabs"
# The serialization's delimiters must not occur in the document: private-use separators
# and the field separator inside attribute values.
_UNSAFE_BYTES = re.compile(rb"\xee\x80[\x80-\x84]|w:val=\"[^\"]*\|")
_ON = "not(translate(@w:val, 'FALSEOF', 'falseof') = '0' or " \
      "translate(@w:val, 'FALSEOF', 'falseof') = 'false' or " \
      "translate(@w:val, 'FALSEOF', 'falseof') = 'off')"

_XSL = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:m="{M_NS}" xmlns:w16se="{W16SE_NS}">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/*">
 <xsl:for-each select="w:tbl">
  <xsl:text>&#xE000;</xsl:text>
  <xsl:choose>
   <xsl:when test="w:tr/w:trPr/w:del">0</xsl:when>
   <xsl:otherwise>
    <xsl:text>1|</xsl:text><xsl:value-of select="count(w:tblGrid/w:gridCol)"/>
    <xsl:for-each select="w:tr">
     <xsl:text>&#xE002;</xsl:text>
     <xsl:value-of select="count(w:trPr/w:tblHeader[{_ON}])"/><xsl:text>|</xsl:text>
     <xsl:value-of select="w:trPr/w:gridBefore/@w:val"/><xsl:text>|</xsl:text>
     <xsl:value-of select="w:trPr/w:gridAfter/@w:val"/>
     <xsl:for-each select="w:tc">
      <xsl:text>&#xE001;</xsl:text>
      <xsl:apply-templates select="w:tcPr/*" mode="prop"/>
      <xsl:for-each select="w:p">
       <xsl:text>&#xE003;</xsl:text>
       <xsl:for-each select=".//w:t"><xsl:value-of select="."/></xsl:for-each>
      </xsl:for-each>
     </xsl:for-each>
    </xsl:for-each>
   </xsl:otherwise>
  </xsl:choose>
 </xsl:for-each>
</xsl:template>
<!-- One template call per tcPr child is far cheaper than one XPath per property. -->
<xsl:template match="w:gridSpan" mode="prop">s<xsl:value-of select="@w:val"/>&#xE004;</xsl:template>
<xsl:template match="w:vMerge" mode="prop">v<xsl:value-of select="@w:val"/>&#xE004;</xsl:template>
<xsl:template match="w:hMerge" mode="prop">h<xsl:value-of select="@w:val"/>&#xE004;</xsl:template>
<xsl:template match="*" mode="prop"/>
</xsl:stylesheet>"""

_TRANSFORM = etree.XSLT(etree.XML(_XSL.encode("utf-8")))


@dataclass(slots=True)
class PlainTable:
    grid_cols: int
    rows: list[list[str]]  # per row: header|before|after, then one record per cell


def _int(raw: str, default: int, floor: int) -> int:
    try:
        return max(floor, int(raw))
    except ValueError:
        return default


def plain_tables(body: etree._Element) -> list[PlainTable | None]:
    """One entry per ``w:tbl`` child of ``body`` (document order); None when not plain."""
    out: list[PlainTable | None] = []
    text = str(_TRANSFORM(body))
    for chunk in text.split(_TABLE)[1:]:
        if not chunk.startswith("1|"):
            out.append(None)
            continue
        head, *rows = chunk.split(_ROW)
        out.append(PlainTable(_int(head[2:], 0, 0), [row.split(_CELL) for row in rows]))
    return out


def plain_table_map(body: etree._Element, source: bytes) -> dict[etree._Element, PlainTable]:
    """The plain tables among ``body``'s ``w:tbl`` children, keyed by their element.

    ``source`` is the part's raw XML, checked once for the serialization's delimiters.
    """
    if (b"|" in source or b"\xee\x80" in source) and _UNSAFE_BYTES.search(source):
        return {}
    tables = body.findall(TBL)
    spoiled: set[etree._Element] = set()
    for el in body.iter(*_NOT_PLAIN):
        parent = el.getparent()
        if el.tag.endswith("}tab") and parent is not None and parent.tag == _TABS:
            continue  # a tab stop definition, not a tab character
        top = None
        for anc in el.iterancestors(TBL):
            top = anc  # the outermost table holding it
        if top is not None:
            spoiled.add(top)
    return {
        tbl: plain
        for tbl, plain in zip(tables, plain_tables(body), strict=True)
        if plain is not None and tbl not in spoiled
    }


def _cell_props(props: str) -> tuple[int, str | None, str | None]:
    """``'s2\ue004vrestart\ue004'`` → (2, 'restart', None); a bare ``v`` continues."""
    span, v_state, h_state = 1, None, None
    for token in props.split(_PROP)[:-1]:
        kind, value = token[0], token[1:]
        if kind == "s":
            span = _int(value, 1, 1)
        elif kind == "v":
            v_state = value or "continue"
        else:
            h_state = value or "continue"
    return span, v_state, h_state


def row_specs(table: PlainTable, next_paragraph: Callable[[int], int]) -> list[RowSpec]:
    """Rows for ``grid.assemble``; ``next_paragraph(n)`` reserves n paragraph indices."""
    specs: list[RowSpec] = []
    for header, *cells in table.rows:
        flag, before, after = header.split("|")[:3]
        row_cells: list[CellSpec] = []
        for record in cells:
            props, *paragraphs = record.split(_PARA)
            n = len(paragraphs)
            first = next_paragraph(n)
            text = "\n".join(paragraphs).strip("\n") if n > 1 else (
                paragraphs[0].strip("\n") if n else ""
            )
            content = CellContent(text, [first, first + n - 1] if n else [])
            if props:
                span, v_state, h_state = _cell_props(props)
                row_cells.append((span, v_state, h_state, content))
            else:
                row_cells.append((1, None, None, content))
        specs.append(RowSpec(
            flag == "1", _int(before, 0, 0) if before else 0,
            _int(after, 0, 0) if after else 0, row_cells,
        ))
    return specs
