"""Throughput and memory of ``jixiao batch``, with 1 and 2 workers, and the peers.

Inputs, generated at run time in a temporary folder, a folder per kind, a few files per
subfolder: ``--docx`` copies of the seed and variant .docx files, ``--pdf`` copies of the
digital seed and variant PDFs, ``--doc`` copies of the seed .doc files (LibreOffice reads
them), ``--xlsx`` copies of the spreadsheet variant and ``--scan`` one-page scans (first
pages of the seed scans: OCR).

Measures:

(a) whole-command wall time of ``jixiao batch ARCHIVE -o OUT --to json --workers N`` for
    N = 1 and 2 (best of ``--repeats``, interleaved, fresh OUT each time, so start-up,
    scanning and hashing are included), on the whole archive, on its Word folder alone and
    on its PDF folder alone (files/s, pages/s); the scaling ratio (2 workers / 1); target
    >= 1.8x on the whole archive;
    and, as a control, the Word files' conversions split over 1 and 2 plain forked processes
    (no pool; the files dealt so both get the same bytes): how far the machine itself scales
    this work during the run (it is shared: noisy);
(b) peak RSS of each worker process (VmHWM polled from /proc every 0.5 s; psutil is not
    needed), of the parent, and of the forkserver;
(c) the peers on the same files, one core, warm: pdfplumber's ``find_tables`` (+ ``extract``)
    and camelot lattice (``pdf_systems.camelot_system``) on the PDF folder, and docling on
    the Word folder and the PDF folder (``docling_peer.py``, run with the interpreter of the
    environment docling is installed in: ``--docling-python``, or ``$JIXIAO_DOCLING_PYTHON``,
    or this one when it can import docling); as files/s or pages/s and as ratios to jixiao's
    whole-command rates. A peer that cannot run here is reported with the reason.

Usage::

    python benchmarks/bench_batch.py                 # full run (about 5 minutes)
    python benchmarks/bench_batch.py --docx 200 --pdf 10 --doc 0 --scan 0 --repeats 1 --no-camelot
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
DOCS = sorted((FIXTURES / "seeds").glob("*.doc"))
XLSX = sorted((FIXTURES / "variants").glob("*.xlsx"))
SCANS = sorted((FIXTURES / "seeds").glob("*.scan.pdf"))
DEFAULT_OUT = REPO / "benchmarks" / "results" / "bench_batch.json"
TARGET_SCALING = 1.8


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _first_page(src: Path, dest: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(src)).pages[0])
    with dest.open("wb") as fh:
        writer.write(fh)


def build_archive(
    root: Path, n_docx: int, n_pdf: int, n_doc: int = 0, n_xlsx: int = 0, n_scan: int = 0
) -> dict[str, Any]:
    def place(folder: str, i: int, src: Path, per: int = 10) -> Path:
        name = src.name.split(".", 1)
        dest = root / f"{folder}/{folder[0]}{i % per}/{name[0]}-{i}.{name[1]}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    for i in range(n_docx):
        src = DOCX[i % len(DOCX)]
        dest = root / f"docx/d{i % 10}/s{(i // 10) % 10}/{src.stem}-{i}.docx"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    counts = {p: page_count(p) for p in PDFS}
    pages = 0
    for i in range(n_pdf):
        src = PDFS[i % len(PDFS)]
        shutil.copyfile(src, place("pdf", i, src, per=4))
        pages += counts[src]
    for i in range(n_doc):
        shutil.copyfile(DOCS[i % len(DOCS)], place("doc", i, DOCS[i % len(DOCS)]))
    for i in range(n_xlsx):
        shutil.copyfile(XLSX[i % len(XLSX)], place("xlsx", i, XLSX[i % len(XLSX)]))
    for i in range(n_scan):
        _first_page(SCANS[i % len(SCANS)], place("scan", i, SCANS[i % len(SCANS)]))
    return {"docx": n_docx, "pdf": n_pdf, "pdf_pages": pages, "doc": n_doc, "xlsx": n_xlsx,
            "scan_pages": n_scan}


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


def deal(files: list[Path], n: int) -> list[list[Path]]:
    """``files`` split into ``n`` shares of about the same bytes (biggest first, each to the
    lightest share): a stride split gave one process half again the work of the other."""
    shares: list[list[Path]] = [[] for _ in range(n)]
    loads = [0] * n
    for path in sorted(files, key=lambda p: -p.stat().st_size):
        lightest = loads.index(min(loads))
        shares[lightest].append(path)
        loads[lightest] += path.stat().st_size
    return shares


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
            procs = [ctx.Process(target=_convert_share, args=(share, str(out)))
                     for share in deal(files, n)]
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
    return {"system": name, "folder": "PDF folder", "seconds": round(seconds, 3),
            "files": len(files), "pages_per_s": round(pages / seconds, 2)}


def pdf_peers(
    files: list[Path], pages: int, camelot: bool
) -> tuple[list[dict[str, Any]], list[str]]:
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


def docling_python(option: str | None) -> tuple[str | None, str]:
    """The interpreter that can import docling, or None and why."""
    candidates = [option, os.environ.get("JIXIAO_DOCLING_PYTHON"), sys.executable]
    for python in (c for c in candidates if c):
        probe = subprocess.run([python, "-c", "import docling"], capture_output=True)
        if probe.returncode == 0:
            return python, f"docling run by {python}"
    return None, ("docling skipped: not installed (it brings PyTorch; install it in a side "
                  "environment and pass --docling-python, see README)")


def docling_peer(
    python: str, folder: str, files: list[Path], pages: int | None
) -> tuple[dict[str, Any] | None, str | None]:
    """docling on ``files`` in a pinned subprocess (``docling_peer.py``)."""
    script = Path(__file__).resolve().parent / "docling_peer.py"
    cpus = sorted(os.sched_getaffinity(0))
    argv = ["taskset", "-c", str(cpus[-1]), python, str(script), *map(str, files)]
    if shutil.which("taskset") is None:
        argv = argv[3:]
    proc = subprocess.run(argv, capture_output=True, text=True)
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None, f"docling on the {folder} did not run: {proc.stderr.strip()[-300:]}"
    failed = out["failed"]
    done = out["files"] - len(failed)
    if not done:
        return None, (f"docling cannot convert the {folder} here: "
                      f"{failed[0]['error'] if failed else 'no file'}")
    peer = {"system": f"docling {out['version']}", "folder": folder, "files": done,
            "seconds": out["seconds"], "tables": out["tables"],
            "files_per_s": round(done / out["seconds"], 2)}
    if pages:
        peer["pages_per_s"] = round(pages / out["seconds"], 2)
    note = f"docling failed on {len(failed)} of the {folder}'s files" if failed else None
    return peer, note


def with_ratios(peer: dict[str, Any], runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    unit = "pages_per_s" if "pages_per_s" in peer else "files_per_s"
    for workers in (1, 2):
        key = f"{peer['folder']}, {workers} worker{'s' if workers > 1 else ''}"
        peer[f"jixiao_{workers}w_over_peer"] = round(runs[key][unit] / peer[unit], 2)
    print(f"{peer['system']} on the {peer['folder']}: {peer[unit]} {unit.replace('_per_s', '/s')}"
          f" in-process, one core; jixiao batch 1 worker / it = {peer['jixiao_1w_over_peer']}x,"
          f" 2 workers / it = {peer['jixiao_2w_over_peer']}x", flush=True)
    return peer


FOLDERS = (("whole archive", ""), ("Word folder", "docx"), ("PDF folder", "pdf"))


def measure_runs(root: Path, tmp: Path, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    runs: dict[str, dict[str, Any]] = {}
    for label, sub in FOLDERS:
        folder = root / sub if sub else root
        if not folder.is_dir():
            continue
        tries: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        for _ in range(args.repeats):  # interleaved: drift on a shared machine hits both
            for workers in (1, 2):
                tries[workers].append(run_batch(folder, tmp / "out", workers, args.quiet_wait))
        for workers in (1, 2):
            key = f"{label}, {workers} worker{'s' if workers > 1 else ''}"
            runs[key] = r = best_of(tries[workers])
            print(f"{key}: {r['files']} files in {r['wall_s']:.2f} s (runs {r['walls_s']}): "
                  f"{r['files_per_s']} files/s, {r['pages_per_s']} pages/s; in the pool "
                  f"{r['pool_s']:.2f} s, {r['pool_files_per_s']} files/s; failed "
                  f"{r['failed']}; peak RSS MiB {r['peak_rss_mib']}", flush=True)
    return runs


def measure_peers(
    root: Path, archive: dict[str, Any], runs: dict[str, dict[str, Any]],
    args: argparse.Namespace,
) -> tuple[list[dict[str, Any]], list[str]]:
    found: list[dict[str, Any]] = []
    notes: list[str] = []
    pdf_files = sorted((root / "pdf").rglob("*.pdf"))
    if pdf_files:
        found, notes = pdf_peers(pdf_files, archive["pdf_pages"], not args.no_camelot)
    python, how = docling_python(args.docling_python)
    notes.append(how)
    if python is not None:
        for folder, files, pages in (
            ("Word folder", sorted((root / "docx").rglob("*.docx")), None),
            ("PDF folder", pdf_files, archive["pdf_pages"]),
        ):
            if not files:
                continue
            peer, note = docling_peer(python, folder, files, pages)
            if peer is not None:
                found.append(peer)
            if note:
                notes.append(note)
                print(note, flush=True)
    return [with_ratios(peer, runs) for peer in found], notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docx", type=int, default=1000, help="docx files in the archive")
    parser.add_argument("--pdf", type=int, default=33, help="PDF files in the archive")
    parser.add_argument("--doc", type=int, default=10, help=".doc files in the archive")
    parser.add_argument("--xlsx", type=int, default=10, help=".xlsx files in the archive")
    parser.add_argument("--scan", type=int, default=4, help="one-page scans in the archive")
    parser.add_argument("--repeats", type=int, default=2, help="runs per setting (best kept)")
    parser.add_argument("--quiet-wait", type=float, default=0.0,
                        help="before each timed run, wait up to this many seconds for the "
                        "machine's other users to pause (shared machines)")
    parser.add_argument("--no-camelot", action="store_true", help="skip camelot")
    parser.add_argument("--docling-python", help="an interpreter that can import docling")
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
        results["archive"] = build_archive(root, args.docx, args.pdf, args.doc, args.xlsx,
                                           args.scan)
        print(f"archive: {results['archive']}", flush=True)
        runs = measure_runs(root, Path(tmp), args)
        results["runs"] = runs
        scaling = {
            label: round(runs[f"{label}, 2 workers"]["files_per_s"]
                         / runs[f"{label}, 1 worker"]["files_per_s"], 2)
            for label, _ in FOLDERS if f"{label}, 1 worker" in runs
        }
        scaling["whole archive, pool time only"] = round(
            runs["whole archive, 2 workers"]["pool_files_per_s"]
            / runs["whole archive, 1 worker"]["pool_files_per_s"], 2)
        results["scaling_2_over_1"] = scaling
        docx_files = sorted((root / "docx").rglob("*.docx"))
        if docx_files:
            control = machine_scaling(
                docx_files, Path(tmp) / "control", args.repeats, args.quiet_wait)
            results["machine_control"] = control
            print(f"control, plain processes on the Word files: {control}", flush=True)
        found, notes = measure_peers(root, results["archive"], runs, args)
        results["peers"] = found
        results["notes"] = notes
    worker_peaks = [v for r in runs.values() for v in r["peak_rss_mib"].get("worker", [])]
    results["peak_worker_rss_mib"] = max(worker_peaks, default=None)
    ok = scaling["whole archive"] >= TARGET_SCALING
    faster = all(peer["jixiao_1w_over_peer"] > 1 for peer in found)
    results["targets"] = {
        "scaling >= 1.8x (whole archive, wall time)": verdict(ok),
        "faster than every peer (1 worker, whole command, vs the peer warm in-process)":
            verdict(faster),
    }
    for label, value in scaling.items():
        print(f"scaling 2/1 workers, {label}: {value}x (target >= {TARGET_SCALING}) "
              f"{verdict(value >= TARGET_SCALING)}")
    print(f"faster than every peer with 1 worker: {verdict(faster)}")
    print(f"peak worker RSS: {results['peak_worker_rss_mib']} MiB; notes: {notes}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"results in {args.out}")
    return 1 if args.check and not (ok and faster) else 0


if __name__ == "__main__":
    sys.exit(main())
