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
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError,
                      field_validator, model_validator)

from ..atomic import read_text
from ..errors import InputFileError, InvalidFieldError, UnknownNameError
from ..lessons.format import key_lines, line_of
from ..paths import drills_dir
from ..specimens.model import CAPTURE_KINDS
from .catalogue import (ARRIVALS, BORDERS, CONSULTED, DOCUMENT_KINDS, FRAUD_KINDS, ROLES, TOOLS,
                        TRAVEL_DOCUMENTS)

# numbers are strict: "10" or true is refused where a number belongs (TOML has types; use them)
Int = Annotated[int, Strict()]
Num = Annotated[float, Strict()]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Share = Annotated[Num, Field(ge=0.0, le=1.0)]
Weight = Annotated[Num, Field(ge=0.0, le=1000.0)]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Arrivals(BaseModel):
    """How travellers reach the counter.

    ``steady``: one every ``interval_s`` seconds on average (seeded, random
    gaps); ``all-at-once``: everybody is waiting when the shift starts (a
    ferry has docked); ``waves``: groups of ``wave`` travellers every
    ``interval_s`` seconds (buses).
    """

    model_config = _STRICT
    pattern: Literal[ARRIVALS] = "steady"
    interval_s: Annotated[Num, Field(gt=0, le=3600)] = 30.0
    wave: Annotated[Int, Field(ge=1, le=60)] = 10


class Team(BaseModel):
    """Team mode: which roles officers may take, and who the second line consults."""

    model_config = _STRICT
    roles: tuple[Literal[tuple(ROLES)], ...] = ("first-line", "second-line")
    consulted: Literal[tuple(CONSULTED)] | None = None

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
    """What a traveller says when asked: one story is given to each traveller, by weight."""

    model_config = _STRICT
    id: Ident
    who: Text
    who_km: OptionalText = ""
    weight: Weight = 1.0
    #: which travellers may tell it: genuine ones, fraudulent ones, or any
    travellers: Literal["genuine", "fraud", "any"] = "any"
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
    id: Ident
    title: Text
    title_km: Text
    summary: Text
    summary_km: OptionalText = ""
    border: Literal[tuple(BORDERS)]
    #: travellers in the queue
    queue: Int
    #: share of travellers who carry a forgery or are impostors (at least one when above 0)
    prevalence: Share
    #: the shift (the drill ends when the clock reaches it)
    time_budget_min: Annotated[Num, Field(gt=0, le=480)]
    #: same seed, same queue: every officer of a workshop meets the same travellers
    seed: Annotated[Int, Field(ge=0, lt=2**31)] = 1
    arrivals: Arrivals = Arrivals()
    #: the tools this post has, in the order the counter shows them
    tools: tuple[Literal[tuple(TOOLS)], ...] = tuple(TOOLS)
    #: time cost of a tool, in seconds, where it differs from the usual one
    tool_seconds: dict[Literal[tuple(TOOLS)], Annotated[Int, Field(ge=0, le=600)]] = {}
    #: weights of the travel document each traveller presents
    documents: dict[Literal[TRAVEL_DOCUMENTS], Weight]
    #: chance that a traveller also carries each of these
    extras: dict[Literal[tuple(k for k in DOCUMENT_KINDS if k not in TRAVEL_DOCUMENTS)], Share] = {}
    #: weights of the frauds the fraudulent travellers carry (a technique or ``impostor``)
    fraud: dict[Literal[FRAUD_KINDS], Weight]
    #: the forgers' care, from subtle (0) to blatant (1), drawn uniformly in this range
    severity: tuple[Share, Share] = (0.3, 0.9)
    #: how the documents are seen: flat (in the hand), scan or phone
    captures: tuple[Literal[CAPTURE_KINDS], ...] = ("flat",)
    #: chance that a fraudulent traveller's answer about the document contradicts it
    contradiction: Share = 0.5
    #: chance that a genuine traveller gives a confused answer anyway
    confusion: Share = 0.05
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

    @field_validator("severity")
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
        """A scenario stored as :meth:`as_dict` (JSON: lists where the model has tuples)."""
        return cls.model_validate(data)


# --------------------------------------------------------------------------
# reading files

def _key_path(loc: tuple) -> str:
    """A pydantic error location as the key path of :func:`~docexam.lessons.format.key_lines`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("[key]",) or str(part).startswith(("literal[", "function-", "tuple[", "dict[")):
            continue
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def _message(error: dict, model_keys: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return f"unknown key (allowed: {', '.join(model_keys.get(_key_path(error['loc'][:-1]), ()))})"
    ctx = error.get("ctx", {})
    plain = {
        "string_pattern_mismatch": "must be lower-case letters, digits and '-'",
        "string_too_short": "expected a non-empty text",
        "string_type": "expected a text",
        "int_type": "expected a whole number",
        "float_type": "expected a number",
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "greater_than": f"must be more than {ctx.get('gt')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "less_than": f"must be less than {ctx.get('lt')}",
        "dict_type": "expected a table",
        "tuple_type": "expected a list",
        "model_type": "expected a table",
    }
    if kind in plain:
        return plain[kind]
    msg = re.sub(r"^(Value error|Assertion failed), ", "", error["msg"])
    if kind == "literal_error":
        given = error.get("input")
        expected = error.get("ctx", {}).get("expected", "")
        return f"{given!r} is not one of {expected.replace(chr(39), '')}"
    return msg[:1].lower() + msg[1:]


def _allowed_keys(data: dict) -> dict[str, tuple[str, ...]]:
    """The keys each table of a scenario may have (for 'unknown key' messages), by key path."""
    out = {"": tuple(Scenario.model_fields), "arrivals": tuple(Arrivals.model_fields),
           "team": tuple(Team.model_fields)}
    for i, _story in enumerate(data.get("stories", []) if isinstance(data.get("stories"), list) else []):
        out[f"stories[{i}]"] = tuple(Story.model_fields)
    return out


def scenario_problems(text: str, path: str | os.PathLike = "<scenario>") -> list[InvalidFieldError]:
    """Every problem of the TOML ``text`` of a scenario (empty when it is valid).

    Each is an :class:`~docexam.errors.InvalidFieldError` naming ``path``, the
    line of the offending key and the key, in the order of the file.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return [InvalidFieldError(path, "TOML", msg, line=int(m.group(1)) if m else None)]
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        lines = key_lines(text)
        allowed = _allowed_keys(data)
        problems = []
        for error in exc.errors():
            key = _key_path(error["loc"]) or "scenario"
            message = _message(error, allowed)
            # a check of the whole scenario names its key in the message ("stories: ...")
            named = re.match(r"^([a-z_]+): (.*)$", message)
            if named and key == "scenario" or (named and named.group(1) in Team.model_fields and key == "team"):
                key = f"{key}.{named.group(1)}" if key == "team" else named.group(1)
                message = named.group(2)
            problems.append(InvalidFieldError(path, key, message, line=line_of(lines, key)))
        return sorted(problems, key=lambda p: (p.line or 0, p.field))
    return []


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
    return Scenario.model_validate(tomllib.loads(text))


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate one scenario file."""
    return parse_scenario(read_text(Path(path)), path)


def check_files(paths) -> list[InvalidFieldError | InputFileError]:
    """Every problem of every file in ``paths`` (unreadable files, bad keys, ids used twice)."""
    problems: list = []
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        try:
            text = read_text(path)
        except InputFileError as exc:
            problems.append(exc)
            continue
        found = scenario_problems(text, path)
        problems.extend(found)
        if not found:
            scenario = Scenario.model_validate(tomllib.loads(text))
            if scenario.id in seen:
                problems.append(InvalidFieldError(path, "id", f"{scenario.id!r} is already used by "
                                                  f"{seen[scenario.id].name}", line=line_of(key_lines(text), "id")))
            seen.setdefault(scenario.id, path)
    return problems


def scenario_files(folder: str | os.PathLike | None = None) -> list[Path]:
    """The ``*.toml`` files of ``folder`` (default: the shipped ``drills/``), sorted by name."""
    folder = Path(folder) if folder is not None else drills_dir()
    if not folder.is_dir():
        raise InputFileError(folder, "scenario folder not found")
    return sorted(folder.glob("*.toml"))


def load_scenarios(folder: str | os.PathLike | None = None) -> list[Scenario]:
    """Every scenario of ``folder`` (default: the shipped ``drills/``), validated, sorted by file name.

    Raises the first problem of :func:`check_files` (an id used twice included).
    """
    files = scenario_files(folder)
    problems = check_files(files)
    if problems:
        raise problems[0]
    return [load_scenario(p) for p in files]


def find_scenario(scenario_id: str, scenarios) -> Scenario:
    for s in scenarios:
        if s.id == scenario_id:
            return s
    raise UnknownNameError("drill scenario", scenario_id, [s.id for s in scenarios])
