"""docexam's rooms import one way only: the layer map in pyproject.toml holds.

The map is written once, as import-linter contracts in ``pyproject.toml``
(``[tool.importlinter]``); ARCHITECTURE.md shows the same map. The check
itself is tested: a copy of the package with one deliberately wrong import
must fail it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib

from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = {c["id"]: c for c in PYPROJECT["tool"]["importlinter"]["contracts"]}


def _lint_imports(root) -> subprocess.CompletedProcess:
    """import-linter over the package found first on the path from ``root``, with ``root``'s pyproject."""
    env = dict(os.environ, PYTHONPATH=str(root))
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--config", "pyproject.toml"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def test_imports_follow_the_layer_map():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _package_copy(tmp_path):
    """The package's Python files and pyproject.toml in ``tmp_path``."""
    shutil.copytree(REPO / "docexam", tmp_path / "docexam",
                    ignore=lambda folder, names: [n for n in names if not (n.endswith(".py") or
                                                                              os.path.isdir(os.path.join(folder, n)))
                                                  or n == "__pycache__"])
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "docexam"


def test_a_lower_room_importing_a_higher_one_fails_the_check(tmp_path):
    package = _package_copy(tmp_path)
    (package / "imaging" / "layer_probe.py").write_text("from ..ui import widgets  # the wrong way up\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "docexam.imaging.layer_probe -> docexam.ui.widgets" in result.stdout, result.stdout[-4000:]


def test_an_import_between_synth_and_examine_fails_the_check(tmp_path):
    package = _package_copy(tmp_path)
    (package / "synth" / "layer_probe.py").write_text("from ..examine import register\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "docexam.synth.layer_probe -> docexam.examine.register" in result.stdout, result.stdout[-4000:]


def test_a_cycle_inside_a_room_fails_the_check(tmp_path):
    package = _package_copy(tmp_path)
    (package / "training" / "errors_probe.py").write_text("from . import record\n")
    errors = package / "training" / "errors.py"
    errors.write_text(errors.read_text() + "\nfrom . import errors_probe  # noqa: E402\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "No cycles are allowed in docexam.training" in result.stdout, result.stdout[-4000:]


def _architecture_map() -> list[str]:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1]
    return re.search(r"```text\n(.*?)```", section, re.S).group(1).strip().splitlines()


def test_architecture_shows_the_layer_map_of_pyproject():
    rooms = CONTRACTS["rooms"]["layers"]
    shown = [line.strip() for line in _architecture_map()]
    assert shown == [layer.replace("(", "").replace(")", "") for layer in rooms], (
        "ARCHITECTURE.md's layer map differs from [tool.importlinter] in pyproject.toml")
    mentioned = set(re.findall(r"docexam\.(\w+)", " ".join(rooms)))
    rooms_on_disk = {p.stem for p in (REPO / "docexam").iterdir()
                     if (p.is_dir() and (p / "__init__.py").is_file()) or (p.suffix == ".py" and p.stem[0] != "_")}
    assert rooms_on_disk <= mentioned, f"rooms missing from the layer map: {sorted(rooms_on_disk - mentioned)}"
