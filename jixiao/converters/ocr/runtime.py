"""The OCR models and what runs them.

Nothing is downloaded, ever. The models are files of two wheels:

- the text detector, and the float recogniser, are PaddleOCR's PP-OCRv6 small models as the
  maintained ``rapidocr`` wheel (3.x) ships them (``models/*.onnx`` in the package: jixiao
  reads the files and imports none of its modules);
- the recogniser used on OpenVINO is jixiao's own: PP-OCRv4's mobile recogniser quantized to
  8 bits (``models/rec_int8.xml``, its characters in ``rec_int8.txt``; made by
  ``scripts/quantize_ocr.py``). It reads lines 40 px tall instead of 48 and is the fastest
  of the recognisers measured, with the same text on the seed scans (README, "OCR"; the
  8-bit PP-OCRv6 small read worse and no faster). A line it reads unsurely is read again
  by the float one (``engine.read``): a comparison sign alone in its cell above all.

The recogniser runs on OpenVINO when it is installed; the detector, and the recogniser
without OpenVINO, on onnxruntime. (OpenVINO prepares its kernels for each new input shape:
cheap for text lines, all one height, but the detector's windows come in all sizes, and
each would cost more time and memory than OpenVINO saves.)

``JIXIAO_OCR_PRECISION=f32`` asks for the float recogniser at 48 px, as RapidOCR runs it.
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

from jixiao.exceptions import JixiaoError

DET_MODEL = "PP-OCRv6_det_small.onnx"  # in the rapidocr wheel
REC_MODEL = "PP-OCRv6_rec_small.onnx"  # in the rapidocr wheel: the float recogniser
SHIPPED = Path(__file__).resolve().parent / "models"
REC_INT8 = SHIPPED / "rec_int8.xml"  # jixiao's: PP-OCRv4 mobile, 8-bit (OpenVINO IR)
REC_INT8_CHARACTERS = SHIPPED / "rec_int8.txt"
REC_HEIGHT_FLOAT = 48  # the height the recognisers were trained at
REC_HEIGHT_INT8 = 40  # the 8-bit one reads the seed scans as well at 40 px: a fifth less work

# One float32 batch (N, 3, H, W) in, the model's first output out.
Model = Callable[[Any], Any]


class OcrUnavailableError(JixiaoError):
    """The OCR engine is not installed (the scanned page cannot be read)."""


def models_dir() -> Path:
    """The model files of the installed ``rapidocr`` wheel (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise OcrUnavailableError("OCR models not installed (the rapidocr package)")
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
    return runtime_name(REC_MODEL) == "openvino" and _int8_wanted()


def _int8_wanted() -> bool:
    return (REC_INT8.is_file()
            and os.environ.get("JIXIAO_OCR_PRECISION", "").strip().lower() != "f32")


@lru_cache(maxsize=1)
def characters() -> list[str]:
    """The recogniser's classes after the CTC blank (the last one, a space, is implied)."""
    if int8():
        return REC_INT8_CHARACTERS.read_text("utf-8").splitlines()
    return float_characters()


@lru_cache(maxsize=1)
def float_characters() -> list[str]:
    """The float recogniser's classes after the CTC blank."""
    found = load(REC_MODEL, "float").metadata("character")
    if found is None:  # an OpenVINO that does not read ONNX metadata
        found = load(REC_MODEL, "onnxruntime").metadata("character")
    if found is None:  # pragma: no cover - the wheel's model has its dictionary
        raise OcrUnavailableError("the recognition model has no character list")
    return found.splitlines()


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
    def __init__(self, path: Path) -> None:
        core = _import_openvino().Core()
        self.model = core.read_model(str(path))
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
        self.compiled = core.compile_model(self.model, "CPU", config)
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
    """One model (``DET_MODEL`` or ``REC_MODEL``), compiled once per process: on
    ``runtime``, else on ``runtime_name``'s choice. The recogniser chosen is the 8-bit one
    when ``int8()`` says so; asked for on a runtime by name, always the float one."""
    if runtime == "float":
        runtime = runtime_name(name)
    try:
        model: _OpenVino | _OnnxRuntime
        if name == REC_MODEL and not runtime and int8():
            model = _OpenVino(REC_INT8)
        elif (runtime or runtime_name(name)) == "openvino":
            model = _OpenVino(models_dir() / name)
        else:
            model = _OnnxRuntime(models_dir() / name)
        return model
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise OcrUnavailableError(f"OCR runtime not installed ({exc})") from None
