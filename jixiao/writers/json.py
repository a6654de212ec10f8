"""Document → JSON (UTF-8, Chinese unescaped), valid against ``document.schema.json``."""

from __future__ import annotations

from jixiao.schemas import Document


def render(document: Document) -> bytes:
    return (document.model_dump_json(indent=2) + "\n").encode("utf-8")
