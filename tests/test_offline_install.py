"""The lock files and the offline installer (``bash scripts/bundle``).

The installer test builds a bundle (the wheels are kept between runs in
``~/.cache/docexam-test-wheels``, so only the first run downloads), installs
it in a network namespace with no route out (``unshare -n``, when this
process may make one; otherwise with pip's index disabled) and starts the
app there: it must answer HTTP 200.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPO / name).read_text().splitlines():
        if line and not line.startswith(("#", "-r")):
            pin, *options = line.split()
            assert len(options) == 1 and re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", options[0]), line
            package, version = pin.split("==")
            pins[package] = version
    return pins


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_lock_files_pin_every_dependency_of_pyproject_with_its_hash():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    app, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert "-r requirements.lock" in (REPO / "requirements-test.lock").read_text()
    for text, pins in [(r, app) for r in project["dependencies"]] + [
            (r, {**app, **test}) for r in project["optional-dependencies"]["test"]]:
        req = Requirement(text)
        name = _norm(req.name)
        assert name in pins, f"{name} is in pyproject.toml but not locked: run bash scripts/lock"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} breaks {text}"
        for extra in req.extras:  # e.g. psycopg[binary]
            assert f"{name}-{extra}" in pins
    assert "setuptools" in app  # docexam itself is built offline with the locked build backend


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_network_prefix() -> list[str]:
    """A command prefix running in a network namespace of its own (loopback only), or [] if not allowed."""
    unshare = shutil.which("unshare")
    if not unshare:
        return []
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True)
    return [unshare, "-n"] if probe.returncode == 0 else []


_START = r"""
set -eu
ip link set lo up 2>/dev/null || true
bash "$1/install-and-start.sh" --install-only
export DOCEXAM_HOME="$1/home" DOCEXAM_DATABASE_URL="sqlite:///$1/home/record.sqlite3"
"$1/.venv/bin/docexam" app --port "$2" > "$1/app.log" 2>&1 &
app=$!
"$1/.venv/bin/python" - "$2" <<'PY'
import sys, time, urllib.request
for _ in range(240):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=5) as r:
            print("HTTP", r.status)
            break
    except OSError:
        time.sleep(0.5)
else:
    print("no answer")
PY
kill $app
wait $app 2>/dev/null || true
"""


@pytest.mark.slow
def test_offline_installer_installs_and_starts_with_no_network(tmp_path):
    out = tmp_path / "bundle"
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "docexam-test-wheels"
    made = subprocess.run(["bash", str(REPO / "scripts" / "bundle"), str(out), "--no-library"], cwd=REPO,
                          env=dict(os.environ, DOCEXAM_WHEEL_CACHE=str(cache)), capture_output=True, text=True)
    if made.returncode != 0 and "no wheel" not in made.stderr and not list(cache.glob("*.whl")):
        pytest.skip(f"the bundle could not fetch its wheels (no package index?): {made.stderr[-300:]}")
    assert made.returncode == 0, made.stderr[-2000:]
    # the installer installs exactly the lock's files (the same hashes, checked by pip)
    assert (out / "requirements.txt").read_text() == (REPO / "requirements.lock").read_text()
    assert len(list((out / "wheels").glob("*.whl"))) == len(_pins("requirements.lock"))

    prefix = _no_network_prefix()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "DOCEXAM_", "VIRTUAL_ENV"))}
    # PIP_COMPILE=0 is pip's --no-compile: byte-compiling every installed module (a laptop does it once) is not
    # what is tested here, and costs the suite time
    env.update(PIP_NO_INDEX="1", PIP_COMPILE="0",
               PATH=os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p))
    port = _free_port()
    run = subprocess.run([*prefix, "bash", "-c", _START, "start", str(out), str(port)], env=env,
                         capture_output=True, text=True, timeout=900)
    log = (out / "app.log").read_text() if (out / "app.log").exists() else ""
    assert "HTTP 200" in run.stdout, f"{run.stdout}\n{run.stderr[-2000:]}\n{log[-2000:]}"
    assert (out / ".venv" / "bin" / "docexam").exists()
    if not prefix:
        print("(no network namespace allowed here: installed with pip's index disabled)", file=sys.stderr)
