"""The ``jixiao`` command: a thin layer over the library API.

Exit codes: 0 every file converted; 1 at least one file failed (one line each on stderr);
2 usage error (unknown option or format, no inputs); 3 ``validate --strict`` found errors.

``main`` starts a local batch's forkserver before importing the commands (see
``jixiao.batch.forkserver``); ``app`` (the Typer app) is imported on first use.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.cli.commands import app

__all__ = ["app", "main"]


def main() -> None:
    from jixiao.batch.forkserver import start_early

    start_early(sys.argv)
    from jixiao.cli.commands import app

    sys.exit(app())


def __getattr__(name: str) -> Any:
    if name == "app":
        from jixiao.cli.commands import app

        return app
    raise AttributeError(f"module 'jixiao.cli' has no attribute {name!r}")
