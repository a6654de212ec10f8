"""Writer registry, format parsing and atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.exceptions import UsageError
from jixiao.schemas import Document
from jixiao.writers import WRITERS, parse_formats, render_all, write_atomic


def test_parse_formats() -> None:
    assert parse_formats("json") == ["json"]
    assert parse_formats(" XML , json,xml") == ["xml", "json"]
    with pytest.raises(UsageError, match="unknown output format yaml"):
        parse_formats("json,yaml")
    with pytest.raises(UsageError, match="no output format"):
        parse_formats(" , ")


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.json"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]
    assert target.stat().st_mode & 0o777 != 0o600  # not mkstemp's private mode


def test_render_all_every_format(seed_documents: dict[str, Document]) -> None:
    doc = seed_documents["laoting-2024"]
    rendered = render_all(doc, ["json", "xml"])
    assert set(rendered) == {"json", "xml"} and {"json", "xml"} <= set(WRITERS)
    data = json.loads(rendered["json"])
    assert data["schema_version"] == "1.0"
    assert data["forms"][0]["project"]["name"] == "见义勇为工作经费"
    assert "见义勇为工作经费" in rendered["json"].decode("utf-8")  # Chinese not escaped
    assert rendered["xml"].startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
