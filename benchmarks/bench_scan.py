"""Speed and memory of the scanned-PDF path (render → straighten → lines → OCR → grid).

Runs on one pinned core with the OCR engine limited to one thread (``JIXIAO_OCR_THREADS=1``)
and reports pages per second for the whole ``jixiao.convert`` and for each stage of one page.
Target: ≥ 1 page/s on one core.

    python benchmarks/bench_scan.py            # both seed scans
    python benchmarks/bench_scan.py --quick    # one seed scan, stages on one page
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pin_one_core

os.environ.setdefault("JIXIAO_OCR_THREADS", "1")  # before the engine is created

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
RESULTS = ROOT / "benchmarks" / "results"
TARGET_PAGES_PER_S = 1.0




def stage_times(path: Path, page_index: int) -> dict[str, float]:
    import numpy as np
    import pypdfium2

    from jixiao.converters.ocr.engine import recognize
    from jixiao.converters.ocr.raster import DPI, find_segments, render, straighten
    from jixiao.converters.pdf.gridfind import find_regions

    doc = pypdfium2.PdfDocument(str(path))
    page = doc[page_index]
    out: dict[str, float] = {}
    t = time.perf_counter()
    gray = render(page, DPI)
    out["render"] = time.perf_counter() - t
    t = time.perf_counter()
    image = straighten(gray, DPI)
    out["straighten"] = time.perf_counter() - t
    t = time.perf_counter()
    find_regions(find_segments(image), tol=3.0)
    out["lines+grid"] = time.perf_counter() - t
    t = time.perf_counter()
    recognize(np.repeat(image.gray[:, :, None], 3, axis=2))
    out["ocr"] = time.perf_counter() - t
    page.close()
    doc.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    pinned = pin_one_core()
    from jixiao import convert

    files = [SEEDS / "yuanjiang-2024.scan.pdf"]
    if not args.quick:
        files.append(SEEDS / "laoting-2024.scan.pdf")
    stage_times(files[0], 2)  # load the models once, outside the timings
    stages = stage_times(files[0], 2)
    rows = []
    for path in files:
        t = time.perf_counter()
        doc = convert(path)
        seconds = time.perf_counter() - t
        pages = len(doc.ocr_pages)
        rows.append({"file": path.name, "pages": pages, "seconds": seconds,
                     "pages_per_s": pages / seconds, "forms": len(doc.forms)})
    total_pages = sum(r["pages"] for r in rows)
    rate = total_pages / sum(r["seconds"] for r in rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"jixiao scanned-PDF path ({pinned}, OCR threads {os.environ['JIXIAO_OCR_THREADS']})\n")
    print(f"{'file':<28}{'pages':>6}{'seconds':>9}{'pages/s':>9}{'forms':>7}")
    for r in rows:
        print(f"{r['file']:<28}{r['pages']:>6}{r['seconds']:>9.1f}{r['pages_per_s']:>9.2f}"
              f"{r['forms']:>7}")
    print("\none page, by stage (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    ok = rate >= TARGET_PAGES_PER_S
    print(f"\n{'pages/s, one core':<30}{rate:>8.2f}   target >= {TARGET_PAGES_PER_S}  "
          f"{'PASS' if ok else 'FAIL'}")
    print(f"{'peak RSS (MiB)':<30}{peak:>8.0f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_scan.json").write_text(json.dumps({
        "pinned": pinned, "rows": rows, "stages_s": stages, "pages_per_s": rate,
        "peak_rss_mib": peak,
    }, indent=2) + "\n")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
