"""The database sink: converted documents as rows in SQLite or PostgreSQL.

Library API::

    from jixiao import convert
    from jixiao.db import init_schema, load_document, open_engine

    engine = open_engine("sqlite:///jixiao.db", create=True)
    init_schema(engine)                                # explicit: loading never creates tables
    load_document(engine, convert("report.docx"))      # 'inserted' | 'replaced' | 'unchanged'
"""

from jixiao.db.engine import DEFAULT_URL, DatabaseError, SchemaError, open_engine, parse_url
from jixiao.db.load import Outcome, load_document
from jixiao.db.schema import SCHEMA_VERSION, InitResult, check_schema, init_schema

__all__ = [
    "DEFAULT_URL",
    "SCHEMA_VERSION",
    "DatabaseError",
    "InitResult",
    "Outcome",
    "SchemaError",
    "check_schema",
    "init_schema",
    "load_document",
    "open_engine",
    "parse_url",
]
