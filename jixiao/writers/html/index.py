"""The index page of a run: every input, its status, counts and a link to its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jixiao.discovery import path_text
from jixiao.schemas import SEVERITIES, Document, severity_counts
from jixiao.writers.html.assets import CSS
from jixiao.writers.html.common import (
    SEVERITY_LABELS,
    esc,
    label,
    page_shell,
    pair_label,
)


@dataclass(frozen=True)
class IndexEntry:
    """One input of a run, kept small: a run over thousands of files holds only these."""

    source: str
    href: str | None = None  # the report, relative to the index page; None when failed
    format: str | None = None
    forms: int = 0
    tables: int = 0
    findings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    errors: int = 0
    failure: str | None = None


def index_entry(source: Path | str, stem: str, document: Document | None,
                failure: str | None = None) -> IndexEntry:
    """The entry of a converted file (its report is ``<stem>.html``) or of a failed one."""
    if document is None or failure is not None:
        return IndexEntry(source=path_text(Path(source)), failure=failure or "failed")
    return IndexEntry(
        source=path_text(Path(source)), href=href(f"{stem}.html"),
        format=document.source.format,
        forms=len(document.forms), tables=len(document.tables),
        findings=severity_counts(document.findings), errors=len(document.errors),
    )


def href(name: str) -> str:
    """A relative link to a file named ``name`` (bytes that are not UTF-8 kept as they
    are on disk, percent-encoded)."""
    return quote(name, errors="surrogateescape")


def render_index(entries: list[IndexEntry]) -> bytes:
    ok = sum(1 for e in entries if e.failure is None)
    heads = "".join(f"<th>{h}</th>" for h in [
        "#", label("文件", "file"), label("格式", "format"), label("状态", "status"),
        label("表单", "forms"), label("表格", "tables"),
        *(pair_label(SEVERITY_LABELS[s]) for s in SEVERITIES),
        label("转换错误", "conversion errors"), label("原因", "reason"),
    ])
    rows = []
    for n, e in enumerate(entries, start=1):
        name = f'<a href="{esc(e.href)}">{esc(e.source)}</a>' if e.href else esc(e.source)
        status = (f'<td class="status ok">{label("已转换", "converted")}</td>'
                  if e.failure is None else
                  f'<td class="status failed sev">{label("失败", "failed")}</td>')
        sev_cells = "".join(
            f'<td class="num{" sev" if e.findings.get(s) else ""}">{e.findings.get(s, 0)}</td>'
            for s in SEVERITIES)
        cls = "sev-error" if e.failure is not None else (
            next((f"sev-{s}" for s in SEVERITIES if e.findings.get(s)), "clean"))
        rows.append(
            f'<tr class="{cls}" data-status="{"ok" if e.failure is None else "failed"}">'
            f"<td>{n}</td><td>{name}</td><td>{esc(e.format or '')}</td>{status}"
            f'<td class="num">{e.forms}</td><td class="num">{e.tables}</td>{sev_cells}'
            f'<td class="num">{e.errors}</td><td class="ct">{esc(e.failure or "")}</td></tr>'
        )
    totals = [sum(e.forms for e in entries), sum(e.tables for e in entries),
              *(sum(e.findings.get(s, 0) for e in entries) for s in SEVERITIES),
              sum(e.errors for e in entries)]
    total_row = (f'<tr class="total"><th colspan="4">{label("合计", "total")}</th>'
                 + "".join(f'<td class="num">{t}</td>' for t in totals) + "<td></td></tr>")
    body = (
        f"<header><h1>{label('绩效表审阅报告索引', 'review reports')}</h1>"
        f'<p class="counts"><span>{label("已转换", "converted")} {ok} / {len(entries)}</span>'
        f'<span class="{"sev-error" if ok < len(entries) else ""}">'
        f'{label("失败", "failed")} {len(entries) - ok}</span></p>'
        f'</header><table class="list index"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody><tfoot>{total_row}</tfoot></table>"
    )
    return page_shell("绩效表审阅报告索引 · review reports", body, CSS + _INDEX_CSS, "")


_INDEX_CSS = """
table.list td.num { text-align: right; }
tr.sev-error td.sev { background: var(--err); } tr.sev-warning td.sev { background: var(--warn); }
"""
