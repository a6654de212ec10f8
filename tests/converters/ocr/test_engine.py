"""The OCR engine's own steps: runtimes, line images, character placement."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from jixiao.converters.ocr import runtime
from jixiao.converters.ocr.engine import TextImage, _even, _rec_input, read
from jixiao.converters.ocr.raster import DPI, render, straighten
from jixiao.converters.ocr.runtime import DET_MODEL, REC_MODEL, load, models_dir, runtime_name
from tests.conftest import SEEDS

HAS_OPENVINO = importlib.util.find_spec("openvino") is not None


def test_models_ship_inside_the_installed_wheels() -> None:
    for name in (DET_MODEL, REC_MODEL):  # the rapidocr wheel's
        assert (models_dir() / name).stat().st_size > 1_000_000
    assert runtime.REC_INT8.with_suffix(".bin").stat().st_size > 1_000_000  # jixiao's own
    assert len(runtime.REC_INT8_CHARACTERS.read_text("utf-8").splitlines()) == 6623


def test_no_module_of_the_ocr_package_is_imported() -> None:
    # Its model files are read; its modules (and their private API) are not used.
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from jixiao import convert\n"
        f"convert({str(SEEDS / 'yuanjiang-2024.scan.pdf')!r})\n"
        "assert not [m for m in sys.modules if m.startswith('rapidocr')], 'rapidocr imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_runtime_is_chosen_per_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_OCR_RUNTIME", raising=False)
    assert runtime_name(DET_MODEL) == "onnxruntime"
    assert runtime_name(REC_MODEL) == ("openvino" if HAS_OPENVINO else "onnxruntime")
    for forced in ("onnxruntime", "openvino"):
        monkeypatch.setenv("JIXIAO_OCR_RUNTIME", forced)
        assert runtime_name(DET_MODEL) == runtime_name(REC_MODEL) == forced


@pytest.mark.skipif(not HAS_OPENVINO, reason="OpenVINO not installed")
def test_both_runtimes_recognise_alike() -> None:
    rng = np.random.default_rng(0)
    batch = rng.uniform(-1, 1, (1, 3, 48, 200)).astype(np.float32)
    ov = load(REC_MODEL, "openvino")(batch)
    ort = load(REC_MODEL, "onnxruntime")(batch)
    classes = len(load(REC_MODEL, "onnxruntime").metadata("character").splitlines())
    assert ov.shape == ort.shape == (1, 25, classes + 2)  # the CTC blank and a space
    assert np.abs(ov - ort).max() < 1e-3
    assert load(REC_MODEL, "openvino").metadata("character") == load(
        REC_MODEL, "onnxruntime").metadata("character")


def test_a_line_is_read_at_its_own_width() -> None:
    from jixiao.converters.ocr.engine import REC_WIDTH_STEP
    from jixiao.converters.ocr.runtime import rec_height

    height = rec_height()  # 40 for the 8-bit recogniser, 48 for the float one
    batch, ratio = _rec_input(np.full((30, 100), 255, np.uint8))
    width = -(-round(100 * height / 30) // REC_WIDTH_STEP) * REC_WIDTH_STEP
    assert batch.shape == (1, 3, height, width)  # its own width, rounded up; not 320
    assert width < 320 and ratio == width / height


def test_latin_columns_are_evened_out_but_real_gaps_kept() -> None:
    steps_3_and_a_stray_4 = [2, 5, 8, 11, 14, 18, 21, 24]
    assert _even(steps_3_and_a_stray_4) == pytest.approx(np.linspace(2, 24, 8).tolist())
    gap = [0, 3, 6, 15, 18, 21]
    assert _even(gap) == pytest.approx([0, 3, 6, 15, 18, 21])
    assert _even([4, 9]) == [4.0, 9.0]


def test_characters_land_on_the_page_where_the_line_was_cut() -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(SEEDS / "yuanjiang-2024.scan.pdf"))
    gray = straighten(render(doc[2], DPI), DPI).gray
    doc.close()
    # The page's title, 2024年项目支出绩效目标表, cut out by hand.
    ys, xs = np.nonzero(gray[100:160, 300:950] < 128)
    x0, y0 = 300 + int(xs.min()) - 4, 100 + int(ys.min()) - 5
    x1, y1 = 300 + int(xs.max()) + 6, 100 + int(ys.max()) + 5
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    glyphs = read([TextImage(gray[y0:y1, x0:x1], quad)])
    assert "".join(g.text for g in glyphs) == "2024年项目支出绩效目标表"
    assert all(x0 <= g.x0 < g.x1 <= x1 and g.top == y0 and g.bottom == y1 for g in glyphs)
    assert all(0 < g.confidence <= 1 for g in glyphs)
    assert [g.x0 for g in glyphs] == sorted(g.x0 for g in glyphs)


def test_a_second_reading_is_taken_only_when_surer_and_plausible() -> None:
    from jixiao.converters.ocr.engine import _better
    from jixiao.converters.ocr.postprocess import Decoded

    def reading(text: str, score: float) -> Decoded:
        return Decoded(text, score, 8, list(range(len(text))), [score] * len(text))

    # a line kept by the first reading: replaced by a sure second one only
    assert _better(reading("基幹部培訓經費", 0.74), reading("基層幹部培訓經費", 1.0))
    assert not _better(reading("類别", 0.75), reading("類別", 0.7))
    assert not _better(reading("幹部", 0.6), reading("幹部", 0.79))
    # a line the first reading drops: noise, unless the second reads a comparison sign
    assert not _better(reading("-", 0.43), reading("1", 0.94))
    assert not _better(reading("=", 0.49), reading("二", 0.86))
    assert _better(reading("И", 0.30), reading("≤", 0.72))
    assert not _better(reading("И", 0.30), reading("≤", 0.45))
