"""Checkpoint drills: sessions, their officers, what each officer did, and threshold trials.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

* ``drill_sessions``: one drill (solo or a team's), with the scenario and the
  queue of travellers as they were when it was created, so a debrief replays
  the same travellers after a scenario file changes.
* ``drill_members``: who plays which role (first line, second line, consulted).
* ``drill_events``: what each officer did, in order (call, tool, question,
  decision, referral, consultation, advice, resolution); identified by a
  uuid the phone chooses, so a resend is stored once. Append-only.
* ``threshold_trials``: the answers of each officer's adaptive threshold
  measurement (technique, severity, right or wrong), grouped by ``run_uid``.
  Append-only.

Frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# what docexam.training.schema.UTCDateTime puts in the DDL
UTC = sa.DateTime(timezone=True)
APPEND_ONLY = ("drill_events", "threshold_trials")


def upgrade() -> None:
    op.create_table(
        "drill_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("scenario_id", sa.String(100), nullable=False),
        sa.Column("scenario", sa.JSON, nullable=False),
        sa.Column("queue", sa.JSON, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("team", sa.Boolean, nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Index("ix_drill_sessions_workshop", "workshop_id"),
    )
    op.create_table(
        "drill_members",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("drill_sessions.id"), primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("joined_at", UTC, nullable=False),
        sa.CheckConstraint("role IN ('first-line', 'second-line', 'consulted')", name="ck_drill_members_role"),
    )
    op.create_table(
        "drill_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("drill_sessions.id"), nullable=False),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("traveller", sa.Integer, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
        sa.Column("at", UTC, nullable=False),
        sa.Index("ix_drill_events_session", "session_id", "id"),
    )
    op.create_table(
        "threshold_trials",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("run_uid", sa.String(36), nullable=False),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("technique", sa.String(40), nullable=False),
        sa.Column("severity", sa.Float, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("detail", sa.JSON, nullable=True),
        sa.Column("answered_at", UTC, nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.CheckConstraint("severity >= 0 AND severity <= 1", name="ck_threshold_trials_severity"),
        sa.CheckConstraint("form IN ('practice', 'pre', 'post')", name="ck_threshold_trials_form"),
        sa.Index("ix_threshold_trials_trainee", "trainee_id", "technique"),
        sa.Index("ix_threshold_trials_run", "run_uid"),
    )
    conn = op.get_bind()
    for table in APPEND_ONLY:
        # as revision 0002 does for attempts and surveys (its PostgreSQL function is reused)
        if conn.dialect.name == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END")
        elif conn.dialect.name == "postgresql":
            op.execute(
                "CREATE OR REPLACE FUNCTION docexam_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' are append-only'; END $$")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION docexam_append_only()")


def downgrade() -> None:
    conn = op.get_bind()
    for table in APPEND_ONLY:
        if conn.dialect.name == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        elif conn.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.drop_table("threshold_trials")
    op.drop_table("drill_events")
    op.drop_table("drill_members")
    op.drop_table("drill_sessions")
