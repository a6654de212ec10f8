"""The words that identify labels, columns and form kinds (simplified and traditional).

Matching always runs on ``key(text)``: no white space, traditional folded to simplified,
full-width colon and a leading ``其中：`` removed. Output keeps the printed wording.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.lexicon import COLUMN_ROLES as LEXICON_COLUMNS
from jixiao.lexicon import current
from jixiao.script import fold

_SPACE = re.compile(r"\s+")
_QIZHONG = re.compile(r"^其中[：:]?")
_UNIT_NOTE = re.compile(r"[（(](?:[^（()）]*[，,、])?(万元|元|%|％|亿元|千元)[）)]$")
# A bracketed note after a label: （跨度多年的项目需填）, （中期规划，万元）.
_NOTE = re.compile(r"(?<=.)[（(][^（()）]*[）)]$")


@lru_cache(maxsize=16384)
def clean_label(text: str) -> str:
    """A label as it should be reported: no white space, no ``其中：``, no trailing colon."""
    out = _SPACE.sub("", text)
    out = _QIZHONG.sub("", out)
    return out.rstrip("：:")


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """Matching key of a label: cleaned, folded, without a trailing bracketed note (a unit,
    ``（跨度多年的项目需填）``…)."""
    return _NOTE.sub("", fold(clean_label(text)))


def unit_note(text: str) -> str | None:
    """The unit a label announces, e.g. ``年度预算申请（万元）`` → ``万元``."""
    match = _UNIT_NOTE.search(fold(clean_label(text)))
    return match.group(1) if match else None


# The wording, from the lexicon (``lexicon.toml``, extended by ``$JIXIAO_LEXICON``).
_LEX = current()


def _keys(table: str, name: str) -> tuple[str, ...]:
    """The lexicon's words as matching keys (a user may write 項目名稱（萬元）：)."""
    return tuple(dict.fromkeys(key(w) for w in _LEX.words(table, name)))


# Labels that name a field for sure: the cell to their right is their value.
STRONG_LABELS = frozenset(key(w) for w in _LEX.words("labels", "strong"))
# Endings that make a short cell text probably a label.
WEAK_SUFFIXES = _LEX.words("labels", "weak_suffixes")
BUDGET_TOTAL = _keys("fields", "budget_total")
MONEY_PART_HINTS = _LEX.words("hints", "money_part")
# Labels with a money word that hold prose, not an amount.
NOT_MONEY_ENDINGS = _LEX.words("hints", "not_money_endings")
PROJECT_NAME = _keys("fields", "project_name")
PROJECT_CODE = _keys("fields", "project_code")
DEPARTMENT = _keys("fields", "department")
IMPLEMENTER = _keys("fields", "implementer")
PERIOD = _keys("fields", "period")
GOALS_LONG = _keys("fields", "goals_long_term")
GOALS_ANNUAL = _keys("fields", "goals_annual")
GOALS_ACHIEVED = _keys("fields", "goals_achieved")
SPENDING_PLAN_HINTS = _LEX.words("hints", "spending_plan")
# Indicator grid columns: role → words its header contains (checked in this order).
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (role, _keys("columns", role)) for role in LEXICON_COLUMNS
)
FOOTER_HINTS = _LEX.words("hints", "footer")
NOT_APPLICABLE = frozenset(key(w) for w in _LEX.words("hints", "not_applicable"))
PLACEHOLDERS = frozenset(key(w) for w in _LEX.words("hints", "placeholder"))
# The indicator framework's level labels (一级, 二级) as keys.
LEVEL1_WORDS = frozenset(key(w) for w in _LEX.words("levels", "first"))
LEVEL2_WORDS = frozenset(key(w) for w in _LEX.words("levels", "second"))
HEADER_NOTE_HINTS = _LEX.words("hints", "header_note")
# A row that opens with one of these and a colon is a note under the grid, never an
# indicator: 备注：作为导入模板…, 注：…, 填表人：…
NOTE_ROW = re.compile(
    r"^(?:备注|附注|注|说明|填表说明|填报说明|填表人|填报人|审核人|单位负责人|负责人|联系人|"
    r"联系电话|填报日期|填表日期)\s*[：:]"
)
# Where the stamp goes, printed before or after the unit's name: （盖章）某某局, 某某局(签章).
STAMP = re.compile(r"[（(]\s*(?:盖章|签章|公章|印章)\s*[)）]")


def without_stamp(value: str) -> str:
    """A unit's name without the stamp placeholder printed with it."""
    return STAMP.sub("", value).strip()


def is_not_applicable(name: str, target: str) -> bool:
    """Whether an indicator row printed as ``name`` | ``target`` says it does not apply:
    不适用 as the target, or placeholders (无, /, —, 不适用) in place of both."""
    t, n = key(target), key(name)
    return t in NOT_APPLICABLE or (t in PLACEHOLDERS | {""} and n in PLACEHOLDERS and bool(
        t or n))


def is_level_word(k: str) -> bool:
    """Whether the key ``k`` is a level label (产出指标, 数量指标 …)."""
    return k in LEVEL1_WORDS or k in LEVEL2_WORDS


def is_strong_label(text: str) -> bool:
    return key(text) in STRONG_LABELS


@lru_cache(maxsize=16384)
def looks_like_label(text: str) -> bool:
    """Strong vocabulary, a short text ending with a colon, or a short text with a label ending."""
    k = key(text)
    if not k or len(k) > 24:
        return False
    if k in STRONG_LABELS:
        return True
    stripped = text.strip()
    if stripped.endswith(("：", ":")) and not re.search(r"[，。；,;]", k):
        return True
    return len(k) <= 16 and k.endswith(WEAK_SUFFIXES) and not re.search(r"\d", k)
