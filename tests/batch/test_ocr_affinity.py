"""Scans go to the workers that read scans: the plan tells scans from other files
cheaply (``converters.needs_ocr``: no OCR engine loaded), and one worker reads a mixed
archive's few scans."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from jixiao.batch.pool import WorkerPool
from jixiao.batch.task import Task
from tests.conftest import FIXTURES, SEEDS, needs_libreoffice

CLEAN = FIXTURES / "variants/clean-project.docx"


def _one_page_scan(dest: Path, page: int = 0) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(SEEDS / "yuanjiang-2024.scan.pdf")).pages[page])
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


def test_the_plan_tells_scans_without_loading_the_ocr_engine(tmp_path: Path) -> None:
    scan = _one_page_scan(tmp_path / "scan.pdf")
    mixed = tmp_path / "mixed.pdf"  # a digital page, then a scanned one
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(FIXTURES / "variants/clean-project.pdf")).pages[0])
    writer.add_page(PdfReader(str(scan)).pages[0])
    with mixed.open("wb") as fh:
        writer.write(fh)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from jixiao.converters import needs_ocr\n"
        "found = [needs_ocr(Path(p)) for p in sys.argv[1:]]\n"
        "loaded = [m for m in ('cv2', 'openvino', 'onnxruntime') if m in sys.modules]\n"
        "print(json.dumps([found, loaded]))\n"
    )
    files = [scan, mixed, FIXTURES / "variants/clean-project.pdf", CLEAN, damaged]
    ran = subprocess.run([sys.executable, "-c", probe, *map(str, files)],
                         capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    found, loaded = json.loads(ran.stdout.splitlines()[-1])
    assert found == [True, True, False, False, False]
    assert loaded == []


def test_a_scan_the_plan_missed_is_still_converted(tmp_path: Path) -> None:
    # The hint only places work: a worker that was not meant to read scans reads one.
    scan = _one_page_scan(tmp_path / "scan.pdf")
    out = tmp_path / "out"
    pool = WorkerPool(1, timeout=120, memory_limit_mb=8192, ocr_threads=1)
    [done] = [e.result for e in pool.run([Task(0, str(scan), "scan.pdf", str(out), "scan",
                                               ("json",), scan=False)]) if e.kind == "done"]
    assert done is not None and done["status"] == "ok"
    assert json.loads((out / "scan.json").read_text("utf-8"))["ocr_pages"] == [1]
    assert pool.ocr_workers == 0


@needs_libreoffice
def test_one_worker_reads_a_mixed_archives_few_scans(tmp_path: Path) -> None:
    # The first worker reads the 3 scans (about 5 s); the other has the .doc files
    # (LibreOffice, about 1 s each: twice the scans' time, so that a loaded machine does not
    # change the outcome) to convert, so it does not idle, which would make it read scans too.
    tasks = [_one_page_scan(tmp_path / f"scan{i}.pdf", page=i) for i in range(3)]
    for i in range(8):
        tasks.append(tmp_path / f"d{i}.doc")
        shutil.copyfile(SEEDS / "yuanjiang-2024.doc", tasks[-1])
    for i in range(4):
        tasks.append(tmp_path / f"c{i}.docx")
        shutil.copyfile(CLEAN, tasks[-1])
    out = tmp_path / "out"
    pool = WorkerPool(2, timeout=120, memory_limit_mb=8192, ocr_threads=1)
    results = {}
    for event in pool.run([
        Task(i, str(p), p.name, str(out), p.stem, ("json",), scan=p.suffix == ".pdf")
        for i, p in enumerate(tasks)
    ]):
        if event.kind == "done":
            assert event.task.rel not in results, "a file was reported twice"
            results[event.task.rel] = event.result
    assert sorted(results) == sorted(p.name for p in tasks)
    assert all(r is not None and r["status"] == "ok" for r in results.values()), results
    for i in range(3):
        doc = json.loads((out / f"scan{i}.json").read_text("utf-8"))
        assert doc["ocr_pages"] == [1]
    assert pool.ocr_workers == 1  # only the first read scans (and loaded the engine)


def test_an_archive_of_scans_has_every_worker_reading_them(tmp_path: Path) -> None:
    tasks = [_one_page_scan(tmp_path / f"scan{i}.pdf", page=i) for i in range(6)]
    out = tmp_path / "out"
    pool = WorkerPool(2, timeout=120, memory_limit_mb=8192, ocr_threads=1)
    done = [
        event.result for event in pool.run(
            [Task(i, str(p), p.name, str(out), p.stem, ("json",), scan=True)
             for i, p in enumerate(tasks)]
        ) if event.kind == "done"
    ]
    assert len(done) == 6 and all(r is not None and r["status"] == "ok" for r in done)
    assert pool.ocr_workers == 2  # scans waited: the second worker read them too


def test_scans_survive_the_death_of_the_worker_that_reads_them(
    tmp_path: Path,
) -> None:
    import os

    from tests.batch.archive import jixiao

    root = tmp_path / "in"
    root.mkdir()
    scans = [_one_page_scan(root / f"scan{i}.pdf", page=i).name for i in range(3)]
    for i in range(4):
        shutil.copyfile(CLEAN, root / f"c{i}.docx")
    out = tmp_path / "out"
    env = {**os.environ, "JIXIAO_BATCH_CRASH_ON": "scan1.pdf:SIGKILL"}
    done = jixiao("batch", root, "-o", out, "--workers", "2", env=env)
    assert done.returncode == 1, done.stderr[-2000:]
    files = {f["rel"]: f for f in json.loads((out / "_report.json").read_text())["files"]}
    assert files["scan1.pdf"]["error"] == "worker died: signal SIGKILL"
    ok = sorted(name for name, f in files.items() if f["status"] == "ok")
    assert ok == sorted([*(s for s in scans if s != "scan1.pdf"), "c0.docx", "c1.docx",
                         "c2.docx", "c3.docx"])
    assert json.loads((out / "scan2.pdf.json").read_text("utf-8"))["ocr_pages"] == [1]
