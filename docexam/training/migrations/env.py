"""Alembic's entry point for the training database's revisions.

docexam itself runs the revisions when the record is opened
(:func:`docexam.training.schema.migrate`), which hands its own connection
over in ``config.attributes["connection"]``, inside a transaction that
holds the migration lock. From the command line (``alembic upgrade head``,
``alembic revision --autogenerate``), the database is ``-x url=...``, else
``$DOCEXAM_DATABASE_URL``, else the SQLite file in ``$DOCEXAM_HOME``, and
the same lock is taken and a database made before Alembic is stamped
first, as docexam does.
"""

from __future__ import annotations

from alembic import context

from docexam.training import schema


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=schema.metadata,
        # SQLite alters most things by rebuilding the table: let
        # autogenerate write batch operations, which do that
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or schema.default_database_url()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=schema.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := context.config.attributes.get("connection")) is not None:
    _run(connection)
else:
    engine = schema.create_engine(_url())
    try:
        with schema.migration_lock(engine) as conn:
            schema.stamp_made_before_alembic(conn)
            _run(conn)
    finally:
        engine.dispose()
