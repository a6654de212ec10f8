"""Paragraph and cell text rules, text boxes, block provenance and heading levels."""

from __future__ import annotations

from pathlib import Path

from jixiao.converters.docx.ooxml import paragraph_text, textboxes
from tests.converters.docx.ooxml_helpers import extract_body, para, parse, table_spans, tbl, tc, tr

REV = 'w:author="x" w:date="2024-01-01T00:00:00Z"'


def text_of(inner: str) -> str:
    """``paragraph_text`` of ``<w:p>`` holding ``inner``."""
    return paragraph_text(parse(f"<w:p>{inner}</w:p>"))


def run(text: str, rpr: str = "") -> str:
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}<w:t>{text}</w:t></w:r>"


def drawing_textbox(text: str) -> str:
    """A run holding a DrawingML text box (``wps:txbx``) with one paragraph."""
    return (
        "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData uri=\"http://schemas.microsoft"
        '.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>'
        + para(text)
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )


def alt_textbox(text: str) -> str:
    """How Word saves a text box: DrawingML in the choice, a VML copy in the fallback."""
    drawing = drawing_textbox(text)[len("<w:r>") : -len("</w:r>")]
    return (
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + para(text)
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


# -- paragraph text ----------------------------------------------------------------------------


def test_deleted_and_moved_away_runs_are_left_out_inserted_runs_kept() -> None:
    assert text_of(
        run("保")
        + f'<w:del w:id="1" {REV}><w:r><w:delText>删</w:delText></w:r></w:del>'
        + f'<w:del w:id="2" {REV}>{run("也删")}</w:del>'
        + f'<w:ins w:id="3" {REV}>{run("增")}</w:ins>'
        + f'<w:moveFrom w:id="4" {REV}>{run("旧")}</w:moveFrom>'
        + f'<w:moveTo w:id="5" {REV}>{run("新")}</w:moveTo>'
    ) == "保增新"


def test_hidden_runs_are_left_out_unless_vanish_is_switched_off() -> None:
    assert text_of(
        run("隐", "<w:vanish/>")
        + run("显", '<w:vanish w:val="0"/>')
        + run("示", '<w:vanish w:val="false"/>')
        + run("藏", "<w:specVanish/>")
    ) == "显示"


def test_breaks_carriage_returns_and_tabs() -> None:
    assert text_of(
        "<w:r><w:t>a</w:t><w:br/><w:t>b</w:t><w:br w:type=\"page\"/><w:t>c</w:t>"
        '<w:br w:type="column"/><w:t>d</w:t><w:br w:type="textWrapping"/><w:t>e</w:t>'
        "<w:cr/><w:t>f</w:t></w:r>"
    ) == "a\nbcd\ne\nf"
    assert text_of("<w:r><w:t>项目</w:t><w:tab/><w:t>金额</w:t></w:r>") == "项目\t金额"
    assert text_of("<w:r><w:t>2024</w:t><w:noBreakHyphen/><w:t>2026</w:t></w:r>") == "2024-2026"


def test_field_codes_are_left_out_field_results_kept() -> None:
    assert text_of(
        run("第")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("3")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run("页，共")
        + f'<w:fldSimple w:instr=" NUMPAGES ">{run("4")}</w:fldSimple>'
        + run("页")
    ) == "第3页，共4页"


def test_wrappers_carry_on_the_text() -> None:
    assert text_of(
        f'<w:hyperlink w:anchor="a">{run("链")}</w:hyperlink>'
        f'<w:sdt><w:sdtPr><w:alias w:val="名"/></w:sdtPr><w:sdtContent>{run("控")}'
        "</w:sdtContent></w:sdt>"
        f'<w:smartTag w:uri="u" w:element="e">{run("标")}</w:smartTag>'
        f'<w:customXml w:element="c">{run("定")}</w:customXml>'
    ) == "链控标定"


def test_alternate_content_reads_the_first_choice_not_later_ones_or_the_fallback() -> None:
    assert text_of(
        "<mc:AlternateContent>"
        f'<mc:Choice Requires="w14">{run("选")}</mc:Choice>'
        f'<mc:Choice Requires="w15">{run("次")}</mc:Choice>'
        f"<mc:Fallback>{run('退')}</mc:Fallback>"
        "</mc:AlternateContent>"
    ) == "选"


def test_alternate_content_inside_a_run_reads_run_content() -> None:
    assert text_of(
        "<w:r><w:t>前</w:t><mc:AlternateContent>"
        '<mc:Choice Requires="w14"><w:t>选</w:t><w:tab/></mc:Choice>'
        "<mc:Fallback><w:t>退</w:t></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    ) == "前选\t"


def test_word_symbol_extension_in_the_choice_is_read() -> None:
    """Word 2016+ writes an inserted ① or emoji as w16se:symEx, the text only in the fallback."""
    assert text_of(
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"w16se\">"
        '<w16se:symEx w16se:font="Segoe UI Symbol" w16se:char="2460"/></mc:Choice>'
        "<mc:Fallback><w:t>①</w:t></mc:Fallback></mc:AlternateContent></w:r>"
        + run("目标")
    ) == "①目标"


def test_symbols_keep_real_characters_only() -> None:
    def sym(char: str) -> str:
        return f'<w:r><w:sym w:font="宋体" w:char="{char}"/></w:r>'

    assert text_of(sym("2460") + sym("FF0C")) == "①，"
    # symbol-font glyph (private use), control, surrogate, past Unicode, not hex: nothing
    assert text_of(sym("F0B3") + sym("0001") + sym("D800") + sym("110000") + sym("zz")) == ""


def test_text_box_is_not_part_of_its_anchor_paragraph() -> None:
    p = parse(f"<w:p>{run('锚')}{alt_textbox('框内')}</w:p>")
    assert paragraph_text(p) == "锚"
    boxes = list(textboxes(p))
    assert [paragraph_text(b[0]) for b in boxes] == ["框内"]  # the VML fallback is not a box
    drawing = drawing_textbox("一")[len("<w:r>") : -len("</w:r>")]
    two_choices = (
        f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f'<mc:Choice Requires="w14">{drawing}</mc:Choice></mc:AlternateContent></w:r></w:p>'
    )
    assert [paragraph_text(b[0]) for b in textboxes(parse(two_choices))] == ["一"]


# -- cell text ---------------------------------------------------------------------------------


def test_cell_lines_come_from_paragraphs_and_breaks(tmp_path: Path) -> None:
    cell = (
        "<w:tc><w:p/>"  # leading and trailing empty paragraphs are trimmed
        "<w:p><w:r><w:t>一</w:t><w:br/><w:t>二</w:t></w:r></w:p>"
        '<w:p><w:r><w:t>三</w:t><w:br w:type="page"/><w:t>四</w:t></w:r></w:p>'
        "<w:p/>"  # an empty paragraph between lines stays a blank line
        "<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t></w:r></w:p>"
        "<w:p/></w:tc>"
    )
    ex = extract_body(tmp_path, tbl(tr(cell)))
    assert table_spans(ex) == [(0, 0, 1, 1, "一\n二\n三四\n\n甲\t乙")]
    prov = ex.tables[0].cells[0].provenance
    assert prov is not None and prov.paragraphs == [0, 5]


def test_cell_text_follows_the_same_run_rules(tmp_path: Path) -> None:
    cell = (
        "<w:tc><w:p>" + run("留") + f'<w:del w:id="1" {REV}>{run("删")}</w:del>'
        + run("隐", "<w:vanish/>") + "</w:p></w:tc>"
    )
    assert table_spans(extract_body(tmp_path, tbl(tr(cell)))) == [(0, 0, 1, 1, "留")]


def test_text_box_in_a_cell_joins_the_cell_text(tmp_path: Path) -> None:
    cell = f"<w:tc><w:p>{run('格')}{alt_textbox('框')}</w:p></w:tc>"
    ex = extract_body(tmp_path, tbl(tr(cell)))
    assert table_spans(ex) == [(0, 0, 1, 1, "格\n框")]
    prov = ex.tables[0].cells[0].provenance
    assert prov is not None and prov.paragraphs == [0, 1]
    assert ex.blocks == []


# -- blocks ------------------------------------------------------------------------------------


def test_text_boxes_become_their_own_blocks(tmp_path: Path) -> None:
    body = (
        f"<w:p>{run('锚')}{alt_textbox('框内')}</w:p>"  # 0, its box 1 (fallback not counted)
        + para("后")  # 2
        + f"<w:p>{drawing_textbox('独框')}</w:p>"  # 3 (no text of its own), its box 4
    )
    ex = extract_body(tmp_path, body)
    assert [(b.id, b.text, b.provenance.paragraphs if b.provenance else None)
            for b in ex.blocks] == [
        ("b0", "锚", [0, 0]), ("b1", "框内", [1, 1]), ("b2", "后", [2, 2]), ("b3", "独框", [4, 4]),
    ]
    assert ex.order == ["b0", "b1", "b2", "b3"]


def test_block_paragraph_index_counts_empty_and_hidden_paragraphs(tmp_path: Path) -> None:
    body = "<w:p/>" + para("隐", rpr="<w:vanish/>") + para("见") + tbl(tr(tc("格"))) + para("末")
    ex = extract_body(tmp_path, body)
    assert [(b.text, b.provenance.paragraphs if b.provenance else None) for b in ex.blocks] == [
        ("见", [2, 2]), ("末", [4, 4]),
    ]
    assert ex.order == ["b0", "t0", "b1"]


def test_body_level_alternate_content_uses_the_choice(tmp_path: Path) -> None:
    body = (
        f'<mc:AlternateContent><mc:Choice Requires="w14">{para("甲")}</mc:Choice>'
        f"<mc:Fallback>{para('乙')}</mc:Fallback></mc:AlternateContent>"
    )
    assert [b.text for b in extract_body(tmp_path, body).blocks] == ["甲"]


# -- headings ----------------------------------------------------------------------------------

STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="大纲三"/>'
    '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
)


def test_heading_levels_from_style_outline_and_formatting(tmp_path: Path) -> None:
    bold = "<w:b/>"
    body = (
        para("二、项目概况", ppr='<w:pStyle w:val="2"/>')
        + para("总体情况", ppr='<w:outlineLvl w:val="0"/>')
        + para("三级", ppr='<w:pStyle w:val="a5"/>')
        + para("正文", ppr='<w:pStyle w:val="a"/>')
        + para("大标题", rpr=bold + '<w:sz w:val="36"/>')  # 18 pt: the largest, level 1
        + para("小标题", rpr=bold + '<w:sz w:val="28"/>')  # 14 pt: level 2
        + para("加粗正文", rpr=bold + '<w:sz w:val="24"/>')  # 12 pt: too small
        + para("不加粗", rpr='<w:sz w:val="36"/>')
        + para("这是一段很长的加粗文字" * 5, rpr=bold + '<w:sz w:val="36"/>')  # 55 chars
        + para("以上为说明。", rpr=bold + '<w:sz w:val="36"/>')  # ends a sentence
        # 22 pt bold inside a table: not a heading and not ranked
        + tbl(tr("<w:tc>" + para("表内", rpr=bold + '<w:sz w:val="44"/>') + "</w:tc>"))
    )
    ex = extract_body(tmp_path, body, styles=STYLES)
    assert [(b.text, b.kind, b.level) for b in ex.blocks] == [
        ("二、项目概况", "heading", 2),
        ("总体情况", "heading", 1),
        ("三级", "heading", 3),
        ("正文", "paragraph", None),
        ("大标题", "heading", 1),
        ("小标题", "heading", 2),
        ("加粗正文", "paragraph", None),
        ("不加粗", "paragraph", None),
        ("这是一段很长的加粗文字" * 5, "paragraph", None),
        ("以上为说明。", "paragraph", None),
    ]
    assert table_spans(ex) == [(0, 0, 1, 1, "表内")]


MATH = (
    "<m:oMathPara><m:oMath><m:r><m:t>A=π</m:t></m:r><m:sSup><m:e><m:r><m:t>r</m:t></m:r>"
    "</m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath></m:oMathPara>"
)


def test_office_math_keeps_its_characters_in_order() -> None:
    p = parse(f"<w:p><w:r><w:t>面积：</w:t></w:r>{MATH}</w:p>")
    assert paragraph_text(p) == "面积：A=πr2"


def test_office_math_in_a_table_cell(tmp_path: Path) -> None:
    cell = f"<w:tc><w:p>{MATH}</w:p></w:tc>"
    extraction = extract_body(tmp_path, tbl(tr(tc("公式"), cell)))
    assert table_spans(extraction) == [(0, 0, 1, 1, "公式"), (0, 1, 1, 1, "A=πr2")]
