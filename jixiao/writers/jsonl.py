"""Document → JSON Lines: one form per line, for streaming into other tools (``jq``,
``pandas.read_json(lines=True)``, a message queue, a data lake).

Each line is self-contained: the form as the JSON output has it (the model's ``Form``),
with the ``source`` it comes from (path, sha256, format) and the ``findings`` about it. A
document without forms writes an empty file (no line), not an empty object.
"""

from __future__ import annotations

import json

from jixiao.schemas import SCHEMA_VERSION, Document


def lines(document: Document) -> list[dict[str, object]]:
    """One JSON-ready object per form (see the module)."""
    source = document.source.model_dump(mode="json", include={"path", "sha256", "format"})
    out: list[dict[str, object]] = []
    for form in document.forms:
        findings = [f.model_dump(mode="json") for f in document.findings if f.form == form.id]
        out.append({"schema_version": SCHEMA_VERSION, "source": source,
                    **form.model_dump(mode="json"), "findings": findings})
    return out


def render(document: Document) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for line in lines(document)).encode("utf-8")
