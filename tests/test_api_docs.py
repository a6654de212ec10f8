"""The Python API reference (``make docs``, ``scripts/build_api_docs.py``) builds without a
warning, has a page per public module with its key names, and every name of the library's
API has a docstring: built on every ``make test``, so it cannot rot."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path

import pytest
from pdoc.doc import Module  # a dev dependency, as make test installs it

import jixiao
import jixiao.schemas
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "build_api_docs.py"
PAGES = {  # page → names it documents, each with an anchor of its own
    "jixiao.html": ["convert", "convert_file", "PdfSettings", "Result", "__version__"],
    "jixiao/schemas.html": ["Document", "Form", "Indicator", "Finding", "Document.forms"],
    "jixiao/db.html": ["open_engine", "init_schema", "load_document"],
    "jixiao/writers.html": ["WRITERS", "write_atomic", "write_outputs", "parse_formats"],
    "jixiao/validate.html": ["RULES", "validate_forms"],
    "jixiao/debug.html": ["page_picture", "page_count"],
    "jixiao/writers/flat_csv.html": ["render", "render_forms", "guard", "unguard"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    build: Callable[[Path], list[str]] = runpy.run_path(str(SCRIPT))["build"]
    out = tmp_path_factory.mktemp("api")
    return out, build(out)


def test_builds_without_warnings(built: tuple[Path, list[str]]) -> None:
    out, problems = built
    assert problems == []
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_every_public_module_has_its_page(page: str, built: tuple[Path, list[str]]) -> None:
    html = (built[0] / page).read_text("utf-8")
    for name in PAGES[page]:
        assert f'id="{name}"' in html, (page, name)


def test_the_library_api_is_documented() -> None:
    """Every name of ``jixiao.__all__`` (and the model's classes) has a docstring of its
    own, not one inherited from pydantic's ``BaseModel``."""
    for name in jixiao.__all__:
        getattr(jixiao, name)  # imported on first use (PEP 562)
    api = Module(jixiao)
    for name in jixiao.__all__:
        member = api.get(name)
        assert member is not None and member.docstring.strip(), name
    schemas = Module(jixiao.schemas)
    classes = [m for m in schemas.members.values() if m.kind == "class"]
    assert {c.name for c in classes} >= {"Document", "Form", "Indicator", "Table"}
    for cls in classes:
        assert cls.docstring.strip() and "Usage Documentation" not in cls.docstring, cls.name
