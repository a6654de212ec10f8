"""Build the Python API reference from the docstrings with pdoc (https://pdoc.dev).

    python scripts/build_api_docs.py [OUT]      # default docs/api; open OUT/index.html

Fails (exit 1) on any warning pdoc gives (a name in ``__all__`` that does not resolve, a
docstring it cannot read …), so that the reference cannot rot: ``tests/test_api_docs.py``
builds it on every ``make test``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The public API: each page lists the names of the module's __all__ (or its public names).
MODULES = (
    "jixiao", "jixiao.schemas", "jixiao.db", "jixiao.writers", "jixiao.validate", "jixiao.debug",
)


def build(out: Path) -> list[str]:
    """Write the reference of ``MODULES`` to ``out``; the warnings pdoc gave (none: good)."""
    import pdoc
    import pdoc.render

    import jixiao

    for name in jixiao.__all__:  # imported on first use (PEP 562): resolved for pdoc
        getattr(jixiao, name)
    pdoc.render.configure(docformat="markdown", footer_text=f"jixiao {jixiao.__version__}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*MODULES, output_directory=out)
    return [f"{w.category.__name__}: {w.message}" for w in caught]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "api"
    problems = build(out)
    for problem in problems:
        print(f"build_api_docs: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"API reference in {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
