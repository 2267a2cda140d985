"""Shared test set-up: every test gets its own empty DOCEXAM_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PASSPORTEYE = SHARED / "external" / "passporteye-testdata"


@pytest.fixture(autouse=True)
def docexam_home(tmp_path_factory, monkeypatch) -> Path:
    """An empty user data folder, so no test reads or writes the real one."""
    home = tmp_path_factory.mktemp("docexam-home")
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
    import os

    from docexam.synth.library import library_folder

    shared = tmp_path_factory.getbasetemp().parent / "shipped-library-home"
    shared.mkdir(exist_ok=True)
    old = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(shared)
    try:
        with open(shared / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return library_folder(progress=False)
    finally:
        if old is None:
            os.environ.pop("DOCEXAM_HOME", None)
        else:
            os.environ["DOCEXAM_HOME"] = old
