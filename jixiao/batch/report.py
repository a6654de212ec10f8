"""``OUT/_report.json`` (every file of the folder, with its outcome) and the summary table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jixiao.batch.progress import one_line
from jixiao.ledger import BATCH_NAMES, Ledger
from jixiao.schemas import SEVERITIES

REPORT_NAME = BATCH_NAMES[0]
INTERRUPTED = "interrupted before it finished"
REPORT_VERSION = 1
FILE_KEYS = (
    "path", "rel", "sha256", "status", "format", "forms", "tables", "conversion_errors",
    "findings", "pages", "seconds", "outputs", "error", "worker_peak_mib",
)


def file_entry(path: str, rel: str, record: Mapping[str, Any], resumed: bool) -> dict[str, Any]:
    """A file's line of the report, from its result or manifest record."""
    entry = {key: record.get(key) for key in FILE_KEYS}
    entry.update(path=path, rel=rel, resumed=resumed)
    return entry


def skipped_entry(path: str, rel: str, reason: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = dict.fromkeys(FILE_KEYS)
    entry.update(
        path=path, rel=rel, status="skipped", forms=0, findings=None, outputs=[], reason=reason,
        resumed=False,
    )
    return entry


def totals(files: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [f for f in files if f["status"] == "ok"]
    return {
        "files": len(files),
        "ok": len(ok),
        "failed": sum(f["status"] == "failed" for f in files),
        "skipped": sum(f["status"] == "skipped" for f in files),
        "resumed": sum(bool(f.get("resumed")) for f in ok),
        "converted_now": sum(not f.get("resumed") for f in ok),
        "forms": sum(f["forms"] or 0 for f in ok),
        "pages": sum(f["pages"] or 0 for f in ok),
        "findings": {
            sev: sum((f["findings"] or {}).get(sev, 0) for f in ok) for sev in SEVERITIES
        },
    }


def build_report(
    files: list[dict[str, Any]], settings: dict[str, Any], seconds: float
) -> dict[str, Any]:
    from jixiao import __version__

    return {
        "report_version": REPORT_VERSION,
        "jixiao": __version__,
        **settings,
        "seconds": round(seconds, 3),
        "totals": totals(files),
        "files": sorted(files, key=lambda f: f["rel"]),
    }


def write_html_index(ledger: Ledger, report: dict[str, Any]) -> Path:
    """``OUT/index.html`` (``index-2.html`` … when a report has that name): every document of
    the batch, converted now or before, with its counts and a link to its review page."""
    from jixiao.discovery import path_text
    from jixiao.runner import INDEX_OWNER, index_target
    from jixiao.writers import write_atomic
    from jixiao.writers.html.index import IndexEntry, href, render_index

    entries, stems = [], []
    for f in report["files"]:
        if f["status"] == "skipped":
            continue
        page = next((o for o in f["outputs"] or [] if o.endswith(".html")), None)
        if f["status"] != "ok" or page is None:
            entries.append(IndexEntry(source=f["rel"], failure=str(f["error"] or "failed")))
            continue
        stems.append(page[: -len(".html")])
        findings = f["findings"] or {}
        entries.append(IndexEntry(
            source=path_text(Path(f["rel"])), href=href(page), format=f["format"],
            forms=f["forms"] or 0,
            tables=f.get("tables") or 0, errors=f.get("conversion_errors") or 0,
            findings={s: findings.get(s, 0) for s in SEVERITIES},
        ))
    target = index_target(ledger, stems)
    write_atomic(target, render_index(entries))
    ledger.record(target.name, ledger.out, INDEX_OWNER)
    return target


def write_report(out: Path, report: dict[str, Any]) -> Path:
    from jixiao.writers import write_atomic

    target = out / REPORT_NAME
    try:
        data = json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: kept as escapes
        data = json.dumps(report, ensure_ascii=True, indent=1).encode("utf-8")
    write_atomic(target, data + b"\n")
    return target


def print_summary(report: dict[str, Any], console: Any = None, max_failures: int = 20) -> None:
    """The totals (and the first failures with their reasons) as rich tables on stderr."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(stderr=True)
    t = report["totals"]
    seconds = report["seconds"]
    table = Table(title="jixiao batch", show_header=True, header_style="bold")
    table.add_column("files", justify="left")
    table.add_column("count", justify="right")
    table.add_row("converted", str(t["converted_now"]))
    table.add_row("already done (resumed)", str(t["resumed"]))
    table.add_row("[red]failed[/]" if t["failed"] else "failed", str(t["failed"]))
    table.add_row("skipped (not documents)", str(t["skipped"]))
    table.add_row("[bold]total[/]", str(t["files"]))
    table.add_section()
    table.add_row("forms", str(t["forms"]))
    table.add_row("pages (PDF)", str(t["pages"]))
    findings = t["findings"]
    table.add_row("findings error/warning/info",
                  f"{findings['error']}/{findings['warning']}/{findings['info']}")
    rate = t["converted_now"] + t["failed"]
    table.add_row("time", f"{seconds:.1f} s" + (f" ({rate / seconds:.1f} files/s)"
                                                 if seconds > 0 and rate else ""))
    console.print(table)
    failed = [f for f in report["files"] if f["status"] == "failed"]
    cut = [f for f in failed if f["error"] == INTERRUPTED]
    failed = [f for f in failed if f["error"] != INTERRUPTED]
    if cut:
        console.print(
            f"interrupted: {len(cut)} files not converted; run the same command again to resume",
            highlight=False,
        )
    if failed:
        errors = Table(title="failed files", show_header=True, header_style="bold")
        errors.add_column("file", overflow="fold")
        errors.add_column("reason", overflow="fold")
        for f in failed[:max_failures]:
            errors.add_row(escape(one_line(f["rel"])), escape(one_line(str(f["error"]))))
        console.print(errors)
        if len(failed) > max_failures:
            console.print(f"… and {len(failed) - max_failures} more (see {REPORT_NAME})")
