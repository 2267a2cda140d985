"""Migrations of the training database: every schema it ever had reaches today's.

A fresh database, a database left at each Alembic revision, and each schema
the numbered steps made before Alembic (``legacy_training_schema``) are all
brought to the newest revision, on SQLite and on PostgreSQL (when
DOCEXAM_TEST_POSTGRES_URL is set). Afterwards each must have exactly the
tables of ``docexam/training/schema.py`` (Alembic's own comparison finds no
difference) and the same shape, triggers included, as a fresh database.
"""

from __future__ import annotations

import datetime as dt
import uuid

import legacy_training_schema as legacy
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from docexam.training import SchemaTooNewError, TrainingRecord, schema

REVISIONS = [script.revision for script in reversed(list(schema._scripts().walk_revisions()))]


def _shape(conn: sa.Connection) -> dict:
    """Tables, columns, keys, indexes, constraints and triggers, as the database reports them."""
    inspector = sa.inspect(conn)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default"))
                         if c.get("default") is not None else None)
                        for c in inspector.get_columns(table)],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"])) for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in inspector.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "checks": sorted(" ".join(c["sqltext"].split()) for c in inspector.get_check_constraints(table)),
        }
    if conn.dialect.name == "sqlite":
        triggers = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    else:
        triggers = conn.execute(sa.text(
            "SELECT trigger_name, event_manipulation FROM information_schema.triggers "
            "WHERE trigger_schema = current_schema()")).all()
    shape["triggers"] = sorted(tuple(t) for t in triggers)
    return shape


def _differences_from_tables(conn: sa.Connection) -> list:
    return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)


def _fresh_shape(db_url: str, tmp_path) -> dict:
    """The shape of a database migrated from empty, beside the one under test."""
    if db_url.startswith("sqlite"):
        with TrainingRecord.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") as rec, rec.engine.connect() as conn:
            return _shape(conn)
    url = sa.make_url(db_url)
    name = f"docexam_fresh_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.difference_update_query(["options"]), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        fresh_url = url.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)
        with TrainingRecord.open(fresh_url) as rec, rec.engine.connect() as conn:
            return _shape(conn)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()


def _some_records(engine: sa.Engine) -> None:
    """A trainee, a workshop and an answer, written as an older docexam would."""
    now = dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone.utc)
    naive = now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO trainees (id, uid, name, department, province, identity_key, created_at) "
            "VALUES (1, :uid, 'Sok Chea', 'Immigration', 'Koh Kong', :key, :now)"),
            {"uid": str(uuid.uuid4()), "key": "sok chea\x1fimmigration\x1fkoh kong", "now": naive})
        conn.execute(sa.text(
            "INSERT INTO workshops (id, uid, code, title, place, province, start_date, end_date, trainers, "
            "created_at) VALUES (1, :uid, 'KPT-1', 'Level 1', 'Poipet', 'Banteay Meanchey', :day, :day, "
            "'[\"S. Dara\"]', :now)"), {"uid": str(uuid.uuid4()), "day": now.date(), "now": naive})
        conn.execute(sa.text("INSERT INTO enrolments (workshop_id, trainee_id, joined_at) VALUES (1, 1, :now)"),
                     {"now": naive})
        conn.execute(sa.text(
            "INSERT INTO attempts (uuid, trainee_id, workshop_id, item_id, item_type, topic, form, score, "
            "correct, answered_at, recorded_at) VALUES (:uuid, 1, 1, 'mrz-01', 'mrz', 'mrz', 'pre', 1.0, :t, "
            ":now, :now)"), {"uuid": str(uuid.uuid4()), "t": True, "now": naive})


def _assert_current_and_kept(db_url: str, expected_shape: dict) -> None:
    with TrainingRecord.open(db_url) as rec:
        with rec.engine.connect() as conn:
            assert schema.current_revision(conn) == schema.head()
            assert _differences_from_tables(conn) == []
            assert _shape(conn) == expected_shape
        # the records written before the upgrade are there and still append-only
        (trainee,) = rec.trainees()
        assert trainee.name == "Sok Chea" and rec.workshop("kpt-1").trainers == ("S. Dara",)
        assert [a.score for a in rec.attempts_for(trainee_id=trainee.id)] == [1.0]
        for statement in ("UPDATE attempts SET score = 0", "DELETE FROM attempts"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                with rec.engine.begin() as conn:
                    conn.exec_driver_sql(statement)


def test_fresh_database_has_the_tables_of_schema_py(db_url):
    with TrainingRecord.open(db_url) as rec, rec.engine.connect() as conn:
        assert schema.current_revision(conn) == schema.head()
        assert _differences_from_tables(conn) == []
        # a docexam from before Alembic reads 3 > its newest step (2) and refuses the database
        assert conn.scalar(sa.select(sa.func.max(schema.schema_version.c.version))) == 3 > max(legacy.VERSIONS)
    with TrainingRecord.open(db_url) as rec, rec.engine.connect() as conn:  # re-opened: nothing re-applied
        assert conn.scalars(sa.text("SELECT version_num FROM alembic_version")).all() == [schema.head()]


@pytest.mark.parametrize("revision", REVISIONS)
def test_database_at_each_revision_upgrades_to_the_newest(db_url, revision, tmp_path):
    engine = schema.create_engine(db_url)
    try:
        assert schema.migrate(engine, target=revision) == revision
        with engine.connect() as conn:
            assert schema.current_revision(conn) == revision
        _some_records(engine)
    finally:
        engine.dispose()
    _assert_current_and_kept(db_url, _fresh_shape(db_url, tmp_path))


@pytest.mark.parametrize("version", legacy.VERSIONS)
def test_database_made_before_alembic_upgrades_to_the_newest(db_url, version, tmp_path):
    engine = schema.create_engine(db_url)
    try:
        legacy.migrate(engine, target=version)
        with engine.connect() as conn:
            assert schema.current_revision(conn) == schema.LEGACY_REVISIONS[version]
        _some_records(engine)
    finally:
        engine.dispose()
    _assert_current_and_kept(db_url, _fresh_shape(db_url, tmp_path))
    with TrainingRecord.open(db_url) as rec, rec.engine.connect() as conn:
        steps = conn.scalars(sa.select(schema.schema_version.c.version).order_by(schema.schema_version.c.version))
        assert steps.all() == [*range(1, version + 1), 3]


def test_database_from_a_newer_docexam_is_refused(db_url):
    with TrainingRecord.open(db_url) as rec, rec.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(SchemaTooNewError, match="revision 'f00dfeed'.*update docexam"):
        TrainingRecord.open(db_url)


def test_database_from_an_unknown_numbered_step_is_refused(db_url):
    engine = schema.create_engine(db_url)
    try:
        legacy.migrate(engine, target=2)
        with engine.begin() as conn:
            conn.execute(legacy.schema_version.insert().values(version=7, description="a fork",
                                                               applied_at=dt.datetime.now(dt.timezone.utc)))
    finally:
        engine.dispose()
    with pytest.raises(SchemaTooNewError, match="schema version 7"):
        TrainingRecord.open(db_url)


def test_revisions_form_one_line():
    # two heads come from two branches each adding a revision on the same
    # parent: re-point the newer revision's down_revision at the other
    heads = schema._scripts().get_heads()
    assert len(heads) == 1, f"Alembic heads {heads}: re-point one revision's down_revision (ARCHITECTURE.md)"
    assert REVISIONS[:3] == ["0001", "0002", "0003"] and REVISIONS[-1] == schema.head()
