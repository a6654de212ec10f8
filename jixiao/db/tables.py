"""The database tables: one row per document, form, field, indicator and finding.

Normalized values sit in typed columns (``Numeric`` for amounts and target values), each
beside the text as printed (``*_raw``). Every child row carries its ``document_id``, with
``ON DELETE CASCADE`` foreign keys, so a document's rows go away with it.

Changing a table here means a new ``jixiao.db.schema.SCHEMA_VERSION`` and an upgrade step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


class Exact(TypeDecorator[Decimal]):
    """``NUMERIC`` read back as ``Decimal``: exact on PostgreSQL; on SQLite, which keeps
    numbers as binary floats, the shortest decimal that prints the stored float (``335.6``)."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":  # floats out, converted below (no lossy-Decimal warning)
            return dialect.type_descriptor(Numeric(asdecimal=False))
        return dialect.type_descriptor(Numeric())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

# The recorded schema version (key 'schema_version'); see jixiao.db.schema.
meta = Table(
    "jixiao_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True, comment="of the input file"),
    Column("path", Text, nullable=False, index=True),
    Column("format", String(32), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("converted_by", Text),
    Column("schema_version", String(16), nullable=False, comment="of the document model"),
    Column("digest", String(64), nullable=False,
           comment="sha256 of the converted data without the path: what 'unchanged' means"),
    Column("forms_digest", String(64), index=True,
           comment="sha256 of what its forms say (kind, project, budget, indicators), the "
           "same for the Word and PDF copies of one report"),
    Column("duplicate_of", Integer, ForeignKey("documents.id", ondelete="SET NULL"),
           index=True, comment="the document loaded first whose forms say the same"),
    Column("errors", Json, nullable=False, comment="[{stage, message}] of the conversion"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)


def _document_id() -> Column[int]:
    return Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False, index=True,
    )


def _cell(prefix: str = "cell") -> list[Column[Any]]:
    return [
        Column(f"{prefix}_table", String), Column(f"{prefix}_row", Integer),
        Column(f"{prefix}_col", Integer),
    ]


def _amount(prefix: str) -> list[Column[Any]]:
    return [
        Column(f"{prefix}_raw", Text), Column(f"{prefix}_value", Exact),
        Column(f"{prefix}_unit", String), Column(f"{prefix}_yuan", Exact),
    ]


def _target(prefix: str) -> list[Column[Any]]:
    return [
        Column(f"{prefix}_raw", Text),
        Column(f"{prefix}_op", String(8)),
        Column(f"{prefix}_value", Exact),
        Column(f"{prefix}_value_max", Exact),
        Column(f"{prefix}_unit", String),
        Column(f"{prefix}_kind", String(16)),
        Column(f"{prefix}_yuan", Exact),
        Column(f"{prefix}_start", String(32), comment="ISO 8601: 2024, 2024-07 or 2024-07-01"),
        Column(f"{prefix}_end", String(32), comment="ISO 8601: 2024, 2024-07 or 2024-07-01"),
    ]


forms = Table(
    "forms", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("form_key", String(64), nullable=False, comment="the form's id in the document: f0"),
    Column("position", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("title", Text),
    Column("header_note", Text),
    Column("footer_note", Text),
    Column("project_name", Text),
    Column("project_code", String),
    Column("department", Text),
    Column("department_code", String),
    Column("implementer", String),
    Column("period", String),
    *_amount("budget_total"),
    *_cell("budget_total_cell"),
    Column("budget_unit", String, comment="the table's unit note, e.g. 万元"),
    Column("goals_long_term", Text),
    Column("goals_annual", Text),
    Column("goals_achieved", Text),
    Column("total_score", String, comment="总分 as printed"),
    Column("total_score_value", Exact, comment="总分 as a number"),
    Column("details", Json, nullable=False,
           comment="table_ids, budget parts and execution, spending plan, duties as JSON"),
    UniqueConstraint("document_id", "form_key"),
)


def _form_id() -> Column[int]:
    return Column(
        "form_id", Integer, ForeignKey("forms.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )


fields = Table(
    "fields", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    _form_id(),
    Column("position", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("value", Text, nullable=False),
    *_cell(),
    Column("role", String(32),
           comment="what the mapping took the field for: project.name, budget.part, filler …"),
)

indicators = Table(
    "indicators", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    _form_id(),
    Column("position", Integer, nullable=False),
    Column("level1", Text, nullable=False),
    Column("level2", Text, nullable=False),
    Column("level3", Text, nullable=False),
    Column("description", Text),
    Column("horizon", String(16)),
    *_target("target"),
    Column("basis", Text),
    *_target("actual"),
    Column("weight", String, comment="分值 as printed"),
    Column("group_weight", String),
    Column("score", String, comment="得分 as printed"),
    Column("weight_value", Exact, comment="分值 as a number"),
    Column("group_weight_value", Exact),
    Column("score_value", Exact, comment="得分 as a number"),
    Column("deviation", Text),
    Column("empty", Boolean, nullable=False),
    Column("not_applicable", Boolean, nullable=False, server_default=false()),
    *_cell(),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("form_id", Integer, ForeignKey("forms.id", ondelete="CASCADE"), index=True),
    Column("position", Integer, nullable=False),
    Column("rule", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("form_key", String(64)),
    *_cell(),
    Column("value", Text),
    Index("ix_findings_rule", "rule"),
)

# Children first: the order rows are deleted in.
DOCUMENT_TABLES = (findings, indicators, fields, forms, documents)

# Scheduled ingestion (``jixiao ingest``, schema version 2). ``UPGRADES[2]`` creates these two
# tables as defined here: a later version changing them must freeze this shape in that step.
ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("inbox", Text, nullable=False),
    Column("status", String(16), nullable=False,
           comment="running, ok, failed (some file failed, or the run stopped), interrupted"),
    *(Column(name, Integer, nullable=False, default=0, comment=about) for name, about in (
        ("new", "files seen for the first time, done"),
        ("changed", "known files with a new size or mtime, done"),
        ("unchanged", "same path, size and mtime: not even opened"),
        ("failed", "files that failed in this run"),
        ("retried", "files that had failed before, tried again"),
        ("loaded", "documents converted and loaded"),
        ("skipped", "non-document files"),
        ("missing", "known files no longer in the inbox"),
        ("pruned", "documents deleted (--prune)"),
        ("db_retries", "database operations retried after a transient error"),
    )),
    Column("error", Text, comment="why the run stopped"),
)

ingest_files = Table(
    "ingest_files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, unique=True, comment="absolute"),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False, comment="ok or failed"),
    Column("attempts", Integer, nullable=False, comment="times processed (not skipped)"),
    Column("last_error", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_done", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id", ondelete="SET NULL"), index=True),
)

INGEST_TABLES = (ingest_files, ingest_runs)
