"""Helpers for the drill tests: a small scenario written in code, its queue, scripted officers.

Imported by the other ``test_drill*`` modules (like ``test_lessons_support``).
"""

from __future__ import annotations

from docexam.drill.engine import Drill, Event, replay
from docexam.drill.scenario import parse_scenario
from docexam.drill.travellers import plan_queue

KINDS = {"passport": ("uto-td3",), "id-card": ("mrd-td1",)}

SCENARIO = """\
id = "test-counter"
title = "Test counter"
title_km = "បញ្ជរសាកល្បង"
summary = "Twenty travellers waiting at once; two carry a fraud."
border = "land"
queue = 20
prevalence = 0.1
time_budget_min = 60
seed = 5
{extra}

[arrivals]
pattern = "{pattern}"
interval_s = 30

[documents]
passport = 1
id-card = 1

[fraud]
impostor = 1
data-alteration = 1

[team]
roles = ["first-line", "second-line", "consulted"]
consulted = "anti-trafficking"

[[stories]]
id = "visitor"
who = "A visitor"
purpose = "Visiting my sister."
stay = "Two nights at her house."
occupation = "Teacher."
ticket = "I paid; my sister meets me."
"""


def scenario(*, pattern: str = "all-at-once", extra: str = ""):
    return parse_scenario(SCENARIO.format(pattern=pattern, extra=extra), "test-counter.toml")


def drill(roles=None, **kwargs) -> Drill:
    s = scenario(**kwargs)
    return Drill(s, plan_queue(s, kinds=KINDS), roles or {1: "first-line"})


def scripted(d: Drill, policy, *, officer: int = 1, seconds: float = 10.0, start: float = 1000.0) -> list[Event]:
    """Events of an officer who deals with every traveller in turn.

    ``policy(traveller)`` gives ``(decision, tools)``: the tools are used one
    after the other, then the decision is taken ``seconds`` after the call.
    """
    events = [Event("start", officer, start)]
    t = start
    for traveller in d.queue:
        t += 1.0
        events.append(Event("call", officer, t, traveller.index))
        decision, tools = policy(traveller)
        for n, tool in enumerate(tools):
            if tool.startswith("question:"):
                events.append(Event("ask", officer, t + n * 0.1, traveller.index, {"question": tool.split(":")[1]}))
            else:
                events.append(Event("tool", officer, t + n * 0.1, traveller.index, {"tool": tool}))
        t += seconds
        events.append(Event("decide", officer, t, traveller.index, {"decision": decision}))
    return events


def played(d: Drill, policy, **kwargs):
    state = replay(d, scripted(d, policy, **kwargs))
    assert not state.skipped, state.skipped
    return state
