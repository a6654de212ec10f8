"""Score jixiao's forms against the hand-made truth of the real documents in ``fixtures/real/``.

Each folder holds one .pdf/.xlsx, its ``truth.json`` and ``SOURCE.txt``. Documents are
converted with ``jixiao.convert``; scoring works on the document's JSON and plain dicts only.

- forms: truth forms sit on a page (PDF) or sheet (page = sheet index + 1); a jixiao form on
  its tables' pages (``Table.pages``, table and cell provenance). Each truth form takes one
  jixiao form on its page (typed before ``unknown``, then same name); the rest are spurious.
- keys (matched forms): whitespace removed, null = '' = blank; correct, missed (jixiao gave
  nothing), wrong, or invented (truth null, jixiao a value); ``budget_total`` = budget.total
  (raw as a number, or its value in 万元). A key the model has no place for: not modelled.
- indicators: multisets of (l1, l2, l3, target raw) per form, counts summed (a missing
  form's rows count as false negatives, a spurious form's as false positives); also l3 alone.
- fields: truth labels found (trailing colon removed), values equal, jixiao labels not in the
  truth, jixiao values that are a truth label, jixiao labels cut out of a truth value.

Usage: ``python benchmarks/eval_real.py [--json] [--diff] [--write-baseline PATH]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "fixtures" / "real"
DOCUMENT_SUFFIXES = (".pdf", ".xlsx")
NOT_MODELLED = "not modelled"
BASELINE_NOTE = ("A floor to raise, not a target: the scores of benchmarks/eval_real.py when "
                 "this file was written. Regenerate it (--write-baseline) when they improve.")

Json = dict[str, Any]
Pair = tuple[Json, Json]
Loaded = dict[str, tuple[list[Json], Json]]  # folder → (truth forms, jixiao document JSON)

# truth key → (part, attribute) of a jixiao form's JSON.
KEY_PATHS: dict[str, tuple[str, str]] = {
    "name": ("project", "name"), "code": ("project", "code"),
    "department": ("project", "department"), "department_code": ("project", "department_code"),
    "implementer": ("project", "implementer"), "budget_total": ("budget", "total"),
    "period": ("project", "period"),
    "goals.annual": ("goals", "annual"), "goals.long_term": ("goals", "long_term"),
}
LOWER_IS_BETTER = ("spurious", "spurious_typed", "missing", "wrong", "invented",
                   "label_as_value", "label_from_value", "extra_labels")


def norm(text: object) -> str | None:
    """Text with every whitespace character removed; None for null / empty / blank."""
    squeezed = "".join(str(text).split()) if text is not None else ""
    return squeezed or None


def norm_label(text: object) -> str | None:
    """A field label: whitespace and trailing colons removed (inner ones stay)."""
    return (norm(text) or "").rstrip("：:") or None


def number(text: object) -> Decimal | None:
    """A printed amount (``16,158.00``) as a number, or None."""
    try:
        return Decimal((norm(text) or "").replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def sheet_titles(path: Path) -> list[str]:
    """A workbook's sheet titles in workbook order (``xl/workbook.xml``)."""
    with zipfile.ZipFile(path) as book:
        root = ElementTree.fromstring(book.read("xl/workbook.xml"))
    return [el.attrib["name"] for el in root.iter() if el.tag.endswith("}sheet")]


def document_of(folder: Path) -> Path:
    found = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in DOCUMENT_SUFFIXES]
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one .pdf/.xlsx, found {len(found)}")
    return found[0]


def truth_forms(folder: Path) -> list[Json]:
    """The truth's forms, each with ``_page``: its PDF page, or its sheet index + 1."""
    forms: list[Json] = json.loads((folder / "truth.json").read_text("utf-8"))["forms"]
    titles = sheet_titles(document_of(folder)) if any("sheet" in f for f in forms) else []
    return [{**f, "_page": f["page"] if "page" in f else titles.index(f["sheet"]) + 1}
            for f in forms]


def table_pages(table: Json) -> set[int]:
    holders = [table, *table.get("cells", [])]
    pages = {(h.get("provenance") or {}).get("page") for h in holders}
    return {int(p) for p in pages | set(table.get("pages") or []) if p is not None}


def predicted_forms(document: Json) -> list[Json]:
    """A document's forms (JSON), each with ``_pages``: the pages of its tables."""
    tables = {t["id"]: table_pages(t) for t in document.get("tables", [])}
    return [{**f, "_pages": set().union(*(tables.get(t, set()) for t in f["table_ids"]))}
            for f in document.get("forms", [])]


def _rank(truth: Json, form: Json) -> tuple[bool, bool, int]:
    name = norm((form.get("project") or {}).get("name"))
    return form["kind"] == "unknown", name != norm(truth.get("name")), len(form["_pages"])


def match_forms(truth: list[Json], pred: list[Json]) -> tuple[list[Pair], list[Json], list[Json]]:
    """One-to-one (truth, jixiao) pairs by page; the truth forms missing; the spurious."""
    free, pairs, missing = list(pred), [], []
    for form in truth:
        candidates = [p for p in free if form["_page"] in p["_pages"]]
        if not candidates:
            missing.append(form)
            continue
        best = min(candidates, key=lambda p: _rank(form, p))
        free.remove(best)
        pairs.append((form, best))
    return pairs, missing, free


def same_amount(truth: str, total: Json) -> bool:
    """A printed budget total equals jixiao's ``budget.total`` (raw, or value in 万元)."""
    wanted = number(truth)
    if norm(total.get("raw")) == truth or (wanted is not None and number(total["raw"]) == wanted):
        return True
    value = total.get("value")
    return (wanted is not None and value is not None
            and total.get("unit") in (None, "万元") and Decimal(str(value)) == wanted)


def status(key: str, truth: Any, pred: Any) -> str:
    """correct / missed / wrong / invented, of normalised values (a total: its dict)."""
    if truth is None:
        return "correct" if pred is None else "invented"
    if pred is None:
        return "missed"
    same = same_amount(truth, pred) if key == "budget_total" else truth == pred
    return "correct" if same else "wrong"


def key_values(truth: Json, form: Json, key: str) -> tuple[bool, Any, Any]:
    """(modelled, truth value, jixiao value) of one key, normalised."""
    part_name, attr = KEY_PATHS[key]
    part = form.get(part_name) or {}
    if key == "budget_total":
        total = part.get(attr)
        if total is not None and norm(total.get("raw")) is None and total.get("value") is None:
            total = None
        return attr in part, norm(truth.get("budget_total_wan")), total
    wanted = (truth.get("goals") or {}).get(attr) if part_name == "goals" else truth.get(key)
    return attr in part, norm(wanted), norm(part.get(attr))


def score_keys(pairs: list[Pair]) -> Json:
    """Per key: n, correct, missed, wrong, invented (or "not modelled")."""
    out: Json = {}
    for key in KEY_PATHS:
        counts = dict.fromkeys(("n", "correct", "missed", "wrong", "invented"), 0)
        modelled = True
        for truth, form in pairs:
            modelled, wanted, got = key_values(truth, form, key)
            counts["n"] += 1
            counts[status(key, wanted, got)] += 1
        out[key] = counts if modelled else NOT_MODELLED
    return out


def truth_rows(form: Json) -> list[tuple[str, ...]]:
    return [tuple(norm(i.get(k)) or "" for k in ("l1", "l2", "l3", "value"))
            for i in form.get("indicators", [])]


def jixiao_rows(form: Json) -> list[tuple[str, ...]]:
    return [tuple(norm(v) or "" for v in (i["level1"], i["level2"], i["level3"],
                                          (i.get("target") or {}).get("raw")))
            for i in form.get("indicators", [])]


def overlap(truth: Iterable[Any], pred: Iterable[Any]) -> int:
    """Size of the multiset intersection."""
    return sum((Counter(truth) & Counter(pred)).values())


def score_indicators(pairs: list[Pair], missing: list[Json], spurious: list[Json]) -> Json:
    full = dict.fromkeys(("tp", "truth", "predicted"), 0)
    l3 = dict(full)
    for truth, form in [*pairs, *((t, {}) for t in missing), *(({}, p) for p in spurious)]:
        want, got = truth_rows(truth), jixiao_rows(form)
        for counts, tp in ((full, overlap(want, got)),
                           (l3, overlap([w[2] for w in want], [g[2] for g in got]))):
            counts["tp"] += tp
            counts["truth"] += len(want)
            counts["predicted"] += len(got)
    return {**full, "l3": l3}


def field_labels(form: Json) -> dict[str, str | None]:
    """Truth ``fields``: normalised label → normalised value."""
    return {lab: norm(v) for k, v in form.get("fields", {}).items() if (lab := norm_label(k))}


def score_fields(pairs: list[Pair]) -> Json:
    counts = dict.fromkeys(("truth_labels", "found_labels", "values_correct", "extra_labels",
                            "label_as_value", "label_from_value"), 0)
    for truth, form in pairs:
        want = field_labels(truth)
        values: dict[str, set[str | None]] = {}
        for f in form.get("fields", []):
            if lab := norm_label(f["label"]):
                values.setdefault(lab, set()).add(norm(f["value"]))
        found = [lab for lab in want if lab in values]
        extra = set(values) - set(want)
        counts["truth_labels"] += len(want)
        counts["found_labels"] += len(found)
        counts["values_correct"] += sum(want[lab] in values[lab] for lab in found)
        counts["extra_labels"] += len(extra)
        counts["label_as_value"] += sum(norm_label(v) in want
                                        for vs in values.values() for v in vs if v)
        counts["label_from_value"] += sum(any(lab in (v or "") for v in want.values())
                                          for lab in extra)
    return counts


def score_document(truth: list[Json], document: Json) -> Json:
    """Counts (no ratios) of one document; ``derive`` adds the ratios."""
    pred = predicted_forms(document)
    pairs, missing, spurious = match_forms(truth, pred)
    coverage = [f["coverage"] for _, f in pairs if f.get("coverage") is not None]
    return {
        "forms": {"expected": len(truth), "found": len(pred), "matched": len(pairs),
                  "spurious": len(spurious),
                  "spurious_typed": sum(f["kind"] != "unknown" for f in spurious),
                  "missing": len(missing)},
        "keys": score_keys(pairs),
        "indicators": score_indicators(pairs, missing, spurious),
        "fields": score_fields(pairs),
        "coverage": {"modelled": any("coverage" in f for f in pred),
                     "sum": float(sum(coverage)), "n": len(coverage)},
    }


def add_counts(a: Any, b: Any) -> Any:
    """Two count trees summed (numbers added, dicts key by key, flags or-ed)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: add_counts(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k))
                for k in {**a, **b}}
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a or b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a + b
    return a if a == b else NOT_MODELLED


def ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def prf(counts: Json) -> Json:
    tp, truth, pred = counts["tp"], counts["truth"], counts["predicted"]
    return {**counts, "precision": ratio(tp, pred), "recall": ratio(tp, truth),
            "f1": ratio(2 * tp, truth + pred)}


def derive(counts: Json) -> Json:
    """Counts with their ratios: accuracy, precision/recall/F1, label recall, mean coverage."""
    keys = {k: v if v == NOT_MODELLED else {**v, "accuracy": ratio(v["correct"], v["n"])}
            for k, v in counts["keys"].items()}
    ind, fields, cov = counts["indicators"], counts["fields"], counts["coverage"]
    return {
        "forms": counts["forms"], "keys": keys,
        "indicators": {**prf({k: ind[k] for k in ("tp", "truth", "predicted")}),
                       "l3": prf(ind["l3"])},
        "fields": {**fields, "label_recall": ratio(fields["found_labels"], fields["truth_labels"]),
                   "value_accuracy": ratio(fields["values_correct"], fields["found_labels"])},
        "coverage": ratio(cov["sum"], cov["n"]) if cov["modelled"] else NOT_MODELLED,
    }


def convert_with_jixiao(path: Path) -> Json:
    import jixiao

    document: Json = jixiao.convert(path).model_dump(mode="json")
    return document


def load(root: Path = REAL, convert: Callable[[Path], Json] = convert_with_jixiao) -> Loaded:
    """Every ``root/<folder>/`` with a truth.json: its truth forms and converted document."""
    folders = sorted(p for p in root.iterdir() if (p / "truth.json").is_file())
    return {f.name: (truth_forms(f), convert(document_of(f))) for f in folders}


def evaluate(loaded: Loaded) -> Json:
    """``{"documents": {folder: metrics}, "total": metrics}``."""
    counts = {name: score_document(truth, doc) for name, (truth, doc) in loaded.items()}
    total: Json = {}
    for one in counts.values():
        total = add_counts(total, one) if total else one
    return {"documents": {k: derive(v) for k, v in counts.items()}, "total": derive(total)}


def flat_metrics(report: Json) -> dict[str, float | int]:
    """``<document|total>.<group>.<metric>``: the numbers the regression guard compares."""
    flat: dict[str, Any] = {}
    for scope, m in {**report["documents"], "total": report["total"]}.items():
        for k in ("matched", "spurious", "spurious_typed", "missing"):
            flat[f"{scope}.forms.{k}"] = m["forms"][k]
        for key, v in m["keys"].items():
            for k in ("accuracy", "wrong", "invented") if v != NOT_MODELLED else ():
                flat[f"{scope}.keys.{key}.{k}"] = v[k]
        for part, ind in (("", m["indicators"]), (".l3", m["indicators"]["l3"])):
            for k in ("precision", "recall", "f1"):
                flat[f"{scope}.indicators{part}.{k}"] = ind[k]
        for k in ("label_recall", "value_accuracy", "extra_labels", "label_as_value",
                  "label_from_value"):
            flat[f"{scope}.fields.{k}"] = m["fields"][k]
        if m["coverage"] != NOT_MODELLED:
            flat[f"{scope}.coverage"] = m["coverage"]
    return {k: v for k, v in flat.items() if v is not None}


def regressions(baseline: dict[str, float], current: dict[str, float]) -> list[str]:
    """The metrics worse than the baseline (a higher count / a lower score) or gone."""
    worse = []
    for metric, floor in baseline.items():
        now = current.get(metric)
        lower = metric.rsplit(".", 1)[-1] in LOWER_IS_BETTER
        if now is None or (now > floor if lower else now < floor - 1e-9):
            worse.append(f"{metric}: {floor} → {now}")
    return worse


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _row(label: str, cells: Iterable[object]) -> str:
    return f"{label:<40}" + "".join(f"{c!s:>18}" for c in cells)


def _key_cell(v: Any) -> str:
    if v == NOT_MODELLED:
        return NOT_MODELLED
    return f"{_pct(v['accuracy'])} [{v['missed']}/{v['wrong']}/{v['invented']}]"


def _prf_cell(m: Json) -> str:
    return f"{_pct(m['precision'])}/{_pct(m['recall'])}/{_pct(m['f1'])}"


def render(report: Json) -> str:
    """The report as a compact table, one column per document and one for the total."""
    ms = [*report["documents"].values(), report["total"]]
    names = [n.removeprefix("shenzhen-songgang-2023-")[:17] for n in report["documents"]]
    forms = "{expected}/{found}/{matched}/{spurious}({spurious_typed})/{missing}"
    fields = (("field labels found %", "label_recall"),
              ("field values equal (labels found) %", "value_accuracy"),
              ("jixiao labels not in truth", "extra_labels"),
              ("jixiao values that are a truth label", "label_as_value"),
              ("jixiao labels cut from a truth value", "label_from_value"))
    return "\n".join([
        _row("", [*names, "total"]),
        _row("forms exp/found/match/spur(typed)/miss", (forms.format(**m["forms"]) for m in ms)),
        "key: accuracy % [missed/wrong/invented]",
        *(_row(f"  {key}", (_key_cell(m["keys"][key]) for m in ms)) for key in KEY_PATHS),
        _row("indicators P/R/F1 %", (_prf_cell(m["indicators"]) for m in ms)),
        _row("indicators l3 P/R/F1 %", (_prf_cell(m["indicators"]["l3"]) for m in ms)),
        _row("indicator rows truth/jixiao/tp",
             ("{truth}/{predicted}/{tp}".format(**m["indicators"]) for m in ms)),
        *(_row(label, (_pct(m["fields"][k]) if k.endswith(("recall", "accuracy"))
                       else m["fields"][k] for m in ms)) for label, k in fields),
        _row("coverage (mean)",
             ("n/a" if m["coverage"] == NOT_MODELLED else _pct(m["coverage"]) for m in ms)),
    ])


def diff_lines(loaded: Loaded) -> Iterable[str]:
    """Every mismatch, form by form (for reading, not for scores)."""
    for name, (truth, document) in loaded.items():
        pairs, missing, spurious = match_forms(truth, predicted_forms(document))
        yield (f"== {name}: missing {[f['_page'] for f in missing]}, spurious "
               f"{[(f['id'], f['kind'], sorted(f['_pages'])) for f in spurious]}")
        for want, form in pairs:
            yield f"-- page/sheet {want['_page']} {want.get('name')} ({form['id']})"
            for key in KEY_PATHS:
                modelled, expected, got = key_values(want, form, key)
                if modelled and status(key, expected, got) != "correct":
                    yield f"   key {key}: truth {expected!r} jixiao {got!r}"
            rows, got_rows = Counter(truth_rows(want)), Counter(jixiao_rows(form))
            yield from (f"   indicator FN {r}" for r in (rows - got_rows).elements())
            yield from (f"   indicator FP {r}" for r in (got_rows - rows).elements())
            yield from _field_diff(field_labels(want), form)


def _field_diff(want: dict[str, str | None], form: Json) -> Iterable[str]:
    got = {norm_label(f["label"]): norm(f["value"]) for f in form.get("fields", [])}
    lost = [lab for lab in want if lab not in got]
    if lost:
        yield f"   labels missing {lost}; jixiao's extra {[k for k in got if k not in want]}"
    for lab, value in want.items():
        if lab in got and got[lab] != value:
            yield f"   field {lab}: truth {(value or '')[:40]!r} jixiao {(got[lab] or '')[:40]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REAL, help="folder of real documents")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--diff", action="store_true", help="also print every mismatch")
    parser.add_argument("--write-baseline", type=Path, metavar="PATH",
                        help="write the regression floor (tests/mapping/real_baseline.json)")
    args = parser.parse_args(argv)
    loaded = load(args.root)
    report = evaluate(loaded)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    if args.diff:
        print("\n".join(diff_lines(loaded)))
    if args.write_baseline:
        baseline = {"_note": BASELINE_NOTE, "metrics": flat_metrics(report)}
        args.write_baseline.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
