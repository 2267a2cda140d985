"""A workshop's records as one JSON file (``docexam workshop export``), carried to headquarters.

The file holds the workshop, its enrolled trainees, their enrolments,
every attempt made in the workshop, the survey answers, the merges of its
trainees' records and the trainer's course settings. It is a signed
document (``signature``, see "Signed documents" below). A push to
headquarters (``docexam sync``) adds ``pins``, ``{trainee uid: PIN hash}``
(scrypt, docexam's parameters or cheaper), taken by headquarters only from
a trusted signer and only for an officer who has no PIN there; a file
export never carries them. Times are ISO 8601 with a time zone; ids are
uuids. Fields beyond those below are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter, WithJsonSchema

from .fields import Bool, Day, Fraction, Rating, Timestamp, Uuid, bounded_text, one_of
from .validation import Problem

FORMAT = "docexam-workshop-records"
VERSION = 1
#: the forms an attempt is made in: practice, the pre- and post-tests, a refresher
FORMS = ("practice", "pre", "post", "refresher")
#: a workshop code as stored: what trainees type to join
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}\Z")


def normalise_code(code: str) -> str:
    """A workshop code as stored: upper case, no surrounding spaces.

    Examples
    --------
    >>> normalise_code(" kpt-2025-03 ")
    'KPT-2025-03'
    """
    return str(code).strip().upper()


def _code(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty text")
    code = normalise_code(value)
    if not CODE_RE.match(code):
        raise ValueError("must be 3 to 40 letters, digits or '-'")
    return code


# The training record's own limits (its columns' lengths, docexam.training.schema): an import may
# not store what the record refuses when typed (a test compares them with the schema).
Name = bounded_text(200)
Rank = bounded_text(100, required=False)
Title = bounded_text(300)
LessonRef = bounded_text(100, required=False)
ItemId = bounded_text(200)
ItemType = bounded_text(40)
Topic = bounded_text(100)
#: what a survey comment may hold (docexam.training.answers.MAX_COMMENT)
Comment = bounded_text(2000, required=False)
Note = bounded_text(500, required=False)


def _names(value: Any) -> Any:
    if (not isinstance(value, list) or len(value) > 50
            or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value)):
        raise ValueError("must be a list of at most 50 names of at most 200 characters")
    return [_NAME.validate_python(v) for v in value]


_NAME = TypeAdapter(Name)


#: a workshop code, any case in, upper case out
WorkshopCode = Annotated[str, BeforeValidator(_code),
                         WithJsonSchema({"type": "string", "pattern": CODE_RE.pattern.replace("\\Z", "$")})]


class Workshop(BaseModel):
    uid: Uuid
    code: WorkshopCode
    title: Title
    place: Name
    province: Name
    start_date: Day
    end_date: Day
    trainers: Annotated[list[str], BeforeValidator(_names)]
    created_at: Timestamp


class Trainee(BaseModel):
    uid: Uuid
    name: Name
    department: Name
    province: Name
    rank: Rank | None = ""
    created_at: Timestamp


class Enrolment(BaseModel):
    trainee: Uuid = Field(description="uid of one of the file's trainees")
    joined_at: Timestamp


class Attempt(BaseModel):
    uuid: Uuid = Field(description="chosen by the trainee's device: the same answer sent twice has one uuid")
    trainee: Uuid
    lesson_id: LessonRef | None = None
    item_id: ItemId
    item_type: ItemType
    topic: Topic
    form: one_of(FORMS)
    answer: Any = Field(None, description="what the trainee answered (click, box, choice), as JSON")
    score: Fraction
    correct: Bool
    specimen_genuine: Bool | None = None
    answered_at: Timestamp


class Survey(BaseModel):
    uuid: Uuid
    trainee: Uuid
    relevance: Rating
    overall: Rating
    comments: Comment | None = ""
    submitted_at: Timestamp


class Merge(BaseModel):
    """Two records of one officer joined: the alias's answers count as the target's."""

    alias: Uuid = Field(description="uid of one of the file's trainees")
    target: Uuid = Field(description="uid of one of the file's trainees")
    note: Note | None = ""
    merged_at: Timestamp
    undone_at: Timestamp | None = None


class WorkshopExport(BaseModel):
    """The export file."""

    format: Literal["docexam-workshop-records"]
    version: Literal[1]
    exported_at: Timestamp | None = None
    workshop: Workshop
    trainees: list[Trainee]
    enrolments: list[Enrolment]
    attempts: list[Attempt]
    surveys: list[Survey]
    merges: list[Merge] = Field([], description="merges of the file's trainees' records")
    course: Any = Field(None, description="the trainer's course settings and the frozen pre/post forms "
                                          "(checked by docexam.training.course)")
    pins: dict[str, str] = Field({}, description="trainee uid -> PIN hash; only in a trusted push to "
                                                 "headquarters")

    def check(self) -> None:
        if self.workshop.end_date < self.workshop.start_date:
            raise Problem(("workshop", "end_date"), "before start_date")
        known = set()
        for i, t in enumerate(self.trainees):
            if t.uid in known:
                raise Problem(("trainees", i, "uid"), "listed twice")
            known.add(t.uid)
        for key in ("enrolments", "attempts", "surveys"):
            for i, row in enumerate(getattr(self, key)):
                if row.trainee not in known:
                    raise Problem((key, i, "trainee"), "not in the file's trainees")
        for i, m in enumerate(self.merges):
            for key in ("alias", "target"):
                if getattr(m, key) not in known:
                    raise Problem(("merges", i, key), "not in the file's trainees")
            if m.alias == m.target:
                raise Problem(("merges", i), "a record merged with itself")
        if not all(uid in known and pin_hash_acceptable(h) for uid, h in self.pins.items()):
            raise Problem(("pins",), "expected the PIN hashes of the file's trainees")


def pin_hash_acceptable(value: str) -> bool:
    """A scrypt hash made by docexam's parameters or cheaper (never a cost that stalls sign-in)."""
    parts = value.split("$")
    return (len(parts) == 6 and parts[0] == "scrypt" and all(p.isdigit() for p in parts[1:4])
            and int(parts[1]) <= 2**16 and int(parts[2]) <= 16 and int(parts[3]) <= 2 and len(value) < 300)


def utc(value: dt.datetime | dt.date) -> str:
    """A time or date as the file writes it (ISO 8601)."""
    return value.isoformat()
