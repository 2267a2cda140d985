"""Scenario files: the shipped ones pass, broken ones are refused with file and line, and the commands."""

from __future__ import annotations

import json

import pytest
from test_drill_support import SCENARIO

from docexam.cli import main
from docexam.drill.scenario import (check_files, load_scenarios, parse_scenario, scenario_files,
                                    scenario_problems)
from docexam.errors import InvalidFieldError

GOOD = SCENARIO.format(pattern="steady", extra="")
SHIPPED = {"land-rush-hour", "seaport-ferry", "night-shift-impostor"}


def test_shipped_scenarios_are_valid():
    scenarios = {s.id: s for s in load_scenarios()}
    assert set(scenarios) == SHIPPED
    assert scenarios["night-shift-impostor"].fraudulent == 1
    assert scenarios["night-shift-impostor"].fraud == {"impostor": 1.0}
    assert scenarios["seaport-ferry"].border == "seaport" and scenarios["seaport-ferry"].arrivals.pattern == "all-at-once"
    assert scenarios["land-rush-hour"].border == "land" and "ir" not in scenarios["land-rush-hour"].tools
    for s in scenarios.values():
        assert s.title_km and s.summary_km and all(st.purpose_km for st in s.stories)


def test_a_scenario_survives_the_round_trip_through_json():
    s = parse_scenario(GOOD, "x.toml")
    again = type(s).from_dict(json.loads(json.dumps(s.as_dict())))
    assert again == s and again.digest == s.digest


@pytest.mark.parametrize("change, line, key, problem", [
    (("queue = 20", "queue = 5"), 6, "queue", "must be from 10 to 60"),
    (("queue = 20", 'queue = "20"'), 6, "queue", "expected an integer"),
    (("prevalence = 0.1", "prevalence = 1.5"), 7, "prevalence", "must be at most 1.0"),
    (('border = "land"', 'border = "river"'), 5, "border", "'river' is not one of land, seaport, airport"),
    (("seed = 5", "seed = 5\ncolour = \"red\""), 10, "colour", "unknown key (allowed: id, title"),
    (("impostor = 1", "imposter = 1"), 21, "fraud.imposter", "'imposter' is not one of"),
    (('passport = 1', 'passport = -1'), 17, "documents.passport", "must be at least 0.0"),
    (('roles = ["first-line", "second-line", "consulted"]', 'roles = ["second-line"]'), 25, "team.roles",
     "a team needs a first-line officer"),
    (('purpose = "Visiting my sister."\n', ''), 28, "stories[0].purpose", "missing"),
    (('id = "visitor"', 'id = "visitor"\nmood = "sad"'), 30, "stories[0].mood", "unknown key"),
    (('title = "Test counter"', 'title = ""'), 2, "title", "expected a non-empty text"),
    (('id = "test-counter"', 'id = "Test Counter"'), 1, "id", "'Test Counter' must be lower-case letters, digits and '-'"),
])
def test_broken_files_are_refused_with_file_and_line(change, line, key, problem):
    text = GOOD.replace(*change)
    assert text != GOOD
    problems = scenario_problems(text, "drills/broken.toml")
    assert problems, text
    first = problems[0]
    assert isinstance(first, InvalidFieldError)
    assert (first.line, first.field) == (line, key), str(first)
    assert str(first).startswith(f"drills/broken.toml: line {line}: {key}: {problem}")
    with pytest.raises(InvalidFieldError) as raised:
        parse_scenario(text, "drills/broken.toml")
    assert str(raised.value) == str(first)


def test_every_problem_of_a_file_is_listed_in_file_order():
    text = GOOD.replace("queue = 20", "queue = 500").replace('border = "land"', 'border = "moon"')
    problems = scenario_problems(text, "b.toml")
    assert [(p.line, p.field) for p in problems] == [(5, "border"), (6, "queue")]


def test_toml_syntax_errors_name_the_line():
    problems = scenario_problems(GOOD.replace("queue = 20", "queue = = 20"), "c.toml")
    assert len(problems) == 1 and problems[0].line == 6 and problems[0].field == "TOML"


def test_two_files_with_one_id(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    problems = check_files(scenario_files(tmp_path))
    assert [str(p) for p in problems] == [f"{tmp_path / 'b.toml'}: line 1: id: 'test-counter' is already used by a.toml"]


# --------------------------------------------------------------------------- the commands

def test_drills_list_json(capsys):
    assert main(["drills", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == SHIPPED
    assert by_id["land-rush-hour"]["queue"] == 40 and by_id["land-rush-hour"]["prevalence"] == 0.1
    assert by_id["night-shift-impostor"]["queue"] == 12 and by_id["night-shift-impostor"]["fraudulent"] == 1
    assert {"id", "title", "queue", "prevalence"} <= set(rows[0])


def test_drills_check_passes_the_shipped_ones(capsys):
    assert main(["drills", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(line.endswith(": ok") for line in out)


def test_drills_check_prints_one_line_per_problem_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("queue = 20", "queue = 500").replace('border = "land"', 'border = "moon"'),
                   encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["drills", "check", str(bad), str(good)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"docexam: {bad}: line 5: border: 'moon' is not one of land, seaport, airport",
                   f"docexam: {bad}: line 6: queue: must be from 10 to 60"]
    assert main(["drills", "check", str(tmp_path / "missing.toml")]) == 2
    assert capsys.readouterr().err.strip() == f"docexam: {tmp_path / 'missing.toml'}: file not found"


def test_drills_list_refuses_a_broken_folder(tmp_path, capsys):
    (tmp_path / "x.toml").write_text(GOOD.replace("prevalence = 0.1", "prevalence = 2"), encoding="utf-8")
    assert main(["drills", "list", "--drills", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == \
        f"docexam: {tmp_path / 'x.toml'}: line 7: prevalence: must be at most 1.0"


def test_docs_describe_every_key_of_the_format():
    from conftest import REPO

    from docexam.drill.scenario import Arrivals, Scenario, Story, Team

    doc = (REPO / "docs" / "formats.md").read_text(encoding="utf-8").split("## Drill scenarios")[1]
    for model in (Scenario, Arrivals, Team, Story):
        for name in model.model_fields:
            assert f"`{name}`" in doc or f"`[{name}]`" in doc or f"`[[{name}]]`" in doc or \
                f"`{name.removesuffix('_km')}`" in doc, f"docs/formats.md does not describe {model.__name__}.{name}"
    # the example in the doc is a valid scenario
    example = doc.split("```toml")[1].split("```")[0]
    assert parse_scenario(example, "docs/formats.md").id == "night-shift-impostor"
