"""Alembic takes over from the numbered ``schema_version`` steps.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Before Alembic, ``schema_version`` held one row per applied step (1 and 2,
the revisions 0001 and 0002). A database made by that docexam is stamped
with the matching revision when it is first opened (see
``docexam.training.schema.migrate``). This revision leaves the table in
place with a row numbered 3: a docexam from before Alembic reads it as a
newer schema and asks to be updated instead of writing to a database it
does not know. Frozen.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table("schema_version"):
        op.create_table(
            "schema_version",
            sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("description", sa.String(200), nullable=False),
            sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        )
    table = sa.table("schema_version", sa.column("version", sa.Integer), sa.column("description", sa.String),
                     sa.column("applied_at", sa.DateTime(timezone=True)))
    now = dt.datetime.now(dt.timezone.utc)
    # SQLite stores naive UTC (as docexam.training.schema.UTCDateTime does)
    applied_at = now.replace(tzinfo=None) if conn.dialect.name == "sqlite" else now
    op.bulk_insert(table, [{"version": 3, "description": "later changes are Alembic revisions (alembic_version)",
                            "applied_at": applied_at}])


def downgrade() -> None:
    op.execute("DELETE FROM schema_version WHERE version = 3")
