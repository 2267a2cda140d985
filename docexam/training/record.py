"""The training record: trainees, workshops, answers, reviews and surveys.

One object, :class:`TrainingRecord`, is the whole interface::

    record = TrainingRecord.open()            # $DOCEXAM_DATABASE_URL or the SQLite file
    ws = record.create_workshop(title="Document examination, level 1", place="Poipet",
                                province="Banteay Meanchey", start_date=date(2025, 3, 3),
                                end_date=date(2025, 3, 5), trainers=["S. Dara"])
    me = record.register_trainee(name="Sok Chea", department="Immigration",
                                 province="Banteay Meanchey", rank="Captain", pin="4821")
    record.join_workshop(me.id, ws.code)
    record.record_attempt(uuid=..., trainee_id=me.id, workshop_id=ws.id, item_id="mrz-03",
                          item_type="mrz", topic="mrz", form="pre", score=1.0, correct=True)

Every method runs in its own transaction: when it returns, what it wrote is
on disk; when it raises, nothing was written. Attempts are append-only and
identified by a uuid the client chooses, so re-sending an answer after a
dropped connection records it once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import math
import os
import re
import secrets
import threading
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from . import schema as s
from .schema import default_database_url
from .errors import (DuplicateError, InvalidValueError, LockedOutError, NotEnrolledError,
                     TrainingError, UnknownTraineeError, UnknownWorkshopError, WrongPinError)
from .kdf import hash_secret, verify_secret

#: wrong PINs in a row before a trainee is locked out for LOCKOUT
MAX_FAILED_PINS = 5
LOCKOUT = dt.timedelta(minutes=5)
#: longest survey comment (as docexam.assessment.survey accepts)
MAX_COMMENT = 2000

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
_PIN_RE = re.compile(r"^[0-9]{4,12}$")
_TRAINER_PASSPHRASE_KEY = "trainer_passphrase_hash"
_TRAINER_FAILED_KEY = "trainer_passphrase_failures"
_TRAINER_LOCKED_KEY = "trainer_passphrase_locked_until"
_TRAINER_KEYS = (_TRAINER_PASSPHRASE_KEY, _TRAINER_FAILED_KEY, _TRAINER_LOCKED_KEY)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ------------------------------------------------------------------- records

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


@dataclass(frozen=True)
class ReviewState:
    """Spaced-repetition state of one item for one trainee."""

    trainee_id: int
    item_id: str
    topic: str | None
    card: dict
    due: dt.datetime
    updated_at: dt.datetime


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


# ---------------------------------------------------------------- validation

def _text(name: str, value: Any, *, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidValueError(name, f"must be text, got {type(value).__name__}")
    value = " ".join(value.split())
    if required and not value:
        raise InvalidValueError(name, "must not be empty")
    if len(value) > max_len:
        raise InvalidValueError(name, f"must be at most {max_len} characters")
    return value


def _identity_key(name: str, department: str, province: str) -> str:
    return "\x1f".join(part.casefold() for part in (name, department, province))


def _check_pin(pin: Any) -> str:
    if not isinstance(pin, str) or not _PIN_RE.match(pin):
        raise InvalidValueError("pin", "must be 4 to 12 digits")
    return pin


def _check_uuid(name: str, value: Any) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise InvalidValueError(name, f"not a uuid: {value!r}") from None


def _check_time(name: str, value: Any) -> dt.datetime:
    if value is None:
        return _now()
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise InvalidValueError(name, "must be a timezone-aware datetime")
    return value.astimezone(dt.timezone.utc)


def _check_rating(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValueError(name, f"must be a whole number from 1 to 5, got {value!r}")
    return value


def _check_json(name: str, value: Any) -> Any:
    try:
        # stored as JSON: keep what reading it back will give
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidValueError(name, f"must be JSON data ({exc})") from None


def normalise_code(code: str) -> str:
    """A workshop code as stored: upper case, no surrounding spaces."""
    return str(code).strip().upper()


# -------------------------------------------------------------------- record

class TrainingRecord:
    """The training database.

    Open it with :meth:`open`; close it with :meth:`close` or a ``with``
    block. One object may be shared by many threads (one per trainee in a
    workshop server).
    """

    def __init__(self, engine: sa.Engine):
        self._engine = engine
        # SQLite lets one writer in at a time and makes the others poll with
        # growing sleeps; queueing this process's writers on a lock instead
        # keeps a room of 30 trainees fast (other processes still poll)
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()

    # ---- lifecycle

    @classmethod
    def open(cls, url: str | None = None) -> TrainingRecord:
        """Open (and create or upgrade) the training database.

        Parameters
        ----------
        url : str, optional
            Any SQLAlchemy URL; default :func:`default_database_url`.

        Raises
        ------
        TrainingError
            The database cannot be reached or the URL is malformed.
        """
        url = url or default_database_url()
        try:
            engine = s.create_engine(url)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
            raise TrainingError(f"training database URL {url!r}: {exc}") from None
        try:
            s.migrate(engine)
        except sa.exc.OperationalError as exc:
            engine.dispose()
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise TrainingError(f"cannot open the training database "
                                f"{engine.url.render_as_string(hide_password=True)}: {detail}") from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> TrainingRecord:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for reports and exports in this package)."""
        return self._engine

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A connection in a write transaction, committed when the block ends."""
        with self._write_lock, s.write_connection(self._engine) as conn, conn.begin():
            yield conn

    def _read(self) -> sa.Connection:
        return self._engine.connect()

    def _snapshot(self) -> sa.Connection:
        """A read connection whose queries all see the same moment.

        For exports and reports, which read several tables while trainees
        keep answering. SQLite's read transaction is a snapshot already;
        PostgreSQL's default (read committed) is not.
        """
        conn = self._engine.connect()
        if self._engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        return conn

    # ---- trainees

    def register_trainee(self, *, name: str, department: str, province: str, pin: str,
                         rank: str = "") -> Trainee:
        """Add a trainee.

        The triple (name, department, province), ignoring case and spacing,
        identifies an officer: registering it twice raises
        :class:`DuplicateError`.
        """
        values = dict(name=_text("name", name, max_len=200),
                      department=_text("department", department, max_len=200),
                      province=_text("province", province, max_len=200),
                      rank=_text("rank", rank, max_len=100, required=False))
        pin_hash = hash_secret(_check_pin(pin))  # slow: outside the transaction
        key = _identity_key(values["name"], values["department"], values["province"])
        duplicate = DuplicateError(f"{values['name']} ({values['department']}, {values['province']}) "
                                   "is already registered")
        try:
            with self._write() as conn:
                if conn.scalar(sa.select(s.trainees.c.id).where(s.trainees.c.identity_key == key)) is not None:
                    raise duplicate
                return self._insert_trainee(conn, dict(values, uid=str(uuidlib.uuid4()), identity_key=key,
                                                       pin_hash=pin_hash, created_at=_now()))
        except sa.exc.IntegrityError:
            # registered at the same moment from another phone (PostgreSQL)
            raise duplicate from None

    @staticmethod
    def _insert_trainee(conn: sa.Connection, values: dict) -> Trainee:
        new_id = conn.execute(s.trainees.insert().values(**values)).inserted_primary_key[0]
        return _trainee(conn.execute(sa.select(s.trainees).where(s.trainees.c.id == new_id)).one())

    def trainee(self, trainee_id: int) -> Trainee:
        """The trainee with this id; :class:`UnknownTraineeError` if none."""
        with self._read() as conn:
            return self._trainee_row(conn, trainee_id)

    @staticmethod
    def _trainee_row(conn: sa.Connection, trainee_id: int) -> Trainee:
        row = conn.execute(sa.select(s.trainees).where(s.trainees.c.id == trainee_id)).one_or_none()
        if row is None:
            raise UnknownTraineeError(trainee_id)
        return _trainee(row)

    def find_trainee(self, *, name: str, department: str, province: str) -> Trainee | None:
        """The trainee with this identity (case and spacing ignored), or None."""
        key = _identity_key(_text("name", name, max_len=200), _text("department", department, max_len=200),
                            _text("province", province, max_len=200))
        with self._read() as conn:
            row = conn.execute(sa.select(s.trainees).where(s.trainees.c.identity_key == key)).one_or_none()
        return None if row is None else _trainee(row)

    def trainees(self, workshop_id: int | None = None) -> list[Trainee]:
        """All trainees, or those enrolled in a workshop, by name."""
        query = sa.select(s.trainees).order_by(s.trainees.c.name, s.trainees.c.id)
        if workshop_id is not None:
            query = query.join(s.enrolments, s.enrolments.c.trainee_id == s.trainees.c.id).where(
                s.enrolments.c.workshop_id == workshop_id)
        with self._read() as conn:
            return [_trainee(row) for row in conn.execute(query)]

    def authenticate(self, trainee_id: int, pin: str) -> Trainee:
        """Check a trainee's PIN.

        After :data:`MAX_FAILED_PINS` wrong PINs in a row the trainee is
        locked out for :data:`LOCKOUT`, so a neighbour cannot try every PIN.
        The lockout check, the PIN check and the failure count are one
        transaction holding the trainee's row (``SELECT ... FOR UPDATE`` on
        PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite): guesses sent at the same
        moment are evaluated one after the other, never side by side, so no
        more than :data:`MAX_FAILED_PINS` of them are ever checked.

        Raises
        ------
        UnknownTraineeError, WrongPinError, LockedOutError
        """
        t = s.trainees
        with self._write() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == trainee_id).with_for_update()).one_or_none()
            if row is None:
                raise UnknownTraineeError(trainee_id)
            now = _now()
            if row.locked_until is not None and row.locked_until > now:
                minutes = math.ceil((row.locked_until - now).total_seconds() / 60)
                raise LockedOutError(f"too many wrong PINs for {row.name}; try again in {minutes} min "
                                     "or ask the trainer to reset the PIN")
            if row.pin_hash is None:
                raise WrongPinError(f"{row.name} has no PIN on this computer; the trainer can set one")
            # slow (scrypt) and inside the transaction on purpose: see above
            if isinstance(pin, str) and verify_secret(pin, row.pin_hash):
                if row.failed_pins or row.locked_until is not None:
                    conn.execute(t.update().where(t.c.id == trainee_id).values(failed_pins=0, locked_until=None))
                return _trainee(row)
            failed = row.failed_pins + 1
            locked = now + LOCKOUT if failed >= MAX_FAILED_PINS else None
            conn.execute(t.update().where(t.c.id == trainee_id)
                         .values(failed_pins=0 if locked else failed, locked_until=locked))
        # the failure is committed before the error leaves: raising inside the block would roll it back
        raise WrongPinError(f"wrong PIN for {row.name}")

    def set_pin(self, trainee_id: int, pin: str) -> None:
        """Give a trainee a new PIN (the trainer resets a forgotten one)."""
        pin_hash = hash_secret(_check_pin(pin))
        t = s.trainees
        with self._write() as conn:
            done = conn.execute(t.update().where(t.c.id == trainee_id)
                                .values(pin_hash=pin_hash, failed_pins=0, locked_until=None)).rowcount
            if not done:
                raise UnknownTraineeError(trainee_id)

    # ---- workshops

    def create_workshop(self, *, title: str, place: str, province: str, start_date: dt.date,
                        end_date: dt.date, trainers: Iterable[str] = (), code: str | None = None) -> Workshop:
        """Add a workshop; without ``code`` a short random one is chosen."""
        values = dict(title=_text("title", title, max_len=300), place=_text("place", place, max_len=200),
                      province=_text("province", province, max_len=200))
        for name, day in (("start_date", start_date), ("end_date", end_date)):
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise InvalidValueError(name, "must be a date")
        if end_date < start_date:
            raise InvalidValueError("end_date", "is before start_date")
        if isinstance(trainers, str):
            trainers = [trainers]
        names = [_text("trainers", n, max_len=200) for n in trainers]
        if code is not None:
            code = normalise_code(code)
            if not CODE_RE.match(code):
                raise InvalidValueError("code", "must be 3 to 40 letters, digits or '-'")
        try:
            with self._write() as conn:
                if code is None:
                    code = self._free_code(conn)
                elif conn.scalar(sa.select(s.workshops.c.id).where(s.workshops.c.code == code)) is not None:
                    raise DuplicateError(f"workshop code {code!r} is already used")
                values.update(uid=str(uuidlib.uuid4()), code=code, start_date=start_date, end_date=end_date,
                              trainers=names, created_at=_now())
                return self._insert_workshop(conn, values)
        except sa.exc.IntegrityError:
            # the same code taken at the same moment by another trainer (PostgreSQL)
            raise DuplicateError(f"workshop code {code!r} is already used") from None

    @staticmethod
    def _insert_workshop(conn: sa.Connection, values: dict) -> Workshop:
        new_id = conn.execute(s.workshops.insert().values(**values)).inserted_primary_key[0]
        return _workshop(conn.execute(sa.select(s.workshops).where(s.workshops.c.id == new_id)).one())

    @staticmethod
    def _free_code(conn: sa.Connection) -> str:
        while True:
            code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
            if conn.scalar(sa.select(s.workshops.c.id).where(s.workshops.c.code == code)) is None:
                return code

    def workshop(self, ref: int | str) -> Workshop:
        """The workshop with this id or code (code case ignored).

        Raises
        ------
        UnknownWorkshopError
        """
        with self._read() as conn:
            return self._workshop_row(conn, ref)

    @staticmethod
    def _workshop_row(conn: sa.Connection, ref: int | str) -> Workshop:
        w = s.workshops
        if isinstance(ref, int):
            row = conn.execute(sa.select(w).where(w.c.id == ref)).one_or_none()
        else:  # what a person typed: the code, or the id as digits
            row = conn.execute(sa.select(w).where(w.c.code == normalise_code(ref))).one_or_none()
            if row is None and str(ref).strip().isdigit():
                row = conn.execute(sa.select(w).where(w.c.id == int(ref))).one_or_none()
        if row is None:
            raise UnknownWorkshopError(ref)
        return _workshop(row)

    def workshops(self) -> list[Workshop]:
        """All workshops, newest first."""
        w = s.workshops
        with self._read() as conn:
            rows = conn.execute(sa.select(w).order_by(w.c.start_date.desc(), w.c.id.desc()))
            return [_workshop(row) for row in rows]

    def join_workshop(self, trainee_id: int, code: str) -> Workshop:
        """Enrol a trainee in the workshop with this code (again is harmless)."""
        e = s.enrolments
        try:
            with self._write() as conn:
                workshop = self._workshop_row(conn, str(code))
                self._trainee_row(conn, trainee_id)
                exists = conn.scalar(sa.select(sa.func.count()).select_from(e).where(
                    e.c.workshop_id == workshop.id, e.c.trainee_id == trainee_id))
                if not exists:
                    conn.execute(e.insert().values(workshop_id=workshop.id, trainee_id=trainee_id,
                                                   joined_at=_now()))
        except sa.exc.IntegrityError:
            # joined twice at the same moment (PostgreSQL): the other one did it
            workshop = self.workshop(str(code))
        return workshop

    @staticmethod
    def _check_enrolled(conn: sa.Connection, trainee_id: int, workshop_id: int) -> None:
        e = s.enrolments
        if not conn.scalar(sa.select(sa.func.count()).select_from(e).where(
                e.c.workshop_id == workshop_id, e.c.trainee_id == trainee_id)):
            trainee = TrainingRecord._trainee_row(conn, trainee_id)
            workshop = TrainingRecord._workshop_row(conn, workshop_id)
            raise NotEnrolledError(f"{trainee.name} has not joined workshop {workshop.code}")

    # ---- attempts

    def record_attempt(self, *, uuid: str, trainee_id: int, item_id: str, item_type: str, topic: str,
                       form: str, score: float, correct: bool, answer: Any = None,
                       workshop_id: int | None = None, lesson_id: str | None = None,
                       specimen_genuine: bool | None = None,
                       answered_at: dt.datetime | None = None) -> Attempt:
        """Store one answer, exactly once.

        Parameters
        ----------
        uuid : str
            Chosen by the client when the item is answered; sending the same
            attempt again stores nothing and returns the stored one.
        form : {'practice', 'pre', 'post', 'refresher'}
        score : float
            Credit in [0, 1].
        correct : bool
        answer : JSON data, optional
            What the trainee answered (click, box, choice).
        workshop_id : int, optional
            The trainee must have joined it.
        specimen_genuine : bool, optional
            For verdict items: whether the specimen shown was genuine.
        answered_at : datetime, optional
            Timezone-aware; default now.

        Raises
        ------
        InvalidValueError, UnknownTraineeError, UnknownWorkshopError, NotEnrolledError
        DuplicateError
            The uuid is already stored with a different answer.
        """
        values = dict(
            uuid=_check_uuid("uuid", uuid),
            trainee_id=trainee_id, workshop_id=workshop_id,
            lesson_id=_text("lesson_id", lesson_id, max_len=100, required=False) or None,
            item_id=_text("item_id", item_id, max_len=200),
            item_type=_text("item_type", item_type, max_len=40),
            topic=_text("topic", topic, max_len=100),
            form=form, answer=_check_json("answer", answer),
            score=score, correct=correct, specimen_genuine=specimen_genuine,
            answered_at=_check_time("answered_at", answered_at))
        if form not in s.FORMS:
            raise InvalidValueError("form", f"must be one of {', '.join(s.FORMS)}, got {form!r}")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
            raise InvalidValueError("score", f"must be a number from 0 to 1, got {score!r}")
        values["score"] = float(score)
        if not isinstance(correct, bool):
            raise InvalidValueError("correct", f"must be true or false, got {correct!r}")
        if specimen_genuine is not None and not isinstance(specimen_genuine, bool):
            raise InvalidValueError("specimen_genuine", f"must be true, false or None, got {specimen_genuine!r}")
        try:
            with self._write() as conn:
                existing = self._attempt_by_uuid(conn, values["uuid"])
                if existing is not None:
                    return _same_attempt(existing, values)
                if workshop_id is not None:
                    self._check_enrolled(conn, trainee_id, workshop_id)  # implies the trainee exists
                else:
                    self._trainee_row(conn, trainee_id)
                values["recorded_at"] = _now()
                return _attempt(conn.execute(s.attempts.insert().values(**values).returning(*s.attempts.c)).one())
        except sa.exc.IntegrityError:
            # another connection stored the same uuid between our check and
            # insert (PostgreSQL; SQLite's write lock rules this out)
            with self._read() as conn:
                existing = self._attempt_by_uuid(conn, values["uuid"])
            if existing is None:
                raise
            return _same_attempt(existing, values)

    @staticmethod
    def _attempt_by_uuid(conn: sa.Connection, uuid: str) -> Attempt | None:
        row = conn.execute(sa.select(s.attempts).where(s.attempts.c.uuid == uuid)).one_or_none()
        return None if row is None else _attempt(row)

    def attempts_for(self, *, trainee_id: int | None = None, workshop_id: int | None = None,
                     form: str | None = None) -> list[Attempt]:
        """Stored attempts, oldest first, filtered by trainee, workshop and form."""
        a = s.attempts
        query = sa.select(a).order_by(a.c.answered_at, a.c.id)
        if trainee_id is not None:
            query = query.where(a.c.trainee_id == trainee_id)
        if workshop_id is not None:
            query = query.where(a.c.workshop_id == workshop_id)
        if form is not None:
            query = query.where(a.c.form == form)
        with self._read() as conn:
            return [_attempt(row) for row in conn.execute(query)]

    def scoreboard(self, workshop_id: int, form: str | None = None) -> list[ScoreRow]:
        """Enrolled trainees with their attempts, correct answers and points.

        Best first (points, then name); trainees who answered nothing yet
        are listed with zeros.
        """
        a, t, e = s.attempts, s.trainees, s.enrolments
        join_on = sa.and_(a.c.trainee_id == t.c.id, a.c.workshop_id == workshop_id)
        if form is not None:
            join_on = sa.and_(join_on, a.c.form == form)
        points = sa.func.coalesce(sa.func.sum(a.c.score), 0.0)
        query = (sa.select(t.c.id, t.c.name, t.c.department, sa.func.count(a.c.id).label("n"),
                           sa.func.coalesce(sa.func.sum(sa.case((a.c.correct, 1), else_=0)), 0).label("ok"),
                           points.label("points"))
                 .select_from(e.join(t, e.c.trainee_id == t.c.id).outerjoin(a, join_on))
                 .where(e.c.workshop_id == workshop_id)
                 .group_by(t.c.id, t.c.name, t.c.department)
                 .order_by(points.desc(), t.c.name, t.c.id))
        with self._read() as conn:
            self._workshop_row(conn, workshop_id)
            return [ScoreRow(trainee_id=r.id, name=r.name, department=r.department, attempts=int(r.n),
                             correct=int(r.ok), points=float(r.points),
                             mean_score=float(r.points) / r.n if r.n else None)
                    for r in conn.execute(query)]

    # ---- spaced repetition

    def record_review(self, trainee_id: int, item_id: str, *, card: dict, due: dt.datetime | None = None,
                      topic: str | None = None) -> ReviewState:
        """Store (replace) a trainee's scheduling state for one item.

        Parameters
        ----------
        card : dict
            The scheduler's card as JSON data, as
            :func:`docexam.assessment.refresher.record_review` returns it.
        due : datetime, optional
            Timezone-aware time the item is next due; default the card's
            ``due`` (ISO 8601 text).
        """
        item_id = _text("item_id", item_id, max_len=200)
        topic = _text("topic", topic, max_len=100, required=False) or None
        if not isinstance(card, dict):
            raise InvalidValueError("card", "must be a dict")
        card = _check_json("card", card)
        if due is None:
            try:
                due = dt.datetime.fromisoformat(str(card.get("due")))
            except ValueError:
                raise InvalidValueError("due", "not given and the card has no ISO 8601 'due'") from None
        if not isinstance(due, dt.datetime) or due.tzinfo is None:
            raise InvalidValueError("due", "must be a timezone-aware datetime")
        r = s.reviews
        where = sa.and_(r.c.trainee_id == trainee_id, r.c.item_id == item_id)
        values = dict(topic=topic, card=card, due=due, updated_at=_now())
        for retry in (False, True):
            try:
                with self._write() as conn:
                    self._trainee_row(conn, trainee_id)
                    if not conn.execute(r.update().where(where).values(**values)).rowcount:
                        conn.execute(r.insert().values(trainee_id=trainee_id, item_id=item_id, **values))
                    return _review(conn.execute(sa.select(r).where(where)).one())
            except sa.exc.IntegrityError:
                # two first reviews of one item at once (PostgreSQL): the
                # other insert won; ours becomes an update
                if retry:
                    raise
        raise AssertionError("unreachable")

    def due_items(self, trainee_id: int, *, now: dt.datetime | None = None,
                  limit: int | None = None) -> list[ReviewState]:
        """The trainee's items due at ``now`` (default: now), most overdue first."""
        now = _check_time("now", now)
        r = s.reviews
        query = (sa.select(r).where(r.c.trainee_id == trainee_id, r.c.due <= now)
                 .order_by(r.c.due, r.c.item_id).limit(limit))
        with self._read() as conn:
            return [_review(row) for row in conn.execute(query)]

    def review_states(self, trainee_id: int) -> list[ReviewState]:
        """All the trainee's review states, by due time (for readiness per topic)."""
        r = s.reviews
        with self._read() as conn:
            return [_review(row) for row in conn.execute(
                sa.select(r).where(r.c.trainee_id == trainee_id).order_by(r.c.due, r.c.item_id))]

    # ---- survey

    def record_survey(self, *, trainee_id: int, workshop_id: int, relevance: int, overall: int,
                      comments: str = "", uuid: str | None = None) -> SurveyAnswer:
        """Store a trainee's feedback on a workshop (once per trainee).

        Parameters
        ----------
        relevance : int
            Relevance of the training to daily work, 1 (none) to 5 (very).
        overall : int
            Overall rating, 1 to 5.
        uuid : str, optional
            Client-chosen id, so a re-sent form is stored once.

        Raises
        ------
        InvalidValueError, NotEnrolledError
        DuplicateError
            The trainee already answered this workshop's survey.
        """
        relevance = _check_rating("relevance", relevance)
        overall = _check_rating("overall", overall)
        if comments is None:
            comments = ""
        if not isinstance(comments, str):
            raise InvalidValueError("comments", "must be text")
        comments = comments.strip()
        if len(comments) > MAX_COMMENT:
            raise InvalidValueError("comments", f"must be at most {MAX_COMMENT} characters")
        uuid = _check_uuid("uuid", uuid) if uuid is not None else str(uuidlib.uuid4())
        sv = s.surveys
        with self._write() as conn:
            self._check_enrolled(conn, trainee_id, workshop_id)
            row = conn.execute(sa.select(sv).where(sv.c.uuid == uuid)).one_or_none()
            if row is not None and (row.trainee_id, row.workshop_id, row.relevance, row.overall,
                                    row.comments) == (trainee_id, workshop_id, relevance, overall, comments):
                return _survey(row)
            if row is not None or conn.scalar(sa.select(sv.c.id).where(
                    sv.c.trainee_id == trainee_id, sv.c.workshop_id == workshop_id)) is not None:
                raise DuplicateError("this trainee has already answered the survey for this workshop")
            new_id = conn.execute(sv.insert().values(
                uuid=uuid, trainee_id=trainee_id, workshop_id=workshop_id, relevance=relevance,
                overall=overall, comments=comments, submitted_at=_now())).inserted_primary_key[0]
            return _survey(conn.execute(sa.select(sv).where(sv.c.id == new_id)).one())

    def surveys(self, workshop_id: int) -> list[SurveyAnswer]:
        """A workshop's survey answers, in order of submission."""
        sv = s.surveys
        with self._read() as conn:
            return [_survey(row) for row in conn.execute(
                sa.select(sv).where(sv.c.workshop_id == workshop_id).order_by(sv.c.submitted_at, sv.c.id))]

    # ---- settings

    def set_trainer_passphrase(self, passphrase: str) -> None:
        """Store (a slow hash of) the passphrase that unlocks trainer screens."""
        if not isinstance(passphrase, str) or len(passphrase.strip()) < 8:
            raise InvalidValueError("passphrase", "must be at least 8 characters")
        stored = hash_secret(passphrase)
        with self._write() as conn:  # a new passphrase also lifts a lockout
            self._put_setting(conn, _TRAINER_PASSPHRASE_KEY, stored)
            self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
            self._put_setting(conn, _TRAINER_LOCKED_KEY, "")

    def check_trainer_passphrase(self, passphrase: str) -> bool:
        """True when ``passphrase`` is the trainer's (False when none is set).

        Wrong passphrases count like wrong PINs: after :data:`MAX_FAILED_PINS`
        in a row the trainer pages stay locked for :data:`LOCKOUT`, checked
        and counted in one transaction holding the passphrase's row.

        Raises
        ------
        LockedOutError
            Too many wrong passphrases lately (even the right one waits).
        """
        st = s.settings
        with self._write() as conn:
            rows = {r.key: r.value for r in conn.execute(
                sa.select(st.c.key, st.c.value).where(st.c.key.in_(_TRAINER_KEYS)).with_for_update())}
            stored = rows.get(_TRAINER_PASSPHRASE_KEY)
            if stored is None:
                return False
            now = _now()
            locked_until = rows.get(_TRAINER_LOCKED_KEY)
            if locked_until and dt.datetime.fromisoformat(locked_until) > now:
                minutes = math.ceil((dt.datetime.fromisoformat(locked_until) - now).total_seconds() / 60)
                raise LockedOutError(f"too many wrong trainer passphrases; try again in {minutes} min")
            failed = int(rows.get(_TRAINER_FAILED_KEY) or 0)
            if isinstance(passphrase, str) and verify_secret(passphrase, stored):
                if failed or locked_until:
                    self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
                    self._put_setting(conn, _TRAINER_LOCKED_KEY, "")
                return True
            failed += 1
            if failed >= MAX_FAILED_PINS:
                self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
                self._put_setting(conn, _TRAINER_LOCKED_KEY, (now + LOCKOUT).isoformat())
            else:
                self._put_setting(conn, _TRAINER_FAILED_KEY, str(failed))
        return False

    def has_trainer_passphrase(self) -> bool:
        """True once a trainer passphrase has been set."""
        return self._setting(_TRAINER_PASSPHRASE_KEY) is not None

    def _setting(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.scalar(sa.select(s.settings.c.value).where(s.settings.c.key == key))

    @staticmethod
    def _put_setting(conn: sa.Connection, key: str, value: str) -> None:
        st = s.settings
        if not conn.execute(st.update().where(st.c.key == key).values(value=value, updated_at=_now())).rowcount:
            conn.execute(st.insert().values(key=key, value=value, updated_at=_now()))

    # ---- exchange and reports (implemented in their own modules)

    def export_workshop(self, ref: int | str, path: str | os.PathLike) -> Path:
        """Write a workshop's records to one JSON file; see :mod:`.exchange`."""
        from .exchange import export_workshop

        return export_workshop(self, ref, path)

    def import_workshop(self, path: str | os.PathLike):
        """Merge an exported workshop file into this record; see :mod:`.exchange`."""
        from .exchange import import_workshop

        return import_workshop(self, path)

    def key_results(self, ref: int | str):
        """The workshop's Key Results; see :mod:`.report`."""
        from .report import key_results

        return key_results(self, ref)


# ----------------------------------------------------------- row converters

def _trainee(row) -> Trainee:
    return Trainee(id=row.id, uid=row.uid, name=row.name, department=row.department,
                   province=row.province, rank=row.rank, created_at=row.created_at)


def _workshop(row) -> Workshop:
    return Workshop(id=row.id, uid=row.uid, code=row.code, title=row.title, place=row.place,
                    province=row.province, start_date=row.start_date, end_date=row.end_date,
                    trainers=tuple(row.trainers or ()), created_at=row.created_at)


def _attempt(row) -> Attempt:
    return Attempt(id=row.id, uuid=row.uuid, trainee_id=row.trainee_id, workshop_id=row.workshop_id,
                   lesson_id=row.lesson_id, item_id=row.item_id, item_type=row.item_type, topic=row.topic,
                   form=row.form, answer=row.answer, score=float(row.score), correct=bool(row.correct),
                   specimen_genuine=None if row.specimen_genuine is None else bool(row.specimen_genuine),
                   answered_at=row.answered_at, recorded_at=row.recorded_at)


def _review(row) -> ReviewState:
    return ReviewState(trainee_id=row.trainee_id, item_id=row.item_id, topic=row.topic, card=row.card,
                       due=row.due, updated_at=row.updated_at)


def _survey(row) -> SurveyAnswer:
    return SurveyAnswer(id=row.id, uuid=row.uuid, trainee_id=row.trainee_id, workshop_id=row.workshop_id,
                        relevance=int(row.relevance), overall=int(row.overall), comments=row.comments,
                        submitted_at=row.submitted_at)


_IDENTITY_FIELDS = ("trainee_id", "workshop_id", "item_id", "form", "score", "correct", "answer")


def _same_attempt(existing: Attempt, values: dict) -> Attempt:
    """``existing`` marked as re-submitted, or DuplicateError if it differs."""
    if any(getattr(existing, name) != values[name] for name in _IDENTITY_FIELDS):
        raise DuplicateError(f"attempt {existing.uuid} is already recorded with a different answer; "
                             "a new answer needs a new uuid")
    return dataclasses.replace(existing, resubmitted=True)
