"""Tables of the training record, the database engine, and schema migrations.

The schema is versioned: ``schema_version`` holds one row per applied step,
and :func:`migrate` applies the missing steps of :data:`STEPS` in order when
the record is opened. Steps run in one transaction under a lock (SQLite's
write lock, a PostgreSQL advisory lock), so several processes opening a
fresh database at once apply each step exactly once.

A step, once released, never changes: a later change to a table is a new
step (``ALTER TABLE ...``) and the table definition below is updated to
match the result.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from ..atomic import ensure_dir
from .errors import SchemaTooNewError


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no time zone type; the value is stored as naive UTC and given
    its zone back on reading.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the training record; use UTC")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


FORMS = ("practice", "pre", "post", "refresher")

metadata = sa.MetaData()

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

trainees = sa.Table(
    "trainees", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("department", sa.String(200), nullable=False),
    sa.Column("province", sa.String(200), nullable=False),
    sa.Column("rank", sa.String(100), nullable=False, server_default=""),
    # name|department|province, case- and space-folded: one officer, one row
    sa.Column("identity_key", sa.String(620), nullable=False, unique=True),
    sa.Column("pin_hash", sa.String(300), nullable=True),
    sa.Column("failed_pins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

workshops = sa.Table(
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

enrolments = sa.Table(
    "enrolments", metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), primary_key=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("joined_at", UTCDateTime, nullable=False),
)

attempts = sa.Table(
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

reviews = sa.Table(
    "reviews", metadata,
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("topic", sa.String(100), nullable=True),
    sa.Column("card", sa.JSON, nullable=False),
    sa.Column("due", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index("ix_reviews_trainee_due", "trainee_id", "due"),
)

surveys = sa.Table(
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

# Kept apart from `metadata`: it exists before any step has run.
_version_metadata = sa.MetaData()
schema_version = sa.Table(
    "schema_version", _version_metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)


# ---------------------------------------------------------------- migrations

@dataclass(frozen=True)
class Step:
    """One schema migration step."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _step1_tables(conn: sa.Connection) -> None:
    metadata.create_all(conn, checkfirst=True)


_APPEND_ONLY = ("attempts", "surveys")


def _step2_append_only(conn: sa.Connection) -> None:
    # Attempts and survey answers are evidence: the database itself refuses
    # to change or delete them, whatever program holds the connection.
    name = conn.dialect.name
    for table in _APPEND_ONLY:
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


#: ordered migration steps; the schema version is the number applied
STEPS: tuple[Step, ...] = (
    Step(1, "trainees, workshops, enrolments, attempts, reviews, surveys, settings", _step1_tables),
    Step(2, "attempts and surveys are append-only (triggers)", _step2_append_only),
)
LATEST = STEPS[-1].version

# any fixed 64-bit number, the same in every docexam process ("docexam\x01")
_PG_LOCK_KEY = 0x646F_6365_7861_6D01


def current_version(conn: sa.Connection) -> int:
    """The schema version of the database (0 when empty)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.scalar(sa.select(sa.func.max(schema_version.c.version))) or 0)


def migrate(engine: sa.Engine, *, target: int | None = None) -> int:
    """Bring the database to version ``target`` (default: the latest).

    Safe to call from several processes at once: the steps run under a lock
    and the version is read again once the lock is held.

    Returns
    -------
    int
        The version of the database afterwards.

    Raises
    ------
    SchemaTooNewError
        The database is newer than this program.
    """
    target = LATEST if target is None else target
    with engine.connect() as conn:
        version = current_version(conn)
        conn.rollback()
    if version == target:
        return version
    if version > LATEST:
        raise SchemaTooNewError(f"the training database is at schema version {version}, newer than "
                                f"this docexam ({LATEST}); update docexam")
    with write_connection(engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        for step in STEPS:
            if version < step.version <= target:
                step.apply(conn)
                conn.execute(schema_version.insert().values(
                    version=step.version, description=step.description,
                    applied_at=dt.datetime.now(dt.timezone.utc)))
                version = step.version
    return version


# -------------------------------------------------------------------- engine

def write_connection(engine: sa.Engine) -> sa.Connection:
    """A connection whose transactions take the write lock at BEGIN.

    On SQLite this makes the transaction ``BEGIN IMMEDIATE``: a transaction
    that reads and then writes would otherwise fail with "database is
    locked" when another writer got in between, instead of waiting.
    """
    return engine.connect().execution_options(docexam_write=True)


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # let SQLAlchemy's begin hook emit BEGIN (pysqlite's own is deferred and
    # skipped for SELECT and DDL)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed answer survives a power cut, not only a crash;
        # provincial laptops run on batteries
        cur.execute("PRAGMA synchronous = FULL")
    finally:
        cur.close()


def _on_sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get("docexam_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _owner_only(path: Path) -> None:
    """Create the SQLite file readable and writable by its owner only (PIN hashes, names, scores).

    SQLite gives its ``-wal`` and ``-shm`` files the main file's mode. An
    existing file made by an older docexam is narrowed too; a file of
    another user (a shared database) is left as it is.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # read-only folder or no access: SQLite itself reports it on connecting
        return
    try:
        if os.fstat(fd).st_uid == os.getuid() and os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def create_engine(url: str | sa.URL) -> sa.Engine:
    """An engine for ``url`` set up for the training record.

    SQLite files get WAL, a busy timeout, foreign keys and full sync; the
    connection pool is large enough for a room of 30 trainees.
    """
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            engine = sa.create_engine(url)
        else:
            path = Path(database).expanduser().resolve()
            ensure_dir(path.parent)
            _owner_only(path)
            engine = sa.create_engine(url, pool_size=10, max_overflow=40, pool_timeout=60)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return sa.create_engine(url, pool_size=5, max_overflow=35, pool_timeout=60, pool_pre_ping=True)
