"""Imports as units: every workshop or pack import is a row, and what it added is listed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

``imports`` records each import (what, from which file, signed by whom,
verified or not, when, and when it was undone); ``import_rows`` lists the
rows it added (attempts, surveys, enrolments, trainees, workshops), so an
import can be undone as one unit. Attempts and surveys stay append-only:
an undone import's rows are not deleted, they stop counting. Frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# what docexam.training.schema.UTCDateTime puts in the DDL
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signer_key", sa.String(100), nullable=True),
        sa.Column("signer_name", sa.String(200), nullable=True),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("imported_at", UTC, nullable=False),
        sa.Column("undone_at", UTC, nullable=True),
        sa.Column("undo_note", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("kind IN ('workshop', 'pack')", name="ck_imports_kind"),
    )
    op.create_table(
        "import_rows",
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("row_id", sa.Integer, primary_key=True),
        sa.Index("ix_import_rows_row", "kind", "row_id"),
    )


def downgrade() -> None:
    op.drop_table("import_rows")
    op.drop_table("imports")
