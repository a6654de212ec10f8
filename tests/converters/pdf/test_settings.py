"""``PdfSettings``: parsing, the defaults (today's tuned values), and each kind of setting
reaching the code it tunes, on hand-made input and on the seed PDFs."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import cv2
import numpy as np
import pypdfium2
import pytest

import jixiao
from jixiao.converters.base import Extraction
from jixiao.converters.ocr.raster import PageImage, find_segments
from jixiao.converters.pdf import extract
from jixiao.converters.pdf.extract import _table, is_scanned, low_confidence_findings
from jixiao.converters.pdf.layout import PageCell, PageTable, page_layout
from jixiao.converters.pdf.pdfium_page import Frame, page_drawing, page_frame
from jixiao.converters.pdf.pdfium_text import page_chars
from jixiao.converters.pdf.settings import DEFAULTS, KEYS, PdfSettings, describe
from jixiao.converters.pdf.stitch import column_map
from jixiao.exceptions import UsageError
from tests.conftest import SEEDS, collapse, load_truth
from tests.converters.pdf.pdf_chars import run
from tests.converters.pdf.test_layout import region

README = Path(__file__).resolve().parents[3] / "README.md"
YUANJIANG = SEEDS / "yuanjiang-2024.pdf"

# The values of the constants before they became settings, read from the code of that time
# (git show 64ff162:jixiao/converters/pdf/rulings.py, gridfind.py, layout.py, stitch.py,
# extract.py, jixiao/converters/ocr/raster.py and ocr/page.py):
OLD_CONSTANTS = {
    "snap": 2.0,  # rulings.SNAP, gridfind's tol defaults
    "thin_line": 2.0,  # rulings.THIN
    "min_line_length": 3.0,  # rulings.MIN_LENGTH
    "max_rule_width": 4.0,  # rulings.MAX_RULE
    "border_reach": 1.0,  # gridfind.ALONG
    "column_start": 3.0,  # layout._starts_cell: abs(...) <= 3.0
    "row_overhang": 2.0,  # layout._belongs_above: line.x0 >= x0 - 2, x1 + 2
    "stitch_tolerance": 2.0,  # stitch.COLUMN_TOLERANCE
    "min_text_chars": 10,  # extract.MIN_TEXT_CHARS (at 64ff162)
    "min_image_cover": 0.3,  # extract.MIN_IMAGE_COVER
    "scan_dpi": 150,  # raster.DPI
    "scan_snap": 3.0,  # tol=3.0 in raster.find_segments, bridge_breaks, trim_overshoot, page
    "scan_bridge": 9,  # raster.BRIDGE
    "scan_max_break": 30.0,  # raster.MAX_BREAK
    "scan_crossing": 0.5,  # gridfind.CROSS
    "low_confidence": 0.8,  # extract.LOW_CONFIDENCE
}


def cells(extraction: Extraction) -> int:
    return sum(len(t.cells) for t in extraction.tables)


@pytest.fixture(scope="module")
def yuanjiang() -> Extraction:
    return extract(YUANJIANG)


# --- the defaults -----------------------------------------------------------------------


def test_defaults_are_the_old_constants_with_their_types() -> None:
    values = dataclasses.asdict(PdfSettings())
    assert values == OLD_CONSTANTS
    assert {k: type(v) for k, v in values.items()} == {
        k: type(v) for k, v in OLD_CONSTANTS.items()}
    assert PdfSettings() == DEFAULTS and DEFAULTS.overrides() == {}


def test_every_setting_has_a_unit_and_a_meaning() -> None:
    assert [key for key, *_ in describe()] == list(KEYS) == list(OLD_CONSTANTS)
    for key, default, unit, meaning in describe():
        assert unit and len(meaning) > 20, key
        assert default == str(OLD_CONSTANTS[key])


def test_readme_table_is_the_dataclass() -> None:
    text = README.read_text("utf-8")
    section = text[text.index("### PDF settings"):]
    section = section[: section.index("\n## ")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows == [f"| `{k}` | {d} | {u} | {m} |" for k, d, u, m in describe()]


# --- parsing ----------------------------------------------------------------------------


def test_pairs_are_parsed_to_each_field_type() -> None:
    s = PdfSettings.from_pairs(["snap=2.5", "scan_dpi=200", " min_text_chars = 0 ", "snap=3"])
    assert (s.snap, s.scan_dpi, s.min_text_chars) == (3.0, 200, 0)  # the last snap wins
    assert (type(s.snap), type(s.scan_dpi)) == (float, int)
    assert s.overrides() == {"snap": 3.0, "scan_dpi": 200, "min_text_chars": 0}
    assert PdfSettings().with_overrides({"snap": "4"}).snap == 4.0
    assert type(PdfSettings(snap=4).snap) is float  # an int for a float field is stored as one


def test_with_overrides_keeps_the_other_values() -> None:
    base = PdfSettings(snap=2.5)
    assert base.with_overrides({"scan_dpi": "300"}) == PdfSettings(snap=2.5, scan_dpi=300)


def test_an_unknown_key_is_named_with_every_valid_key() -> None:
    with pytest.raises(UsageError) as info:
        PdfSettings.from_pairs(["snapp=2"])
    message = str(info.value)
    assert "'snapp'" in message
    assert all(key in message for key in KEYS)
    with pytest.raises(UsageError, match=r"expected KEY=VALUE.*min_line_length"):
        PdfSettings.from_pairs(["snap"])


@pytest.mark.parametrize(("pair", "words"), [
    ("snap=-1", r"snap: -1.0 is out of range \(at least 0 pt\)"),
    ("snap=abc", r"snap: 'abc' is not a number"),
    ("snap=nan", r"snap: 'nan' is not a finite number"),
    ("snap=inf", r"snap: 'inf' is not a finite number"),
    ("min_text_chars=2.5", r"min_text_chars: '2.5' is not an integer"),
    ("min_text_chars=-3", r"min_text_chars: -3 is out of range"),
    ("min_image_cover=1.5", r"min_image_cover: 1.5 is out of range \(from 0 to 1 "),
    ("scan_dpi=20", r"scan_dpi: 20 is out of range \(from 50 to 600 dpi\)"),
    ("scan_bridge=0", r"scan_bridge: 0 is out of range \(at least 1 px\)"),
])
def test_a_bad_value_names_its_key(pair: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        PdfSettings.from_pairs([pair])


def test_values_given_in_python_are_checked_too() -> None:
    with pytest.raises(UsageError, match=r"snap: -0\.5 is out of range"):
        PdfSettings(snap=-0.5)
    with pytest.raises(UsageError, match=r"scan_dpi: 150\.0 is not an integer"):
        PdfSettings(scan_dpi=150.0)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="snap: True is not a number"):
        PdfSettings().with_overrides({"snap": True})


def test_settings_are_frozen_slotted_picklable_and_exported() -> None:
    s = PdfSettings(snap=3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.snap = 1.0  # type: ignore[misc]
    assert not hasattr(s, "__dict__")
    assert pickle.loads(pickle.dumps(s)) == s and hash(s) == hash(PdfSettings(snap=3.0))
    assert jixiao.PdfSettings is PdfSettings


# --- each kind of setting reaches its code ----------------------------------------------


def test_default_settings_given_as_strings_reproduce_the_truth(yuanjiang: Extraction) -> None:
    """Every default spelled out as --pdf-setting would: the grids are the hand-written
    truth's, and the extraction is the one without settings."""
    spelled = PdfSettings.from_pairs([f"{key}={default}" for key, default, *_ in describe()])
    got = extract(YUANJIANG, spelled)
    truth = load_truth("yuanjiang-2024")
    for table, expected in zip(got.tables, truth["tables"], strict=True):
        assert (table.n_rows, table.n_cols) == (expected["n_rows"], expected["n_cols"])
        assert sorted((c.row, c.col, c.row_span, c.col_span, collapse(c.text))
                      for c in table.cells) == sorted(
            (r, c, rs, cs, collapse(t)) for r, c, rs, cs, t in expected["cells"])
    assert [t.model_dump() for t in got.tables] == [t.model_dump() for t in yuanjiang.tables]
    assert [b.model_dump() for b in got.blocks] == [b.model_dump() for b in yuanjiang.blocks]


def test_a_long_min_line_length_drops_short_borders_and_cells_merge(
    yuanjiang: Extraction,
) -> None:
    """Borders shorter than 50 pt are ignored: the cells they separated become one, so the
    tables keep their grids but have fewer cells, which still tile them."""
    merged = extract(YUANJIANG, PdfSettings(min_line_length=50.0))
    assert len(merged.tables) == len(yuanjiang.tables)
    assert cells(merged) < cells(yuanjiang)
    for table in merged.tables:
        assert sum(c.row_span * c.col_span for c in table.cells) == table.n_rows * table.n_cols
    via_api = jixiao.convert(YUANJIANG, pdf=PdfSettings(min_line_length=50.0))
    assert sum(len(t.cells) for t in via_api.tables) == cells(merged)
    result = jixiao.convert_file(YUANJIANG, pdf=PdfSettings(min_line_length=50.0))
    assert result.document is not None and result.document.tables == via_api.tables


def test_min_text_chars_decides_what_is_a_scan() -> None:
    scan = SEEDS / "yuanjiang-2024.scan.pdf"
    pdf = pypdfium2.PdfDocument(str(scan))
    try:
        page = pdf[0]
        frame = page_frame(page)
        chars, images = page_chars(page, frame), page_drawing(page, frame).images
        page.close()
    finally:
        pdf.close()
    assert is_scanned(chars, images, frame)
    assert not is_scanned(chars, images, frame, PdfSettings(min_text_chars=0))
    # no page read by OCR (and so no table: the pages are images)
    read = extract(scan, PdfSettings(min_text_chars=0))
    assert (read.ocr_pages, read.tables, read.pages) == ([], [], 10)


def test_image_cover_is_a_share_of_the_page() -> None:
    frame = Frame(0.0, 0.0, 100.0, 200.0)  # 100 x 200 pt
    half = [{"x0": 0.0, "x1": 100.0, "top": 0.0, "bottom": 100.0}]
    assert is_scanned([], half, frame)
    assert not is_scanned([], half, frame, PdfSettings(min_image_cover=0.6))


def test_row_overhang_lets_a_wider_line_be_the_first_row() -> None:
    # a unit note at 265-315 over a table of 10-310: 5 pt past its right side (2 allowed)
    note = run("单位：万元", 265, 88)
    assert not page_layout(1, 842.0, [region()], note).tables[0].borderless_row
    wide = PdfSettings(row_overhang=6.0)
    (table,) = page_layout(1, 842.0, [region()], note, settings=wide).tables
    assert table.borderless_row and table.cells[0].text == "单位：万元"


def test_column_start_decides_where_a_first_row_splits() -> None:
    # "单位：万元" starts at 240, 30 pt into column 2 (210-310): one cell by default
    chars = [*run("填报单位：某局", 12, 88), *run("单位：万元", 240, 88)]
    table = page_layout(1, 842.0, [region()], chars).tables[0]
    assert [c.text for c in table.cells if c.row == 0] == ["填报单位：某局 单位：万元"]
    loose = page_layout(1, 842.0, [region()], chars, settings=PdfSettings(column_start=40.0))
    assert [c.text for c in loose.tables[0].cells if c.row == 0] == [
        "填报单位：某局", "单位：万元"]


def test_stitch_tolerance_is_how_far_columns_may_move() -> None:
    a = PageTable(page=1, xs=[0.0, 80.0, 160.0], ys=[0.0, 20.0])
    b = PageTable(page=2, xs=[0.0, 81.5, 160.0], ys=[0.0, 20.0])
    assert column_map(a, b) == [0, 1, 2]
    assert column_map(a, b, PdfSettings(stitch_tolerance=1.0).stitch_tolerance) is None


def test_low_confidence_is_the_findings_threshold() -> None:
    page = PageTable(page=1, xs=[0.0, 80.0], ys=[0.0, 20.0])
    page.cells.append(PageCell(0, 0, 1, 1, "项目", (0.0, 0.0, 80.0, 20.0), 1, confidence=0.7))
    table = _table(page, 0)
    assert [f.rule for f in low_confidence_findings(table)] == ["ocr.low_confidence"]
    assert low_confidence_findings(table, PdfSettings(low_confidence=0.5)) == []


def _broken_line(gap: int) -> PageImage:
    """A 150-dpi page with one table row (verticals at 200 and 1000 px): its top line has a
    ``gap`` px break in the middle, at no crossing line."""
    img = np.full((1754, 1241), 255, np.uint8)
    cv2.line(img, (200, 300), (580, 300), 0, 2)
    cv2.line(img, (580 + gap, 300), (1000, 300), 0, 2)
    cv2.line(img, (200, 400), (1000, 400), 0, 2)
    for x in (200, 1000):
        cv2.line(img, (x, 300), (x, 400), 0, 2)
    return PageImage(img, 150, 0.0)


def _top_pieces(image: PageImage, settings: PdfSettings) -> int:
    return sum(1 for s in find_segments(image, settings=settings)
               if s.orient == "h" and abs(s.pos - 300 * image.scale) < 3)


def test_scan_gaps_are_bridged_as_the_settings_say() -> None:
    # 50 px = 24 pt: more than the pixel bridge (9 px), less than scan_max_break (30 pt)
    wide = _broken_line(50)
    assert _top_pieces(wide, DEFAULTS) == 1
    assert _top_pieces(wide, PdfSettings(scan_max_break=20.0)) == 2
    # 20 px (9.6 pt), no break bridged in points: closed by a pixel bridge of 25 px only
    narrow = _broken_line(20)
    assert _top_pieces(narrow, PdfSettings(scan_max_break=1.0)) == 2
    assert _top_pieces(narrow, PdfSettings(scan_max_break=1.0, scan_bridge=25)) == 1

