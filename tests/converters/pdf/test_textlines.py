"""Characters -> lines -> cell text: CJK-aware spacing and wrap-versus-break decisions.

Glyph geometry comes from ``pdf_chars`` (10pt: wide 10pt, Latin 5pt, space 2.5pt). Cells
have 5pt padding: text starts at x=5, and ``right`` is 5pt past where a full line ends.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.converters.pdf.textlines import (
    Char,
    Line,
    chars_text,
    chars_to_lines,
    is_hard_break,
    join_lines,
    to_chars,
)
from tests.converters.pdf.pdf_chars import line, run, text_line

# --- pdfplumber chars -> Char ----------------------------------------------------------------


def raw_char(text: str, x0: float, *, fontname: str = "SimSun", upright: bool = True) -> dict[
    str, Any
]:
    return {"text": text, "x0": x0, "x1": x0 + 10, "top": 50.0, "bottom": 60.0, "size": 10.0,
            "fontname": fontname, "upright": upright}


def test_to_chars_keeps_upright_glyphs_and_reads_bold_from_the_font_name() -> None:
    got = to_chars([
        raw_char("预", 0),
        raw_char("算", 10, fontname="ABCDEF+SimHei,Bold"),
        raw_char("竖", 20, upright=False),
        raw_char("表", 30, fontname="SourceHanSans-Heavy"),
    ])
    assert got == [
        Char("预", 0, 10, 50, 60, 10, False),
        Char("算", 10, 20, 50, 60, 10, True),
        Char("表", 30, 40, 50, 60, 10, True),
    ]


# --- grouping into lines -------------------------------------------------------------------


def test_chars_are_grouped_into_lines_top_to_bottom_left_to_right() -> None:
    second = run("第二行", 5, top=14)
    first = run("第一行", 5, top=0)
    shuffled = [second[2], first[1], second[0], first[2], first[0], second[1]]
    lines = chars_to_lines(shuffled)
    assert [ln.text for ln in lines] == ["第一行", "第二行"]
    assert (lines[0].x0, lines[0].x1, lines[0].top, lines[0].bottom) == (5, 35, 0, 10)


def test_a_glyph_a_little_off_the_baseline_stays_on_its_line() -> None:
    chars = [*run("合计", 5, top=0), *run("12", 25, top=1.0)]
    assert [ln.text for ln in chars_to_lines(chars)] == ["合计12"]


def test_fake_bold_glyphs_printed_twice_are_read_once() -> None:
    chars = [*run("预算", 0), *run("预算", 0.3)]
    assert [ln.text for ln in chars_to_lines(chars)] == ["预算"]


def test_a_real_double_letter_is_kept() -> None:
    assert [ln.text for ln in chars_to_lines(run("Hello", 0))] == ["Hello"]


def test_line_is_bold_only_when_every_visible_glyph_is() -> None:
    bold = [Char("标", 0, 10, 0, 10, 10, True), Char(" ", 10, 12.5, 0, 10, 10, False),
            Char("题", 12.5, 22.5, 0, 10, 10, True)]
    assert Line(bold).bold
    assert not Line([*bold, Char("x", 22.5, 27.5, 0, 10, 10, False)]).bold
    assert not Line(run("   ", 0)).bold


# --- spaces inside a line ------------------------------------------------------------------


def test_no_space_is_invented_between_chinese_characters_even_letter_spaced() -> None:
    assert chars_text(run("项目名称", 0, pitch=4)) == "项目名称"


def test_a_visible_gap_between_latin_words_is_one_space() -> None:
    # "ABC" ends at 15, "Ltd" starts at 20: a 5pt gap (> a quarter of the font size).
    assert chars_text([*run("ABC", 0), *run("Ltd", 20)]) == "ABC Ltd"


def test_kerning_between_latin_letters_is_not_a_space() -> None:
    assert chars_text([*run("AB", 0), *run("C", 11)]) == "ABC"


def test_autospace_between_latin_and_chinese_is_not_a_space() -> None:
    # 项目 0-20, gap 3, ABC 23-38, gap 3, 编码 41-61; 2024 0-20, gap 3, 年.
    assert chars_text([*run("项目", 0), *run("ABC", 23), *run("编码", 41)]) == "项目ABC编码"
    assert chars_text([*run("2024", 0), *run("年", 23)]) == "2024年"


def test_space_glyphs_are_not_doubled() -> None:
    assert chars_text(run("ab cd", 0)) == "ab cd"
    # A space glyph followed by a wide gap: still one space.
    assert chars_text([*run("ab ", 0), *run("cd", 20)]) == "ab cd"


# --- wrap or break between lines ------------------------------------------------------------


def cell_text(*lines: Line, right: float) -> str:
    return join_lines(list(lines), 0.0, right)


def test_no_lines_no_text() -> None:
    assert join_lines([], 0.0, 100.0) == ""


def test_a_full_chinese_line_wraps_without_newline_or_space() -> None:
    # Ten characters 5-105 fill the content box (right 110 minus 5pt padding).
    full = text_line("预算绩效管理工作全面", 5, 0)
    assert cell_text(full, text_line("推进", 5, 14), right=110) == "预算绩效管理工作全面推进"


def test_room_for_less_than_the_next_character_is_still_a_wrap() -> None:
    # Nine characters end at 95: 10pt left, but the next character needs 10pt plus slack.
    nine = text_line("预算绩效管理工作全", 5, 0)
    assert cell_text(nine, text_line("面推进", 5, 14), right=110) == "预算绩效管理工作全面推进"


def test_a_short_line_followed_by_room_is_the_authors_break() -> None:
    got = cell_text(text_line("目标一", 5, 0), text_line("目标二", 5, 14), right=110)
    assert got == "目标一\n目标二"


def test_latin_words_wrapped_get_one_space() -> None:
    # "performance of the": 16 letters x 5 + 2 spaces x 2.5 = 85 -> 5-90; right 95.
    full = text_line("performance of the", 5, 0)
    assert cell_text(full, text_line("budget", 5, 14), right=95) == "performance of the budget"


def test_a_latin_word_wraps_when_it_would_not_have_fitted() -> None:
    # "Budget of" ends at 47.5: 42.5pt of room in a box ending at 90.
    short = text_line("Budget of", 5, 0)
    assert cell_text(short, text_line("implementation", 5, 14), right=95) == (
        "Budget of implementation"  # 70pt word: it could not fit, so this is a wrap
    )
    assert cell_text(short, text_line("all", 5, 14), right=95) == "Budget of\nall"


def test_a_line_starting_with_a_comma_is_a_wrap() -> None:
    # Eight characters end at 85: 20pt of room, enough for the next character, but a line
    # may not start with "，", so the renderer moved it down.
    eight = text_line("全年开展培训活动", 5, 0)
    assert cell_text(eight, text_line("，覆盖人员五百人次", 5, 14), right=110) == (
        "全年开展培训活动，覆盖人员五百人次"
    )
    # The same room before an ordinary character is an author's break.
    assert cell_text(eight, text_line("覆盖人员五百人次", 5, 14), right=110) == (
        "全年开展培训活动\n覆盖人员五百人次"
    )


def test_a_character_carried_down_with_a_full_stop_is_a_wrap() -> None:
    # "动" was carried down with "。" (which may not start a line): 20pt of room is left.
    eight = text_line("全年共开展培训活", 5, 0)
    assert cell_text(eight, text_line("动。下半年继续开展", 5, 14), right=110) == (
        "全年共开展培训活动。下半年继续开展"
    )
    # With lots of room it is still a break.
    five = text_line("工作完成得", 5, 0)
    assert cell_text(five, text_line("好。", 5, 14), right=110) == "工作完成得\n好。"


def test_an_enumeration_after_a_finished_sentence_starts_a_new_paragraph() -> None:
    # The first line is full (11 characters, 5-115 in a box ending at 115).
    full = text_line("三是落实内控管理措施。", 5, 0)
    assert cell_text(full, text_line("4、加强资金监管", 5, 14), right=120) == (
        "三是落实内控管理措施。\n4、加强资金监管"
    )
    assert cell_text(full, text_line("（二）资金监管", 5, 14), right=120) == (
        "三是落实内控管理措施。\n（二）资金监管"
    )


def test_a_decimal_number_after_a_colon_is_not_an_enumeration() -> None:
    full = text_line("本年度预算资金总额为：", 5, 0)
    assert cell_text(full, text_line("12.5万元", 5, 14), right=120) == (
        "本年度预算资金总额为：12.5万元"
    )


def test_trailing_space_glyphs_before_a_wrap_are_kept_as_one_space() -> None:
    # 5 characters (50pt) + 20 spaces (50pt) run 5-105: the line is full.
    spaced = text_line("绩效目标：" + " " * 20, 5, 0)
    assert cell_text(spaced, text_line("提高资金使用效率", 5, 14), right=110) == (
        "绩效目标： 提高资金使用效率"
    )
    latin = text_line("performance ", 5, 0)  # 5-62.5
    assert cell_text(latin, text_line("targets", 5, 14), right=67.5) == "performance targets"


def test_three_lines_wrap_then_break() -> None:
    got = cell_text(
        text_line("预算绩效管理工作全面", 5, 0),
        text_line("推进。", 5, 14),
        text_line("下一步", 5, 28),
        right=110,
    )
    assert got == "预算绩效管理工作全面推进。\n下一步"


def test_padding_is_measured_from_the_leftmost_line() -> None:
    # Text starting at x=12 in a cell from 0 to 120: the content box ends at 108.
    full = text_line("预算绩效管理工作全面", 12, 0)  # 12-112 runs past 108: full
    assert cell_text(full, text_line("推进", 12, 14), right=120) == "预算绩效管理工作全面推进"


@pytest.mark.parametrize(
    ("prev", "nxt", "expected"),
    [
        ("三是落实内控管理措施。", "4、加强", True),
        ("三是落实内控管理措施。", "4.加强", True),
        ("三是落实内控管理措施。", "(3)加强", True),
        ("三是落实内控管理措施。", "五、加强", True),
        ("资金总额为人民币合计：", "1.5万元", False),
        ("资金总额为人民币合计：", "10．5万元", False),
    ],
)
def test_is_hard_break_after_a_full_line(prev: str, nxt: str, expected: bool) -> None:
    first = text_line(prev, 5, 0)
    assert is_hard_break(first, line(run(nxt, 5, 14)), right=first.x1) is expected
