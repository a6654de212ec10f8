"""Scheduled ingestion (``jixiao ingest INBOX``): load what is new or changed in a folder,
once per cron or systemd-timer tick, never two runs at once.

Library API::

    from jixiao.db import open_engine
    from jixiao.ingest import ingest

    report = ingest(open_engine("sqlite:///jixiao.db"), Path("/srv/inbox"))
    report.counts.new, report.counts.failed, report.status
"""

from jixiao.ingest.lock import INGEST_LOCK_KEY, LOCK_NAME, LockHeld
from jixiao.ingest.retry import DatabaseUnavailable, Retrier, is_transient
from jixiao.ingest.run import Report, ingest
from jixiao.ingest.state import Counts

__all__ = [
    "INGEST_LOCK_KEY",
    "LOCK_NAME",
    "Counts",
    "DatabaseUnavailable",
    "LockHeld",
    "Report",
    "Retrier",
    "ingest",
    "is_transient",
]
