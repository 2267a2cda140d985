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
