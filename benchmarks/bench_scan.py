"""Speed and memory of the scanned-PDF path (render → straighten → lines → OCR → grid).

Runs on one pinned core with the OCR engine limited to one thread (``JIXIAO_OCR_THREADS=1``)
and reports pages per second for the whole ``jixiao.convert`` and for each stage of one page.
Target: ≥ 2 pages/s on one core (issue 16; not met yet: see the README).

    python benchmarks/bench_scan.py            # both seed scans
    python benchmarks/bench_scan.py --quick    # one seed scan, stages on one page
    python benchmarks/bench_scan.py --compare  # before / after: the float recogniser at
                                               # 48 px, then the 8-bit one at 40 px, each in
                                               # a fresh process (speed and peak memory)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pin_one_core

os.environ.setdefault("JIXIAO_OCR_THREADS", "1")  # before the engine is created

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
RESULTS = ROOT / "benchmarks" / "results"
TARGET_PAGES_PER_S = 2.0
COMPARE = (("float recogniser, 48 px (before)", {"JIXIAO_OCR_PRECISION": "f32"}),
           ("8-bit recogniser, 40 px (after)", {"JIXIAO_OCR_PRECISION": ""}))
KIND = {"department_overall": "department_goals", "project": "project_goals"}


def _collapse(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def accuracy(path: Path, doc: Any) -> dict[str, int]:
    """Forms found (kind, name and budget total as the truth file says) and indicators exact,
    by the rule of ``tests/converters/ocr/test_scans.py``."""
    truth = json.loads(path.with_name(path.name.replace(".scan.pdf", ".truth.json"))
                       .read_text("utf-8"))["forms"]
    forms = exact = total = 0
    for form, want in zip(doc.forms, truth, strict=False):
        total_raw = form.budget.total.raw if form.budget.total is not None else None
        forms += (form.kind == KIND[want["kind"]] and form.project.name == want.get("name")
                  and total_raw == want["budget_total_wan"])
        got = [(i.level1, i.level2, i.level3, _collapse(i.target.raw)) for i in form.indicators]
        exp = [(i["l1"], i["l2"], i["l3"], _collapse(i["value"])) for i in want["indicators"]]
        exact += sum(g == w for g, w in zip(got, exp, strict=False))
    total = sum(len(w["indicators"]) for w in truth)
    return {"forms_ok": forms, "forms_truth": len(truth), "forms_found": len(doc.forms),
            "indicators_exact": exact, "indicators": total}


def stage_times(path: Path, page_index: int) -> dict[str, float]:
    """One page through the steps of ``ocr.page.read_scanned_page``, each timed."""
    import pypdfium2

    from jixiao.converters.ocr.cells import crossing_runs, line_height, page_ink, page_lines
    from jixiao.converters.ocr.engine import read
    from jixiao.converters.ocr.raster import DPI, find_segments, page_masks, render, straighten
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
    masks = page_masks(image.gray)
    regions = find_regions(find_segments(image, masks), tol=3.0)
    ink = page_ink(image.gray, masks.binary, masks.vertical, masks.horizontal, image.scale)
    crossing_runs(ink, regions, line_height(ink, regions))
    out["lines+grid"] = time.perf_counter() - t
    t = time.perf_counter()
    lines = page_lines(ink, regions)
    out["text lines (cells + detector)"] = time.perf_counter() - t
    t = time.perf_counter()
    read(lines)
    out["recognition"] = time.perf_counter() - t
    page.close()
    doc.close()
    return out


def compare(quick: bool) -> int:
    """Each setting of ``COMPARE`` in a process of its own, one table."""
    import subprocess

    results = []
    for label, env in COMPARE:
        argv = [sys.executable, __file__, *(["--quick"] if quick else [])]
        subprocess.run(argv, env={**os.environ, **env}, check=True, capture_output=True)
        results.append((label, json.loads((RESULTS / "bench_scan.json").read_text("utf-8"))))
    print(f"{'setting':<36}{'pages/s':>9}{'peak MiB':>10}{'forms ok':>10}{'indicators':>12}")
    for label, r in results:
        print(f"{label:<36}{r['pages_per_s']:>9.2f}{r['peak_rss_mib']:>10.0f}"
              f"{r['forms_ok']:>10}{r['indicators_exact']:>8}/{r['indicators']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--compare", action="store_true",
                        help="before / after: float at 48 px against 8-bit at 40 px")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args.quick)
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
                     "pages_per_s": pages / seconds, "forms": len(doc.forms),
                     **accuracy(path, doc)})
    total_pages = sum(r["pages"] for r in rows)
    rate = total_pages / sum(r["seconds"] for r in rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"jixiao scanned-PDF path ({pinned}, OCR threads {os.environ['JIXIAO_OCR_THREADS']})\n")
    print(f"{'file':<28}{'pages':>6}{'seconds':>9}{'pages/s':>9}{'forms ok':>10}"
          f"{'indicators exact':>18}")
    for r in rows:
        print(f"{r['file']:<28}{r['pages']:>6}{r['seconds']:>9.1f}{r['pages_per_s']:>9.2f}"
              f"{r['forms_ok']:>6}/{r['forms_truth']:<3}{r['indicators_exact']:>13}/"
              f"{r['indicators']:<4}")
    print("\none page, by stage (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    ok = rate >= TARGET_PAGES_PER_S
    print(f"\n{'pages/s, one core':<30}{rate:>8.2f}   target >= {TARGET_PAGES_PER_S}  "
          f"{'PASS' if ok else 'FAIL'}")
    print(f"{'peak RSS (MiB)':<30}{peak:>8.0f}")
    forms_ok = sum(r["forms_ok"] for r in rows)
    forms_truth = sum(r["forms_truth"] for r in rows)
    exact = sum(r["indicators_exact"] for r in rows)
    total = sum(r["indicators"] for r in rows)
    print(f"{'forms found':<30}{forms_ok:>5}/{forms_truth}")
    print(f"{'indicators exact':<30}{exact:>5}/{total}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_scan.json").write_text(json.dumps({
        "pinned": pinned, "rows": rows, "stages_s": stages, "pages_per_s": rate,
        "peak_rss_mib": peak, "forms_ok": forms_ok, "indicators_exact": exact,
        "indicators": total,
    }, indent=2) + "\n")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
