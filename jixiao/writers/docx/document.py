"""The Word document around the tables: A4 sections (one per form), a CJK font, the title,
the header line (填报单位 … 单位：万元), the tables (the key/value part, then the indicator
grid, 1 pt apart), the footer line and the form's findings."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from jixiao.schemas import SEVERITY_NAMES, Document, Finding, Form
from jixiao.vocabulary import STAMP
from jixiao.writers.docx.fields import role_field
from jixiao.writers.docx.layout import footer_parts, form_tables
from jixiao.writers.docx.table import W, add_text, build_table

CJK_FONT = "Noto Sans CJK SC"  # what LibreOffice has here (fonts-noto-cjk)
CJK_FALLBACK = "SimSun"  # what Word has: named as the font's alternative in the font table
PAGE_W, PAGE_H, MARGIN_SIDE, MARGIN_TOP = Mm(210), Mm(297), Mm(18), Mm(20)
TITLE_HALF_POINTS = 32  # 16 pt
SPACER_TWIPS = 20  # 1 pt: the paragraph between a form's tables
TEXT_W_TWIPS = round((PAGE_W - 2 * MARGIN_SIDE) / 635)  # EMU → twips


def _fonts(doc: Any) -> None:
    """Normal (and the document defaults) in 10.5 pt with an East Asian font set by name,
    not by theme, so every paragraph and cell shows CJK glyphs."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    defaults = doc.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    for rpr in (normal.element.get_or_add_rPr(), defaults):
        if rpr is None:
            continue
        fonts = rpr.get_or_add_rFonts()
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):  # digits in the same face
            fonts.set(qn(f"w:{attr}"), CJK_FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = etree.SubElement(rpr, qn("w:lang"))
        lang.set(qn("w:eastAsia"), "zh-CN")
    _font_table(doc)


def _font_table(doc: Any) -> None:
    """Declare the CJK font with SimSun as its alternative name (Word substitutes it where
    Noto is not installed)."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable") and not rel.is_external:
            part = rel.target_part
            root = etree.fromstring(part.blob)
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), CJK_FONT)
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), CJK_FALLBACK)
            etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
            etree.SubElement(font, qn("w:family")).set(qn("w:val"), "swiss")
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True)
            return


def _page(section: Any) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP


def _paragraph(body: Any, before: Any, text: str, *, bold: bool = False,
               half_points: int | None = None, align: str | None = None,
               outline: bool = False, tab_right: bool = False) -> None:
    """A paragraph inserted into the body before ``before`` (the final section properties)."""
    holder = etree.Element(W + "tc")
    add_text(holder, text, bold=bold, half_points=half_points, align=align, breaks=True)
    for p in holder:
        ppr = p.find(W + "pPr")
        assert ppr is not None  # add_text gives every paragraph one
        if outline:  # an explicit outline level: read back as a heading, i.e. the title
            spacing = etree.Element(W + "spacing")
            spacing.set(W + "after", "160")
            ppr.insert(0, spacing)  # before w:jc, in schema order
            etree.SubElement(ppr, W + "outlineLvl").set(W + "val", "0")
        if tab_right:
            tabs = etree.Element(W + "tabs")
            tab = etree.SubElement(tabs, W + "tab")
            tab.set(W + "val", "right")
            tab.set(W + "pos", str(TEXT_W_TWIPS))
            ppr.insert(0, tabs)
        before.addprevious(p)


def header_line(form: Form) -> list[str]:
    """The lines between title and table: the header note as printed, with the unit note
    (单位：万元) and, when the table had it, 填报单位 added (a field without a cell was read
    from the header note, so the note already says it)."""
    # （盖章）: where the stamp goes, not part of the unit's name
    lines = [STAMP.sub("", line) for line in (form.header_note or "").split("\n")
             if line.strip()]
    filler = role_field(form, "filler")
    if filler is not None and filler.cell is not None:
        lines.insert(0, f"填报单位：{filler.value}")
    unit_field = role_field(form, "budget.unit")
    if unit_field is None or unit_field.cell is not None:
        unit = f"单位：{form.budget.unit or '万元'}"
        lines = [f"{lines[0]}\t{unit}", *lines[1:]] if lines else [f"\t{unit}"]
    return lines


def _form(doc: Any, form: Form, document: Document) -> None:
    body = doc.element.body
    end = body.sectPr
    if form.title:
        _paragraph(body, end, form.title, bold=True, half_points=TITLE_HALF_POINTS,
                   align="center", outline=True)
    for line in header_line(form):
        _paragraph(body, end, line, tab_right=True)
    for i, rows in enumerate(form_tables(form, document)):
        if i:  # two tables with nothing between are one table to Word
            _spacer(body, end)
        table = doc.add_table(rows=0, cols=1)
        table.style = doc.styles["Table Grid"]
        # a grid (every table after the first) repeats its header row on every page
        build_table(table._tbl, rows, TEXT_W_TWIPS, header_rows=1 if i else 0)
    _, below = footer_parts(form)
    if below:
        _paragraph(body, end, below)
    _findings(body, end, [f for f in document.findings if f.form == form.id])


def _spacer(body: Any, before: Any) -> None:
    """An empty paragraph 1 pt high between two tables of one form: it keeps them apart
    (Word joins adjacent tables) and the form looks like one table."""
    p = etree.Element(W + "p")
    ppr = etree.SubElement(p, W + "pPr")
    spacing = etree.SubElement(ppr, W + "spacing")
    for name, value in (("before", "0"), ("after", "0"), ("line", str(SPACER_TWIPS)),
                        ("lineRule", "exact")):
        spacing.set(W + name, value)
    rpr = etree.SubElement(ppr, W + "rPr")  # the paragraph mark's size
    for tag in ("sz", "szCs"):
        etree.SubElement(rpr, W + tag).set(W + "val", "2")  # 1 pt
    before.addprevious(p)


def _findings(body: Any, end: Any, findings: list[Finding]) -> None:
    """The form's findings below it, as plain paragraphs (never a table: reading the file
    back gives the same forms)."""
    if not findings:
        return
    _paragraph(body, end, "")
    _paragraph(body, end, "校验发现（jixiao validate）：", bold=True)
    for f in findings:
        _paragraph(body, end, f"［{SEVERITY_NAMES[f.severity]}］{f.message}（{f.rule}）")


def render(document: Document) -> bytes:
    """Every form of ``document`` in its standard layout, one A4 section each."""
    doc = new_document()
    _fonts(doc)
    _page(doc.sections[0])
    for i, form in enumerate(document.forms):
        if i:
            _page(doc.add_section(WD_SECTION.NEW_PAGE))
        _form(doc, form, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
