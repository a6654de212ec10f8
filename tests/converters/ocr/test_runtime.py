"""The OCR runtimes' settings that the batch relies on."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from jixiao.converters.ocr.runtime import REC_MODEL, _OpenVino, models_dir


@pytest.mark.skipif(importlib.util.find_spec("openvino") is None, reason="OpenVINO not installed")
def test_capped_openvino_threads_are_not_pinned_to_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch gives each worker one OCR thread. Pinned, OpenVINO put the threads of two
    # workers on the same core, and each ran at half speed.
    monkeypatch.setenv("JIXIAO_OCR_THREADS", "1")
    model = _OpenVino(models_dir() / REC_MODEL)
    assert model.compiled.get_property("INFERENCE_NUM_THREADS") == 1
    assert model.compiled.get_property("ENABLE_CPU_PINNING") is False


@pytest.mark.skipif(importlib.util.find_spec("openvino") is None, reason="OpenVINO not installed")
def test_openvino_is_imported_without_its_model_converter() -> None:
    # The converter (and its telemetry) was two fifths of OpenVINO's import time in each
    # batch worker that reads a scan; it is left out, and can still be imported after.
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from jixiao.converters.ocr.runtime import _import_openvino\n"
        "ov = _import_openvino()\n"
        "assert ov.Core().available_devices\n"
        "assert 'openvino.tools.ovc' not in sys.modules, 'the converter was imported'\n"
        "assert 'openvino_telemetry' not in sys.modules\n"
        "import openvino.tools.ovc\n"
        "assert _import_openvino() is ov\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(importlib.util.find_spec("openvino") is None, reason="OpenVINO not installed")
def test_the_8_bit_recogniser_is_shipped_and_used_unless_f32_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jixiao.converters.ocr import runtime

    assert runtime.REC_INT8.is_file() and runtime.REC_INT8.with_suffix(".bin").is_file()
    for asked, want in (("", (True, 40)), ("f32", (False, 48))):
        monkeypatch.setenv("JIXIAO_OCR_PRECISION", asked)
        runtime.int8.cache_clear()
        runtime.rec_height.cache_clear()
        assert (runtime.int8(), runtime.rec_height()) == want
    runtime.int8.cache_clear()
    runtime.rec_height.cache_clear()
    runtime.characters.cache_clear()
    monkeypatch.delenv("JIXIAO_OCR_PRECISION")
    model = runtime.load(REC_MODEL)
    assert isinstance(model, _OpenVino)
    kinds = {str(op.get_rt_info()["layerType"].astype(str))
             for op in model.compiled.get_runtime_model().get_ops()
             if "layerType" in op.get_rt_info()}
    assert "FakeQuantize" in kinds  # compiled from the 8-bit model
    classes = runtime.characters()
    assert len(classes) == 6623 and "绩" in classes and "效" in classes
    blank_and_space = 2
    out = model(np.zeros((1, 3, 40, 64), np.float32))
    assert out.shape[-1] == len(classes) + blank_and_space
