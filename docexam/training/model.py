"""What the training record hands out: frozen values, one per kind of row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Trainee:
    """An officer who takes part in training."""

    id: int
    uid: str
    name: str
    department: str
    province: str
    rank: str
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row) -> Trainee:
        """From a row of ``trainees``."""
        return cls(id=row.id, uid=row.uid, name=row.name, department=row.department,
                   province=row.province, rank=row.rank, created_at=row.created_at)


@dataclass(frozen=True)
class RecordDetails:
    """One trainee record on its own (merges not followed): what a trainer compares before merging two."""

    trainee: Trainee
    #: codes of the workshops this record joined
    workshops: tuple[str, ...]
    #: answers stored under this record (undone imports left out)
    answers: int
    last_answer: dt.datetime | None
    has_pin: bool


@dataclass(frozen=True)
class Workshop:
    """A training course; trainees join it by typing its ``code``."""

    id: int
    uid: str
    code: str
    title: str
    place: str
    province: str
    start_date: dt.date
    end_date: dt.date
    trainers: tuple[str, ...]
    created_at: dt.datetime

    @classmethod
    def from_row(cls, row) -> Workshop:
        """From a row of ``workshops``."""
        return cls(id=row.id, uid=row.uid, code=row.code, title=row.title, place=row.place,
                   province=row.province, start_date=row.start_date, end_date=row.end_date,
                   trainers=tuple(row.trainers or ()), created_at=row.created_at)


@dataclass(frozen=True)
class Attempt:
    """One answer to one item, as recorded.

    ``resubmitted`` is true when :meth:`TrainingRecord.record_attempt` found
    this attempt already stored (the client sent it again) and stored nothing.
    """

    id: int
    uuid: str
    trainee_id: int
    workshop_id: int | None
    lesson_id: str | None
    item_id: str
    item_type: str
    topic: str
    form: str
    answer: Any
    score: float
    correct: bool
    specimen_genuine: bool | None
    answered_at: dt.datetime
    recorded_at: dt.datetime
    resubmitted: bool = field(default=False, compare=False)

    @classmethod
    def from_row(cls, row) -> Attempt:
        """From a row of ``attempts``."""
        return cls(id=row.id, uuid=row.uuid, trainee_id=row.trainee_id, workshop_id=row.workshop_id,
                   lesson_id=row.lesson_id, item_id=row.item_id, item_type=row.item_type, topic=row.topic,
                   form=row.form, answer=row.answer, score=float(row.score), correct=bool(row.correct),
                   specimen_genuine=None if row.specimen_genuine is None else bool(row.specimen_genuine),
                   answered_at=row.answered_at, recorded_at=row.recorded_at)


@dataclass(frozen=True)
class ReviewState:
    """Spaced-repetition state of one item for one trainee."""

    trainee_id: int
    item_id: str
    topic: str | None
    card: dict
    due: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row) -> ReviewState:
        """From a row of ``reviews``."""
        return cls(trainee_id=row.trainee_id, item_id=row.item_id, topic=row.topic, card=row.card,
                   due=row.due, updated_at=row.updated_at)


@dataclass(frozen=True)
class SurveyAnswer:
    """A trainee's feedback on a workshop."""

    id: int
    uuid: str
    trainee_id: int
    workshop_id: int
    relevance: int
    overall: int
    comments: str
    submitted_at: dt.datetime

    @classmethod
    def from_row(cls, row) -> SurveyAnswer:
        """From a row of ``surveys``."""
        return cls(id=row.id, uuid=row.uuid, trainee_id=row.trainee_id, workshop_id=row.workshop_id,
                   relevance=int(row.relevance), overall=int(row.overall), comments=row.comments,
                   submitted_at=row.submitted_at)


@dataclass(frozen=True)
class ScoreRow:
    """One trainee's line on a workshop scoreboard."""

    trainee_id: int
    name: str
    department: str
    attempts: int
    correct: int
    points: float
    mean_score: float | None
