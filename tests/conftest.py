"""Shared test set-up: every test gets its own empty DOCEXAM_HOME."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PASSPORTEYE = SHARED / "external" / "passporteye-testdata"
PG_ENV = "DOCEXAM_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def shared_variation_cache(tmp_path_factory) -> Path:
    """One folder for the examination's simulated genuine variation, for the whole run and every worker.

    It is a pure function of a template's design (keyed by its hash and the
    simulation's version, written atomically), and costs about a minute of
    CPU per template: learnt again in every test's empty home, it was most
    of the examination tests' time.
    """
    import hashlib

    # keyed by the examination's code too: a run with changed code never reads another run's maps
    code = hashlib.sha256()
    for path in sorted((REPO / "docexam").glob("examine/**/*.py")) + sorted((REPO / "docexam").glob("imaging/*.py")):
        code.update(path.read_bytes())
    folder = tmp_path_factory.getbasetemp().parent / f"variation-cache-{code.hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def docexam_home(tmp_path_factory, monkeypatch, shared_variation_cache) -> Path:
    """An empty user data folder, so no test reads or writes the real one (but for the variation cache)."""
    home = tmp_path_factory.mktemp("docexam-home")
    (home / "cache").mkdir()
    (home / "cache" / "variation").symlink_to(shared_variation_cache, target_is_directory=True)
    monkeypatch.setenv("DOCEXAM_HOME", str(home))
    monkeypatch.delenv("DOCEXAM_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def passporteye_data() -> Path:
    """The external PassportEye test images; skips where ../shared is absent."""
    if not (PASSPORTEYE / "expected.json").is_file():
        pytest.skip("../shared/external/passporteye-testdata is not on this machine")
    return PASSPORTEYE


@pytest.fixture(scope="session")
def shipped_library_folder(tmp_path_factory) -> Path:
    """The shipped library rendered once per test run (shared by xdist workers, under a lock)."""
    import fcntl

    from docexam.synth.library import library_folder, library_key

    # DOCEXAM_TEST_LIBRARY_HOME keeps the rendering between runs on a developer's machine;
    # the folder is keyed by a hash of the recipes and the rendering code, so it never goes stale
    kept = os.environ.get("DOCEXAM_TEST_LIBRARY_HOME")
    shared = Path(kept) if kept else tmp_path_factory.getbasetemp().parent / "shipped-library-home"
    shared.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(shared)
    try:
        # one lock per rendering (key): checkouts with other rendering code do not wait for each other
        with open(shared / f".lock-{library_key()}", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return library_folder(progress=False)
    finally:
        if old is None:
            os.environ.pop("DOCEXAM_HOME", None)
        else:
            os.environ["DOCEXAM_HOME"] = old


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A URL of an empty database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'record.sqlite3'}"
        return
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against "
                    "(bash scripts/test starts one and sets it)")
    # a schema of its own rather than a database: CREATE DATABASE copies a
    # template and takes a second or more on a busy machine
    name = f"docexam_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        url = sa.make_url(admin_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()
