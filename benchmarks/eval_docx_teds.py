"""TEDS of the DOCX grid builder against ground truth: docling's test suite and our seeds.

Suites:

- ``docling-docx``: ``../shared/external/docling-docx/*.docx`` (next to the repo, read at run
  time, never copied in) with docling's regression output ``*.docx.groundtruth.json``
  (``tables[].data.table_cells[]``: row/col offsets, spans, text).
- ``seeds``: ``fixtures/seeds/*.docx`` with the project's ``*.truth.json``
  (``tables[].cells`` = ``[row, col, row_span, col_span, text]``).

Protocol (the same as the peers' numbers in ``../shared/external/README.md``): each
ground-truth table is scored against every table the tool extracted from that file (nested
tables included) and keeps its best TEDS; a suite's score is the mean over its ground-truth
tables. Whitespace in texts is collapsed before comparison.

Systems: ``jixiao`` (``jixiao.converters.docx.extract``) and, when python-docx is installed,
the ``python-docx`` row-wise baseline (``table.rows[i].cells`` with its own ``cell.text``, no
span information; a cell repeated along a row by a horizontal merge is kept once).

Usage::

    python benchmarks/eval_docx_teds.py            # both suites, table + JSON result
    python benchmarks/eval_docx_teds.py --explain  # also show why tables under 0.95 lose
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from teds import GridCell, Node, best_match, shape_of, table_tree, teds_structure
except ImportError as exc:  # apted missing: it is in the dev extra
    raise SystemExit(f"eval_docx_teds needs apted ({exc}); pip install -e '.[dev]'") from None

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EXTERNAL = REPO.parent / "shared" / "external" / "docling-docx"
DEFAULT_SEEDS = REPO / "fixtures" / "seeds"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "eval_docx_teds.json"

Table = list[GridCell]


# --- ground truth -----------------------------------------------------------------------------


def docling_truth(path: Path) -> list[Table]:
    """``tables[].data.table_cells[]`` of a docling regression file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = []
    for table in data.get("tables", []):
        cells = [
            GridCell(
                row=c["start_row_offset_idx"],
                col=c["start_col_offset_idx"],
                row_span=c["end_row_offset_idx"] - c["start_row_offset_idx"],
                col_span=c["end_col_offset_idx"] - c["start_col_offset_idx"],
                text=c.get("text", ""),
            )
            for c in table["data"]["table_cells"]
        ]
        tables.append(cells)
    return tables


def seed_truth(path: Path) -> list[Table]:
    """``tables[].cells`` = ``[row, col, row_span, col_span, text]`` of a seed truth file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [[GridCell(*cell) for cell in table["cells"]] for table in data.get("tables", [])]


# --- systems under test -----------------------------------------------------------------------


def jixiao_tables(path: Path) -> list[Table]:
    from jixiao.converters.docx import extract

    return [
        [GridCell(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
        for table in extract(path).tables
    ]


def python_docx_tables(path: Path, nested: bool = False) -> list[Table]:
    """Row-wise python-docx: each row's ``cells``, consecutive repeats of one ``w:tc`` once.

    ``document.tables`` only (the peers' protocol) unless ``nested``, which also walks
    ``cell.tables``. Tables inside content controls (``w:sdt``) are invisible to python-docx.
    """
    import docx  # type: ignore[import-untyped]

    def walk(tables: list[Any]) -> Iterator[Any]:
        for table in tables:
            yield table
            if not nested:
                continue
            seen: set[int] = set()
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats along its span
                        seen.add(id(cell._tc))
                        yield from walk(cell.tables)

    out = []
    for table in walk(docx.Document(str(path)).tables):
        cells = []
        for r, row in enumerate(table.rows):
            previous = None
            col = 0
            for cell in row.cells:
                if previous is not None and cell._tc is previous:
                    continue
                previous = cell._tc
                cells.append(GridCell(r, col, 1, 1, cell.text))
                col += 1
        out.append(cells)
    return out


def have_python_docx() -> bool:
    try:
        import docx  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return True


# --- evaluation -------------------------------------------------------------------------------


@dataclass
class TableScore:
    suite: str
    file: str
    index: int
    shape: tuple[int, int]
    scores: dict[str, float] = field(default_factory=dict)
    struct: dict[str, float] = field(default_factory=dict)
    matched: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Case:
    suite: str
    docx: Path
    truth: list[Table]




def discover(external: Path | None, seeds: Path | None) -> tuple[list[Case], list[str]]:
    cases: list[Case] = []
    notes: list[str] = []
    if external is not None:
        if not external.is_dir():
            notes.append(f"docling-docx suite skipped: {external} not found")
        else:
            for truth in sorted(external.glob("*.docx.groundtruth.json")):
                docx_path = truth.with_name(truth.name.removesuffix(".groundtruth.json"))
                if docx_path.is_file():
                    cases.append(Case("docling-docx", docx_path, docling_truth(truth)))
            if not any(c.suite == "docling-docx" for c in cases):
                notes.append(f"docling-docx suite skipped: no *.groundtruth.json in {external}")
    if seeds is not None:
        if not seeds.is_dir():
            notes.append(f"seeds suite skipped: {seeds} not found")
        else:
            for truth in sorted(seeds.glob("*.truth.json")):
                docx_path = truth.with_name(truth.name.removesuffix(".truth.json") + ".docx")
                if docx_path.is_file():
                    cases.append(Case("seeds", docx_path, seed_truth(truth)))
    return cases, notes


def evaluate(
    cases: list[Case], systems: dict[str, Callable[[Path], list[Table]]]
) -> tuple[list[TableScore], dict[tuple[str, str], dict[str, list[Node]]], list[str]]:
    results: list[TableScore] = []
    extracted: dict[tuple[str, str], dict[str, list[Node]]] = {}
    errors: list[str] = []
    for case in cases:
        per_system: dict[str, list[Node]] = {}
        for name, run in systems.items():
            try:
                per_system[name] = [table_tree(t) for t in run(case.docx)]
            except Exception as exc:  # a crash scores 0 for every table of the file
                errors.append(f"{name} on {case.docx.name}: {type(exc).__name__}: {exc}")
                per_system[name] = []
        extracted[(case.suite, case.docx.name)] = per_system
        for i, truth in enumerate(case.truth):
            truth_tree = table_tree(truth)
            score = TableScore(case.suite, case.docx.name, i, shape_of(truth))
            for name, trees in per_system.items():
                best, at = best_match(truth_tree, trees)
                score.scores[name] = best
                score.matched[name] = at
                score.struct[name] = teds_structure(truth_tree, trees[at]) if at is not None else 0
            results.append(score)
    return results, extracted, errors


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


# --- reporting --------------------------------------------------------------------------------


def print_report(results: list[TableScore], systems: list[str], threshold: float) -> None:
    head = f"{'suite':<13} {'file':<28} {'tbl':>3} {'shape':>6}"
    for name in systems:
        head += f" {name:>10} {'struct':>7}"
    print(head)
    print("-" * len(head))
    for r in results:
        line = f"{r.suite:<13} {r.file[:28]:<28} {r.index:>3} {r.shape[0]:>2}x{r.shape[1]:<3}"
        for name in systems:
            flag = "*" if name == "jixiao" and r.scores[name] < threshold else " "
            line += f" {r.scores[name]:>9.4f}{flag} {r.struct[name]:>7.4f}"
        print(line)
    print()
    print(f"{'mean best-match TEDS per table':<34}" + "".join(f" {n:>12}" for n in systems))
    for suite in dict.fromkeys(r.suite for r in results):
        rows = [r for r in results if r.suite == suite]
        files = list(dict.fromkeys(r.file for r in rows))
        for file in files:
            sub = [r for r in rows if r.file == file]
            label = f"  {file[:26]} ({len(sub)})"
            print(
                f"{label:<34}"
                + "".join(f" {mean([r.scores[n] for r in sub]):>12.4f}" for n in systems)
            )
        label = f"{suite} ({len(rows)} tables)"
        print(
            f"{label:<34}"
            + "".join(f" {mean([r.scores[n] for r in rows]):>12.4f}" for n in systems)
        )
        print(
            f"{'  structure only (TEDS-S)':<34}"
            + "".join(f" {mean([r.struct[n] for r in rows]):>12.4f}" for n in systems)
        )
    print()
    print(f"* jixiao below {threshold}")


def _grid_of(tree: Node) -> dict[tuple[int, int], Node]:
    """Anchor slot → td, rebuilt from the tr/td tree (row spans occupy later rows)."""
    taken: set[tuple[int, int]] = set()
    out: dict[tuple[int, int], Node] = {}
    for r, tr in enumerate(tree.children):
        c = 0
        for td in tr.children:
            while (r, c) in taken:
                c += 1
            out[(r, c)] = td
            for dr in range(td.rowspan):
                for dc in range(td.colspan):
                    taken.add((r + dr, c + dc))
            c += td.colspan
    return out


def _same(a: Node, b: Node) -> bool:
    return (a.text, a.rowspan, a.colspan) == (b.text, b.rowspan, b.colspan)


def _short(text: str, n: int = 70) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def explain(
    results: list[TableScore],
    cases: list[Case],
    extracted: dict[tuple[str, str], dict[str, list[Node]]],
    limit: int,
) -> None:
    by_key = {(c.suite, c.docx.name): c for c in cases}
    for r in results:
        if r.scores["jixiao"] >= 1.0:
            continue
        case = by_key[(r.suite, r.file)]
        truth = table_tree(case.truth[r.index])
        at = r.matched["jixiao"]
        print(f"\n=== {r.suite} {r.file} table {r.index}: jixiao TEDS {r.scores['jixiao']:.4f}")
        if at is None:
            print("  jixiao extracted no table")
            continue
        got = extracted[(r.suite, r.file)]["jixiao"][at]
        gt_grid, got_grid = _grid_of(truth), _grid_of(got)
        print(
            f"  truth {len(truth.children)} rows, {len(gt_grid)} cells; jixiao table {at}: "
            f"{len(got.children)} rows, {len(got_grid)} cells"
        )
        shown = 0
        for slot in sorted(set(gt_grid) | set(got_grid)):
            a, b = gt_grid.get(slot), got_grid.get(slot)
            if a is not None and b is not None and _same(a, b):
                continue
            if shown == limit:
                print("  …")
                break
            shown += 1

            def desc(n: Node | None) -> str:
                if n is None:
                    return "(none)"
                span = f" span {n.rowspan}x{n.colspan}" if (n.rowspan, n.colspan) != (1, 1) else ""
                return f"{_short(n.text)}{span}"

            print(f"  {slot}: truth {desc(a)}")
            print(f"  {' ' * len(str(slot))}  jixiao {desc(b)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--external",
        type=Path,
        default=DEFAULT_EXTERNAL,
        help="docling-docx folder (default: ../shared/external/docling-docx)",
    )
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed *.docx with *.truth.json"
    )
    parser.add_argument("--no-external", action="store_true", help="skip the docling suite")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seeds suite")
    parser.add_argument("--no-baseline", action="store_true", help="skip python-docx")
    parser.add_argument(
        "--baseline-nested",
        action="store_true",
        help="python-docx also walks nested tables (cell.tables)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.95,
        help="flag jixiao tables below this TEDS (default 0.95)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="list the differing cells of every jixiao table under 1.0",
    )
    parser.add_argument("--limit", type=int, default=12, help="cells listed per table (--explain)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="JSON result file")
    args = parser.parse_args(argv)

    cases, notes = discover(
        None if args.no_external else args.external, None if args.no_seeds else args.seeds
    )
    for note in notes:
        print(note)
    if not cases:
        print("nothing to evaluate")
        return 0

    systems: dict[str, Callable[[Path], list[Table]]] = {"jixiao": jixiao_tables}
    if not args.no_baseline:
        if have_python_docx():
            if args.baseline_nested:
                systems["python-docx"] = partial(python_docx_tables, nested=True)
            else:
                systems["python-docx"] = python_docx_tables
        else:
            print("python-docx not installed: baseline skipped (pip install python-docx)")

    started = time.perf_counter()
    results, extracted, errors = evaluate(cases, systems)
    elapsed = time.perf_counter() - started
    for err in errors:
        print(f"error: {err}")

    print_report(results, list(systems), args.threshold)
    if args.explain:
        explain(results, cases, extracted, args.limit)

    suites: dict[str, Any] = {}
    for suite in dict.fromkeys(r.suite for r in results):
        rows = [r for r in results if r.suite == suite]
        suites[suite] = {
            "tables": len(rows),
            "mean_teds": {n: mean([r.scores[n] for r in rows]) for n in systems},
            "mean_teds_struct": {n: mean([r.struct[n] for r in rows]) for n in systems},
            "per_file": {
                f: {n: mean([r.scores[n] for r in rows if r.file == f]) for n in systems}
                for f in dict.fromkeys(r.file for r in rows)
            },
        }
    payload = {
        "benchmark": "eval_docx_teds",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "protocol": "mean best-match TEDS per ground-truth table; whitespace collapsed",
        "seconds": round(elapsed, 3),
        "notes": notes,
        "errors": errors,
        "suites": suites,
        "tables": [
            {
                "suite": r.suite,
                "file": r.file,
                "table": r.index,
                "shape": list(r.shape),
                "teds": r.scores,
                "teds_struct": r.struct,
                "matched": r.matched,
            }
            for r in results
        ],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\n{len(results)} tables in {elapsed:.1f}s; results written to {_rel(args.output)}")
    return 0


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
