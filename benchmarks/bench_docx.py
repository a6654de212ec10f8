"""Speed and memory of the Word path on the seed documents.

Measures, against the targets of the performance issue:

(a) in-process throughput of ``jixiao.convert`` on one core (this process, pinned to one CPU
    where the OS allows): warm-up, then N timed iterations per file; documents/s overall and
    per file, and the split by stage timed through the public functions
    (``jixiao.converters.docx.extract``, ``jixiao.mapping.map_forms``,
    ``jixiao.writers.json.render``, ``jixiao.writers.xml.render``);
    target: >= 100 seed documents/s;
(b) whole-process wall time of ``jixiao convert SEEDS -o TMP --to json,xml`` as a subprocess,
    median of 5 runs; target: under 1 s;
(c) peak RSS (``resource.getrusage``) of this process and of the CLI subprocesses.

PASS/FAIL is printed for each target; the exit status is 0 unless ``--check`` is given, then 1
when a target is missed. ``--profile`` adds a cProfile of the in-process loop.

Usage::

    python benchmarks/bench_docx.py            # full run (about 15 s)
    python benchmarks/bench_docx.py --quick    # a few iterations, for a smoke test
    python benchmarks/bench_docx.py --check    # exit 1 on a missed target (CI)
    python benchmarks/bench_docx.py --profile 25
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import cli_command, pin_one_core, verdict

REPO = Path(__file__).resolve().parents[1]
SEEDS = [
    REPO / "fixtures" / "seeds" / "yuanjiang-2024.docx",
    REPO / "fixtures" / "seeds" / "laoting-2024.docx",
]
DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_docx.json"
TARGET_RATE = 100.0  # seed documents per second, in-process, one core
TARGET_WALL = 1.0  # seconds, whole CLI process on both seeds


def _timed(fn: Callable[[], Any], n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def _rss_mib(usage: resource.struct_rusage) -> float:
    # Linux reports KiB, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return usage.ru_maxrss * scale / (1 << 20)




def in_process(files: list[Path], warmup: int, iterations: int) -> dict[str, Any]:
    from jixiao import convert
    from jixiao.converters import sniff
    from jixiao.converters.docx import extract
    from jixiao.mapping import map_forms
    from jixiao.schemas import Document, Source
    from jixiao.writers.json import render as render_json
    from jixiao.writers.xml import render as render_xml

    per_file: dict[str, Any] = {}
    for path in files:
        for _ in range(warmup):
            convert(path)
        total = _timed(lambda p=path: convert(p), iterations)
        extraction = extract(path)
        forms = map_forms(extraction)
        document = convert(path)

        def assemble(p: Path = path, e: Any = extraction, f: Any = forms) -> Document:
            """What ``convert`` does besides extract and map: sniff, hash, validate."""
            fmt = sniff(p)
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            source = Source(path=str(p), sha256=digest, format=fmt, size=p.stat().st_size)
            return Document(source=source, tables=e.tables, blocks=e.blocks, forms=f)

        stages = {
            "extract": _timed(lambda p=path: extract(p), iterations),
            "map_forms": _timed(lambda e=extraction: map_forms(e), iterations),
            "assemble": _timed(assemble, iterations),
            "render_json": _timed(lambda d=document: render_json(d), iterations),
            "render_xml": _timed(lambda d=document: render_xml(d), iterations),
        }
        # Medians: robust to another process taking the core for a moment.
        median_total = statistics.median(total)
        per_file[path.name] = {
            "iterations": iterations,
            "tables": len(document.tables),
            "forms": len(document.forms),
            "convert_median_s": median_total,
            "convert_mean_s": statistics.fmean(total),
            "convert_min_s": min(total),
            "docs_per_s": 1.0 / median_total,
            "stage_median_s": {k: statistics.median(v) for k, v in stages.items()},
            "stage_mean_s": {k: statistics.fmean(v) for k, v in stages.items()},
        }
    total_time = sum(f["convert_median_s"] for f in per_file.values())
    return {
        "per_file": per_file,
        # one pass over the seed set: documents / sum of the per-file median times
        "docs_per_s": len(per_file) / total_time if total_time else 0.0,
    }




def whole_process(files: list[Path], runs: int) -> dict[str, Any]:
    command = cli_command()
    walls: list[float] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        for i in range(runs):
            out = Path(tmp) / f"run{i}"
            argv = [*command, "convert", *map(str, files), "-o", str(out), "--to", "json,xml"]
            t0 = time.perf_counter()
            proc = subprocess.run(argv, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                raise SystemExit(f"jixiao convert failed ({proc.returncode}): {proc.stderr}")
            missing = [  # outputs are named from the whole input name (discovery.output_name)
                f"{p.name}.{ext}"
                for p in files
                for ext in ("json", "xml")
                if not (out / f"{p.name}.{ext}").is_file()
            ]
            if missing:
                raise SystemExit(f"jixiao convert wrote no {', '.join(missing)}")
        for _ in range(runs):  # the floor: the interpreter starting and stopping
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            baseline.append(time.perf_counter() - t0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "command": " ".join([*command, "convert", "SEEDS", "-o", "TMP", "--to", "json,xml"]),
        "runs": runs,
        "wall_s": walls,
        "median_s": statistics.median(walls),
        "python_startup_median_s": statistics.median(baseline),
        "peak_rss_mib": _rss_mib(children),
    }


def profile(files: list[Path], iterations: int, top: int) -> str:
    from jixiao import convert

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(iterations):
        for path in files:
            convert(path)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    buf.write(f"cProfile of {iterations} x {len(files)} conversions, by own time:\n")
    stats.sort_stats("tottime").print_stats(top)
    buf.write("by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="documents (default: the two seeds)")
    parser.add_argument("-n", "--iterations", type=int, default=50, help="timed runs per file")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per file first")
    parser.add_argument("--runs", type=int, default=5, help="CLI subprocess runs (median)")
    parser.add_argument("--quick", action="store_true", help="5 iterations, 3 CLI runs")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument(
        "--profile", type=int, nargs="?", const=25, default=0, metavar="TOP",
        help="also cProfile the in-process loop and print the TOP functions (default 25)",
    )  # fmt: skip
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="JSON result file")
    args = parser.parse_args(argv)
    if args.quick:
        args.iterations, args.warmup, args.runs = 5, 1, 3

    files = [p.resolve() for p in (args.files or SEEDS)]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        print(f"missing input: {', '.join(missing)}", file=sys.stderr)
        return 2

    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    pinned = "not pinned" if args.no_pin else pin_one_core()
    try:
        inproc = in_process(files, args.warmup, args.iterations)
        prof = profile(files, max(5, args.iterations // 5), args.profile) if args.profile else ""
    finally:
        if affinity is not None and not args.no_pin:
            os.sched_setaffinity(0, affinity)
    self_rss = _rss_mib(resource.getrusage(resource.RUSAGE_SELF))
    proc = whole_process(files, args.runs)

    rate_ok = inproc["docs_per_s"] >= TARGET_RATE
    wall_ok = proc["median_s"] < TARGET_WALL

    print(f"jixiao in-process, {args.iterations} iterations per file after {args.warmup} warm-up")
    print(f"({pinned}; Python {platform.python_version()})\n")
    stage_names = ["extract", "map_forms", "assemble", "render_json", "render_xml"]
    head = f"{'file':<22} {'docs/s':>8} {'convert ms':>10}" + "".join(
        f" {s[:11]:>11}" for s in stage_names
    )
    print(head)
    print("-" * len(head))
    for name, f in inproc["per_file"].items():
        line = f"{name[:22]:<22} {f['docs_per_s']:8.1f} {_ms(f['convert_median_s']):>10}"
        line += "".join(f" {_ms(f['stage_median_s'][s]):>11}" for s in stage_names)
        print(line)
    print(
        "(median ms; convert = extract + map_forms + assemble, where assemble is sniff + sha256"
        " + Document validation;\n render_* are the writers, run by the CLI, not by convert)\n"
    )

    print(f"{'measure':<46} {'value':>12} {'target':>10}  verdict")
    print(
        f"{'in-process seed documents/s (one core)':<46} {inproc['docs_per_s']:12.1f}"
        f" {'>= ' + format(TARGET_RATE, 'g'):>10}  {verdict(rate_ok)}"
    )
    print(
        f"{'whole CLI process, both seeds, json+xml (s)':<46} {proc['median_s']:12.3f}"
        f" {'< ' + format(TARGET_WALL, 'g'):>10}  {verdict(wall_ok)}"
    )
    print(f"{'  each run (s)':<46} {', '.join(f'{w:.3f}' for w in proc['wall_s']):>12}")
    print(f"{'  python -c pass, median (s)':<46} {proc['python_startup_median_s']:12.3f}")
    print(f"{'peak RSS, this process (MiB)':<46} {self_rss:12.1f}")
    print(f"{'peak RSS, CLI subprocess (MiB)':<46} {proc['peak_rss_mib']:12.1f}")
    if prof:
        print()
        print(prof)

    payload = {
        "benchmark": "bench_docx",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "pinned": pinned,
        "files": [str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p) for p in files],
        "iterations": args.iterations,
        "warmup": args.warmup,
        "in_process": inproc,
        "whole_process": proc,
        "peak_rss_mib": {"self": self_rss, "cli": proc["peak_rss_mib"]},
        "targets": {
            "docs_per_s": {"target": TARGET_RATE, "pass": rate_ok},
            "cli_wall_s": {"target": TARGET_WALL, "pass": wall_ok},
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"\nresults written to {shown}")
    if args.check and not (rate_ok and wall_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
