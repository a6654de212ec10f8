"""Speed and memory of the digital-PDF path, with pdfplumber and camelot on the same files.

Inputs: the seed PDFs (``fixtures/seeds/yuanjiang-2024.pdf``, 10 pages, and
``laoting-2024.pdf``, 13 pages) and a synthetic long PDF made at run time in a temporary
folder by repeating the seed pages with pypdf (``--pages``, default 300).

Measures, against the targets of the performance issue:

(a) in-process throughput of ``jixiao.convert`` on one core (this process pinned to one CPU
    where the OS allows): warm-up, then timed iterations; pages/s = pages / median time, for
    the seed set (pages / sum of the per-file medians) and for the long PDF; target: >= 20
    pages/s on both. ``extract`` alone (``jixiao.converters.pdf.extract``) is timed too, to show
    how much of ``convert`` the grid builder takes;
(b) whole-process wall time of ``jixiao convert FILE -o TMP --to json`` as a subprocess, per
    file (median of ``--runs``), and that subprocess's peak RSS (``os.wait4``); target: the
    long PDF under 500 MiB;
(c) the peers, in the same process on the same core and files: pdfplumber's own table finder
    (``page.find_tables()`` then ``table.extract()`` on every page, pages closed as jixiao does)
    and camelot-py's lattice mode (``camelot.read_pdf(path, pages="all", flavor="lattice")``
    with the first image backend that works: pdfium, ghostscript, poppler). A peer that is not
    installed or cannot run here is reported with the reason and skipped.

PASS/FAIL is printed for each target; the exit status is 0 unless ``--check`` is given, then 1
when a target is missed.

Usage::

    python benchmarks/bench_pdf.py            # full run (a few minutes: camelot is slow)
    python benchmarks/bench_pdf.py --quick    # 1 iteration, 1 CLI run, no peers on the long PDF
    python benchmarks/bench_pdf.py --check    # exit 1 on a missed target (CI)
    python benchmarks/bench_pdf.py --no-camelot --pages 100
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import cli_command, pin_one_core, verdict

REPO = Path(__file__).resolve().parents[1]
SEEDS = [
    REPO / "fixtures" / "seeds" / "yuanjiang-2024.pdf",
    REPO / "fixtures" / "seeds" / "laoting-2024.pdf",
]
DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_pdf.json"
TARGET_RATE = 20.0  # pages per second, in-process, one core
TARGET_RSS = 500.0  # MiB, peak RSS of the CLI on the long PDF
CAMELOT_BACKENDS = ("pdfium", "ghostscript", "poppler")

Runner = Callable[[Path], int]  # one pass over a file; returns the number of tables found


# --- inputs -----------------------------------------------------------------------------------


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def make_long_pdf(sources: list[Path], n_pages: int, dest: Path) -> Path:
    """``n_pages`` pages cycling through the pages of ``sources`` in order, written to ``dest``."""
    from pypdf import PdfReader, PdfWriter

    pages = [page for src in sources for page in PdfReader(str(src)).pages]
    writer = PdfWriter()
    for i in range(n_pages):
        writer.add_page(pages[i % len(pages)])
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


# --- systems ----------------------------------------------------------------------------------


def run_jixiao(path: Path) -> int:
    from jixiao import convert

    return len(convert(path).tables)


def run_jixiao_extract(path: Path) -> int:
    from jixiao.converters.pdf import extract

    return len(extract(path).tables)


def run_pdfplumber(path: Path) -> int:
    import pdfplumber

    found = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            found += len([table.extract() for table in page.find_tables()])
            page.close()
    return found


def camelot_runner() -> tuple[Runner | None, str]:
    """A camelot lattice runner with a working image backend, or None and the reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import camelot  # type: ignore[import-untyped]
    except Exception as exc:  # ImportError, or a broken opencv/ghostscript install
        why = f"{type(exc).__name__}: {exc}"
        return None, f"camelot-py not importable ({why}); pip install camelot-py"
    probe = SEEDS[0]
    reasons = []
    for backend in CAMELOT_BACKENDS:

        def run(path: Path, backend: str = backend) -> int:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = camelot.read_pdf(str(path), pages="all", flavor="lattice", backend=backend)
            return len(tables)

        try:
            run(probe)
        except Exception as exc:
            reasons.append(f"{backend}: {type(exc).__name__}: {' '.join(str(exc).split())[:120]}")
            continue
        return run, f"camelot-py {camelot.__version__} lattice, backend {backend}"
    return None, "camelot lattice cannot run here (" + "; ".join(reasons) + ")"


# --- measuring --------------------------------------------------------------------------------




def _rss_mib(maxrss: int) -> float:
    # Linux reports KiB, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return maxrss * scale / (1 << 20)


def time_runs(run: Runner, path: Path, warmup: int, iterations: int) -> dict[str, Any]:
    for _ in range(warmup):
        run(path)
    times = []
    tables = 0
    for _ in range(iterations):
        t0 = time.perf_counter()
        tables = run(path)
        times.append(time.perf_counter() - t0)
    return {
        "iterations": iterations,
        "warmup": warmup,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "times_s": times,
        "tables": tables,
    }




# A child forked from this (large) process starts with this process's peak RSS as its own
# (Linux keeps ru_maxrss across fork and exec), so the CLI is started from a small launcher
# interpreter, which waits for it and writes the CLI's own wall time, peak RSS and status.
LAUNCHER = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as fh:
    json.dump([wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], fh)
"""


def run_child(argv: list[str], log: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit status of one child process."""
    report = log.with_suffix(".rusage.json")
    with log.open("wb") as out:
        subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(report), *argv],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    wall, maxrss, code = json.loads(report.read_text(encoding="utf-8"))
    return wall, _rss_mib(maxrss), code


def whole_process(files: list[Path], runs: int, tmp: Path) -> dict[str, Any]:
    command = cli_command()
    per_file: dict[str, Any] = {}
    for path in files:
        walls, rss = [], []
        for i in range(runs):
            out = tmp / f"cli-{path.stem}-{i}"
            log = tmp / f"cli-{path.stem}-{i}.log"
            argv = [*command, "convert", str(path), "-o", str(out), "--to", "json"]
            wall, peak, code = run_child(argv, log)
            # OUT/<file name>.json (jixiao.discovery.output_name: the suffix is kept)
            if code != 0 or not (out / f"{path.name}.json").is_file():
                detail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise SystemExit(f"jixiao convert {path.name} failed ({code}): {detail}")
            walls.append(wall)
            rss.append(peak)
        per_file[path.name] = {
            "runs": runs,
            "wall_s": walls,
            "median_s": statistics.median(walls),
            "peak_rss_mib": max(rss),
        }
    floor = [run_child([sys.executable, "-c", "pass"], tmp / "floor.log") for _ in range(runs)]
    return {
        "command": " ".join([*command, "convert", "FILE", "-o", "TMP", "--to", "json"]),
        "per_file": per_file,
        "python_startup_median_s": statistics.median(w for w, _, _ in floor),
        "python_startup_peak_rss_mib": max(r for _, r, _ in floor),
    }


# --- reporting --------------------------------------------------------------------------------




def rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds else 0.0


def print_speed_table(
    results: dict[str, dict[str, Any]], pages: dict[str, int], seeds: list[str]
) -> None:
    systems = list(results)
    head = f"{'file':<24} {'pages':>5}" + "".join(f" {s[:18]:>18}" for s in systems)
    print(head)
    print("-" * len(head))
    for name in pages:
        line = f"{name[:24]:<24} {pages[name]:>5}"
        for system in systems:
            r = results[system].get(name)
            if r is None:
                line += f" {'—':>18}"
            else:
                cell = f"{rate(pages[name], r['median_s']):.1f} p/s {r['tables']:>3}t"
                line += f" {cell:>18}"
        print(line)
    line = f"{'seed set':<24} {sum(pages[s] for s in seeds):>5}"
    for system in systems:
        if all(s in results[system] for s in seeds):
            total = sum(results[system][s]["median_s"] for s in seeds)
            cell = f"{rate(sum(pages[s] for s in seeds), total):.1f} p/s"
            line += f" {cell:>18}"
        else:
            line += f" {'—':>18}"
    print(line)
    print("(pages per second from the median time of a whole file; t = tables found)\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="pages of the synthetic long PDF")
    parser.add_argument("-n", "--iterations", type=int, default=5, help="timed runs per seed")
    parser.add_argument("--long-iterations", type=int, default=2, help="timed runs, long PDF")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per seed first")
    parser.add_argument("--runs", type=int, default=3, help="CLI subprocess runs (median)")
    parser.add_argument(
        "--quick", action="store_true", help="1 iteration, 1 CLI run, no peers on the long PDF"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip the pdfplumber peer")
    parser.add_argument("--no-camelot", action="store_true", help="skip the camelot peer")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="JSON result file")
    args = parser.parse_args(argv)
    if args.quick:
        args.iterations, args.long_iterations, args.runs = 1, 1, 1

    missing = [str(p) for p in SEEDS if not p.is_file()]
    if missing:
        print(f"missing input: {', '.join(missing)}", file=sys.stderr)
        return 2

    notes: list[str] = []
    peers: dict[str, Runner] = {}
    if not args.no_pdfplumber:
        peers["pdfplumber"] = run_pdfplumber
    if not args.no_camelot:
        camelot_run, why = camelot_runner()
        notes.append(why)
        print(why)
        if camelot_run is not None:
            peers["camelot lattice"] = camelot_run

    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        long_pdf = make_long_pdf(SEEDS, args.pages, tmp / f"long-{args.pages}p.pdf")
        files = [*SEEDS, long_pdf]
        pages = {p.name: page_count(p) for p in files}
        seeds = [p.name for p in SEEDS]
        systems: dict[str, Runner] = {
            "jixiao convert": run_jixiao,
            "jixiao extract": run_jixiao_extract,
            **peers,
        }
        pinned = "not pinned" if args.no_pin else pin_one_core()
        results: dict[str, dict[str, Any]] = {name: {} for name in systems}
        errors: list[str] = []
        try:
            for name, run in systems.items():
                for path in files:
                    is_long = path == long_pdf
                    if is_long and args.quick and name in peers:
                        continue
                    warmup = 0 if is_long else args.warmup
                    iterations = args.long_iterations if is_long else args.iterations
                    if is_long and name == "camelot lattice":
                        iterations = 1  # about a minute per pass
                    try:
                        results[name][path.name] = time_runs(run, path, warmup, iterations)
                    except Exception as exc:  # a peer failing on a file is a result too
                        if name.startswith("jixiao"):
                            raise
                        errors.append(f"{name} on {path.name}: {type(exc).__name__}: {exc}")
        finally:
            if affinity is not None and not args.no_pin:
                os.sched_setaffinity(0, affinity)
        self_rss = _rss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        proc = whole_process(files, args.runs, tmp)

    for err in errors:
        print(f"error: {err}")
    seed_pages = sum(pages[s] for s in seeds)
    jx = results["jixiao convert"]
    seed_rate = rate(seed_pages, sum(jx[s]["median_s"] for s in seeds))
    long_rate = rate(pages[long_pdf.name], jx[long_pdf.name]["median_s"])
    long_rss = proc["per_file"][long_pdf.name]["peak_rss_mib"]
    seed_ok, long_ok = seed_rate >= TARGET_RATE, long_rate >= TARGET_RATE
    rss_ok = long_rss < TARGET_RSS

    print(f"\nin-process, one pass per timing ({pinned}; Python {platform.python_version()})")
    print(
        f"seeds: {args.warmup} warm-up + {args.iterations} timed; long PDF: "
        f"{args.long_iterations} timed (camelot: 1)\n"
    )
    print_speed_table(results, pages, seeds)

    print("whole process: jixiao convert FILE -o TMP --to json")
    head = f"{'file':<24} {'pages':>5} {'median s':>9} {'pages/s':>8} {'peak RSS MiB':>13}"
    print(head)
    print("-" * len(head))
    for name, r in proc["per_file"].items():
        print(
            f"{name[:24]:<24} {pages[name]:>5} {r['median_s']:9.3f}"
            f" {rate(pages[name], r['median_s']):8.1f} {r['peak_rss_mib']:13.1f}"
        )
    print(
        f"(python -c pass: {proc['python_startup_median_s']:.3f} s,"
        f" {proc['python_startup_peak_rss_mib']:.1f} MiB)\n"
    )

    print(f"{'measure':<50} {'value':>10} {'target':>10}  verdict")
    print(
        f"{'in-process seed pages/s (jixiao.convert, one core)':<50} {seed_rate:10.1f}"
        f" {'>= ' + format(TARGET_RATE, 'g'):>10}  {verdict(seed_ok)}"
    )
    best = rate(seed_pages, sum(jx[s]["min_s"] for s in seeds))
    print(f"{'  from the fastest run of each seed':<50} {best:10.1f}")
    label = f"in-process {pages[long_pdf.name]}-page PDF pages/s"
    print(
        f"{label:<50} {long_rate:10.1f} {'>= ' + format(TARGET_RATE, 'g'):>10}  {verdict(long_ok)}"
    )
    best = rate(pages[long_pdf.name], jx[long_pdf.name]["min_s"])
    print(f"{'  from the fastest run':<50} {best:10.1f}")
    label = f"peak RSS, CLI on the {pages[long_pdf.name]}-page PDF (MiB)"
    print(f"{label:<50} {long_rss:10.1f} {'< ' + format(TARGET_RSS, 'g'):>10}  {verdict(rss_ok)}")
    print(f"{'peak RSS, this process (MiB, peers included)':<50} {self_rss:10.1f}")

    payload = {
        "benchmark": "bench_pdf",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "pinned": pinned,
        "quick": args.quick,
        "pages": pages,
        "long_pdf": f"{args.pages} pages cycling through the seed pages (pypdf)",
        "notes": notes,
        "errors": errors,
        "in_process": {
            name: {f: {**r, "pages_per_s": rate(pages[f], r["median_s"])} for f, r in rs.items()}
            for name, rs in results.items()
        },
        "whole_process": proc,
        "peak_rss_mib": {"self": self_rss, "cli_long": long_rss},
        "targets": {
            "seed_pages_per_s": {"value": seed_rate, "target": TARGET_RATE, "pass": seed_ok},
            "long_pages_per_s": {"value": long_rate, "target": TARGET_RATE, "pass": long_ok},
            "cli_long_peak_rss_mib": {"value": long_rss, "target": TARGET_RSS, "pass": rss_ok},
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"\nresults written to {shown}")
    if args.check and not (seed_ok and long_ok and rss_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
