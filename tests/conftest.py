from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_NAMES = ("yuanjiang-2024", "laoting-2024")

Test = TypeVar("Test", bound=Callable[..., Any])


def needs(present: bool, what: str) -> Callable[[Test], Test]:
    """For a test that needs something ``scripts/system-deps.sh`` installs: when it is
    missing the test FAILS, saying so (a machine without it must not pass quietly), unless
    ``JIXIAO_SKIP_SYSTEM_DEPS=1`` asks to skip such tests."""
    def decorate(test: Test) -> Test:
        if present:
            return test
        if os.environ.get("JIXIAO_SKIP_SYSTEM_DEPS"):
            skip: Test = pytest.mark.skip(reason=f"{what} is not installed")(test)
            return skip

        @functools.wraps(test)
        def missing(*args: Any, **kwargs: Any) -> None:
            pytest.fail(f"{what} is not installed: run scripts/system-deps.sh "
                        "(or set JIXIAO_SKIP_SYSTEM_DEPS=1 to skip the tests that need it)")

        return missing  # type: ignore[return-value]

    return decorate


HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
needs_libreoffice = needs(HAS_SOFFICE, "LibreOffice (soffice)")


def _cjk_font() -> bool:
    from jixiao.writers import fonts

    return fonts.cjk_font_installed()


needs_chinese_font = needs(_cjk_font(), "a Chinese font (fonts-noto-cjk)")


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
