"""The drill as a sequence of events: who did what to which traveller, and when.

Everything an officer does is an :class:`Event` (call the next traveller,
use a tool, ask a question, decide, take a referral, consult, advise,
resolve, wait, end). :func:`replay` folds the events of a drill into its
:class:`State`; the same events give the same state on every phone of a
team, so the shared state is just the list of events (kept in the
training record) and each phone replays it.

The clock
---------
The shift's clock is the real time since the start plus the time the tools
cost: a UV lamp adds its 15 s to the clock, so travellers keep arriving
while the officer examines (:meth:`State.clock`). With several first-line
officers the tools' time is shared out among them (each counter works in
parallel). A ``wait`` skips to the next arrival when nobody is queueing.
The drill ends at the end of the shift (``time_budget_min``), when every
traveller is dealt with, or with an ``end`` event.

:meth:`State.check` says whether an event may happen now (and why not);
:func:`replay` skips an event that may not (two phones calling the same
traveller at once: the first wins).

Examples
--------
>>> from docexam.drill.scenario import load_scenarios, find_scenario
>>> from docexam.drill.travellers import plan_queue
>>> s = find_scenario("night-shift-impostor", load_scenarios())
>>> drill = Drill(s, plan_queue(s, kinds={"passport": ("uto-td3",), "id-card": ("mrd-td1",)}), {7: "first-line"})
>>> events = [Event("start", 7, 0.0), Event("call", 7, 2.0, 0), Event("tool", 7, 5.0, 0, {"tool": "uv"}),
...           Event("decide", 7, 20.0, 0, {"decision": "admit"})]
>>> state = replay(drill, events)
>>> state.clock(20.0), state.cases[0].decision, state.cases[0].time_s
(35.0, 'admit', 33.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import DECISIONS, FINAL_DECISIONS, QUESTIONS, TOOLS
from .scenario import Scenario
from .travellers import Traveller

#: every kind of event, and the role that may send it (None: anyone in the drill)
EVENT_ROLES = {
    "start": None, "end": None,
    "call": "first-line", "wait": "first-line", "decide": "first-line",
    "tool": None, "ask": None,
    "take": "second-line", "consult": "second-line", "resolve": "second-line",
    "advise": "consulted",
}
#: longest note an officer may write
MAX_NOTE = 1000
#: a traveller may be called this many seconds before the clock says they arrived (phones' clocks differ)
ARRIVAL_SLACK_S = 1.0


@dataclass(frozen=True)
class Event:
    """One thing an officer did. ``at`` is in seconds (any fixed origin: the replay uses differences)."""

    kind: str
    officer: int
    at: float
    traveller: int | None = None
    detail: dict = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class Drill:
    """What does not change during a drill: the scenario, the queue and who plays which role."""

    scenario: Scenario
    queue: tuple[Traveller, ...]
    #: officer id -> role (``first-line``, ``second-line``, ``consulted``)
    roles: dict

    @property
    def team(self) -> bool:
        return len(self.roles) > 1

    def first_line(self) -> list[int]:
        return sorted(o for o, r in self.roles.items() if r == "first-line")


@dataclass
class Use:
    """A tool used or a question asked on a traveller."""

    tool: str
    officer: int
    at: float
    seconds: int
    question: str | None = None


@dataclass
class Case:
    """What happened to one traveller."""

    traveller: Traveller
    called_by: int | None = None
    called_at: float | None = None
    uses: list[Use] = field(default_factory=list)
    decision: str | None = None
    decided_at: float | None = None
    note: str = ""
    # second line
    taken_by: int | None = None
    taken_at: float | None = None
    consults: list[tuple[int, float, str]] = field(default_factory=list)
    advice: list[tuple[int, float, str]] = field(default_factory=list)
    resolution: str | None = None
    resolved_at: float | None = None
    resolution_note: str = ""

    def uses_by(self, officer: int | None) -> list[Use]:
        return [u for u in self.uses if officer is None or u.officer == officer]

    @property
    def first_line_uses(self) -> list[Use]:
        return self.uses_by(self.called_by)

    @property
    def time_s(self) -> float | None:
        """Seconds at the counter: from the call to the decision, plus the tools' time."""
        if self.decided_at is None or self.called_at is None:
            return None
        return self.decided_at - self.called_at + sum(u.seconds for u in self.first_line_uses)

    @property
    def second_line_time_s(self) -> float | None:
        if self.resolved_at is None or self.taken_at is None:
            return None
        return self.resolved_at - self.taken_at + sum(u.seconds for u in self.uses_by(self.taken_by))

    @property
    def outcome(self) -> str | None:
        """Where the traveller ends up: ``admit``, ``refuse``, ``referred`` (waiting for the second line) or None."""
        if self.decision in ("admit", "refuse"):
            return self.decision
        if self.decision == "refer":
            return self.resolution or "referred"
        return None


@dataclass
class State:
    """A drill after its events."""

    drill: Drill
    started_at: float | None = None
    ended_at: float | None = None
    cases: list[Case] = field(default_factory=list)
    #: first-line tool seconds, summed over officers
    tool_seconds: float = 0.0
    #: seconds skipped by ``wait``
    waited_s: float = 0.0
    #: events that were refused on replay, with the reason
    skipped: list[tuple[Event, str]] = field(default_factory=list)

    # ---- the clock and the queue

    def clock(self, now: float) -> float:
        """Seconds of the shift at time ``now`` (0 before the start)."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else now
        counters = max(1, len(self.drill.first_line()))
        return max(0.0, end - self.started_at) + self.tool_seconds / counters + self.waited_s

    @property
    def budget_s(self) -> float:
        return self.drill.scenario.time_budget_min * 60.0

    def arrived(self, now: float) -> int:
        """How many travellers have reached the queue by ``now``."""
        clock = self.clock(now) + ARRIVAL_SLACK_S
        return sum(t.arrival_s <= clock for t in self.drill.queue)

    def waiting(self, now: float) -> int:
        """Travellers in the queue, not yet called to a counter."""
        return max(0, self.arrived(now) - sum(c.called_at is not None for c in self.cases))

    def next_traveller(self, now: float) -> int | None:
        """The index of the next traveller to call, if one is waiting."""
        for case in self.cases:
            if case.called_at is None:
                return case.traveller.index if case.traveller.arrival_s <= self.clock(now) + ARRIVAL_SLACK_S else None
        return None

    def next_arrival_in(self, now: float) -> float | None:
        """Seconds of the clock until the next traveller arrives (None when all have)."""
        clock = self.clock(now)
        later = [t.arrival_s for t in self.drill.queue if t.arrival_s > clock + ARRIVAL_SLACK_S]
        return min(later) - clock if later else None

    def open_case(self, officer: int) -> Case | None:
        """The traveller this officer is dealing with (a first-line call or a second-line referral)."""
        for case in self.cases:
            if case.called_by == officer and case.decision is None:
                return case
            if case.taken_by == officer and case.resolution is None:
                return case
        return None

    def referrals(self) -> list[Case]:
        """Referred travellers nobody on the second line has taken yet, oldest first."""
        return sorted((c for c in self.cases if c.decision == "refer" and c.taken_by is None),
                      key=lambda c: c.decided_at or 0.0)

    def consultations(self) -> list[Case]:
        """Cases where the second line asked for advice that has not been given yet."""
        return [c for c in self.cases if len(c.consults) > len(c.advice)]

    def finished(self, now: float) -> bool:
        """True once the drill is over: ended, out of time, or every traveller dealt with."""
        if self.started_at is None:
            return False
        if self.ended_at is not None:
            return True
        if all(c.outcome in ("admit", "refuse") or (c.decision == "refer" and not self._second_line())
               for c in self.cases):
            return True
        return self.clock(now) >= self.budget_s and not any(
            c.called_at is not None and c.decision is None for c in self.cases)

    def _second_line(self) -> bool:
        return "second-line" in self.drill.roles.values()

    # ---- rules

    def check(self, event: Event) -> str | None:
        """Why ``event`` may not happen now, or None when it may."""
        role = self.drill.roles.get(event.officer)
        if role is None:
            return "this officer is not in the drill"
        wanted = EVENT_ROLES.get(event.kind, "?")
        if wanted == "?":
            return f"unknown event {event.kind!r}"
        if wanted is not None and wanted != role:
            return f"only the {wanted} officer may do this"
        if event.kind == "start":
            return "the drill has started already" if self.started_at is not None else None
        if self.started_at is None:
            return "the drill has not started"
        if self.ended_at is not None:
            return "the drill is over"
        if event.kind == "end":
            return None
        if event.kind in ("call", "wait"):
            if self.open_case(event.officer) is not None:
                return "finish the traveller at the counter first"
            if self.clock(event.at) >= self.budget_s:
                return "the shift is over"
            if event.kind == "wait":
                return "a traveller is waiting" if self.next_traveller(event.at) is not None else None
            if event.traveller is None or not 0 <= event.traveller < len(self.cases):
                return "no such traveller"
            case = self.cases[event.traveller]
            if case.called_at is not None:
                return "this traveller was called already"
            if case.traveller.arrival_s > self.clock(event.at) + ARRIVAL_SLACK_S:
                return "this traveller has not arrived yet"
            return None
        if event.traveller is None or not 0 <= event.traveller < len(self.cases):
            return "no such traveller"
        case = self.cases[event.traveller]
        note = event.detail.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            return f"a note is a text of at most {MAX_NOTE} characters"
        if event.kind in ("tool", "ask"):
            if self.open_case(event.officer) is not case:
                return "this traveller is not at your desk"
            tool = "question" if event.kind == "ask" else event.detail.get("tool")
            if tool not in TOOLS or tool not in self.drill.scenario.tools:
                return f"this post has no {tool!r}"
            if event.kind == "ask" and event.detail.get("question") not in QUESTIONS:
                return "no such question"
            return None
        if event.kind == "decide":
            if case.called_by != event.officer or case.decision is not None:
                return "this traveller is not at your counter"
            decision = event.detail.get("decision")
            if decision not in DECISIONS:
                return f"a decision is one of {', '.join(DECISIONS)}"
            return None
        if event.kind == "take":
            if case.decision != "refer" or case.taken_by is not None:
                return "this referral is not waiting"
            if self.open_case(event.officer) is not None:
                return "finish the referral at your desk first"
            return None
        if event.kind == "consult":
            if case.taken_by != event.officer or case.resolution is not None:
                return "this referral is not at your desk"
            if "consulted" not in self.drill.roles.values():
                return "nobody to consult in this drill"
            return None
        if event.kind == "advise":
            return None if len(case.consults) > len(case.advice) else "nobody asked for advice on this traveller"
        if event.kind == "resolve":
            if case.taken_by != event.officer or case.resolution is not None:
                return "this referral is not at your desk"
            if event.detail.get("decision") not in FINAL_DECISIONS:
                return f"the second line decides {' or '.join(FINAL_DECISIONS)}"
            return None
        return f"unknown event {event.kind!r}"

    def apply(self, event: Event) -> bool:
        """Apply ``event`` if :meth:`check` allows it; returns whether it was applied."""
        why = self.check(event)
        if why is not None:
            self.skipped.append((event, why))
            return False
        kind, at = event.kind, float(event.at)
        note = (event.detail.get("note") or "").strip()
        if kind == "start":
            self.started_at = at
            return True
        if kind == "end":
            self.ended_at = at
            return True
        if kind == "wait":
            ahead = self.next_arrival_in(at)
            self.waited_s += max(0.0, ahead or 0.0)
            return True
        case = self.cases[event.traveller]
        if kind == "call":
            case.called_by, case.called_at = event.officer, at
        elif kind in ("tool", "ask"):
            tool = "question" if kind == "ask" else event.detail["tool"]
            seconds = self.drill.scenario.seconds(tool)
            case.uses.append(Use(tool, event.officer, at, seconds, event.detail.get("question")))
            if self.drill.roles[event.officer] == "first-line":
                self.tool_seconds += seconds
        elif kind == "decide":
            case.decision, case.decided_at, case.note = event.detail["decision"], at, note
        elif kind == "take":
            case.taken_by, case.taken_at = event.officer, at
        elif kind == "consult":
            case.consults.append((event.officer, at, note))
        elif kind == "advise":
            case.advice.append((event.officer, at, note))
        elif kind == "resolve":
            case.resolution, case.resolved_at, case.resolution_note = event.detail["decision"], at, note
        return True


def replay(drill: Drill, events) -> State:
    """The state of ``drill`` after ``events`` (in the order they were recorded)."""
    state = State(drill, cases=[Case(t) for t in drill.queue])
    for event in events:
        state.apply(event)
    return state
