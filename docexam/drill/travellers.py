"""The queue: who comes to the counter, when, with which documents, and what is wrong.

:func:`plan_queue` turns a scenario and a seed into the travellers of one
drill, deterministically: every officer of a workshop who plays the same
scenario meets the same travellers (and the renderer's cache serves them
all). Which documents exist is passed in (``kinds``: document kind ->
templates), so the plan follows the material the specimen library has:
a new passport template or a visa page joins the drills as soon as it
is there, without touching a scenario.

Examples
--------
>>> from docexam.drill.scenario import load_scenarios, find_scenario
>>> s = find_scenario("night-shift-impostor", load_scenarios())
>>> q = plan_queue(s, kinds={"passport": ("uto-td3",), "id-card": ("mrd-td1",)})
>>> len(q), sum(t.fraud is not None for t in q), [t.fraud for t in q if t.fraud]
(12, 1, ['impostor'])
>>> q == plan_queue(s, kinds={"passport": ("uto-td3",), "id-card": ("mrd-td1",)})
True
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass

import numpy as np

from .catalogue import DOCUMENT_QUESTIONS, IMPOSTOR, TRAVEL_DOCUMENTS
from .scenario import Scenario

#: extra documents the drill draws itself (forms the traveller filled in), needing no template
FORM_KINDS = ("boarding-card", "arrival-form")


@dataclass(frozen=True)
class Document:
    """A document to render: a recipe of :func:`docexam.synth.render.render_specimen`."""

    kind: str
    template: str
    seed: int
    capture: str = "flat"
    forge: str | None = None
    severity: float | None = None

    def recipe(self) -> dict:
        return {"template": self.template, "seed": self.seed, "capture": self.capture, "forge": self.forge,
                "severity": self.severity}


@dataclass(frozen=True)
class Traveller:
    """One traveller of the queue; everything the drill needs to show them and to score the decision."""

    index: int
    #: seconds after the start of the shift when they reach the queue
    arrival_s: float
    #: the travel document (the forgery, if any, is on it)
    document: Document
    #: other documents shown (visa page, boarding card, arrival form)
    extras: tuple[Document, ...]
    story: str
    #: the fraud: a technique, ``impostor``, or None for a genuine traveller
    fraud: str | None
    #: the person at the counter (the holder, or the impostor's own seed)
    person_seed: int
    #: questions about the document this traveller answers wrongly
    contradicts: tuple[str, ...] = ()
    #: an impostor's likeness to the holder (0 a stranger, 1 a twin); None for the holder
    likeness: float | None = None

    @property
    def genuine(self) -> bool:
        return self.fraud is None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Traveller:
        doc = Document(**data["document"])
        extras = tuple(Document(**e) for e in data.get("extras", ()))
        return cls(index=int(data["index"]), arrival_s=float(data["arrival_s"]), document=doc, extras=extras,
                   story=data["story"], fraud=data.get("fraud"), person_seed=int(data["person_seed"]),
                   contradicts=tuple(data.get("contradicts", ())), likeness=data.get("likeness"))


def _rng(scenario: Scenario, seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(scenario.id.encode())] + [zlib.crc32(p.encode()) for p in parts])


def _weighted(rng: np.random.Generator, weights: dict) -> str:
    names = sorted(k for k, v in weights.items() if v > 0)
    p = np.array([weights[n] for n in names], float)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def allocate(total: int, weights: dict, rng: np.random.Generator) -> list[str]:
    """``total`` draws of ``weights``' names in proportion (largest remainder), in random order.

    >>> sorted(allocate(4, {"a": 2, "b": 1, "c": 1}, np.random.default_rng(0)))
    ['a', 'a', 'b', 'c']
    """
    names = sorted(k for k, v in weights.items() if v > 0)
    w = np.array([weights[n] for n in names], float)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(int)
    # ties in the remainder are broken at random (seeded), so a small queue still varies its frauds
    order = np.lexsort((rng.random(len(names)), -(exact - counts)))
    for i in order[: total - counts.sum()]:
        counts[i] += 1
    out = [n for n, c in zip(names, counts) for _ in range(c)]
    return [out[i] for i in rng.permutation(len(out))]


def arrival_times(scenario: Scenario, rng: np.random.Generator) -> list[float]:
    """When each traveller joins the queue (seconds from the start of the shift), in order."""
    a, n = scenario.arrivals, scenario.queue
    if a.pattern == "all-at-once":
        return [0.0] * n
    if a.pattern == "waves":
        return [float((i // a.wave) * a.interval_s) for i in range(n)]
    gaps = np.clip(rng.exponential(a.interval_s, n - 1), 0.2 * a.interval_s, 3 * a.interval_s)
    return [0.0] + [round(float(t), 1) for t in np.cumsum(gaps)]


def _always(_technique: str, _template: str) -> bool:
    return True


def plan_queue(scenario: Scenario, *, kinds: dict, seed: int | None = None, fits=_always) -> tuple[Traveller, ...]:
    """The travellers of a drill of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    kinds : dict
        Document kind -> templates that can be rendered for it (at least one
        travel document kind); see :func:`docexam.drill.material.document_kinds`.
    seed : int, optional
        Default: the scenario's own seed (the same queue for every officer).
    fits : callable, optional
        ``fits(technique, template)``: whether a forgery technique can be made
        on a template (a card cannot be washed like paper). A forged traveller
        carries a document it fits; where it fits none, the traveller is an
        impostor instead.

    Raises
    ------
    ValueError
        When ``kinds`` offers no travel document at all.
    """
    seed = scenario.seed if seed is None else int(seed)
    travel = {k: v for k, v in scenario.documents.items() if v > 0 and kinds.get(k)}
    if not travel:
        available = {k: 1.0 for k in TRAVEL_DOCUMENTS if kinds.get(k)}
        if not available:
            raise ValueError("kinds: no template for a passport or an identity card")
        travel = available
    rng = _rng(scenario, seed, "queue")
    n = scenario.queue
    frauds: list[str | None] = [None] * n
    where = rng.choice(n, size=scenario.fraudulent, replace=False) if scenario.fraudulent else []
    for index, fraud in zip(sorted(int(i) for i in where), allocate(scenario.fraudulent, scenario.fraud, rng)):
        frauds[index] = fraud
    arrivals = arrival_times(scenario, rng)
    lo, hi = scenario.severity
    out = []
    for i in range(n):
        r = _rng(scenario, seed, "traveller", str(i))
        fraud = frauds[i]
        choices = travel
        if fraud not in (None, IMPOSTOR):
            choices = {k: w for k, w in travel.items() if any(fits(fraud, t) for t in kinds[k])}
            if not choices:
                fraud = IMPOSTOR
                choices = travel
        kind = _weighted(r, choices)
        templates = sorted(t for t in kinds[kind] if fraud in (None, IMPOSTOR) or fits(fraud, t))
        doc_seed = int(r.integers(0, 2**31))
        forge = fraud if fraud not in (None, IMPOSTOR) else None
        document = Document(kind=kind, template=templates[int(r.integers(len(templates)))], seed=doc_seed,
                            capture=scenario.captures[int(r.integers(len(scenario.captures)))], forge=forge,
                            severity=round(float(r.uniform(lo, hi)), 2) if forge else None)
        extras = []
        for extra, chance in sorted(scenario.extras.items()):
            present = r.random() < chance
            if present and (extra in FORM_KINDS or kinds.get(extra)):
                template = "" if extra in FORM_KINDS else sorted(kinds[extra])[0]
                extras.append(Document(kind=extra, template=template, seed=doc_seed))
        stories = {s.id: s.weight for s in scenario.stories
                   if s.travellers == "any" or s.travellers == ("genuine" if fraud is None else "fraud")}
        if not any(stories.values()):
            stories = {s: 1.0 for s in stories} or {scenario.stories[0].id: 1.0}
        story = _weighted(r, stories)
        contradicts: tuple[str, ...] = ()
        if fraud is not None and r.random() < scenario.contradiction:
            contradicts = (DOCUMENT_QUESTIONS[int(r.integers(len(DOCUMENT_QUESTIONS)))],)
        elif fraud is None and r.random() < scenario.confusion:
            contradicts = ("date_of_birth",)  # an honest slip: tired, nervous, day and month swapped
        person = int(r.integers(0, 2**31)) if fraud == IMPOSTOR else doc_seed
        likeness = round(float(r.uniform(*scenario.impostor_likeness)), 2) if fraud == IMPOSTOR else None
        out.append(Traveller(index=i, arrival_s=arrivals[i], document=document, extras=tuple(extras), story=story,
                             fraud=fraud, person_seed=person, contradicts=contradicts, likeness=likeness))
    return tuple(out)
