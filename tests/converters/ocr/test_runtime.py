"""The OCR runtimes' settings that the batch relies on."""

from __future__ import annotations

import importlib.util

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
