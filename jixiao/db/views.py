"""Views for the questions people ask the database, each report counted once.

The Word and PDF copies of one report load as two documents (their files differ); the
second one loaded is marked ``duplicate_of`` the first (``jixiao.db.load``: the same
``forms_digest``). The views leave such copies out, so their sums count each report once:

- ``v_forms``: one row per form, with its document's path and format;
- ``v_indicators``: one row per indicator with its form's project, department and kind;
- ``v_budget_by_department``: per department and kind of form, how many forms and their
  budget totals in yuan.

Plain SQL, the same on SQLite and PostgreSQL; created with the tables (``jixiao db init``).
The README's example queries run on both in ``tests/db/test_views.py``.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

VIEWS: dict[str, str] = {
    "v_forms": """
        SELECT f.id AS form_id, d.id AS document_id, d.path, d.format, f.form_key, f.kind,
               f.title, f.project_name, f.project_code, f.department, f.department_code,
               f.implementer, f.period, f.budget_total_raw, f.budget_total_value,
               f.budget_total_unit, f.budget_total_yuan, f.budget_unit, f.total_score,
               f.total_score_value
        FROM forms f JOIN documents d ON d.id = f.document_id
        WHERE d.duplicate_of IS NULL""",
    "v_indicators": """
        SELECT i.id AS indicator_id, f.id AS form_id, d.id AS document_id, d.path, f.kind,
               f.project_name, f.project_code, f.department, i.position, i.level1, i.level2,
               i.level3, i.target_raw, i.target_op, i.target_value, i.target_value_max,
               i.target_unit, i.target_kind, i.target_yuan, i.target_start, i.target_end,
               i.actual_raw, i.actual_value, i.weight, i.weight_value, i.score,
               i.score_value, i.empty, i.not_applicable
        FROM indicators i JOIN forms f ON f.id = i.form_id
             JOIN documents d ON d.id = i.document_id
        WHERE d.duplicate_of IS NULL""",
    "v_budget_by_department": """
        SELECT f.department, f.kind, COUNT(*) AS forms,
               SUM(f.budget_total_yuan) AS budget_total_yuan
        FROM forms f JOIN documents d ON d.id = f.document_id
        WHERE d.duplicate_of IS NULL
        GROUP BY f.department, f.kind""",
}


def create_views(conn: Connection) -> None:
    """(Re)create every view: dropped first, so a new version's definition replaces it."""
    for name, query in VIEWS.items():
        conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
        conn.execute(text(f"CREATE VIEW {name} AS {query}"))


def drop_views(conn: Connection) -> None:
    """Drop the views (before the tables they read are dropped)."""
    for name in VIEWS:
        conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
