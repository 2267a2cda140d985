"""Drill scenarios: ``drills/*.toml`` files that trainers write and share.

A scenario says who comes to the counter and how: how many travellers,
how many of them carry a forgery or are impostors (the prevalence), which
documents they present and which frauds they carry, how long the shift is,
which tools the post has (a post without a UV lamp), the border, and the
stories the travellers tell. The format is :class:`Scenario`, a pydantic
model; ``docs/formats.md`` describes every key.

A file is checked whole: :func:`scenario_problems` lists every problem, each
an :class:`~docexam.errors.InvalidFieldError` naming the file, the line of
the key and the key; :func:`parse_scenario` raises the first.

Examples
--------
>>> text = '''
... id = "demo"
... title = "Demo"
... title_km = "សាកល្បង"
... summary = "A short demo."
... border = "land"
... queue = 10
... prevalence = 0.1
... time_budget_min = 10
... [documents]
... passport = 1
... [fraud]
... impostor = 1
... [[stories]]
... id = "visitor"
... who = "A visitor"
... purpose = "Visiting my sister."
... stay = "Two nights at her house."
... occupation = "Teacher."
... ticket = "I paid; my sister meets me."
... '''
>>> s = parse_scenario(text, "demo.toml")
>>> s.id, s.queue, s.fraudulent, s.tools[:3]
('demo', 10, 1, ('loupe', 'uv', 'ir'))
>>> [str(p) for p in scenario_problems(text.replace("queue = 10", "queue = 5"), "demo.toml")]
['demo.toml: line 7: queue: must be from 10 to 60']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from ..i18n import Message
from ..atomic import read_text
from ..errors import InputFileError, InvalidFieldError, UnknownNameError
from ..formats.fields import Id, Int, OptionalText, Text, one_of
from ..formats.specimen import CAPTURE_KINDS
from ..formats.reading import parse_toml
from ..formats.validation import problems
from ..lessons.format import key_lines, line_of
from ..paths import drills_dir, user_drills_dir
from .catalogue import (ARRIVALS, BORDERS, CONSULTED, DOCUMENT_KINDS, FRAUD_KINDS, ROLES, TOOLS,
                        TRAVEL_DOCUMENTS)

# a number (a whole one too: TOML writes 1 for 1.0), never a text of digits or true/false
Num = Annotated[float, Strict()]
Share = Annotated[Num, Field(ge=0.0, le=1.0)]
Weight = Annotated[Num, Field(ge=0.0, le=1000.0)]
EXTRA_KINDS = tuple(k for k in DOCUMENT_KINDS if k not in TRAVEL_DOCUMENTS)

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Arrivals(BaseModel):
    """``[arrivals]``: how travellers reach the counter.

    ``steady``: one every ``interval_s`` seconds on average (seeded, random
    gaps); ``all-at-once``: everybody is waiting when the shift starts (a
    ferry has docked); ``waves``: groups of ``wave`` travellers every
    ``interval_s`` seconds (buses).
    """

    model_config = _STRICT
    pattern: one_of(ARRIVALS) = Field("steady", description="steady, all-at-once or waves")
    interval_s: Annotated[Num, Field(gt=0, le=3600)] = Field(30.0, description="seconds between arrivals or waves")
    wave: Annotated[Int, Field(ge=1, le=60)] = Field(10, description="travellers per wave")


class Team(BaseModel):
    """``[team]``: which roles officers may take, and who the second line consults."""

    model_config = _STRICT
    roles: tuple[one_of(tuple(ROLES)), ...] = Field(("first-line", "second-line"),
                                                    description="first-line (required), second-line, consulted")
    consulted: one_of(tuple(CONSULTED)) | None = Field(None, description="maritime or anti-trafficking")

    @model_validator(mode="after")
    def _roles_make_sense(self):
        if "first-line" not in self.roles:
            raise ValueError("roles: a team needs a first-line officer")
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("roles: lists a role twice")
        if "consulted" in self.roles and self.consulted is None:
            raise ValueError("consulted: say which department is consulted (maritime or anti-trafficking)")
        return self


class Story(BaseModel):
    """``[[stories]]``: what a traveller says when asked; one story is given to each traveller, by weight."""

    model_config = _STRICT
    id: Id
    who: Text = Field(description="who the traveller is, as the officer sees them")
    who_km: OptionalText = ""
    weight: Weight = 1.0
    travellers: one_of(("genuine", "fraud", "any")) = Field("any", description="who may tell it")
    purpose: Text
    purpose_km: OptionalText = ""
    stay: Text
    stay_km: OptionalText = ""
    occupation: Text
    occupation_km: OptionalText = ""
    ticket: Text
    ticket_km: OptionalText = ""

    def answer(self, question: str, lang: str = "en") -> str:
        en = getattr(self, question)
        km = getattr(self, f"{question}_km")
        return km if lang == "km" and km else en


class Scenario(BaseModel):
    """A validated drill scenario (``drills/NAME.toml``)."""

    model_config = _STRICT
    id: Id
    title: Text
    title_km: Text
    summary: Text
    summary_km: OptionalText = ""
    border: one_of(tuple(BORDERS))
    queue: Int = Field(description="travellers in the queue, 10 to 60")
    prevalence: Share = Field(description="share of travellers carrying a fraud (at least one when above 0)")
    time_budget_min: Annotated[Num, Field(gt=0, le=480)] = Field(description="the shift, in minutes")
    seed: Annotated[Int, Field(ge=0, lt=2**31)] = Field(1, description="same seed, same queue for every officer")
    arrivals: Arrivals = Arrivals()
    tools: tuple[one_of(tuple(TOOLS)), ...] = Field(tuple(TOOLS), description="the tools this post has")
    tool_seconds: dict[one_of(tuple(TOOLS)), Annotated[Int, Field(ge=0, le=600)]] = Field(
        {}, description="a tool's time cost where it differs from the usual one")
    documents: dict[one_of(TRAVEL_DOCUMENTS), Weight] = Field(description="weights of the travel document")
    extras: dict[one_of(EXTRA_KINDS), Share] = Field({}, description="chance of carrying each of these too")
    fraud: dict[one_of(FRAUD_KINDS), Weight] = Field(description="weights of the frauds (a technique or impostor)")
    severity: tuple[Share, Share] = Field((0.3, 0.9), description="the forgers' care, subtle (0) to blatant (1)")
    captures: tuple[one_of(CAPTURE_KINDS), ...] = Field(("flat",), description="how documents are seen")
    contradiction: Share = Field(0.5, description="chance a fraudulent traveller contradicts the document")
    confusion: Share = Field(0.05, description="chance a genuine traveller slips")
    impostor_likeness: tuple[Share, Share] = Field(
        (0.5, 0.85), description="how much an impostor looks like the holder: 0 a stranger, 1 a twin")
    team: Team = Team()
    stories: tuple[Story, ...]

    @field_validator("queue")
    @classmethod
    def _queue(cls, value: int) -> int:
        if not 10 <= value <= 60:
            raise ValueError("must be from 10 to 60")
        return value

    @field_validator("tools", "captures")
    @classmethod
    def _unique(cls, value: tuple) -> tuple:
        if len(set(value)) != len(value):
            raise ValueError("lists a value twice")
        return value

    @field_validator("documents", "fraud")
    @classmethod
    def _some_weight(cls, value: dict) -> dict:
        if not value or not any(v > 0 for v in value.values()):
            raise ValueError("give at least one weight above 0")
        return value

    @field_validator("severity", "impostor_likeness")
    @classmethod
    def _ordered(cls, value: tuple) -> tuple:
        if value[0] > value[1]:
            raise ValueError("the first number (most subtle) must not exceed the second")
        return value

    @field_validator("stories")
    @classmethod
    def _stories(cls, value: tuple) -> tuple:
        if not value:
            raise ValueError("give at least one [[stories]] table")
        ids = [s.id for s in value]
        if len(set(ids)) != len(ids):
            raise ValueError(f"story id {next(i for i in ids if ids.count(i) > 1)!r} is used twice")
        return value

    @model_validator(mode="after")
    def _every_traveller_has_a_story(self):
        if self.prevalence > 0 and not any(s.travellers in ("fraud", "any") for s in self.stories):
            raise ValueError("stories: no story for a fraudulent traveller (travellers = \"fraud\" or \"any\")")
        if self.prevalence < 1 and not any(s.travellers in ("genuine", "any") for s in self.stories):
            raise ValueError("stories: no story for a genuine traveller (travellers = \"genuine\" or \"any\")")
        return self

    # ---- derived figures

    @property
    def fraudulent(self) -> int:
        """How many travellers carry a fraud: the prevalence of the queue, at least one when above 0."""
        if self.prevalence <= 0:
            return 0
        return min(self.queue, max(1, round(self.queue * self.prevalence)))

    def seconds(self, tool: str) -> int:
        """The time cost of ``tool`` at this post."""
        return self.tool_seconds.get(tool, TOOLS[tool].seconds)

    @property
    def digest(self) -> str:
        """A hash of the scenario's content: a changed file is a different scenario."""
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        """A scenario stored as :meth:`as_dict` (by this docexam or another: keys it does not know are left out)."""
        return cls.model_validate({k: v for k, v in data.items() if k in cls.model_fields})


# --------------------------------------------------------------------------
# reading files

def _placed(problem: InvalidFieldError, lines: dict) -> InvalidFieldError:
    """A check of a whole table names its key in the message (``roles: ...``): report it at that key."""
    text = str(problem).split(f"{problem.field}: ", 1)[-1]
    named = re.match(r"^([a-z_]+): (.*)\Z", text)
    if named:
        key = named.group(1) if problem.field == "Scenario" else f"{problem.field}.{named.group(1)}"
        return InvalidFieldError(problem.path, key, named.group(2), line=line_of(lines, key))
    return problem


def scenario_problems(text: str, path: str | os.PathLike = "<scenario>") -> list[InvalidFieldError]:
    """Every problem of the TOML ``text`` of a scenario (empty when it is valid).

    Each is an :class:`~docexam.errors.InvalidFieldError` naming ``path``, the
    line of the offending key and the key, in the order of the file.
    """
    text = text.removeprefix("\ufeff")
    try:
        data = parse_toml(text, path)  # sizes, nesting, numbers, texts: docexam.formats.reading
    except InvalidFieldError as exc:
        return [exc]
    lines = key_lines(text)
    found = problems(Scenario, data, path, line_of=lambda key: line_of(lines, key))
    return sorted((_placed(p, lines) for p in found), key=lambda p: (p.line or 0, p.field))


def parse_scenario(text: str, path: str | os.PathLike = "<scenario>") -> Scenario:
    """Validate the TOML ``text`` of a scenario; ``path`` is used in messages.

    Raises
    ------
    InvalidFieldError
        The first problem of :func:`scenario_problems` (file, line, key).
    """
    problems = scenario_problems(text, path)
    if problems:
        raise problems[0]
    return Scenario.model_validate(parse_toml(text, path))


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate one scenario file."""
    return parse_scenario(read_text(Path(path)), path)


def check_files(paths) -> list[InvalidFieldError | InputFileError]:
    """Every problem of every file in ``paths`` (unreadable files, bad keys, ids used twice)."""
    out: list = []
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        try:
            text = read_text(path)
        except InputFileError as exc:
            out.append(exc)
            continue
        found = scenario_problems(text, path)
        out.extend(found)
        if not found:
            scenario = Scenario.model_validate(parse_toml(text, path))
            if scenario.id in seen:
                out.append(InvalidFieldError(path, "id", Message("{id!r} is already used by {name}", id=scenario.id, name=seen[scenario.id].name),
                                             line=line_of(key_lines(text), "id")))
            seen.setdefault(scenario.id, path)
    return out


def scenario_files(folder: str | os.PathLike | None = None) -> list[Path]:
    """The ``*.toml`` files of ``folder`` (default: the shipped ``drills/``), sorted by name."""
    folder = Path(folder) if folder is not None else drills_dir()
    if not folder.is_dir():
        raise InputFileError(folder, Message("scenario folder not found"))
    return sorted(folder.glob("*.toml"))


def available_files() -> list[Path]:
    """The shipped scenarios, then this installation's own (``$DOCEXAM_HOME/drills``)."""
    own = user_drills_dir()
    return scenario_files() + (scenario_files(own) if own.is_dir() else [])


def load_scenarios(folder: str | os.PathLike | None = None) -> list[Scenario]:
    """Every scenario of ``folder``, validated, sorted by file name; by default the shipped ones and
    this installation's own (:func:`available_files`).

    Raises the first problem of :func:`check_files` (an id used twice included).
    """
    files = scenario_files(folder) if folder is not None else available_files()
    found = check_files(files)
    if found:
        raise found[0]
    return [load_scenario(p) for p in files]


def find_scenario(scenario_id: str, scenarios) -> Scenario:
    for s in scenarios:
        if s.id == scenario_id:
            return s
    raise UnknownNameError(Message("drill scenario"), scenario_id, [s.id for s in scenarios])
