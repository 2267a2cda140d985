"""Tables of the training record, the database engine, and schema migrations.

The tables below are the current schema. The schema's history is a chain of
Alembic revisions (``migrations/versions/``), which :func:`migrate` applies
when the record is opened, in one transaction under a lock (SQLite's write
lock, a PostgreSQL advisory lock), so several processes opening a fresh
database at once apply each revision exactly once.

A revision, once landed, never changes: a later change to a table is a new
revision, and the table definition below is updated to match its result
(``tests/test_training_schema.py`` checks that they agree). How to add one:
ARCHITECTURE.md, "Changing the training database".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from sqlalchemy import event

from ..i18n import Message
from ..atomic import ensure_dir
from ..formats.workshop_export import FORMS  # noqa: F401 - the record's forms, as s.FORMS
from ..paths import docexam_home
from .errors import SchemaTooNewError


def default_database_url() -> str:
    """``$DOCEXAM_DATABASE_URL``, else the SQLite file in ``$DOCEXAM_HOME``."""
    env = os.environ.get("DOCEXAM_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{docexam_home() / 'docexam.sqlite3'}"


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
    sa.CheckConstraint(f"form IN ({', '.join(repr(form) for form in FORMS)})", name="ck_attempts_form"),
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

# every workshop or pack import, and the rows it added (revision 0005): an
# undone import's attempts and surveys stay (append-only) but stop counting
imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("signer_key", sa.String(100), nullable=True),
    sa.Column("signer_name", sa.String(200), nullable=True),
    sa.Column("verified", sa.Boolean, nullable=False),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("imported_at", UTCDateTime, nullable=False),
    sa.Column("undone_at", UTCDateTime, nullable=True),
    sa.Column("undo_note", sa.Text, nullable=False, server_default=""),
    sa.CheckConstraint("kind IN ('workshop', 'pack', 'self-study')", name="ck_imports_kind"),
)

import_rows = sa.Table(
    "import_rows", metadata,
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("row_id", sa.Integer, primary_key=True),
    sa.Index("ix_import_rows_row", "kind", "row_id"),
)

# checkpoint drills (revision 0007): a drill's scenario and queue as created, its officers,
# what they did (append-only events, replayed by docexam.drill.engine), and threshold trials
drill_sessions = sa.Table(
    "drill_sessions", metadata,
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
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_drill_sessions_workshop", "workshop_id"),
)

drill_members = sa.Table(
    "drill_members", metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("drill_sessions.id"), primary_key=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("role IN ('first-line', 'second-line', 'consulted')", name="ck_drill_members_role"),
)

drill_events = sa.Table(
    "drill_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("drill_sessions.id"), nullable=False),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("traveller", sa.Integer, nullable=True),
    sa.Column("detail", sa.JSON, nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_drill_events_session", "session_id", "id"),
)

threshold_trials = sa.Table(
    "threshold_trials", metadata,
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
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("severity >= 0 AND severity <= 1", name="ck_threshold_trials_severity"),
    sa.CheckConstraint("form IN ('practice', 'pre', 'post')", name="ck_threshold_trials_form"),
    sa.Index("ix_threshold_trials_trainee", "trainee_id", "technique"),
    sa.Index("ix_threshold_trials_run", "run_uid"),
)

# The numbered steps docexam used before Alembic left this table behind (one
# row per step); revision 0003 adds a row numbered 3 so that such an older
# docexam refuses the database instead of writing to a schema it does not know.
# per workshop: the trainer's course settings and the test forms as first drawn (revision 0004)
workshop_course = sa.Table(
    "workshop_course", metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), primary_key=True),
    sa.Column("settings", sa.JSON, nullable=True),
    sa.Column("forms", sa.JSON, nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# two records of one officer: reads resolve alias_id to target_id until undone_at is set
trainee_merges = sa.Table(
    "trainee_merges", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alias_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("target_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("merged_at", UTCDateTime, nullable=False),
    sa.Column("undone_at", UTCDateTime, nullable=True),
    sa.CheckConstraint("alias_id <> target_id", name="ck_trainee_merges_two"),
    sa.Index("ix_trainee_merges_alias", "alias_id"),
)

# specimens no new quiz or test draws on (old attempts keep them in their history)
retired_specimens = sa.Table(
    "retired_specimens", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("retired_at", UTCDateTime, nullable=False),
)

# a sign-in from a browser, kept by its token's hash (the token is the browser's cookie) (revision 0006)
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=True),
    sa.Column("trainer", sa.Boolean, nullable=False),
    sa.Column("lang", sa.String(10), nullable=False),
    sa.Column("page", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)


# ---------------------------------------------------------------- migrations

#: Alembic's folder: ``env.py`` and one file per revision in ``versions/``
MIGRATIONS = Path(__file__).with_name("migrations")

#: a database made before Alembic: its ``schema_version`` number -> the
#: revision whose schema it has
LEGACY_REVISIONS = {1: "0001", 2: "0002"}

# any fixed 64-bit number, the same in every docexam process ("docexam\x01")
_PG_LOCK_KEY = 0x646F_6365_7861_6D01


def alembic_config() -> Config:
    """Alembic's configuration for the training database's revisions."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision: the schema of the tables defined in this module."""
    return _scripts().get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    """The database's revision (None when empty).

    A database made before Alembic gives the revision matching its
    ``schema_version`` step (:data:`LEGACY_REVISIONS`).

    Raises
    ------
    SchemaTooNewError
        The database was migrated by a newer docexam.
    """
    inspector = sa.inspect(conn)
    if inspector.has_table("alembic_version"):
        return MigrationContext.configure(conn).get_current_revision()
    if not inspector.has_table("schema_version"):
        return None
    version = int(conn.scalar(sa.select(sa.func.max(schema_version.c.version))) or 0)
    if version and version not in LEGACY_REVISIONS:
        raise SchemaTooNewError(Message("the training database is at schema version {version}, which this docexam "
                                        "does not know; update docexam", version=version))
    return LEGACY_REVISIONS.get(version)


@contextlib.contextmanager
def migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction that holds the migration lock.

    SQLite: the write lock (``BEGIN IMMEDIATE``), with foreign keys checked
    at commit so that a revision may rebuild a table others refer to.
    PostgreSQL: an advisory lock held until the transaction ends. Other
    processes opening the database wait here, then find it migrated.
    """
    with write_connection(engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        yield conn


def stamp_made_before_alembic(conn: sa.Connection) -> None:
    """Give a database made before Alembic the revision of its schema.

    Does nothing to a database that has an Alembic revision or no tables.
    """
    context = MigrationContext.configure(conn)
    current = current_revision(conn)
    if current is not None and context.get_current_revision() is None:
        context.stamp(_scripts(), current)


def _ancestors(revision: str | None) -> set[str]:
    if revision is None:
        return set()
    return {script.revision for script in _scripts().iterate_revisions(revision, "base")}


def migrate(engine: sa.Engine, *, target: str = "head") -> str | None:
    """Bring the database to revision ``target`` (default: the newest).

    The revisions in :data:`MIGRATIONS` run in one transaction under
    :func:`migration_lock`, so several processes opening a fresh database at
    once apply each exactly once; the revision is read again once the lock
    is held. A database made before Alembic is first stamped with its
    revision (:data:`LEGACY_REVISIONS`). A database already past
    ``target`` is left as it is.

    Returns
    -------
    str or None
        The database's revision afterwards.

    Raises
    ------
    SchemaTooNewError
        The database was migrated by a newer docexam.
    """
    scripts = _scripts()
    target = scripts.get_revision(target).revision

    def revision(conn: sa.Connection) -> str | None:
        current = current_revision(conn)
        if current is not None:
            try:
                scripts.get_revision(current)
            except AlembicError:
                raise SchemaTooNewError(Message("the training database is at revision {current!r}, which this "
                                                "docexam does not know (its newest is {head!r}); update docexam", current=current, head=head())) from None
        return current

    with engine.connect() as conn:
        current = revision(conn)
        conn.rollback()
    if current == target or target in _ancestors(current):
        return current
    with migration_lock(engine) as conn:
        current = revision(conn)
        if current == target or target in _ancestors(current):
            return current
        stamp_made_before_alembic(conn)
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)
    return target


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
        _use_wal(cur)
        # FULL: a committed answer survives a power cut, not only a crash;
        # provincial laptops run on batteries
        cur.execute("PRAGMA synchronous = FULL")
    finally:
        cur.close()


#: How long a connection keeps trying to switch a fresh database to WAL
#: while other connections hold it (seconds); the same as the busy timeout.
WAL_SWITCH_TIMEOUT = 30.0


def _use_wal(cur) -> None:
    """Put the database in WAL mode, waiting out other connections.

    WAL is stored in the file, so only the first opening switches. SQLite
    answers that switch with "database is locked" at once, without its
    busy handler, when another connection holds the file (several trainees'
    threads, or processes, opening a new database together), so it is
    retried here until :data:`WAL_SWITCH_TIMEOUT`.
    """
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline, pause = time.monotonic() + WAL_SWITCH_TIMEOUT, 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


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
