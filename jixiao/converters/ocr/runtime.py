"""The OCR models and what runs them.

The PP-OCRv4 models are the ONNX files inside the ``rapidocr_onnxruntime`` wheel: nothing
is downloaded, ever. The recogniser runs on OpenVINO when it is installed (a fifth less time
than onnxruntime on one x86 core, the same text); the detector, and the recogniser without
OpenVINO, on onnxruntime, which that wheel brings. (OpenVINO prepares its kernels for each
new input shape: cheap for text lines, 48 px tall, but the detector's windows come in all
sizes, and each would cost more time and memory than OpenVINO saves.)

On OpenVINO the recogniser is the 8-bit one jixiao ships (``models/rec_int8.xml``, made
from the wheel's by ``scripts/quantize_ocr.py``): it reads a line in about 55% of the time,
and reads lines 40 px tall instead of 48 (``rec_height``), another fifth less work, with the
same text on the seed scans (benchmarks/bench_scan.py --compare).
``JIXIAO_OCR_PRECISION=f32`` asks for the float model at 48 px, as RapidOCR runs it.

``JIXIAO_OCR_RUNTIME=onnxruntime`` (or ``openvino``) runs both models on one runtime;
``JIXIAO_OCR_THREADS`` caps the threads (0 or unset: the runtime's own choice).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.converters import ocr_gate as gate
from jixiao.exceptions import JixiaoError

DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"
REC_INT8 = Path(__file__).resolve().parent / "models" / "rec_int8.xml"
REC_HEIGHT_FLOAT = 48  # the height the recogniser was trained at
REC_HEIGHT_INT8 = 40  # the 8-bit one reads the seed scans as well at 40 px: a fifth less work

# One float32 batch (N, 3, H, W) in, the model's first output out.
Model = Callable[[Any], Any]


class OcrUnavailableError(JixiaoError):
    """The OCR engine is not installed (the scanned page cannot be read)."""


def models_dir() -> Path:
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        raise OcrUnavailableError("OCR engine not installed (rapidocr_onnxruntime)")
    return Path(spec.origin).parent / "models"


def threads() -> int:
    return max(0, int(os.environ.get("JIXIAO_OCR_THREADS", "0") or 0))


def runtime_name(model: str) -> str:
    """``openvino`` or ``onnxruntime`` for ``model``: the one asked for, else the faster
    installed one."""
    asked = os.environ.get("JIXIAO_OCR_RUNTIME", "").strip().lower()
    if asked in ("openvino", "onnxruntime"):
        return asked
    if model == REC_MODEL and importlib.util.find_spec("openvino") is not None:
        return "openvino"
    return "onnxruntime"


@lru_cache(maxsize=1)
def int8() -> bool:
    """Whether the recogniser is the shipped 8-bit one (OpenVINO, unless f32 is asked)."""
    return (runtime_name(REC_MODEL) == "openvino" and REC_INT8.is_file()
            and os.environ.get("JIXIAO_OCR_PRECISION", "").strip().lower() != "f32")


@lru_cache(maxsize=1)
def rec_height() -> int:
    """The height text lines are scaled to for the recogniser in use."""
    return REC_HEIGHT_INT8 if int8() else REC_HEIGHT_FLOAT


def _import_openvino() -> Any:
    """``openvino``, without the model converter its ``__init__`` imports when it can
    (``openvino.tools.ovc`` and its telemetry: 40 % of the import time; only models are run
    here). That import is optional there (``except ImportError``)."""
    if "openvino" in sys.modules:
        return sys.modules["openvino"]
    blocked = "openvino.tools.ovc" not in sys.modules
    if blocked:
        sys.modules["openvino.tools.ovc"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("openvino")
    finally:
        if blocked:
            sys.modules.pop("openvino.tools.ovc", None)  # importable later, if anyone needs it


class _OpenVino:
    def __init__(self, path: Path, compiled_from: Path | None = None) -> None:
        """``path``'s model; compiled from ``compiled_from`` when given (the 8-bit one: its
        metadata, the character list, stays ``path``'s)."""
        core = _import_openvino().Core()
        self.model = core.read_model(str(path))
        run = core.read_model(str(compiled_from)) if compiled_from else self.model
        config: dict[str, Any] = {
            "PERFORMANCE_HINT": "LATENCY",
            "NUM_STREAMS": 1,
            # Full precision: bf16, the default on CPUs that have it, reads a fifth faster
            # but not the same text (a form of the seed scans is lost).
            "INFERENCE_PRECISION_HINT": "f32",
        }
        if threads():
            config["INFERENCE_NUM_THREADS"] = threads()
            # OpenVINO pins its threads to cores of its own choosing: two batch workers
            # with one thread each were both put on the first core (each ran at half speed).
            config["ENABLE_CPU_PINNING"] = False
        self.compiled = core.compile_model(run, "CPU", config)
        self.request = self.compiled.create_infer_request()

    def __call__(self, batch: Any) -> Any:
        return self.request.infer({0: batch}, share_inputs=True)[0]

    def metadata(self, key: str) -> str | None:
        if not self.model.has_rt_info(["framework", key]):
            return None
        return str(self.model.get_rt_info(["framework", key]).astype(str))


class _OnnxRuntime:
    def __init__(self, path: Path) -> None:
        ort = importlib.import_module("onnxruntime")
        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads():
            options.intra_op_num_threads = threads()
            options.inter_op_num_threads = threads()
        self.session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input = self.session.get_inputs()[0].name

    def __call__(self, batch: Any) -> Any:
        return self.session.run(None, {self.input: batch})[0]

    def metadata(self, key: str) -> str | None:
        found = self.session.get_modelmeta().custom_metadata_map.get(key)
        return None if found is None else str(found)


@lru_cache(maxsize=4)
def load(name: str, runtime: str = "") -> _OpenVino | _OnnxRuntime:
    """One model, compiled once per process."""
    gate.check()
    path = models_dir() / name
    try:
        model: _OpenVino | _OnnxRuntime = (
            _OpenVino(path, REC_INT8 if name == REC_MODEL and int8() and not runtime else None)
            if (runtime or runtime_name(name)) == "openvino" else _OnnxRuntime(path)
        )
        gate.loaded = True
        return model
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise OcrUnavailableError(f"OCR runtime not installed ({exc})") from None
