"""Escaping, labels and anchors shared by the report's parts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from decimal import Decimal

from jixiao.locate import location
from jixiao.schemas import SEVERITIES, SEVERITY_NAMES, CellRef, Finding

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
SEVERITY_LABELS = {s: (SEVERITY_NAMES[s], s) for s in SEVERITIES}
FORM_KINDS = {
    "project_goals": ("项目支出绩效目标表", "project goals"),
    "department_goals": ("部门整体支出绩效目标表", "department goals"),
    "self_evaluation": ("绩效自评表", "self-evaluation"),
    "unknown": ("未识别表单", "unknown form"),
}
VALUE_KINDS = {
    "count": ("数量", "count"), "percent": ("百分比", "percent"), "money": ("金额", "money"),
    "ratio": ("比率", "ratio"), "date": ("日期", "date"), "period": ("期间", "period"),
    "qualitative": ("定性", "qualitative"),
}
HORIZONS = {"long_term": ("长期", "long term"), "annual": ("年度", "annual")}
# Cells read by OCR below this confidence are marked (the ``ocr.low_confidence`` threshold).
LOW_CONFIDENCE = 0.8

# C0 controls other than tab and newline, and DEL: not allowed in HTML text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNSAFE_ID = re.compile(r"[^0-9A-Za-z_.\-]")


def esc(text: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return html.escape(_CONTROLS.sub("\ufffd", str(text)), quote=True)


def label(zh: str, en: str) -> str:
    """A Chinese UI label with its English secondary."""
    return f'{esc(zh)}<span class="en">{esc(en)}</span>'


def pair_label(pair: tuple[str, str]) -> str:
    return label(*pair)


def safe_id(text: str) -> str:
    return _UNSAFE_ID.sub("_", text)


def cell_anchor(table: str, row: int, col: int) -> str:
    return f"cell-{safe_id(table)}-{row}-{col}"


def ref_anchor(ref: CellRef) -> str:
    return cell_anchor(ref.table, ref.row, ref.col)


def table_anchor(table: str) -> str:
    return f"table-{safe_id(table)}"


def form_anchor(form: str) -> str:
    return f"form-{safe_id(form)}"


def finding_anchor(index: int) -> str:
    return f"finding-{index}"


def ref_text(ref: CellRef) -> str:
    """Where a person opens the cell (``jixiao.locate``): ``'Sheet'!D20``,
    ``p.28 table 3 row 5 col 2`` or ``table 3 row 5 col 2``."""
    return location(ref)


def number(value: Decimal | None) -> str:
    """A decimal as printed, never in exponent notation."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def worst(findings: Iterable[Finding]) -> str:
    return min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)


def counts_html(counts: dict[str, int]) -> str:
    return "".join(
        f'<span class="sev-{sev}">{pair_label(SEVERITY_LABELS[sev])} {counts[sev]}</span>'
        for sev in SEVERITIES
    )


def page_shell(title: str, body: str, css: str, js: str) -> bytes:
    """A complete, self-contained HTML5 page."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="jixiao">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body>\n{body}\n<script>{js}</script>\n</body>\n</html>\n"
    ).encode()
