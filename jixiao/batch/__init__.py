"""``jixiao batch``: a folder tree of documents converted by a pool of worker processes,
with per-file timeouts and memory limits, a progress display, a report and a manifest
that makes an interrupted run resumable.

``convert_one`` is the per-file task: a plain top-level function of plain arguments, so
another executor (Dask) can run it unchanged.
"""

from jixiao.batch.run import BatchError, BatchOptions, BatchOutcome, run_batch
from jixiao.batch.task import Task, convert_one

__all__ = ["BatchError", "BatchOptions", "BatchOutcome", "Task", "convert_one", "run_batch"]
