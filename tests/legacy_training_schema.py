"""The training database as docexam made it before Alembic (frozen copy).

Until revision 0003, ``docexam/training/schema.py`` (commit d291514) kept a
list of numbered steps and recorded each applied one in ``schema_version``:
step 1 was ``create_all`` of the tables below, step 2 the append-only
triggers. This module reproduces that mechanism exactly, so the tests can
make the databases officers' laptops hold and check that they upgrade.
Never edit it: it is history.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from docexam.training.schema import UTCDateTime

metadata = sa.MetaData()

sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
sa.Table(
    "trainees", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("department", sa.String(200), nullable=False),
    sa.Column("province", sa.String(200), nullable=False),
    sa.Column("rank", sa.String(100), nullable=False, server_default=""),
    sa.Column("identity_key", sa.String(620), nullable=False, unique=True),
    sa.Column("pin_hash", sa.String(300), nullable=True),
    sa.Column("failed_pins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
sa.Table(
    "workshops", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.Column("code", sa.String(40), nullable=False, unique=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("place", sa.String(200), nullable=False),
    sa.Column("province", sa.String(200), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("trainers", sa.JSON, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("end_date >= start_date", name="ck_workshops_dates"),
)
sa.Table(
    "enrolments", metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), primary_key=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("joined_at", UTCDateTime, nullable=False),
)
sa.Table(
    "attempts", metadata,
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
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("score >= 0 AND score <= 1", name="ck_attempts_score"),
    sa.CheckConstraint("form IN ('practice', 'pre', 'post', 'refresher')", name="ck_attempts_form"),
    sa.Index("ix_attempts_workshop_form", "workshop_id", "form"),
    sa.Index("ix_attempts_trainee", "trainee_id"),
)
sa.Table(
    "reviews", metadata,
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("topic", sa.String(100), nullable=True),
    sa.Column("card", sa.JSON, nullable=False),
    sa.Column("due", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index("ix_reviews_trainee_due", "trainee_id", "due"),
)
sa.Table(
    "surveys", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False),
    sa.Column("relevance", sa.SmallInteger, nullable=False),
    sa.Column("overall", sa.SmallInteger, nullable=False),
    sa.Column("comments", sa.Text, nullable=False, server_default=""),
    sa.Column("submitted_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("workshop_id", "trainee_id", name="uq_surveys_workshop_trainee"),
    sa.CheckConstraint("relevance BETWEEN 1 AND 5", name="ck_surveys_relevance"),
    sa.CheckConstraint("overall BETWEEN 1 AND 5", name="ck_surveys_overall"),
)

_version_metadata = sa.MetaData()
schema_version = sa.Table(
    "schema_version", _version_metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)


def _step1_tables(conn: sa.Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


def _step2_append_only(conn: sa.Connection) -> None:
    name = conn.dialect.name
    for table in ("attempts", "surveys"):
        if name == "sqlite":
            for op in ("UPDATE", "DELETE"):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END")
        elif name == "postgresql":
            conn.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION docexam_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' are append-only'; END $$")
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION docexam_append_only()")


STEPS = ((1, "trainees, workshops, enrolments, attempts, reviews, surveys, settings", _step1_tables),
         (2, "attempts and surveys are append-only (triggers)", _step2_append_only))
VERSIONS = tuple(version for version, _, _ in STEPS)


def migrate(engine: sa.Engine, *, target: int) -> None:
    """What the old ``migrate`` did to reach step ``target``."""
    with engine.connect().execution_options(docexam_write=True) as conn, conn.begin():
        schema_version.create(conn, checkfirst=True)
        for version, description, apply in STEPS:
            if version <= target:
                apply(conn)
                conn.execute(schema_version.insert().values(
                    version=version, description=description, applied_at=dt.datetime.now(dt.timezone.utc)))
