"""Scoring a drill and the debrief: hits, misses, false referrals, d′, criterion, time, tools.

The signal is a fraudulent traveller (a forgery or an impostor). A first-line
decision to **refer** or **refuse** says "something is wrong": on a
fraudulent traveller it is a **hit**, on a genuine one a **false referral**
(a false alarm); **admit** on a fraudulent traveller is a **miss**, on a
genuine one a correct admission. d′ and the criterion c are those of
:func:`docexam.assessment.signal_detection` (log-linear correction: 0.5
added to each count and 1 to each total, so an officer who admits
everyone still gets finite figures). Travellers still queueing when the
shift ended are counted apart (``not_seen``), not as misses.

Examples
--------
>>> from docexam.drill.engine import Case
>>> from docexam.drill.travellers import Document, Traveller
>>> doc = Document("passport", "uto-td3", 1)
>>> cases = [Case(Traveller(i, 0.0, doc, (), "s", "impostor" if i < 2 else None, i),
...               called_by=1, called_at=0.0, decision="refer" if i < 3 else "admit", decided_at=30.0)
...          for i in range(10)]
>>> s = score_cases(cases)
>>> s.hits, s.misses, s.false_referrals, s.correct_admissions, round(s.d_prime, 3), s.mean_time_s
(2, 0, 1, 7, 1.935, 30.0)
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from ..assessment import signal_detection
from .catalogue import careful_tools
from .engine import Case, State


@dataclass(frozen=True)
class Score:
    """An officer's (or a team's) decisions on the travellers they dealt with."""

    decided: int
    hits: int
    misses: int
    false_referrals: int
    correct_admissions: int
    hit_rate: float | None
    false_referral_rate: float | None
    d_prime: float | None
    criterion: float | None
    #: mean and median seconds at the counter per traveller (call to decision, tools included)
    mean_time_s: float | None
    median_time_s: float | None
    #: tools used and questions asked per decision
    tools_per_decision: float | None
    #: tool -> how many times it was used
    tool_counts: dict
    #: fraudulent travellers where at least one tool a careful examiner would use was used
    careful_on_fraud: int
    #: travellers nobody called before the shift ended
    not_seen: int = 0

    @property
    def accuracy(self) -> float | None:
        return (self.hits + self.correct_admissions) / self.decided if self.decided else None

    def as_dict(self) -> dict:
        return dict(self.__dict__) | {"accuracy": self.accuracy}


def score_cases(cases, *, not_seen: int = 0) -> Score:
    """The :class:`Score` of first-line decisions on ``cases`` (undecided ones are left out)."""
    decided = [c for c in cases if c.decision is not None]
    pairs = [(not c.traveller.genuine, c.decision in ("refer", "refuse")) for c in decided]
    sdt = signal_detection(pairs)
    times = [c.time_s for c in decided if c.time_s is not None]
    uses = [u for c in decided for u in c.first_line_uses]
    careful = 0
    for c in decided:
        if not c.traveller.genuine:
            wanted = set(careful_tools(c.traveller.fraud)) - {"photo"}
            used = {u.tool for u in c.first_line_uses}
            # looking at the photo is free; an impostor is caught by a question or the decision itself
            careful += bool(wanted & used) or wanted == set()
    return Score(
        decided=len(decided), hits=sdt.hits, misses=sdt.misses, false_referrals=sdt.false_alarms,
        correct_admissions=sdt.correct_rejections, hit_rate=sdt.hit_rate, false_referral_rate=sdt.false_alarm_rate,
        d_prime=sdt.d_prime, criterion=sdt.criterion,
        mean_time_s=statistics.fmean(times) if times else None,
        median_time_s=statistics.median(times) if times else None,
        tools_per_decision=len(uses) / len(decided) if decided else None,
        tool_counts=dict(sorted(Counter(u.tool for u in uses).items())),
        careful_on_fraud=careful, not_seen=not_seen)


def score_state(state: State, officer: int | None = None) -> Score:
    """The first-line score of a drill, of one officer or (``officer=None``) of every counter together."""
    cases = [c for c in state.cases if officer is None or c.called_by == officer]
    not_seen = sum(c.called_at is None for c in state.cases)
    return score_cases(cases, not_seen=not_seen)


def final_score(state: State) -> Score:
    """The team's score on where travellers ended up: a referral counts as the second line resolved it.

    A referral not resolved yet is left out; without a second line a
    referral is final (as in a solo drill).
    """
    out = []
    for c in state.cases:
        if c.decision is None:
            continue
        if c.decision == "refer" and c.resolution is None and c.taken_by is None and \
                "second-line" not in state.drill.roles.values():
            out.append(c)
        elif c.outcome in ("admit", "refuse"):
            final = Case(c.traveller, c.called_by, c.called_at, c.uses, c.outcome, c.resolved_at or c.decided_at)
            out.append(final)
    return score_cases(out, not_seen=sum(c.called_at is None for c in state.cases))


@dataclass(frozen=True)
class DebriefRow:
    """One traveller as the debrief replays it."""

    traveller: int
    fraud: str | None
    severity: float | None
    decision: str | None
    outcome: str | None
    #: "hit", "miss", "false referral", "correct admission" or None (not decided)
    verdict: str | None
    time_s: float | None
    #: tools used and questions asked, in order (questions as ``question:ID``)
    used: tuple[str, ...]
    #: what a careful examiner would have looked at
    careful: tuple[str, ...]
    #: of those, the ones the officer did not use (looking at the photo is always possible)
    missed_tools: tuple[str, ...]
    note: str
    second_line_note: str
    advice: tuple[str, ...]


def verdict_of(fraudulent: bool, decision: str | None) -> str | None:
    """The signal-detection name of a first-line decision.

    >>> verdict_of(True, "refuse"), verdict_of(False, "refer"), verdict_of(True, "admit")
    ('hit', 'false referral', 'miss')
    """
    if decision is None:
        return None
    said = decision in ("refer", "refuse")
    if fraudulent:
        return "hit" if said else "miss"
    return "false referral" if said else "correct admission"


def debrief(state: State, officer: int | None = None) -> list[DebriefRow]:
    """Every traveller called (by ``officer``, or by anyone), in queue order."""
    rows = []
    for c in state.cases:
        if c.called_at is None or (officer is not None and officer not in (c.called_by, c.taken_by)):
            continue
        t = c.traveller
        used = tuple(f"question:{u.question}" if u.question else u.tool for u in c.uses_by(c.called_by))
        careful = careful_tools(t.fraud)
        plain = {u.split(":")[0] for u in used}
        missed = tuple(tool for tool in careful if tool != "photo" and tool not in plain
                       and tool in (*state.drill.scenario.tools, "question"))
        rows.append(DebriefRow(
            traveller=t.index, fraud=t.fraud, severity=t.document.severity, decision=c.decision, outcome=c.outcome,
            verdict=verdict_of(not t.genuine, c.decision), time_s=c.time_s, used=used, careful=careful,
            missed_tools=missed, note=c.note, second_line_note=c.resolution_note,
            advice=tuple(note for _o, _at, note in c.advice)))
    return rows
