"""``jixiao batch``: a folder tree of documents converted by a pool of worker processes,
with per-file timeouts and memory limits, a progress display, a report and a manifest
that makes an interrupted run resumable.

``convert_one`` is the per-file task: a plain top-level function of plain arguments, so
another executor (Dask) can run it unchanged. Names are imported on first use (PEP 562):
``jixiao.batch.forkserver`` must be importable without the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.batch.run import BatchError, BatchOptions, BatchOutcome, run_batch
    from jixiao.batch.task import Task, convert_one

__all__ = ["BatchError", "BatchOptions", "BatchOutcome", "Task", "convert_one", "run_batch"]
_WHERE = {"BatchError": "run", "BatchOptions": "run", "BatchOutcome": "run", "run_batch": "run",
          "Task": "task", "convert_one": "task"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"jixiao.batch.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'jixiao.batch' has no attribute {name!r}")
