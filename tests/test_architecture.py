"""What each part of the package may import (docs/ARCHITECTURE.md), checked on the source:
every ``import jixiao.X`` / ``from jixiao.X import`` of every module against the table
below. A rule broken here is a layer reaching into another; ``DEBTS`` lists the ones known,
each to be removed (issue 17), so that no new one comes in unseen."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "jixiao"
FOUNDATION = {"exceptions", "limits", "script", "lexicon", "schemas", "locate", "resources",
              "flock", "vocabulary"}
# part → the parts it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "schemas": set(),
    "exceptions": set(),
    "limits": {"exceptions"},
    "script": set(),
    "flock": set(),
    "lexicon": {"exceptions"},
    # the lexicon's words as matching keys: what labels say, read by the mapping and printed
    # by the writers (so that they read back)
    "vocabulary": {"lexicon", "script", "exceptions"},
    "locate": {"schemas"},
    "resources": {"exceptions"},
    "converters": FOUNDATION,
    "normalize": FOUNDATION,
    "mapping": FOUNDATION | {"converters"},
    "validate": FOUNDATION | {"normalize", "mapping"},
    "pipeline": FOUNDATION | {"converters", "mapping", "normalize", "validate", "discovery"},
    "writers": FOUNDATION | {"discovery"},
    "db": FOUNDATION,
    "discovery": FOUNDATION | {"converters", "ledger"},
    # draws what the converters saw and the model says; never derives the mapping again
    "debug": FOUNDATION | {"converters", "pipeline"},
}
# Known debts: (part, what it imports) — each a layer reaching across, to be removed.
DEBTS = {
    ("writers", "converters"),  # --to pdf runs LibreOffice through converters.legacy
}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return rel.parts[0]


def _modules(path: Path) -> set[str]:
    """The jixiao modules ``path`` imports, by their full names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found.update(n for n in names if n.startswith("jixiao."))
    return found


def _imports(path: Path) -> set[str]:
    return {n.split(".")[1] for n in _modules(path)}


def test_each_part_imports_only_what_it_may() -> None:
    broken = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = _part(path)
        if part not in ALLOWED:
            continue  # orchestration (batch, ingest, runner, guard, cli …) may use the rest
        for target in _imports(path) - {part}:
            if target not in ALLOWED[part] and (part, target) not in DEBTS:
                broken.append(f"{path.relative_to(ROOT)} imports jixiao.{target}")
    assert broken == []


def test_nothing_imports_the_cli() -> None:
    users = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
             if "cli" in _imports(p) and _part(p) not in ("cli", "__main__")]
    assert users == []


def test_the_debts_are_still_debts() -> None:
    """A debt paid is taken off the list (it would otherwise let the import back in)."""
    seen = {(_part(p), t) for p in PACKAGE.rglob("*.py") for t in _imports(p)}
    assert seen >= DEBTS


def test_the_writers_take_nothing_from_the_mapping() -> None:
    # What the mapping did to a form (which field gave the name, the total, the parts; what
    # the header note said) is in the model (FormField.role, FormField.cell); the words
    # labels are printed in are the foundation's (jixiao.vocabulary).
    taken = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (PACKAGE / "writers").rglob("*.py")
        for module in _modules(path)
        if module.split(".")[1] == "mapping"
    )
    assert taken == []


def test_stages_copy_models_through_evolve() -> None:
    """A stage hands over a changed copy with ``evolve`` (names checked against the model),
    never ``model_copy(update=...)``, which takes any name silently."""
    found = sorted(
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in PACKAGE.rglob("*.py") if path != PACKAGE / "schemas" / "model.py"
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "model_copy" and any(k.arg == "update" for k in node.keywords)
    )
    assert found == []
