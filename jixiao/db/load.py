"""Load a converted ``Document`` into the database, all of it or nothing.

A document is keyed by the sha256 of its file. Loading one that is already there with the
same converted data writes nothing; a file changed in place (same path, new sha256) — or
one a newer jixiao reads differently — has its old rows deleted and the new ones inserted
in the same transaction. Any failure rolls the whole document back.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Connection, CursorResult, Engine, delete, insert, or_, select, update

from jixiao.db.schema import check_schema
from jixiao.db.tables import DOCUMENT_TABLES, documents, fields, findings, forms, indicators
from jixiao.schemas import Document, Form
from jixiao.schemas.model import Amount, CellRef, Finding, Indicator, Target

Outcome = Literal["inserted", "replaced", "unchanged"]


def content_digest(document: Document) -> str:
    """sha256 of the converted data, the path left out (a copy elsewhere is the same)."""
    data = document.model_dump(mode="json")
    data["source"].pop("path", None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def forms_digest(document: Document) -> str | None:
    """sha256 of what the forms say — kind, project name, code and department, budget total
    and each indicator's levels and target as printed (white space aside) — and of nothing
    about the file: the Word and PDF copies of one report have the same. None for a
    document without forms (nothing to tell copies by)."""
    if not document.forms:
        return None
    said = [
        [form.kind, _squeeze(form.project.name), _squeeze(form.project.code),
         _squeeze(form.project.department),
         _squeeze(form.budget.total.raw if form.budget.total else None),
         [[_squeeze(i.level1), _squeeze(i.level2), _squeeze(i.level3), _squeeze(i.target.raw)]
          for i in form.indicators if not i.empty]]
        for form in document.forms
    ]
    text = json.dumps(said, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def number(text: str | None) -> Decimal | None:
    """A score or weight as a number: ``95``, ``9.5分``, ``10%`` → 95, 9.5, 10; None when
    the text is not one number."""
    found = _NUMBER.fullmatch((text or "").strip())
    return Decimal(found[1]) if found else None


_NUMBER = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:分|%|％)?")


def load_document(engine: Engine, document: Document) -> Outcome:
    """Load one document in one transaction; raises (and changes nothing) on any failure.

    ``SchemaError`` when the database has no current jixiao schema (see ``jixiao db init``).
    """
    digest = content_digest(document)
    with engine.begin() as conn:
        check_schema(conn)
        return _load(conn, document, digest)


def _load(conn: Connection, document: Document, digest: str) -> Outcome:
    source = document.source
    rows = conn.execute(
        select(documents.c.id, documents.c.sha256, documents.c.digest).where(
            or_(documents.c.sha256 == source.sha256, documents.c.path == source.path)
        )
    ).all()
    same = [r for r in rows if r.sha256 == source.sha256]
    stale = [r for r in rows if r.sha256 != source.sha256]  # this path's former content
    if same and same[0].digest == digest and not stale:
        return "unchanged"
    old = [r.id for r in rows]
    if old:
        delete_documents(conn, old)
    insert_document(conn, document, digest)
    return "replaced" if old else "inserted"


def _original(conn: Connection, said: str | None, sha256: str) -> int | None:
    """The document loaded first whose forms say the same (another file of one report)."""
    if said is None:
        return None
    return conn.execute(
        select(documents.c.id).where(documents.c.forms_digest == said,
                                     documents.c.sha256 != sha256,
                                     documents.c.duplicate_of.is_(None))
        .order_by(documents.c.id).limit(1)
    ).scalar()


def delete_documents(conn: Connection, ids: list[int]) -> None:
    """Delete documents and all their rows (explicitly: SQLite may run without cascades).
    A copy of a deleted document becomes the original (the first one loaded of those left)
    rather than point at nothing."""
    copies = conn.execute(
        select(documents.c.id, documents.c.forms_digest)
        .where(documents.c.duplicate_of.in_(ids), documents.c.id.not_in(ids))
        .order_by(documents.c.id)
    ).all()
    conn.execute(update(documents).where(documents.c.duplicate_of.in_(ids))
                 .values(duplicate_of=None))
    firsts: dict[str, int] = {}
    for copy in copies:
        first = firsts.setdefault(copy.forms_digest, copy.id)
        if first != copy.id:
            conn.execute(update(documents).where(documents.c.id == copy.id)
                         .values(duplicate_of=first))
    for table in DOCUMENT_TABLES:
        key = table.c.id if table is documents else table.c.document_id
        conn.execute(delete(table).where(key.in_(ids)))


def insert_document(conn: Connection, document: Document, digest: str) -> int:
    source = document.source
    said = forms_digest(document)
    result = conn.execute(insert(documents).values(
        sha256=source.sha256, path=source.path, format=source.format, size=source.size,
        converted_by=source.converted_by, schema_version=document.schema_version,
        digest=digest, errors=[e.model_dump(mode="json") for e in document.errors],
        loaded_at=datetime.now(UTC), forms_digest=said,
        duplicate_of=_original(conn, said, source.sha256),
    ))
    doc_id = _new_id(result)
    form_ids: dict[str, int] = {}
    field_rows: list[dict[str, Any]] = []
    indicator_rows: list[dict[str, Any]] = []
    for position, form in enumerate(document.forms):
        inserted = conn.execute(insert(forms).values(_form_row(doc_id, position, form)))
        form_id = _new_id(inserted)
        form_ids.setdefault(form.id, form_id)
        field_rows += [
            {"document_id": doc_id, "form_id": form_id, "position": i, "label": f.label,
             "value": f.value, **_cell("cell", f.cell), "role": f.role}
            for i, f in enumerate(form.fields)
        ]
        indicator_rows += [
            _indicator_row(doc_id, form_id, i, ind) for i, ind in enumerate(form.indicators)
        ]
    finding_rows = [
        _finding_row(doc_id, form_ids, i, f) for i, f in enumerate(document.findings)
    ]
    for table, table_rows in ((fields, field_rows), (indicators, indicator_rows),
                              (findings, finding_rows)):
        if table_rows:
            conn.execute(insert(table), table_rows)
    return doc_id


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None or key[0] is None:  # pragma: no cover - every table has an id column
        raise RuntimeError("the database returned no id for an inserted row")
    return int(key[0])


def _cell(prefix: str, cell: CellRef | None) -> dict[str, Any]:
    return {
        f"{prefix}_table": cell.table if cell else None,
        f"{prefix}_row": cell.row if cell else None,
        f"{prefix}_col": cell.col if cell else None,
    }


def _amount(prefix: str, amount: Amount | None) -> dict[str, Any]:
    return {
        f"{prefix}_raw": amount.raw if amount else None,
        f"{prefix}_value": amount.value if amount else None,
        f"{prefix}_unit": amount.unit if amount else None,
        f"{prefix}_yuan": amount.yuan if amount else None,
        **_cell(f"{prefix}_cell", amount.cell if amount else None),
    }


def _target(prefix: str, target: Target | None, printed: bool = True) -> dict[str, Any]:
    """A target's columns; ``printed=False`` (an empty template row): the raw text only,
    no kind or number read from nothing."""
    names = ("raw", "op", "value", "value_max", "unit", "kind", "yuan", "start", "end")
    return {f"{prefix}_{n}": getattr(target, n) if target and (printed or n == "raw") else None
            for n in names}


def _form_row(doc_id: int, position: int, form: Form) -> dict[str, Any]:
    details = form.model_dump(mode="json", include={
        "table_ids": True, "budget": {"parts", "execution"}, "spending_plan": True,
        "spending_plan_label": True, "duties": True, "coverage": True, "unmapped": True,
    })
    return {
        "document_id": doc_id, "form_key": form.id, "position": position, "kind": form.kind,
        "title": form.title, "header_note": form.header_note, "footer_note": form.footer_note,
        "project_name": form.project.name, "project_code": form.project.code,
        "department": form.project.department,
        "department_code": form.project.department_code,
        "implementer": form.project.implementer, "period": form.project.period,
        **_amount("budget_total", form.budget.total),
        "budget_unit": form.budget.unit,
        "goals_long_term": form.goals.long_term, "goals_annual": form.goals.annual,
        "goals_achieved": form.goals.achieved, "total_score": form.total_score,
        "total_score_value": number(form.total_score), "details": details,
    }


def _indicator_row(doc_id: int, form_id: int, position: int, ind: Indicator) -> dict[str, Any]:
    return {
        "document_id": doc_id, "form_id": form_id, "position": position,
        "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
        "description": ind.description, "horizon": ind.horizon,
        **_target("target", ind.target, printed=not ind.empty), "basis": ind.basis,
        **_target("actual", ind.actual, printed=not ind.empty),
        "weight": ind.weight, "group_weight": ind.group_weight, "score": ind.score,
        "weight_value": number(ind.weight), "group_weight_value": number(ind.group_weight),
        "score_value": number(ind.score),
        "deviation": ind.deviation, "empty": ind.empty,
        "not_applicable": ind.not_applicable, **_cell("cell", ind.cell),
    }


def _finding_row(
    doc_id: int, form_ids: dict[str, int], position: int, finding: Finding
) -> dict[str, Any]:
    return {
        "document_id": doc_id, "position": position,
        "form_id": form_ids.get(finding.form) if finding.form else None,
        "form_key": finding.form, "rule": finding.rule, "severity": finding.severity,
        "message": finding.message, **_cell("cell", finding.cell), "value": finding.value,
    }
