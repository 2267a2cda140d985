"""Attempts and surveys are append-only (triggers).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The old step 2. Attempts and survey answers are evidence: the database
itself refuses to change or delete them, whatever program holds the
connection. A later revision that rebuilds ``attempts`` or ``surveys``
(SQLite's batch mode copies a table and drops the old one, and its
triggers with it) must create these triggers again. Frozen.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("attempts", "surveys")


def upgrade() -> None:
    conn = op.get_bind()
    name = conn.dialect.name
    for table in TABLES:
        if name == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END")
        elif name == "postgresql":
            op.execute(
                "CREATE OR REPLACE FUNCTION docexam_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' are append-only'; END $$")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION docexam_append_only()")


def downgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        if conn.dialect.name == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        elif conn.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    if conn.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS docexam_append_only()")
