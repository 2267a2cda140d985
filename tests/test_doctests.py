"""Every example in a docstring of the package runs and gives what it says.

Modules are found by their text (a ``>>>`` line), so a new module with
examples is tested without being listed here. Only modules that cannot be
imported on their own are left out: the Streamlit pages (scripts that draw
a page when imported) and Alembic's ``env.py`` (run by Alembic alone).
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import REPO

NOT_IMPORTABLE = ("docexam.ui.pages.", "docexam.training.migrations.")


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted((REPO / "docexam").rglob("*.py")):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        if name.startswith(NOT_IMPORTABLE) or ">>> " not in path.read_text(encoding="utf-8"):
            continue
        names.append(name)
    return names


MODULES = _modules_with_examples()


def test_examples_are_found():
    assert len(MODULES) >= 40 and "docexam.mrz.text" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has '>>> ' lines but no example doctest finds"
    assert result.failed == 0
