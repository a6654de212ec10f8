"""Small helpers over WordprocessingML elements: names, properties and paragraph text.

Text rules: deleted (``w:del``, ``w:moveFrom``) and hidden (``w:vanish``) runs are left out;
``w:br`` / ``w:cr`` become ``\\n`` (page and column breaks add nothing), ``w:tab`` a tab.
Text boxes are not part of their anchor paragraph's text: the extractor emits them on their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = f"{{{W_NS}}}"

P = W + "p"
R = W + "r"
T = W + "t"
TBL = W + "tbl"
TR = W + "tr"
TC = W + "tc"
SDT = W + "sdt"
SDT_CONTENT = W + "sdtContent"
CUSTOM_XML = W + "customXml"
TXBX = W + "txbxContent"
ALT_CONTENT = f"{{{MC_NS}}}AlternateContent"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"

_FALSE = {"0", "false", "off"}
# Elements whose content is never document text.
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr", TXBX,
         MC_FALLBACK, W + "fldChar", W + "commentReference", W + "footnoteReference",
         W + "endnoteReference"}
# Containers whose children carry on the paragraph's text.
_CONTAINERS = {W + "ins", W + "moveTo", W + "hyperlink", W + "smartTag", CUSTOM_XML, SDT,
               SDT_CONTENT, W + "fldSimple", W + "bdo", W + "dir", ALT_CONTENT,
               f"{{{MC_NS}}}Choice"}


def wattr(el: etree._Element | None, name: str) -> str | None:
    """The value of attribute ``w:name`` on ``el`` (or ``None``)."""
    if el is None:
        return None
    return el.get(W + name)


def flag(el: etree._Element | None) -> bool:
    """A WordprocessingML on/off property: present and not switched off."""
    if el is None:
        return False
    return (wattr(el, "val") or "true").lower() not in _FALSE


def int_val(el: etree._Element | None, default: int) -> int:
    raw = wattr(el, "val")
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def is_hidden_run(r: etree._Element) -> bool:
    rpr = r.find(W + "rPr")
    return rpr is not None and (flag(rpr.find(W + "vanish")) or flag(rpr.find(W + "specVanish")))


def _run_text(r: etree._Element, out: list[str]) -> None:
    if is_hidden_run(r):
        return
    for child in r:
        tag = child.tag
        if tag == T:
            out.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            out.append("\t")
        elif tag == W + "br":
            if wattr(child, "type") not in ("page", "column"):
                out.append("\n")
        elif tag == W + "cr":
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "sym":
            code = wattr(child, "char") or ""
            try:
                value = int(code, 16)
            except ValueError:
                continue
            if value < 0xF000:  # private-use symbol-font glyphs have no meaning as text
                out.append(chr(value))
        elif tag == ALT_CONTENT:
            _inline_text(child, out)


def _inline_text(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == R:
            _run_text(child, out)
        elif tag in _CONTAINERS:
            _inline_text(child, out)


def paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    _inline_text(p, out)
    return "".join(out)


def textboxes(el: etree._Element) -> Iterator[etree._Element]:
    """Outermost text-box contents anchored in ``el`` (DrawingML or VML, not fallbacks)."""
    for tb in el.iter(TXBX):
        anc = tb.getparent()
        nested = False
        while anc is not None and anc is not el:
            if anc.tag in (TXBX, MC_FALLBACK):
                nested = True
                break
            anc = anc.getparent()
        if not nested:
            yield tb


def unwrap(el: etree._Element, wanted: str) -> Iterator[etree._Element]:
    """Children of ``el`` with tag ``wanted``, looking through sdt / customXml wrappers."""
    for child in el:
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag in (SDT, CUSTOM_XML):
            target = child.find(SDT_CONTENT) if tag == SDT else child
            if target is not None:
                yield from unwrap(target, wanted)
