"""The lexicon: the wording of performance forms, as data (``lexicon.toml`` beside this
module), optionally extended by a user's file of the same shape.

``current()`` is the lexicon of this process: the bundled one, extended by the file named in
``$JIXIAO_LEXICON`` when set (``jixiao --lexicon FILE`` sets it before anything is mapped,
so that worker processes inherit it). It is read once, when the vocabulary is first used.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.exceptions import UsageError

ENV = "JIXIAO_LEXICON"
FIELD_ROLES = ("project_name", "project_code", "department", "implementer", "period",
               "goals_long_term", "goals_annual", "goals_achieved", "budget_total")
COLUMN_ROLES = ("level1", "level2", "level3", "basis", "description", "actual", "target",
                "weight", "score", "deviation", "operator", "unit", "measures")
HINTS = ("money_part", "not_money_endings", "spending_plan", "not_applicable", "placeholder",
         "footer", "header_note")
SHAPE: dict[str, tuple[str, ...]] = {
    "labels": ("strong", "weak_suffixes"), "fields": FIELD_ROLES, "columns": COLUMN_ROLES,
    "levels": ("first", "second"), "hints": HINTS,
}

Words = tuple[str, ...]


class LexiconError(UsageError):
    """A lexicon file that cannot be used (its path and the reason in the message)."""


@dataclass(frozen=True)
class Lexicon:
    tables: dict[str, dict[str, Words]]

    def words(self, table: str, name: str) -> Words:
        return self.tables[table][name]


def _check(data: dict[str, Any], where: str) -> dict[str, dict[str, Words]]:
    """The file's tables as tuples of words, or ``LexiconError`` naming what is wrong."""
    out: dict[str, dict[str, Words]] = {}
    for table, keys in data.items():
        if table not in SHAPE:
            raise LexiconError(f"{where}: unknown table [{table}] (known: {', '.join(SHAPE)})")
        if not isinstance(keys, dict):
            raise LexiconError(f"{where}: [{table}] must be a table of word lists")
        for name, words in keys.items():
            if name not in SHAPE[table]:
                raise LexiconError(
                    f"{where}: unknown key {name} in [{table}] "
                    f"(known: {', '.join(SHAPE[table])})")
            if not isinstance(words, list) or not all(
                isinstance(w, str) and w.strip() for w in words
            ):
                raise LexiconError(f"{where}: [{table}] {name} must be a list of words")
            out.setdefault(table, {})[name] = tuple(w.strip() for w in words)
    return out


def _bundled() -> dict[str, dict[str, Words]]:
    data = tomllib.loads(resources.files("jixiao").joinpath("lexicon.toml").read_text(
        "utf-8"))
    tables = _check(data, "bundled lexicon")
    missing = [f"[{t}] {k}" for t, keys in SHAPE.items() for k in keys
               if k not in tables.get(t, {})]
    if missing:  # a packaging error, never a user's
        raise RuntimeError(f"bundled lexicon lacks {', '.join(missing)}")
    return tables


def read_user_file(path: Path) -> dict[str, dict[str, Words]]:
    """A user's lexicon file, checked; ``LexiconError`` when it cannot be used."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise LexiconError(f"lexicon {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"lexicon {path}: not valid TOML ({exc})") from None
    return _check(data, f"lexicon {path}")


def merge(base: dict[str, dict[str, Words]], extra: dict[str, dict[str, Words]]) -> Lexicon:
    """``extra``'s words before ``base``'s, each word once."""
    tables = {
        table: {
            name: tuple(dict.fromkeys(extra.get(table, {}).get(name, ()) + words))
            for name, words in keys.items()
        }
        for table, keys in base.items()
    }
    return Lexicon(tables)


def load(path: Path | None = None) -> Lexicon:
    """The bundled lexicon, extended by the file at ``path`` when given."""
    return merge(_bundled(), read_user_file(path) if path is not None else {})


@cache
def current() -> Lexicon:
    """This process's lexicon (see the module)."""
    named = os.environ.get(ENV)
    return load(Path(named) if named else None)
