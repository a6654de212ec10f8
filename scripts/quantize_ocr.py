"""Make the 8-bit text recogniser jixiao ships (``jixiao/converters/ocr/models/``).

PaddleOCR's PP-OCRv4 mobile recogniser (the ONNX file of the ``rapidocr_onnxruntime`` 1.4
wheel), quantized to int8 by NNCF's
post-training quantization (mixed preset: weights and activations int8, a few layers kept
float), calibrated on the text lines jixiao itself cuts from one seed scan
(``fixtures/seeds/laoting-2024.scan.pdf``, every other line, at most 600): the other seed
scan stays unseen, to check the result on. On one core with AVX-512 VNNI it reads a line in
about 55% of the float model's time; on the seed scans it reads every indicator the float
model reads (benchmarks/bench_scan.py --compare).

Deterministic for a given OpenVINO / NNCF version. NNCF is a development tool, not a
dependency of jixiao: run this in an environment of its own,

    python3 -m venv /tmp/q && /tmp/q/bin/pip install nncf openvino==<jixiao's openvino>
    /tmp/q/bin/pip download rapidocr_onnxruntime==1.4.4 --no-deps -d /tmp/q/wheel
    unzip -o /tmp/q/wheel/*.whl 'rapidocr_onnxruntime/models/*' -d /tmp/q
    .venv/bin/python scripts/quantize_ocr.py --collect /tmp/calib.npz   # jixiao's lines
    /tmp/q/bin/python scripts/quantize_ocr.py --quantize /tmp/calib.npz \
        --source /tmp/q/rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx

``--quantize`` writes the model and its character list (``rec_int8.txt``, from the ONNX
file's metadata). The calibration lines are the float recogniser's inputs at 48 px; the
two recognisers take the same input.

Why PP-OCRv4 and not the PP-OCRv6 small recogniser the ``rapidocr`` 3.x wheel ships: both
were quantized and measured (README, "OCR"). The 8-bit PP-OCRv6 small costs as much per
line at 40 px and read 168 of the seed scans' 178 indicators; the 8-bit PP-OCRv4 reads 178.
"""

from __future__ import annotations

import argparse
import os
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


def quantize(path: Path, source: Path) -> None:
    import nncf
    import numpy as np
    import openvino as ov

    data = np.load(path)
    samples = [data[name] for name in data.files]
    model = ov.Core().read_model(str(source))
    characters = str(model.get_rt_info(["framework", "character"]).astype(str))
    model.reshape({0: ov.PartialShape([-1, 3, -1, -1])})  # any line height
    quantized = nncf.quantize(model, nncf.Dataset(samples), subset_size=len(samples),
                              preset=nncf.QuantizationPreset.MIXED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    ov.save_model(quantized, str(OUT))
    OUT.with_suffix(".txt").write_text(characters.rstrip("\n") + "\n", "utf-8")
    print(f"{source.name} → {OUT} ({len(samples)} calibration lines)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--collect", type=Path, help="write the calibration lines here")
    group.add_argument("--quantize", type=Path, help="quantize with these calibration lines")
    parser.add_argument("--source", type=Path, help="the float ONNX recogniser (--quantize)")
    args = parser.parse_args()
    if args.collect:
        collect(args.collect)
    elif args.source is None:
        parser.error("--quantize needs --source")
    else:
        quantize(args.quantize, args.source)


if __name__ == "__main__":
    main()
