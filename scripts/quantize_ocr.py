"""Make the 8-bit text recogniser jixiao ships (``jixiao/converters/ocr/models/``).

The PP-OCRv4 recogniser of the ``rapidocr_onnxruntime`` wheel, quantized to int8 by NNCF's
post-training quantization (mixed preset: weights and activations int8, a few layers kept
float), calibrated on the text lines jixiao itself cuts from one seed scan
(``fixtures/seeds/laoting-2024.scan.pdf``, every other line, at most 600): the other seed
scan stays unseen, to check the result on. On one core with AVX-512 VNNI it reads a line in
about 55% of the float model's time; on the seed scans it reads every indicator the float
model reads (benchmarks/bench_scan.py --compare).

Deterministic for a given OpenVINO / NNCF version. NNCF is a development tool, not a
dependency of jixiao: run this in an environment of its own,

    python3 -m venv /tmp/q && /tmp/q/bin/pip install nncf openvino==<jixiao's openvino>
    .venv/bin/python scripts/quantize_ocr.py --collect /tmp/calib.npz   # jixiao's lines
    /tmp/q/bin/python scripts/quantize_ocr.py --quantize /tmp/calib.npz # writes the model
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "fixtures" / "seeds" / "laoting-2024.scan.pdf"
OUT = ROOT / "jixiao" / "converters" / "ocr" / "models" / "rec_int8.xml"
MAX_SAMPLES = 600


def collect(path: Path) -> None:
    """The recogniser's inputs for every other text line of the calibration scan, as the
    float model reads them (48 px tall)."""
    os.environ["JIXIAO_OCR_PRECISION"] = "f32"  # before the engine is loaded
    import numpy as np

    import jixiao.converters.ocr.engine as engine
    from jixiao import convert

    inputs = []
    original = engine._rec_input

    def keep(image: object) -> tuple[object, float]:
        batch, ratio = original(image)
        inputs.append(np.array(batch, copy=True))
        return batch, ratio

    engine._rec_input = keep  # type: ignore[assignment]
    convert(SCAN)
    np.savez_compressed(path, *inputs[::2][:MAX_SAMPLES])
    print(f"{len(inputs[::2][:MAX_SAMPLES])} lines → {path}")


def quantize(path: Path) -> None:
    import nncf
    import numpy as np
    import openvino as ov

    data = np.load(path)
    samples = [data[name] for name in data.files]
    source = _onnx_model()
    model = ov.Core().read_model(str(source))
    quantized = nncf.quantize(model, nncf.Dataset(samples), subset_size=len(samples),
                              preset=nncf.QuantizationPreset.MIXED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    ov.save_model(quantized, str(OUT))
    print(f"{source.name} → {OUT} ({len(samples)} calibration lines)")


def _onnx_model() -> Path:
    """The float recogniser: from a jixiao checkout's .venv (the quantizing environment
    need not have rapidocr)."""
    found = sorted(ROOT.glob(".venv/lib/python3*/site-packages/rapidocr_onnxruntime/models/"
                             "ch_PP-OCRv4_rec_infer.onnx"))
    if not found:
        sys.exit("run `make install` first: the recogniser comes from jixiao's .venv")
    return found[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--collect", type=Path, help="write the calibration lines here")
    group.add_argument("--quantize", type=Path, help="quantize with these calibration lines")
    args = parser.parse_args()
    if args.collect:
        collect(args.collect)
    else:
        quantize(args.quantize)


if __name__ == "__main__":
    main()
