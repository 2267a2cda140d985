"""Browser sessions: a sign-in that survives a page reload, until sign-out or expiry.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

``sessions`` holds one row per sign-in from a browser: the hash of the
token the browser keeps in a cookie (never the token), who is signed in
(a trainee and workshop, the trainer, or both), the language chosen, and
until when it holds; ``ended_at`` is set at sign-out, which ends it in
every tab. Frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# what docexam.training.schema.UTCDateTime puts in the DDL
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
        sa.Column("trainer", sa.Boolean, nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("page", sa.String(100), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("ended_at", UTC, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("sessions")
