from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_NAMES = ("yuanjiang-2024", "laoting-2024")


def collapse(text: str | None) -> str:
    """Runs of white space collapsed, as the truth files are compared."""
    return re.sub(r"\s+", " ", text or "").strip()


def load_truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEEDS / f"{name}.truth.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def seed_documents() -> dict[str, Any]:
    from jixiao import convert

    return {name: convert(SEEDS / f"{name}.docx") for name in SEED_NAMES}
