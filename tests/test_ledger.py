"""The output ledger: who may replace which file in an output folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.ledger import LEDGER_NAME, Ledger, LedgerLockedError, listed_outputs


def _never() -> str:
    pytest.fail("hashed although the path decided")


def test_refusals(tmp_path: Path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(b"x")
    other = tmp_path / "other.docx"
    other.write_bytes(b"y")
    out = tmp_path / "out"
    (out / "folder.json").mkdir(parents=True)
    (out / "mine.json").write_text("user's")
    with Ledger.open(out) as ledger:
        assert ledger.refusal("new.json", source, _never, set()) is None
        assert "would replace an input" in str(
            ledger.refusal("../in.docx", other, _never, {str(source.resolve())}))
        assert "is an existing folder" in str(ledger.refusal("folder.json", source, _never, set()))
        assert "was not written by jixiao" in str(
            ledger.refusal("mine.json", source, _never, set()))
        (out / "in.docx.json").write_text("{}")
        ledger.record("in.docx.json", source, "sha-in")
        assert ledger.refusal("in.docx.json", source, _never, set()) is None
        assert ledger.refusal("IN.docx.json", source, _never, set()) is None  # case-blind
        assert ledger.refusal("in.docx.json", other, lambda: "sha-in", set()) is None  # a copy
        assert "of another input" in str(
            ledger.refusal("in.docx.json", other, lambda: "sha-other", set()))
        with pytest.raises(LedgerLockedError):
            Ledger.open(out)
    assert listed_outputs(out) == {"in.docx.json"}
    with Ledger.open(out) as again:  # the record outlives the run
        assert again.refusal("in.docx.json", source, _never, set()) is None


def test_a_link_at_an_output_name_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep")
    (out / "a.docx.json").symlink_to(target)
    with Ledger.open(out) as ledger:
        ledger.record("a.docx.json", tmp_path / "a.docx", "s")
        assert "not written by jixiao" in str(
            ledger.refusal("a.docx.json", tmp_path / "a.docx", _never, set()))


def test_garbage_lines_are_ignored_and_stale_lines_compacted(tmp_path: Path) -> None:
    lines = [json.dumps({"output": "a.json", "path": "/p", "sha256": f"s{i}"})
             for i in range(300)]
    (tmp_path / LEDGER_NAME).write_text("\n".join(["not json", *lines, '{"output": 1}', '{"o']))
    with Ledger.open(tmp_path) as ledger:
        assert len(ledger.owners("a.json")) == 300
    kept = (tmp_path / LEDGER_NAME).read_text().splitlines()
    assert [json.loads(line) for line in kept] == [json.loads(lines[-1])]


def test_names_that_are_not_utf8_are_kept_exactly(tmp_path: Path) -> None:
    odd = "r\udcffport.docx"  # a byte that is not UTF-8, as os.listdir gives it
    with Ledger.open(tmp_path) as ledger:
        ledger.record(f"{odd}.json", tmp_path / odd, "s")
    assert listed_outputs(tmp_path) == {f"{odd}.json"}
