"""Small helpers over WordprocessingML elements: names, properties and paragraph text.

Text rules: deleted (``w:del``, ``w:moveFrom``) and hidden (``w:vanish``) runs are left out;
``w:br`` / ``w:cr`` become ``\\n`` (page and column breaks add nothing), ``w:tab`` a tab.
Field codes (``w:instrText``) are left out, field results kept. Of an ``mc:AlternateContent``
only the first ``mc:Choice`` is read (in a paragraph and inside a run alike); ``w:sym`` and
Word's ``w16se:symEx`` give their character unless it is a symbol-font (private-use) glyph.
Text boxes are not part of their anchor paragraph's text: the extractor emits them on their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W16SE_NS = "http://schemas.microsoft.com/office/word/2015/wordml/symex"
W = f"{{{W_NS}}}"
W16SE = f"{{{W16SE_NS}}}"

P = W + "p"
R = W + "r"
T = W + "t"
TBL = W + "tbl"
TR = W + "tr"
TC = W + "tc"
TC_PR = W + "tcPr"
SDT = W + "sdt"
SDT_CONTENT = W + "sdtContent"
CUSTOM_XML = W + "customXml"
TXBX = W + "txbxContent"
ALT_CONTENT = f"{{{MC_NS}}}AlternateContent"
MC_CHOICE = f"{{{MC_NS}}}Choice"
SYM_EX = W16SE + "symEx"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
M_MATH = f"{{{M_NS}}}oMath"
M_MATH_PARA = f"{{{M_NS}}}oMathPara"
M_T = f"{{{M_NS}}}t"

_FALSE = {"0", "false", "off"}
# Elements whose content is never document text.
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "rPr", W + "pPr", TXBX,
         MC_FALLBACK, W + "fldChar", W + "commentReference", W + "footnoteReference",
         W + "endnoteReference"}
# Containers whose children carry on the paragraph's text.
_CONTAINERS = {W + "ins", W + "moveTo", W + "hyperlink", W + "smartTag", CUSTOM_XML, SDT,
               SDT_CONTENT, W + "fldSimple", W + "bdo", W + "dir", MC_CHOICE}


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


def alternate_choice(alt: etree._Element) -> etree._Element | None:
    """The branch of an ``mc:AlternateContent`` that is read: its first ``mc:Choice``.

    Later choices and the ``mc:Fallback`` repeat the same content for older consumers.
    """
    return alt.find(MC_CHOICE)


def is_hidden_run(r: etree._Element) -> bool:
    rpr = r.find(W + "rPr")
    return rpr is not None and (flag(rpr.find(W + "vanish")) or flag(rpr.find(W + "specVanish")))


def _symbol(code: str | None) -> str:
    """The character a ``w:sym`` / ``w16se:symEx`` code stands for, or ``""``.

    Private-use codes are symbol-font glyphs (Wingdings and the like) with no meaning as text;
    control characters, surrogates and malformed codes are not text at all (and would make the
    XML writer fail).
    """
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if value < 0x20 or 0xD800 <= value <= 0xF8FF or value in (0xFFFE, 0xFFFF) or (
        value > 0x10FFFF
    ):
        return ""
    return chr(value)


def _run_text(r: etree._Element, out: list[str]) -> None:
    if not is_hidden_run(r):
        _run_content(r, out)


def _run_content(el: etree._Element, out: list[str]) -> None:
    """Text of run content: the children of a ``w:r`` (or of an ``mc:Choice`` inside one)."""
    for child in el:
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
            out.append(_symbol(wattr(child, "char")))
        elif tag == SYM_EX:  # Word 2016+ writes an inserted emoji or ① this way
            out.append(_symbol(child.get(W16SE + "char")))
        elif tag == ALT_CONTENT:
            choice = alternate_choice(child)
            if choice is not None:
                _run_content(choice, out)


def _inline_text(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == R:
            _run_text(child, out)
        elif tag in _CONTAINERS:
            _inline_text(child, out)
        elif tag == ALT_CONTENT:
            choice = alternate_choice(child)
            if choice is not None:
                _inline_text(choice, out)
        elif tag in (M_MATH, M_MATH_PARA):
            # Office Math: keep its characters in linear order (A=πr2) rather than lose them.
            out.append("".join(child.itertext(M_T, with_tail=False)))  # type: ignore[arg-type]


def paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    _inline_text(p, out)
    return "".join(out)


def textboxes(el: etree._Element) -> Iterator[etree._Element]:
    """Outermost text-box contents anchored in ``el`` (DrawingML or VML, not fallbacks).

    Only the read branch of an ``mc:AlternateContent`` counts (see ``alternate_choice``).
    """
    for tb in el.iter(TXBX):
        anc = tb.getparent()
        nested = False
        while anc is not None and anc is not el:
            if anc.tag in (TXBX, MC_FALLBACK) or (
                anc.tag == MC_CHOICE
                and (alt := anc.getparent()) is not None
                and alternate_choice(alt) is not anc
            ):
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


# The fast paths' one rule, used by ``TextReader`` (paragraphs) and ``fastgrid`` (tables):
# elements that need the careful, rule-by-rule reading of their paragraph (``NEEDS_CARE``),
# and run content other than w:t (``STRUCTURAL``). A paragraph without either is joined from
# its w:t alone by a C-level pass.
NEEDS_CARE = (W + "del", W + "moveFrom", TXBX, ALT_CONTENT, W + "vanish", W + "specVanish",
              W + "sym", SYM_EX, M_MATH)
STRUCTURAL = (W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen")
_PLAIN_TEXT = (T, *STRUCTURAL)
_PPR = W + "pPr"
_TABS = W + "tabs"


class TextReader:
    """Paragraph text for one document, with fast paths for plain paragraphs.

    Gives exactly ``paragraph_text(p)``. Paragraphs holding anything a fast pass would read
    differently (deletions, hidden runs, text boxes, alternate content, symbols, math) are
    found once up front and read by the careful path; paragraphs with only ``w:t`` text
    are joined in one C-level call.
    """

    def __init__(self, root: etree._Element) -> None:
        self._careful: set[etree._Element] = set()
        for el in root.iter(*NEEDS_CARE):
            self._careful.update(el.iterancestors(P))
        self._structured: set[etree._Element] = set()
        for el in root.iter(*STRUCTURAL):
            parent = el.getparent()
            if parent is not None and parent.tag != _TABS:  # tab stops are not text
                self._structured.update(el.iterancestors(P))

    def has_special(self, p: etree._Element) -> bool:
        return p in self._careful

    def text(self, p: etree._Element) -> str:
        if p in self._careful:
            return paragraph_text(p)
        if p not in self._structured:
            return "".join(p.itertext(T, with_tail=False))  # type: ignore[arg-type]
        out: list[str] = []
        for child in p:
            if child.tag == _PPR:
                continue  # its w:tabs/w:tab are tab stops, not text
            for el in child.iter(_PLAIN_TEXT):
                tag = el.tag
                if tag == T:
                    out.append(el.text or "")
                elif tag == W + "br":
                    if el.get(W + "type") not in ("page", "column"):
                        out.append("\n")
                elif tag == W + "cr":
                    out.append("\n")
                elif tag == W + "noBreakHyphen":
                    out.append("-")
                else:
                    out.append("\t")
        return "".join(out)
