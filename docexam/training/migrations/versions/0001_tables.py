"""Trainees, workshops, enrolments, attempts, reviews, surveys, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The tables as the first release created them (the old step 1), written out
rather than taken from today's table definitions, so that what this
revision creates never changes. Frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# what docexam.training.schema.UTCDateTime puts in the DDL
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
    )
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("province", sa.String(200), nullable=False),
        sa.Column("rank", sa.String(100), nullable=False, server_default=""),
        sa.Column("identity_key", sa.String(620), nullable=False, unique=True),
        sa.Column("pin_hash", sa.String(300), nullable=True),
        sa.Column("failed_pins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
    )
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("province", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("trainers", sa.JSON, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("end_date >= start_date", name="ck_workshops_dates"),
    )
    op.create_table(
        "enrolments",
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
        sa.Column("joined_at", UTC, nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
        sa.Column("lesson_id", sa.String(100), nullable=True),
        sa.Column("item_id", sa.String(200), nullable=False),
        sa.Column("item_type", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("answer", sa.JSON, nullable=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("specimen_genuine", sa.Boolean, nullable=True),
        sa.Column("answered_at", UTC, nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="ck_attempts_score"),
        sa.CheckConstraint("form IN ('practice', 'pre', 'post', 'refresher')", name="ck_attempts_form"),
        sa.Index("ix_attempts_workshop_form", "workshop_id", "form"),
        sa.Index("ix_attempts_trainee", "trainee_id"),
    )
    op.create_table(
        "reviews",
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
        sa.Column("item_id", sa.String(200), primary_key=True),
        sa.Column("topic", sa.String(100), nullable=True),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("due", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Index("ix_reviews_trainee_due", "trainee_id", "due"),
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False),
        sa.Column("relevance", sa.SmallInteger, nullable=False),
        sa.Column("overall", sa.SmallInteger, nullable=False),
        sa.Column("comments", sa.Text, nullable=False, server_default=""),
        sa.Column("submitted_at", UTC, nullable=False),
        sa.UniqueConstraint("workshop_id", "trainee_id", name="uq_surveys_workshop_trainee"),
        sa.CheckConstraint("relevance BETWEEN 1 AND 5", name="ck_surveys_relevance"),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="ck_surveys_overall"),
    )


def downgrade() -> None:
    for table in ("surveys", "reviews", "attempts", "enrolments", "workshops", "trainees", "settings"):
        op.drop_table(table)
