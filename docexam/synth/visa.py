"""What a visa page says: the Meridian visa of a Utopian traveller and the stamps of the journey.

:func:`visa_data` invents the visa (an MRV-A sticker: its number, type,
validity, duration of stay, entries, place of issue); :func:`journey`
invents the crossings that fit it (left Utopia and entered Meridia the same
day at a land border, left Meridia and came home the same day, within the
visa's validity and stay), and :func:`stamp_events` turns them into the
four stamps on the page. :func:`contradict` makes the dates disagree the
way a forger's do: an exit stamp dated before the entry, a stay longer than
the visa allows, an entry before the visa was valid, or days missing
between leaving one state and entering its neighbour across one bridge.

Everything is a pure function of the seed.

Examples
--------
>>> holder = {"date_of_issue": "2022-05-10", "date_of_expiry": "2032-05-09"}
>>> v = visa_data(holder, seed=4)
>>> v["valid_from"] <= v["date_of_expiry"]
True
>>> trip = journey(v, seed=4)
>>> problems(trip, v)
[]
>>> bad, why = contradict(trip, v, seed=4, kind="exit-before-entry")
>>> problems(bad, v)
['exit-before-entry']
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

__all__ = ["visa_data", "journey", "Crossing", "stamp_events", "contradict", "problems", "CONTRADICTIONS"]

#: how a forger's stamp dates can disagree, in plain words
CONTRADICTIONS = {
    "exit-before-entry": "the exit stamp of Meridia is dated before the entry stamp of Meridia",
    "beyond-stay": "the days between entering and leaving Meridia are more than the visa's duration of stay",
    "before-valid": "Meridia's entry stamp is dated before the visa became valid",
    "gap-at-border": ("Meridia's exit and Utopia's entry at the same land border are days apart, "
                      "as if the traveller stood on the bridge"),
}
_TYPES = (("C", "TOURIST"), ("C", "BUSINESS"), ("D", "WORK"), ("C", "FAMILY VISIT"))
_PLACES = ("PORT UTOPIA", "NEW HARBOUR", "AMAUROT")


def _d(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s)


def visa_data(holder: dict, *, seed: int) -> dict:
    """The Meridian visa in ``holder``'s passport: holder fields for the sticker.

    Returns ``visa_number``, ``visa_type``, ``visa_category``, ``valid_from``,
    ``date_of_expiry`` (valid until), ``duration_of_stay`` (days),
    ``entries`` (``1`` or ``MULT``), ``visa_place``, ``visa_issued`` and
    ``passport_expiry`` (the passport's own expiry, kept apart).
    """
    rng = np.random.default_rng([seed, 0x715A])
    passport_issue = _d(holder["date_of_issue"])
    passport_expiry = _d(holder["date_of_expiry"])
    latest = min(passport_expiry - _dt.timedelta(days=400), _dt.date(2026, 6, 1))
    span = max(1, (latest - passport_issue).days)
    issued = passport_issue + _dt.timedelta(days=int(rng.integers(30, max(31, span))))
    valid_from = issued + _dt.timedelta(days=int(rng.integers(3, 40)))
    validity = int(rng.choice([90, 180, 365]))
    until = valid_from + _dt.timedelta(days=validity - 1)
    stay = int(rng.choice([15, 30, 60, 90]))
    category, kind = _TYPES[int(rng.integers(len(_TYPES)))]
    number = "MV" + "".join(str(int(d)) for d in rng.integers(0, 10, 7))
    return {
        "visa_number": number, "visa_category": category, "visa_type": kind,
        "valid_from": valid_from.isoformat(), "date_of_expiry": until.isoformat(),
        "duration_of_stay": str(min(stay, validity)), "entries": "MULT" if validity > 90 else "1",
        "visa_place": _PLACES[int(rng.integers(len(_PLACES)))], "visa_issued": issued.isoformat(),
        "passport_expiry": passport_expiry.isoformat(),
    }


@dataclass(frozen=True)
class Crossing:
    """One stamp: which state, entry or exit, on which day."""

    state: str
    kind: str
    date: str


def journey(visa: dict, *, seed: int) -> list[Crossing]:
    """A trip that fits the visa: out of Utopia into Meridia on one day, back on another."""
    rng = np.random.default_rng([seed, 0x7219])
    start, until = _d(visa["valid_from"]), _d(visa["date_of_expiry"])
    stay = int(visa["duration_of_stay"])
    length = int(rng.integers(2, max(3, min(stay, (until - start).days + 1))))
    latest_in = until - _dt.timedelta(days=length - 1)
    d_in = start + _dt.timedelta(days=int(rng.integers(0, max(1, (latest_in - start).days + 1))))
    d_out = d_in + _dt.timedelta(days=length - 1)
    return [Crossing("UTO", "exit", d_in.isoformat()), Crossing("MRD", "entry", d_in.isoformat()),
            Crossing("MRD", "exit", d_out.isoformat()), Crossing("UTO", "entry", d_out.isoformat())]


def stamp_events(crossings: list[Crossing]) -> list[Crossing]:
    """The stamps in the order an officer reads them (by date, exits before entries on one day)."""
    order = {"exit": 0, "entry": 1}
    return sorted(crossings, key=lambda c: (c.date, order[c.kind]))


def problems(crossings: list[Crossing], visa: dict) -> list[str]:
    """Which :data:`CONTRADICTIONS` the stamp dates show (empty for a consistent journey)."""
    by = {(c.state, c.kind): _d(c.date) for c in crossings}
    out = []
    m_in, m_out = by.get(("MRD", "entry")), by.get(("MRD", "exit"))
    if m_in and m_out and m_out < m_in:
        out.append("exit-before-entry")
    if m_in and m_out and (m_out - m_in).days + 1 > int(visa["duration_of_stay"]):
        out.append("beyond-stay")
    if m_in and m_in < _d(visa["valid_from"]):
        out.append("before-valid")
    u_in = by.get(("UTO", "entry"))
    if m_out and u_in and abs((u_in - m_out).days) > 1:
        out.append("gap-at-border")
    return out


def contradict(crossings: list[Crossing], visa: dict, *, seed: int, kind: str | None = None
               ) -> tuple[list[Crossing], str]:
    """The journey with dates a forger got wrong; returns the stamps and which contradiction.

    The changed stamps are the ones a forger adds or edits (to hide an
    overstay, or to cover a trip that did not happen the way it says).
    """
    rng = np.random.default_rng([seed, 0xC047])
    kind = kind or list(CONTRADICTIONS)[int(rng.integers(len(CONTRADICTIONS)))]
    if kind not in CONTRADICTIONS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(CONTRADICTIONS)}")
    by = {(c.state, c.kind): _d(c.date) for c in crossings}
    m_in, m_out = by[("MRD", "entry")], by[("MRD", "exit")]
    stay = int(visa["duration_of_stay"])
    if kind == "exit-before-entry":
        m_out = m_in - _dt.timedelta(days=int(rng.integers(3, 40)))
        u_in = m_out
        changes = {("MRD", "exit"): m_out, ("UTO", "entry"): u_in}
    elif kind == "beyond-stay":
        m_out = m_in + _dt.timedelta(days=stay + int(rng.integers(5, 60)))
        changes = {("MRD", "exit"): m_out, ("UTO", "entry"): m_out}
    elif kind == "before-valid":
        m_in = _d(visa["valid_from"]) - _dt.timedelta(days=int(rng.integers(4, 30)))
        changes = {("MRD", "entry"): m_in, ("UTO", "exit"): m_in}
    else:  # gap-at-border: the forged exit of Meridia sits weeks before the real return home
        changes = {("MRD", "exit"): by[("UTO", "entry")] - _dt.timedelta(days=int(rng.integers(8, 30)))}
        if changes[("MRD", "exit")] < m_in:
            changes[("MRD", "exit")] = m_in
            changes[("UTO", "entry")] = m_in + _dt.timedelta(days=int(rng.integers(8, 30)))
    out = [Crossing(c.state, c.kind, changes.get((c.state, c.kind), _d(c.date)).isoformat()) for c in crossings]
    return out, kind
