"""TEDS of the digital-PDF grid builder against ground truth: our seeds and ICDAR 2013.

Suites:

- ``seeds``: ``fixtures/seeds/*.pdf`` with the project's ``*.truth.json``
  (``tables[].cells`` = ``[row, col, row_span, col_span, text]``). Each ground-truth table is
  scored against every table a tool extracted from the file.
- ``icdar2013``: the ICDAR 2013 table competition set in ``../shared/external/icdar2013``
  (read at run time, never copied in; skipped with a message when missing). Each region of a
  ``*-str.xml`` structure file (``table > region[page] > cell[start-row, start-col, end-row?,
  end-col?] > content``) is one ground-truth table, its row and column numbers shifted to start
  at 0; it is scored against the tables a tool found on the same page. ``xxxb-str.xml`` is a
  second annotation of ``xxxa.pdf`` (there is no ``xxxb.pdf``) and is scored on that PDF, which
  gives the 167 regions of the README. Regions are classed by the ruling lines pdfplumber sees
  inside their box (the union of the cells' boxes, 8 pt margin, from ``page.edges``: lines, rect
  and curve edges): ``grid`` (at least 2 horizontal and 2 vertical lines), ``partial`` (some
  lines, mostly horizontal rules), ``none``; "ruled" means any line.

Protocol (as in ``eval_docx_teds.py`` and the peers' numbers in ``../shared/external/README.md``):
each ground-truth table keeps its best TEDS over the candidates; a suite's score is the mean
over its ground-truth tables; whitespace in texts is collapsed. ICDAR's ground truth leaves
empty cells out (a slot no cell covers gets no ``td``), which costs every tool that returns
them; ``--fill-gaps`` fills those slots with empty cells to show how much.

Systems:

- ``jixiao``: ``jixiao.converters.pdf.extract`` (a table is on every page in its ``pages``);
- ``pdfplumber``: ``page.find_tables()`` with default settings, ``table.extract()``; it has no
  spans, so a merged cell (the ``None`` slots it leaves) is kept once, in the row and column it
  starts in, as ``eval_docx_teds`` does for python-docx;
- ``plumber-grid``: the same tables as a full grid, ``None`` slots as empty cells: the protocol
  behind the README's pdfplumber number (0.424 on icdar2013), run as a sanity check;
- ``camelot``: camelot-py lattice (``flavor="lattice"``, first working backend of pdfium,
  ghostscript, poppler), its ``df`` as a full grid, when camelot is installed and runs.

Usage::

    python benchmarks/eval_pdf_teds.py              # both suites, tables + JSON result
    python benchmarks/eval_pdf_teds.py --explain    # why jixiao's ICDAR tables lose
    python benchmarks/eval_pdf_teds.py --no-camelot --per-table
    python benchmarks/eval_pdf_teds.py --fill-gaps  # ICDAR's left-out empty cells filled in
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from pdf_systems import (
        Found,
        System,
        Table,
        camelot_system,
        jixiao_tables,
        pdfplumber_tables,
        plumber_grid_tables,
    )
    from teds import GridCell, Node, best_match, shape_of, table_tree, teds_structure
except ImportError as exc:  # apted missing: it is in the dev extra
    raise SystemExit(f"eval_pdf_teds needs apted ({exc}); pip install -e '.[dev]'") from None

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ICDAR = REPO.parent / "shared" / "external" / "icdar2013"
DEFAULT_SEEDS = REPO / "fixtures" / "seeds"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "eval_pdf_teds.json"
RULE_MARGIN = 8.0  # pt around the cells' boxes where a ruling line still belongs to the table
RULE_MIN = 10.0  # pt of a line that must lie inside that box to count



# --- ground truth -----------------------------------------------------------------------------


@dataclass
class Truth:
    suite: str
    file: str  # ground-truth file stem (eu-009b)
    pdf: Path
    index: int
    cells: Table
    page: int | None = None  # None: match against the whole file
    box: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (pdfplumber)
    rules: str = ""  # grid / partial / none
    rule_counts: dict[str, int] = field(default_factory=dict)


def seed_truth(path: Path, pdf: Path) -> list[Truth]:
    """``tables[].cells`` = ``[row, col, row_span, col_span, text]`` of a seed truth file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    stem = path.name.removesuffix(".truth.json")
    return [
        Truth("seeds", stem, pdf, i, [GridCell(*cell) for cell in table["cells"]])
        for i, table in enumerate(data.get("tables", []))
    ]


def _number(text: str | None) -> float:
    """A coordinate of the ICDAR files, some of which carry stray characters (``26ß``)."""
    match = re.match(r"-?\d+(?:\.\d+)?", (text or "").strip())
    return float(match.group()) if match else float("nan")


def icdar_truth(path: Path, pdf: Path) -> list[Truth]:
    """Every ``region`` of an ICDAR ``*-str.xml``, in file order."""
    out = []
    stem = path.name.removesuffix("-str.xml")
    for region in ET.parse(path).getroot().iter("region"):
        raw = []
        boxes = []
        for cell in region.iter("cell"):
            r0, c0 = int(cell.get("start-row", 0)), int(cell.get("start-col", 0))
            r1 = int(cell.get("end-row", r0))
            c1 = int(cell.get("end-col", cell.get("col-end", c0)))  # one file says col-end
            raw.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1, cell.findtext("content") or ""))
            bb = cell.find("bounding-box")
            if bb is not None:
                boxes.append([_number(bb.get(k)) for k in ("x1", "y1", "x2", "y2")])
        if not raw:
            continue
        row0 = min(c[0] for c in raw)
        col0 = min(c[1] for c in raw)
        cells = [GridCell(r - row0, c - col0, rs, cs, t) for r, c, rs, cs, t in raw]
        box = None
        boxes = [b for b in boxes if all(v == v for v in b)]  # drop NaN
        if boxes:  # PDF space (y up); turned to pdfplumber's when the page is read
            box = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        out.append(Truth("icdar2013", stem, pdf, len(out), cells, int(region.get("page", 1)), box))
    return out


def fill_gaps(cells: Table) -> Table:
    """The table with every slot no cell covers filled by an empty 1x1 cell.

    ICDAR's ground truth leaves empty cells out, so a tool that returns them (every lattice
    tool does) pays for each; ``--fill-gaps`` scores against the filled grid instead.
    """
    rows, cols = shape_of(cells)
    taken = {
        (r, c)
        for cell in cells
        for r in range(cell.row, cell.row + cell.row_span)
        for c in range(cell.col, cell.col + cell.col_span)
    }
    extra = [GridCell(r, c) for r in range(rows) for c in range(cols) if (r, c) not in taken]
    return sorted([*cells, *extra], key=lambda c: (c.row, c.col))


def classify_rules(truths: list[Truth]) -> None:
    """Set ``rules`` of each ICDAR region from pdfplumber's edges inside its box."""
    import pdfplumber

    by_pdf: dict[Path, list[Truth]] = {}
    for t in truths:
        by_pdf.setdefault(t.pdf, []).append(t)
    for pdf_path, group in by_pdf.items():
        with pdfplumber.open(pdf_path) as pdf:
            for page_no in sorted({t.page for t in group if t.page is not None}):
                page = pdf.pages[page_no - 1]
                # ICDAR boxes are in the unrotated page space, y from the bottom of the mediabox
                height = float(page.page_obj.mediabox[3])
                edges = page.edges
                for t in group:
                    if t.page != page_no or t.box is None:
                        continue
                    x0, y0, x1, y1 = t.box
                    t.box = (x0, height - y1, x1, height - y0)
                    t.rule_counts = _count_rules(edges, t.box)
                    h, v = t.rule_counts["h"], t.rule_counts["v"]
                    t.rules = "grid" if h >= 2 and v >= 2 else ("partial" if h or v else "none")
                page.close()


Box = tuple[float, float, float, float]


def _count_rules(edges: list[dict[str, Any]], box: Box) -> dict[str, int]:
    """Distinct horizontal and vertical line positions inside ``box`` (with a margin)."""
    x0, top, x1, bottom = box
    m = RULE_MARGIN
    hs: set[int] = set()
    vs: set[int] = set()
    for e in edges:
        if e["orientation"] == "h":
            inside = top - m <= e["top"] <= bottom + m
            overlap = min(e["x1"], x1 + m) - max(e["x0"], x0 - m)
            if inside and overlap >= RULE_MIN:
                hs.add(round(e["top"] / 2))  # 2 pt buckets: a double stroke is one line
        else:
            inside = x0 - m <= e["x0"] <= x1 + m
            overlap = min(e["bottom"], bottom + m) - max(e["top"], top - m)
            if inside and overlap >= RULE_MIN:
                vs.add(round(e["x0"] / 2))
    return {"h": len(hs), "v": len(vs)}


# --- evaluation -------------------------------------------------------------------------------


@dataclass
class Score:
    truth: Truth
    shape: tuple[int, int]
    scores: dict[str, float] = field(default_factory=dict)
    struct: dict[str, float] = field(default_factory=dict)
    matched: dict[str, int | None] = field(default_factory=dict)
    candidates: dict[str, int] = field(default_factory=dict)




def discover(icdar: Path | None, seeds: Path | None) -> tuple[list[Truth], list[str]]:
    truths: list[Truth] = []
    notes: list[str] = []
    if seeds is not None:
        if not seeds.is_dir():
            notes.append(f"seeds suite skipped: {seeds} not found")
        for path in sorted(seeds.glob("*.truth.json")) if seeds.is_dir() else []:
            pdf = path.with_name(path.name.removesuffix(".truth.json") + ".pdf")
            if pdf.is_file():
                truths.extend(seed_truth(path, pdf))
    if icdar is not None:
        found = sorted(icdar.glob("*/*-str.xml")) + sorted(icdar.glob("*-str.xml"))
        if not found:
            notes.append(f"icdar2013 suite skipped: no *-str.xml under {icdar}")
        for path in found:
            stem = path.name.removesuffix("-str.xml")
            pdf = path.with_name(stem + ".pdf")
            if not pdf.is_file() and stem.endswith("b"):
                pdf = path.with_name(stem[:-1] + "a.pdf")  # second annotation of the a file
            if not pdf.is_file():
                notes.append(f"icdar2013: no PDF for {path.name}, skipped")
                continue
            truths.extend(icdar_truth(path, pdf))
        classify_rules([t for t in truths if t.suite == "icdar2013"])
    return truths, notes


Extracted = dict[tuple[str, Path], dict[str, list[tuple[Found, Node]]]]


def evaluate(
    truths: list[Truth], systems: dict[str, System]
) -> tuple[list[Score], Extracted, list[str], dict[str, float]]:
    extracted: Extracted = {}
    errors: list[str] = []
    seconds = dict.fromkeys(systems, 0.0)
    jobs: dict[tuple[str, Path], set[int] | None] = {}
    for t in truths:
        key = (t.suite, t.pdf)
        if t.page is None:
            jobs[key] = None
        elif key not in jobs or jobs[key] is not None:
            jobs.setdefault(key, set()).add(t.page)  # type: ignore[union-attr]
    for key, pages in jobs.items():
        wanted = tuple(sorted(pages)) if pages else None
        extracted[key] = {}
        for name, run in systems.items():
            t0 = time.perf_counter()
            try:
                found = run(key[1], wanted)
            except Exception as exc:  # a crash scores 0 for every table of the file
                errors.append(f"{name} on {key[1].name}: {type(exc).__name__}: {exc}")
                found = []
            seconds[name] += time.perf_counter() - t0
            extracted[key][name] = [(f, table_tree(f.cells)) for f in found]
    results = []
    for t in truths:
        truth_tree = table_tree(t.cells)
        score = Score(t, shape_of(t.cells))
        for name in systems:
            pool = [
                (i, tree)
                for i, (f, tree) in enumerate(extracted[(t.suite, t.pdf)][name])
                if t.page is None or t.page in f.pages
            ]
            best, at = best_match(truth_tree, [tree for _, tree in pool])
            score.scores[name] = best
            score.matched[name] = pool[at][0] if at is not None else None
            score.struct[name] = teds_structure(truth_tree, pool[at][1]) if at is not None else 0
            score.candidates[name] = len(pool)
        results.append(score)
    return results, extracted, errors, seconds


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


# --- reporting --------------------------------------------------------------------------------


def _label(r: Score) -> str:
    return r.truth.file + (f" p{r.truth.page}" if r.truth.page is not None else "")


def print_tables(results: list[Score], systems: list[str], threshold: float) -> None:
    head = f"{'suite':<9} {'file':<22} {'tbl':>3} {'shape':>6} {'rules':>7}"
    head += "".join(f" {n[:12]:>12}" for n in systems) + f" {'jx struct':>9}"
    print(head)
    print("-" * len(head))
    for r in results:
        line = (
            f"{r.truth.suite[:9]:<9} {_label(r)[:22]:<22} {r.truth.index:>3}"
            f" {r.shape[0]:>2}x{r.shape[1]:<3} {r.truth.rules or '-':>7}"
        )
        for name in systems:
            flag = "*" if name == "jixiao" and r.scores[name] < threshold else " "
            line += f" {r.scores[name]:>11.4f}{flag}"
        line += f" {r.struct.get('jixiao', 0.0):>9.4f}"
        print(line)
    print(f"\n* jixiao below {threshold}\n")


def summary(results: list[Score], systems: list[str]) -> dict[str, Any]:
    """Means per suite and, for icdar2013, per rule class."""
    out: dict[str, Any] = {}
    for suite in dict.fromkeys(r.truth.suite for r in results):
        rows = [r for r in results if r.truth.suite == suite]
        groups: dict[str, list[Score]] = {"all": rows}
        if suite == "icdar2013":
            groups["ruled (any line)"] = [r for r in rows if r.truth.rules != "none"]
            groups["  grid (h>=2, v>=2)"] = [r for r in rows if r.truth.rules == "grid"]
            groups["  partial (mostly h rules)"] = [r for r in rows if r.truth.rules == "partial"]
            groups["unruled (no line)"] = [r for r in rows if r.truth.rules == "none"]
        out[suite] = {
            name: {
                "tables": len(sub),
                "mean_teds": {n: mean([r.scores[n] for r in sub]) for n in systems},
                "mean_teds_struct": {n: mean([r.struct[n] for r in sub]) for n in systems},
                "with_candidate": {n: sum(1 for r in sub if r.candidates[n] > 0) for n in systems},
            }
            for name, sub in groups.items()
        }
    return out


def print_summary(stats: dict[str, Any], systems: list[str]) -> None:
    width = 34
    print(
        f"{'mean best-match TEDS per table':<{width}}" + "".join(f" {n[:12]:>12}" for n in systems)
    )
    for suite, groups in stats.items():
        for name, g in groups.items():
            label = (
                f"{suite} {name} ({g['tables']})" if name == "all" else f"  {name} ({g['tables']})"
            )
            print(f"{label:<{width}}" + "".join(f" {g['mean_teds'][n]:>12.4f}" for n in systems))
            if name == "all":
                print(
                    f"{'  structure only (TEDS-S)':<{width}}"
                    + "".join(f" {g['mean_teds_struct'][n]:>12.4f}" for n in systems)
                )
                print(
                    f"{'  tables with a candidate':<{width}}"
                    + "".join(f" {g['with_candidate'][n]:>12}" for n in systems)
                )
        print()


def _slots(cells: Table) -> dict[tuple[int, int], tuple[str, int, int]]:
    """Anchor slot → (collapsed text, row span, col span)."""
    return {(c.row, c.col): (" ".join(c.text.split()), c.row_span, c.col_span) for c in cells}


def _short(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def explain(results: list[Score], extracted: Extracted, threshold: float, limit: int) -> None:
    """Why jixiao's tables under ``threshold`` lose: shapes, rules, differing cells."""
    for r in results:
        if r.scores["jixiao"] >= threshold:
            continue
        t = r.truth
        counts = f" (h {t.rule_counts['h']}, v {t.rule_counts['v']})" if t.rule_counts else ""
        print(
            f"\n=== {t.suite} {_label(r)} table {t.index}: jixiao TEDS {r.scores['jixiao']:.4f}"
            f" (struct {r.struct['jixiao']:.4f}); rules {t.rules or '-'}{counts}"
        )
        at = r.matched["jixiao"]
        others = ", ".join(f"{n} {v:.3f}" for n, v in r.scores.items() if n != "jixiao")
        if at is None:
            print(f"  jixiao: no table on this page; {others}")
            continue
        found, _ = extracted[(t.suite, t.pdf)]["jixiao"][at]
        gt_grid, got_grid = _slots(t.cells), _slots(found.cells)
        print(
            f"  truth {r.shape[0]}x{r.shape[1]}, {len(gt_grid)} cells; jixiao table {at} "
            f"(pages {sorted(found.pages)}, {r.candidates['jixiao']} on the page): "
            f"{shape_of(found.cells)[0]}x{shape_of(found.cells)[1]}, {len(got_grid)} cells; "
            f"{others}"
        )
        shown = 0
        for slot in sorted(set(gt_grid) | set(got_grid)):
            a, b = gt_grid.get(slot), got_grid.get(slot)
            if a == b or (a is None and b is not None and not b[0]):
                continue  # same, or an empty cell the ground truth leaves out
            if shown == limit:
                print("  …")
                break
            shown += 1
            print(f"  {slot}: truth {_desc(a)}")
            print(f"  {' ' * len(str(slot))}  jixiao {_desc(b)}")


def _desc(cell: tuple[str, int, int] | None) -> str:
    if cell is None:
        return "(none)"
    text, rs, cs = cell
    return _short(text) + (f" span {rs}x{cs}" if (rs, cs) != (1, 1) else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--icdar", type=Path, default=DEFAULT_ICDAR, help="ICDAR 2013 folder (*-str.xml, *.pdf)"
    )
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed *.pdf with *.truth.json"
    )
    parser.add_argument("--no-icdar", action="store_true", help="skip the ICDAR 2013 suite")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seeds suite")
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip both pdfplumber runs")
    parser.add_argument("--no-camelot", action="store_true", help="skip camelot lattice")
    parser.add_argument(
        "--threshold", type=float, default=0.95, help="flag jixiao tables below this TEDS"
    )
    parser.add_argument(
        "--fill-gaps",
        action="store_true",
        help="fill the slots ICDAR's ground truth leaves out with empty cells",
    )
    parser.add_argument("--per-table", action="store_true", help="print every ICDAR region too")
    parser.add_argument(
        "--explain", action="store_true", help="list why each jixiao table under --threshold loses"
    )
    parser.add_argument("--limit", type=int, default=8, help="cells listed per table (--explain)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="JSON result file")
    args = parser.parse_args(argv)

    truths, notes = discover(
        None if args.no_icdar else args.icdar, None if args.no_seeds else args.seeds
    )
    for note in notes:
        print(note)
    if not truths:
        print("nothing to evaluate")
        return 0
    if args.fill_gaps:
        for t in truths:
            if t.suite == "icdar2013":
                t.cells = fill_gaps(t.cells)
        notes.append("icdar2013 ground truth: uncovered slots filled with empty cells")
        print(notes[-1])

    systems: dict[str, System] = {"jixiao": jixiao_tables}
    if not args.no_pdfplumber:
        systems["pdfplumber"] = pdfplumber_tables
        systems["plumber-grid"] = plumber_grid_tables
    if not args.no_camelot:
        run, why = camelot_system(truths[0].pdf)
        print(why)
        notes.append(why)
        if run is not None:
            systems["camelot"] = run

    started = time.perf_counter()
    results, extracted, errors, seconds = evaluate(truths, systems)
    elapsed = time.perf_counter() - started
    for err in errors:
        print(f"error: {err}")
    print()

    names = list(systems)
    shown = [r for r in results if args.per_table or r.truth.suite != "icdar2013"]
    if shown:
        print_tables(shown, names, args.threshold)
    stats = summary(results, names)
    print_summary(stats, names)
    if "icdar2013" in stats and "plumber-grid" in names and not args.fill_gaps:
        got = stats["icdar2013"]["all"]["mean_teds"]["plumber-grid"]
        print(
            f"sanity check: pdfplumber (full grid) on icdar2013 {got:.4f}; README says 0.424"
            f" ({'reproduced' if abs(got - 0.424) < 0.005 else 'NOT reproduced'})"
        )
    print(
        "extraction time: "
        + ", ".join(f"{n} {s:.1f} s" for n, s in seconds.items())
        + f"; evaluation {elapsed:.1f} s in all"
    )
    if args.explain:
        explain(results, extracted, args.threshold, args.limit)

    payload = {
        "benchmark": "eval_pdf_teds",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "notes": notes,
        "errors": errors,
        "fill_gaps": args.fill_gaps,
        "systems": names,
        "summary": stats,
        "extraction_s": seconds,
        "tables": [
            {
                "suite": r.truth.suite,
                "file": r.truth.file,
                "pdf": r.truth.pdf.name,
                "page": r.truth.page,
                "index": r.truth.index,
                "shape": r.shape,
                "rules": r.truth.rules,
                "rule_counts": r.truth.rule_counts,
                "teds": r.scores,
                "teds_struct": r.struct,
                "matched": r.matched,
                "candidates": r.candidates,
            }
            for r in results
        ],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    out = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"\nresults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
