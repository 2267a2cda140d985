"""The documentation tells the truth: these fail when README or ARCHITECTURE drift from the code."""

from __future__ import annotations

import argparse
import re
import shlex

import pytest

from conftest import REPO
from docexam.cli import build_parser
from docexam.specimens import TECHNIQUES, template_ids

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> dict:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith("docexam ")]


def test_the_readme_shows_docexam_commands():
    assert len(_readme_commands()) >= 8


@pytest.mark.parametrize("command", _readme_commands())
def test_every_readme_command_exists_with_its_options(command):
    words = shlex.split(command.replace("...", "X").replace("[", "").replace("]", ""))[1:]
    parser = build_parser()
    path = []
    while words and words[0] in _subparsers(parser):
        path.append(words[0])
        parser = _subparsers(parser)[words.pop(0)]
    assert path, f"{command}: no such docexam command"
    known = {opt for action in parser._actions for opt in action.option_strings}
    for word in words:
        if word.startswith("--"):
            assert word in known, f"{command}: {' '.join(path)} has no option {word}"


def test_the_readme_technique_table_is_the_catalogue():
    listed = set(re.findall(r"`([a-z]+(?:-[a-z]+)*)`", README.split("## The specimen library")[1].split("Captures:")[0]))
    assert set(TECHNIQUES) <= listed


def test_the_readme_lists_every_shipped_template():
    for tid in template_ids():
        assert f"`{tid}`" in README


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "bash scripts/test" in README and "scripts/test" in ci


def test_architecture_names_every_room_of_the_package():
    text = (REPO / "ARCHITECTURE.md").read_text()
    rooms = [p.name for p in (REPO / "docexam").iterdir() if p.is_dir() and (p / "__init__.py").is_file()
             and p.name not in ("fonts",)]
    for room in rooms:
        assert f"docexam/{room}/" in text, f"ARCHITECTURE.md does not mention docexam/{room}/"


def test_only_the_ui_imports_streamlit():
    for path in (REPO / "docexam").rglob("*.py"):
        if "ui" in path.relative_to(REPO / "docexam").parts[:1]:
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.M), path
