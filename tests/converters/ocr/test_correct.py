"""Corrections of OCR text that the text itself proves (``ocr.correct``)."""

from __future__ import annotations

from jixiao.converters.ocr.correct import correct


def test_chinese_quotes_alternate_when_they_pair() -> None:
    assert correct("“雪亮工程“政府购买服务") == "“雪亮工程”政府购买服务"
    assert correct("”两新”和“四个“") == "“两新”和“四个”"
    assert correct("完成“统一领导") == "完成“统一领导"  # odd: nothing proves which is wrong
    assert correct("无引号") == "无引号"


def test_a_lone_capital_for_the_sign_is_the_sign() -> None:
    assert correct("M") == "≥" and correct(" N ") == "≥"
    assert correct("M300") == "M300" and correct("MN") == "MN"  # only a cell of its own


def test_a_red_seal_is_paper_to_the_reader(tmp_path: object) -> None:
    """The page is read in its red channel: a red seal over the text is nearly white, the
    black text under it stays black."""
    from pathlib import Path

    import numpy as np
    import pypdfium2
    from PIL import Image

    from jixiao.converters.ocr.raster import render

    rgb = np.full((200, 200, 3), 255, np.uint8)
    rgb[40:160, 40:160] = (205, 35, 40)  # the seal's red
    rgb[90:110, 20:180] = (0, 0, 0)  # a black stroke under it
    path = Path(str(tmp_path)) / "seal.pdf"
    Image.fromarray(rgb).save(path, resolution=150.0)
    gray = render(pypdfium2.PdfDocument(str(path))[0], 150)
    assert gray[60:80, 60:140].mean() > 190  # the seal
    assert gray[95:105, 60:140].mean() < 60  # the text


def test_a_page_in_traditional_script_gets_its_simplified_characters_back() -> None:
    from jixiao.converters.ocr.correct import to_traditional, traditional_page

    cells = ["項目名稱", "服務對象满意度指標", "學員满意度", "產出指標"]
    assert traditional_page(cells)
    assert to_traditional("服務對象满意度指標") == "服務對象滿意度指標"
    assert not traditional_page(["项目名称", "服务对象满意度指标", "產出"])  # simplified page
    # characters traditional text prints too are left as read
    assert to_traditional("接入智慧社區平台社區數") == "接入智慧社區平台社區數"
    assert to_traditional("每周") == "每周"


def test_a_cell_one_character_from_one_lexicon_word_is_that_word() -> None:
    from jixiao.converters.ocr.correct import nearest_label

    assert nearest_label("項目名") == "项目名称"  # a character left out
    assert nearest_label("社会效益指") == "社会效益指标"
    assert nearest_label("项目名称") is None  # already a word
    assert nearest_label("科目名称") is None  # one misread, but read surely: a word of its own
    assert nearest_label("科目名称", unsure=True) == "项目名称"
    assert nearest_label("法律援助") is None and nearest_label("主管") is None  # too short
