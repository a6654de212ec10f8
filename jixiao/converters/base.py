"""What every converter returns: tables and text blocks in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.schemas import Block, Finding, Table


@dataclass
class Extraction:
    format: str
    tables: list[Table] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    order: list[str] = field(
        default_factory=list, metadata={"doc": "ids of top-level tables and blocks, reading order"}
    )
    ocr_pages: list[int] = field(default_factory=list)
    pages: int | None = None  # pages of a paged format (PDF), counted while reading it
    converted_by: str | None = None  # e.g. "LibreOffice (doc → docx)"
    findings: list[Finding] = field(default_factory=list)  # what extraction itself noticed

    def items(self) -> list[Table | Block]:
        by_id: dict[str, Table | Block] = {t.id: t for t in self.tables}
        by_id.update({b.id: b for b in self.blocks})
        return [by_id[i] for i in self.order]
