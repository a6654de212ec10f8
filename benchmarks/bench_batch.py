"""Throughput and memory of ``jixiao batch``, with 1 and 2 workers, and the PDF peers.

Inputs, generated at run time in a temporary folder: ``--docx`` copies of the seed and
variant .docx files and ``--pdf`` copies of the digital seed and variant PDFs (scans are left
out: OCR throughput is ``bench_scan.py``'s), in a folder tree of a few files per folder.

Measures:

(a) whole-command wall time of ``jixiao batch ARCHIVE -o OUT --to json --workers N`` for
    N = 1 and 2 (best of ``--repeats``, fresh OUT each time, so start-up, scanning and hashing
    are included), on the whole archive (files/s) and on its PDF folder alone (files/s and
    pages/s); the scaling ratio (2 workers / 1); target >= 1.8x;
    and, as a control, the same conversions split over 1 and 2 plain forked processes (no
    pool): how far the machine itself scales during the run (it is shared: noisy);
(b) peak RSS of each worker process (VmHWM polled from /proc every 0.5 s; psutil is not
    needed), of the parent, and of the forkserver;
(c) the same PDF files, in this process on one core, through pdfplumber's ``find_tables``
    (+ ``extract``) and camelot lattice (``pdf_systems.camelot_system``; skipped with the
    reason when camelot cannot run), as pages/s and as ratios to jixiao's.

Usage::

    python benchmarks/bench_batch.py                 # full run (about 3 minutes)
    python benchmarks/bench_batch.py --docx 200 --pdf 10 --repeats 1 --no-camelot
    python benchmarks/bench_batch.py --repeats 5 --quiet-wait 120   # on a shared machine
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import cli_command, verdict

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
DOCX = sorted((FIXTURES / "seeds").glob("*.docx")) + sorted((FIXTURES / "variants").glob("*.docx"))
PDFS = [p for p in sorted((FIXTURES / "seeds").glob("*.pdf")) if ".scan." not in p.name] + sorted(
    (FIXTURES / "variants").glob("*.pdf")
)
DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_batch.json"
TARGET_SCALING = 1.8


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def build_archive(root: Path, n_docx: int, n_pdf: int) -> dict[str, Any]:
    pages = 0
    for i in range(n_docx):
        src = DOCX[i % len(DOCX)]
        dest = root / f"docx/d{i % 10}/s{(i // 10) % 10}/{src.stem}-{i}.docx"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    counts = {p: page_count(p) for p in PDFS}
    for i in range(n_pdf):
        src = PDFS[i % len(PDFS)]
        dest = root / f"pdf/p{i % 4}/{src.stem}-{i}.pdf"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        pages += counts[src]
    return {"docx": n_docx, "pdf": n_pdf, "pdf_pages": pages}


# --- a shared machine -----------------------------------------------------------------------


def _cpu_times() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


def busy_fraction(seconds: float = 1.0) -> float:
    """How busy the machine's CPUs were over ``seconds`` (0 to 1), from /proc/stat."""
    total0, idle0 = _cpu_times()
    time.sleep(seconds)
    total1, idle1 = _cpu_times()
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


def wait_quiet(max_wait: float, threshold: float = 0.1) -> float:
    """Wait (up to ``max_wait`` s) for the other users of the machine to pause; returns the
    busy fraction seen last."""
    deadline = time.monotonic() + max_wait
    busy = busy_fraction()
    while busy > threshold and time.monotonic() < deadline:
        busy = busy_fraction()
    return round(busy, 2)


# --- memory of the processes of a running batch ---------------------------------------------


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class RssWatch:
    """Peak RSS (VmHWM, MiB) of the batch's processes, by role."""

    def __init__(self, root_pid: int) -> None:
        self.root = root_pid
        self.peak: dict[int, float] = {}
        self.role: dict[int, str] = {}

    def poll(self) -> None:
        from jixiao.batch.pool import descendants

        parents: dict[int, int] = {}
        for pid in [self.root, *descendants(self.root)]:
            status = _status(pid)
            hwm = status.get("VmHWM", "").split()
            if not hwm:
                continue
            self.peak[pid] = max(self.peak.get(pid, 0.0), int(hwm[0]) / 1024)
            parents[pid] = int(status.get("PPid", "0").strip() or 0)
        for pid, parent in sorted(parents.items(), key=lambda kv: kv[1] != self.root):
            if self.role.get(pid, "other") != "other":  # (a child is "other" until it execs)
                continue
            if pid == self.root:
                self.role[pid] = "parent"
            elif parent == self.root:  # workers are forked by the forkserver, not the parent
                self.role[pid] = "forkserver" if "forkserver" in _cmdline(pid) else "other"
            elif self.role.get(parent) == "forkserver":
                self.role[pid] = "worker"
            else:
                self.role[pid] = "other"

    def summary(self) -> dict[str, Any]:
        by_role: dict[str, list[float]] = {}
        for pid, peak in self.peak.items():
            by_role.setdefault(self.role.get(pid, "other"), []).append(round(peak, 1))
        return {role: sorted(values, reverse=True) for role, values in by_role.items()}


def run_batch(folder: Path, out: Path, workers: int, quiet_wait: float) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    busy_before = wait_quiet(quiet_wait) if quiet_wait else None
    argv = [*cli_command(), "batch", str(folder), "-o", str(out), "--to", "json",
            "--workers", str(workers)]
    log = out.with_name(out.name + ".log")  # a file: a pipe left unread would fill up
    with log.open("w") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr)
        watch = RssWatch(proc.pid)
        while proc.poll() is None:
            watch.poll()
            # VmHWM is a high-water mark: a slow poll still sees the peak
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.5)
        wall = time.perf_counter() - started
    err = log.read_text("utf-8", errors="replace")
    report = json.loads((out / "_report.json").read_text("utf-8"))
    totals = report["totals"]
    return {
        "workers": workers, "wall_s": round(wall, 3), "exit": proc.returncode,
        "files": totals["files"], "ok": totals["ok"], "failed": totals["failed"],
        "pages": totals["pages"], "files_per_s": round(totals["files"] / wall, 2),
        "pages_per_s": round(totals["pages"] / wall, 2), "peak_rss_mib": watch.summary(),
        "pool_s": report["convert_seconds"],
        "pool_files_per_s": round(totals["files"] / report["convert_seconds"], 2),
        "stderr_tail": err.splitlines()[-3:] if proc.returncode else [],
        "machine_busy_before": busy_before,
    }


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "walls_s": [r["wall_s"] for r in runs]}


def _convert_share(files: list[Path], out: str) -> None:
    from jixiao.batch.task import convert_one

    for i, path in enumerate(files):
        convert_one(str(path), out, f"{os.getpid()}-{i}", ["json"])


def machine_scaling(
    files: list[Path], out: Path, repeats: int, quiet_wait: float
) -> dict[str, Any]:
    """The control: the same conversions split over 1 and 2 plain forked processes (no pool,
    no manifest, no start-up), best of ``repeats``: how far this machine scales right now."""
    import multiprocessing

    import jixiao.pipeline  # noqa: F401  (imported once, before the forks)

    ctx = multiprocessing.get_context("fork")
    _convert_share(files[:20], str(out))  # warm-up
    best: dict[int, float] = {}
    for _ in range(repeats):
        for n in (1, 2):
            if quiet_wait:
                wait_quiet(quiet_wait)
            started = time.perf_counter()
            procs = [ctx.Process(target=_convert_share, args=(files[i::n], str(out)))
                     for i in range(n)]
            for proc in procs:
                proc.start()
            for proc in procs:
                proc.join()
            best[n] = min(best.get(n, 1e9), time.perf_counter() - started)
    shutil.rmtree(out, ignore_errors=True)
    return {
        "files": len(files), "seconds_1": round(best[1], 3), "seconds_2": round(best[2], 3),
        "files_per_s_1": round(len(files) / best[1], 2),
        "files_per_s_2": round(len(files) / best[2], 2),
        "scaling_2_over_1": round(best[1] / best[2], 2),
    }


# --- peers ----------------------------------------------------------------------------------


def time_peer(name: str, run: Any, files: list[Path], pages: int) -> dict[str, Any]:
    run(files[0])  # warm-up (imports)
    started = time.perf_counter()
    for path in files:
        run(path)
    seconds = time.perf_counter() - started
    return {"system": name, "seconds": round(seconds, 3), "pages_per_s": round(pages / seconds, 2)}


def peers(files: list[Path], pages: int, camelot: bool) -> tuple[list[dict[str, Any]], list[str]]:
    from pdf_systems import _plumber_raw, camelot_system

    notes = []
    found = [time_peer("pdfplumber find_tables", lambda p: _plumber_raw.__wrapped__(p, None),
                       files, pages)]
    if camelot:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            system, how = camelot_system(files[0])
        notes.append(how)
        if system is not None:
            found.append(time_peer("camelot lattice", lambda p: system(p, None), files, pages))
    return found, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docx", type=int, default=1000, help="docx files in the archive")
    parser.add_argument("--pdf", type=int, default=33, help="PDF files in the archive")
    parser.add_argument("--repeats", type=int, default=2, help="runs per setting (best kept)")
    parser.add_argument("--quiet-wait", type=float, default=0.0,
                        help="before each timed run, wait up to this many seconds for the "
                        "machine's other users to pause (shared machines)")
    parser.add_argument("--no-camelot", action="store_true", help="skip camelot")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    results: dict[str, Any] = {
        "benchmark": "bench_batch", "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": len(os.sched_getaffinity(0)),
        "command": " ".join(cli_command()),
    }
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp) / "archive"
        results["archive"] = build_archive(root, args.docx, args.pdf)
        print(f"archive: {results['archive']}", flush=True)
        runs: dict[str, dict[str, Any]] = {}
        for label, folder in (("whole archive", root), ("PDF folder", root / "pdf")):
            tries: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
            for _ in range(args.repeats):  # interleaved: drift on a shared machine hits both
                for workers in (1, 2):
                    tries[workers].append(
                        run_batch(folder, Path(tmp) / "out", workers, args.quiet_wait))
            for workers in (1, 2):
                key = f"{label}, {workers} worker{'s' if workers > 1 else ''}"
                runs[key] = r = best_of(tries[workers])
                print(f"{key}: {r['files']} files in {r['wall_s']:.2f} s (runs {r['walls_s']}): "
                      f"{r['files_per_s']} files/s, {r['pages_per_s']} pages/s; in the pool "
                      f"{r['pool_s']:.2f} s, {r['pool_files_per_s']} files/s; failed "
                      f"{r['failed']}; peak RSS MiB {r['peak_rss_mib']}", flush=True)
        results["runs"] = runs
        scaling = {
            label: round(runs[f"{label}, 2 workers"]["files_per_s"]
                         / runs[f"{label}, 1 worker"]["files_per_s"], 2)
            for label in ("whole archive", "PDF folder")
        }
        scaling["whole archive, pool time only"] = round(
            runs["whole archive, 2 workers"]["pool_files_per_s"]
            / runs["whole archive, 1 worker"]["pool_files_per_s"], 2)
        results["scaling_2_over_1"] = scaling
        docx_files = sorted((root / "docx").rglob("*.docx"))
        control = machine_scaling(
            docx_files, Path(tmp) / "control", args.repeats, args.quiet_wait)
        results["machine_control"] = control
        print(f"control, plain processes on the docx files: {control}", flush=True)
        pdf_files = sorted((root / "pdf").rglob("*.pdf"))
        found, notes = peers(pdf_files, results["archive"]["pdf_pages"], not args.no_camelot)
        for peer in found:
            for workers in (1, 2):
                key = f"PDF folder, {workers} worker{'s' if workers > 1 else ''}"
                peer[f"jixiao_{workers}w_over_peer"] = round(
                    runs[key]["pages_per_s"] / peer["pages_per_s"], 2)
            print(f"{peer['system']}: {peer['pages_per_s']} pages/s in-process on the same PDFs; "
                  f"jixiao batch 1 worker / it = {peer['jixiao_1w_over_peer']}x, "
                  f"2 workers / it = {peer['jixiao_2w_over_peer']}x", flush=True)
        results["peers"] = found
        results["notes"] = notes
    worker_peaks = [v for r in runs.values() for v in r["peak_rss_mib"].get("worker", [])]
    results["peak_worker_rss_mib"] = max(worker_peaks, default=None)
    ok = scaling["whole archive"] >= TARGET_SCALING
    results["targets"] = {"scaling >= 1.8x (whole archive, wall time)": verdict(ok)}
    for label, value in scaling.items():
        print(f"scaling 2/1 workers, {label}: {value}x (target >= {TARGET_SCALING}) "
              f"{verdict(value >= TARGET_SCALING)}")
    print(f"peak worker RSS: {results['peak_worker_rss_mib']} MiB; notes: {notes}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"results in {args.out}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
