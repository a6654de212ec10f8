"""Judge ``jixiao validate`` on the real documents in ``fixtures/real/`` against two hand-made
files there:

- ``expected_findings.json``: the source errors their notes list; each must be found (by one
  of the rules named for it, on its form).
- ``findings_verdicts.json``: every finding jixiao gives on these files, read against the
  source by hand, with its verdict (``true`` or ``false`` alarm) and why. A finding without
  a verdict is ``unreviewed``: a new finding must be read before it lands.

Precision = true / (true + false). ``--markdown FILE`` writes the table of every finding with
its verdict (docs/real-findings.md); ``--template`` prints verdict entries for the findings
that have none, to fill in by hand.

Usage: ``python benchmarks/eval_findings.py [--markdown FILE] [--template]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "fixtures" / "real"
EXPECTED = REAL / "expected_findings.json"
VERDICTS = REAL / "findings_verdicts.json"

Json = dict[str, Any]


def _document(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".xlsx"))


def _form_number(document: Any, form: Any, index: int) -> int:
    """The form as the notes name it: its page in a PDF, its place (1-based) in a workbook."""
    if document.source.path.endswith(".pdf"):
        tables = {t.id: t for t in document.tables}
        pages = tables[form.table_ids[0]].pages
        return pages[0] if pages else index + 1
    return index + 1


def findings(root: Path = REAL) -> list[Json]:
    """Every finding on the real documents, as plain rows."""
    from jixiao import convert
    from jixiao.locate import location

    rows: list[Json] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        document = convert(_document(folder))
        numbers = {f.id: _form_number(document, f, i) for i, f in enumerate(document.forms)}
        names = {f.id: f.project.name for f in document.forms}
        for finding in document.findings:
            cell = finding.cell
            rows.append({
                "folder": folder.name, "form": numbers.get(finding.form or ""),
                "project": names.get(finding.form or ""), "rule": finding.rule,
                "severity": finding.severity, "value": (finding.value or "")[:40],
                "cell": location(cell) if cell else "", "message": finding.message,
            })
    return rows


def key(row: Json) -> str:
    return f"{row['folder']} [{row['form']}] {row['rule']} {row['cell']} {row['value']}"


def judge(rows: list[Json], verdicts: dict[str, Json], expected: list[Json]) -> Json:
    counts: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = {}
    for row in rows:
        verdict = verdicts.get(key(row), {}).get("verdict", "unreviewed")
        row["verdict"] = verdict
        row["why"] = verdicts.get(key(row), {}).get("why", "")
        counts[verdict] += 1
        by_rule.setdefault(row["rule"], Counter())[verdict] += 1
    found = {(r["folder"], r["form"], r["rule"]) for r in rows}
    missed = [e for e in expected
              if not any((e["folder"], e["form"], rule) in found for rule in e["rules"])]
    judged = counts["true"] + counts["false"]
    return {
        "findings": len(rows), "true": counts["true"], "false": counts["false"],
        "unreviewed": counts["unreviewed"],
        "precision": round(counts["true"] / judged, 4) if judged else None,
        "expected": len(expected), "missed": missed,
        "by_rule": {rule: dict(c) for rule, c in sorted(by_rule.items())},
        "stale_verdicts": sorted(set(verdicts) - {key(r) for r in rows}),
    }


def load() -> tuple[dict[str, Json], list[Json]]:
    verdicts = json.loads(VERDICTS.read_text("utf-8"))["verdicts"]
    expected = json.loads(EXPECTED.read_text("utf-8"))["expected"]
    return verdicts, expected


def markdown(rows: list[Json], report: Json) -> str:
    lines = [
        "# Findings on the real documents, read by hand",
        "",
        "Every finding `jixiao validate` gives on `fixtures/real/`, with its verdict after "
        "reading the source (`fixtures/real/findings_verdicts.json`; regenerate this page "
        "with `python benchmarks/eval_findings.py --markdown docs/real-findings.md`).",
        "",
        f"**{report['findings']} findings: {report['true']} true, {report['false']} false "
        f"alarms, precision {report['precision']}.** Source errors listed in the notes: "
        f"{report['expected'] - len(report['missed'])} of {report['expected']} found.",
        "",
        "| document | form | rule | cell | verdict | message / why |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        why = f" — {row['why']}" if row["why"] else ""
        message = row["message"].replace("|", "\\|")
        lines.append(f"| {row['folder']} | [{row['form']}] {row['project'] or ''} | "
                     f"`{row['rule']}` | {row['cell']} | {row['verdict']} | {message}{why} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", type=Path, help="write the table of every finding")
    parser.add_argument("--template", action="store_true",
                        help="print verdict entries for the findings that have none")
    args = parser.parse_args(argv)
    verdicts, expected = load()
    rows = findings()
    report = judge(rows, verdicts, expected)
    if args.template:
        todo = {key(r): {"verdict": "?", "why": "", "message": r["message"]}
                for r in rows if r["verdict"] == "unreviewed"}
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        return 0
    if args.markdown:
        args.markdown.write_text(markdown(rows, report), "utf-8")
    summary = {k: v for k, v in report.items() if k not in ("missed",)}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    for miss in report["missed"]:
        print("MISSED", miss, file=sys.stderr)
    return 0 if not report["missed"] and not report["unreviewed"] else 1


if __name__ == "__main__":
    sys.exit(main())
