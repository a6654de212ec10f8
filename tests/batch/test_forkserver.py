"""``jixiao batch`` starts its forkserver before the CLI's imports; nothing else does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jixiao.batch import forkserver


@pytest.mark.parametrize(("argv", "starts"), [
    (["jixiao", "batch", "in", "-o", "out"], True),
    (["jixiao", "batch", "in", "-o", "out", "--executor", "local"], True),
    (["jixiao", "batch", "in", "-o", "out", "--executor", "dask"], False),
    (["jixiao", "batch", "in", "-o", "out", "--executor=dask"], False),
    (["jixiao", "batch", "--help"], False),
    (["jixiao", "convert", "a.docx", "-o", "out"], False),
    (["jixiao"], False),
])
def test_start_early_only_for_a_local_batch(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], starts: bool
) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(forkserver, "start_forkserver", lambda: calls.append(True))
    forkserver.start_early(argv)
    assert calls == ([True] if starts else [])


def test_the_forkserver_module_imports_none_of_the_pipeline() -> None:
    code = ("import sys, jixiao.batch.forkserver; "
            "print(sorted(m for m in ('jixiao.pipeline', 'jixiao.schemas', 'pydantic', 'typer') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
