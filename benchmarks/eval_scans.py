"""Forms and indicators read from scans of every fixture (``fixtures/scans/make_scans.py``:
150, 200 and 300 dpi, tilt, noise, JPEG, a red seal, a signature; ``--photo`` one page
photographed), against the fixtures' truth files.

For each scan: forms found (kinds as the truth lists them), project names and budget totals
exact, and indicators exact (level 1/2/3 and the target as printed, white space aside).

    python benchmarks/eval_scans.py                  # every fixture at 150, 200, 300 dpi
    python benchmarks/eval_scans.py --dpi 150 clean-project sichuan-self-evaluation
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures" / "scans"))
import make_scans  # noqa: E402

CACHE = ROOT / ".cache" / "scans"
SEED_KIND = {"department_overall": "department_goals", "project": "project_goals"}


def _collapse(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def truth_of(source: Path) -> list[dict[str, Any]]:
    """The truth's forms as (kind, name, total, indicators) in one shape for seeds and
    variants."""
    data = json.loads(source.with_suffix(".truth.json").read_text("utf-8"))
    out = []
    for form in data["forms"]:
        seed = "budget_total_wan" in form
        out.append({
            "kind": SEED_KIND.get(form["kind"], form["kind"]) if seed else form["kind"],
            "name": form.get("name"),
            "total": form["budget_total_wan"] if seed else form.get("total"),
            "indicators": [(i["l1"], i["l2"], i["l3"], _collapse(i["value"]))
                           for i in form["indicators"]],
        })
    return out


def score(source: Path, scan: Path) -> dict[str, Any]:
    from jixiao import convert

    want = truth_of(source)
    doc = convert(scan)
    forms = doc.forms
    names = totals = exact = 0
    for form, expected in zip(forms, want, strict=False):
        names += form.project.name == expected["name"]
        total = form.budget.total.raw if form.budget.total is not None else None
        totals += total == expected["total"]
        got = [(i.level1, i.level2, i.level3, _collapse(i.target.raw))
               for i in form.indicators if not i.empty]
        exact += sum(g == w for g, w in zip(got, expected["indicators"], strict=False))
    return {
        "scan": scan.name, "pages": len(doc.ocr_pages),
        "forms": [f.kind for f in forms] == [w["kind"] for w in want],
        "names": f"{names}/{len(want)}", "totals": f"{totals}/{len(want)}",
        "exact": exact, "indicators": sum(len(w["indicators"]) for w in want),
        "low_confidence": sum(1 for f in doc.findings if f.rule == "ocr.low_confidence"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (all when none)")
    parser.add_argument("--dpi", type=int, action="append")
    parser.add_argument("--photo", action="store_true")
    args = parser.parse_args(argv)
    sources = [p for p in make_scans.every_fixture()
               if not args.names or p.stem in args.names]
    rows = []
    for source in sources:
        for dpi in args.dpi or make_scans.DPIS:
            settings = make_scans.Settings(dpi=dpi, photo=args.photo)
            scan = CACHE / make_scans.name(source, settings)
            if not scan.is_file():
                make_scans.scan(source, scan, settings)
            row = score(source, scan)
            rows.append(row)
            print(f"{row['scan']:<58}{'ok' if row['forms'] else 'FORMS':>6}"
                  f"{row['names']:>7}{row['totals']:>7}{row['exact']:>5}/{row['indicators']:<4}"
                  f"{row['low_confidence']:>5}", flush=True)
    exact = sum(r["exact"] for r in rows)
    total = sum(r["indicators"] for r in rows)
    forms = sum(r["forms"] for r in rows)
    print(f"\nscans {len(rows)}, forms right on {forms}, indicators exact {exact}/{total} "
          f"({100 * exact / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
