"""Answers: attempts, spaced-repetition reviews and survey answers.

Methods of :class:`~.record.TrainingRecord`. Attempts and survey answers
are append-only (the database refuses to change them) and identified by a
uuid the client chooses, so re-sending one after a dropped connection
stores it once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid as uuidlib
from typing import Any

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import check_json, check_rating, check_score, check_time, check_uuid, clean_text, utc_now
from .errors import DuplicateError, InvalidValueError
from .imports import counted
from .merges import resolve
from .model import Attempt, RecordDetails, ReviewState, ScoreRow, SurveyAnswer, Trainee
from .store import Store, check_enrolled, get_trainee, get_workshop

#: longest survey comment (as docexam.assessment.survey accepts)
MAX_COMMENT = 2000

#: what must match for a re-sent attempt to be the same answer
_IDENTITY_FIELDS = ("trainee_id", "workshop_id", "item_id", "form", "score", "correct", "answer")


class AnswerMethods(Store):
    """Recording and reading trainees' answers."""

    def record_attempt(self, *, uuid: str, trainee_id: int, item_id: str, item_type: str, topic: str,
                       form: str, score: float, correct: bool, answer: Any = None,
                       workshop_id: int | None = None, lesson_id: str | None = None,
                       specimen_genuine: bool | None = None,
                       answered_at: dt.datetime | None = None, review: dict | None = None,
                       review_topic: str | None = None) -> Attempt:
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
        review : dict, optional
            The item's refresher card after this answer (as :meth:`record_review`
            takes it), stored in the same transaction when the answer is new:
            one commit per answer instead of two (a room of 30 waits on each).
        review_topic : str, optional
            The card's topic (:meth:`record_review`'s ``topic``).

        Raises
        ------
        InvalidValueError, UnknownTraineeError, UnknownWorkshopError, NotEnrolledError
        DuplicateError
            The uuid is already stored with a different answer.
        """
        values = dict(
            uuid=check_uuid("uuid", uuid),
            trainee_id=trainee_id, workshop_id=workshop_id,
            lesson_id=clean_text("lesson_id", lesson_id, max_len=100, required=False) or None,
            item_id=clean_text("item_id", item_id, max_len=200),
            item_type=clean_text("item_type", item_type, max_len=40),
            topic=clean_text("topic", topic, max_len=100),
            form=form, answer=check_json("answer", answer),
            score=score, correct=correct, specimen_genuine=specimen_genuine,
            answered_at=check_time("answered_at", answered_at))
        if form not in s.FORMS:
            raise InvalidValueError("form", Message("must be one of {value}, got {form!r}", value=', '.join(s.FORMS), form=form))
        values["score"] = check_score("score", score)
        card = None if review is None else _review_values(review, due=None, topic=review_topic)
        if not isinstance(correct, bool):
            raise InvalidValueError("correct", Message("must be true or false, got {correct!r}", correct=correct))
        if specimen_genuine is not None and not isinstance(specimen_genuine, bool):
            raise InvalidValueError("specimen_genuine", Message("must be true, false or None, got "
                                                                "{specimen_genuine!r}", specimen_genuine=specimen_genuine))
        try:
            with self.write() as conn:
                existing = self._attempt_by_uuid(conn, values["uuid"])
                if existing is not None:
                    return _same_attempt(existing, values)
                if workshop_id is not None:
                    check_enrolled(conn, trainee_id, workshop_id)  # implies the trainee exists
                else:
                    get_trainee(conn, trainee_id)
                values["recorded_at"] = utc_now()
                attempt = Attempt.from_row(conn.execute(s.attempts.insert().values(**values).returning(*s.attempts.c)).one())
                if card is not None:
                    _store_review(conn, trainee_id, values["item_id"], card)
                return attempt
        except sa.exc.IntegrityError:
            # another connection stored the same uuid between our check and
            # insert (PostgreSQL; SQLite's write lock rules this out)
            with self.read() as conn:
                existing = self._attempt_by_uuid(conn, values["uuid"])
            if existing is None:
                raise
            return _same_attempt(existing, values)

    @staticmethod
    def _attempt_by_uuid(conn: sa.Connection, uuid: str) -> Attempt | None:
        row = conn.execute(sa.select(s.attempts).where(s.attempts.c.uuid == uuid)).one_or_none()
        return None if row is None else Attempt.from_row(row)

    def attempts_for(self, *, trainee_id: int | None = None, workshop_id: int | None = None,
                     form: str | None = None) -> list[Attempt]:
        """Stored attempts, oldest first, filtered by trainee, workshop and form.

        A trainee's attempts include those of every record merged with it
        (:mod:`.merges`), under the ids they were stored with.

        Attempts of an undone import are left out (:mod:`.imports`).
        """
        a = s.attempts
        query = sa.select(a).where(counted(a, "attempt")).order_by(a.c.answered_at, a.c.id)
        if trainee_id is not None:
            query = query.where(a.c.trainee_id.in_(sorted(self.same_person(trainee_id))))
        if workshop_id is not None:
            query = query.where(a.c.workshop_id == workshop_id)
        if form is not None:
            query = query.where(a.c.form == form)
        with self.read() as conn:
            return [Attempt.from_row(row) for row in conn.execute(query)]

    def record_details(self, trainee_id: int) -> RecordDetails:
        """This record alone, merges not followed: its workshops, answers, last answer, whether it has a PIN."""
        a, t, e, w = s.attempts, s.trainees, s.enrolments, s.workshops
        with self.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == trainee_id)).one_or_none()
            if row is None:
                get_trainee(conn, trainee_id)  # raises UnknownTraineeError
            codes = conn.scalars(sa.select(w.c.code).join(e, e.c.workshop_id == w.c.id)
                                 .where(e.c.trainee_id == trainee_id).order_by(w.c.start_date, w.c.code)).all()
            n, last = conn.execute(sa.select(sa.func.count(), sa.func.max(a.c.answered_at))
                                   .where(a.c.trainee_id == trainee_id, counted(a, "attempt"))).one()
        return RecordDetails(trainee=Trainee.from_row(row), workshops=tuple(codes), answers=int(n),
                             last_answer=last, has_pin=bool(row.pin_hash))

    def scoreboard(self, workshop_id: int, form: str | None = None) -> list[ScoreRow]:
        """Enrolled trainees with their attempts, correct answers and points.

        Best first (points, then name); trainees who answered nothing yet
        are listed with zeros.
        """
        a, t, e = s.attempts, s.trainees, s.enrolments
        join_on = sa.and_(a.c.trainee_id == t.c.id, a.c.workshop_id == workshop_id, counted(a, "attempt"))
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
        with self.read() as conn:
            get_workshop(conn, workshop_id)
            rows = conn.execute(query).all()
        # two records of one officer (merged) are one line, under the record kept
        aliases = self.aliases()
        folded: dict[int, list] = {}
        names = {r.id: (r.name, r.department) for r in rows}
        for r in rows:
            root = resolve(aliases, r.id)
            line = folded.setdefault(root, [0, 0, 0.0])
            line[0] += int(r.n)
            line[1] += int(r.ok)
            line[2] += float(r.points)
        if any(root not in names for root in folded):
            names |= {tid: (tr.name, tr.department) for tid in folded if tid not in names
                      for tr in [self.trainee(tid)]}
        board = [ScoreRow(trainee_id=tid, name=names[tid][0], department=names[tid][1], attempts=n, correct=ok,
                          points=points, mean_score=points / n if n else None)
                 for tid, (n, ok, points) in folded.items()]
        return sorted(board, key=lambda r: (-r.points, r.name, r.trainee_id))

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
        item_id = clean_text("item_id", item_id, max_len=200)
        values = _review_values(card, due=due, topic=topic)
        for retry in (False, True):
            try:
                with self.write() as conn:
                    get_trainee(conn, trainee_id)
                    return _store_review(conn, trainee_id, item_id, values)
            except sa.exc.IntegrityError:
                # two first reviews of one item at once (PostgreSQL): the
                # other insert won; ours becomes an update
                if retry:
                    raise
        raise AssertionError("unreachable")

    def due_items(self, trainee_id: int, *, now: dt.datetime | None = None,
                  limit: int | None = None) -> list[ReviewState]:
        """The trainee's items due at ``now`` (default: now), most overdue first."""
        now = check_time("now", now)
        r = s.reviews
        query = (sa.select(r).where(r.c.trainee_id.in_(sorted(self.same_person(trainee_id))), r.c.due <= now)
                 .order_by(r.c.due, r.c.item_id).limit(limit))
        with self.read() as conn:
            return [ReviewState.from_row(row) for row in conn.execute(query)]

    def review_states(self, trainee_id: int) -> list[ReviewState]:
        """All the trainee's review states, by due time (for readiness per topic)."""
        r = s.reviews
        with self.read() as conn:
            return [ReviewState.from_row(row) for row in conn.execute(
                sa.select(r).where(r.c.trainee_id.in_(sorted(self.same_person(trainee_id))))
                .order_by(r.c.due, r.c.item_id))]

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
        relevance = check_rating("relevance", relevance)
        overall = check_rating("overall", overall)
        if comments is None:
            comments = ""
        if not isinstance(comments, str):
            raise InvalidValueError("comments", Message("must be text"))
        comments = comments.strip()
        if len(comments) > MAX_COMMENT:
            raise InvalidValueError("comments", Message("must be at most {max_comment} characters", max_comment=MAX_COMMENT))
        uuid = check_uuid("uuid", uuid) if uuid is not None else str(uuidlib.uuid4())
        sv = s.surveys
        with self.write() as conn:
            check_enrolled(conn, trainee_id, workshop_id)
            row = conn.execute(sa.select(sv).where(sv.c.uuid == uuid)).one_or_none()
            if row is not None and (row.trainee_id, row.workshop_id, row.relevance, row.overall,
                                    row.comments) == (trainee_id, workshop_id, relevance, overall, comments):
                return SurveyAnswer.from_row(row)
            if row is not None or conn.scalar(sa.select(sv.c.id).where(
                    sv.c.trainee_id == trainee_id, sv.c.workshop_id == workshop_id)) is not None:
                raise DuplicateError(Message("this trainee has already answered the survey for this workshop"))
            new_id = conn.execute(sv.insert().values(
                uuid=uuid, trainee_id=trainee_id, workshop_id=workshop_id, relevance=relevance,
                overall=overall, comments=comments, submitted_at=utc_now())).inserted_primary_key[0]
            return SurveyAnswer.from_row(conn.execute(sa.select(sv).where(sv.c.id == new_id)).one())

    def surveys(self, workshop_id: int) -> list[SurveyAnswer]:
        """A workshop's survey answers, in order of submission."""
        sv = s.surveys
        with self.read() as conn:
            return [SurveyAnswer.from_row(row) for row in conn.execute(
                sa.select(sv).where(sv.c.workshop_id == workshop_id, counted(sv, "survey"))
                .order_by(sv.c.submitted_at, sv.c.id))]


def _same_attempt(existing: Attempt, values: dict) -> Attempt:
    """``existing`` marked as re-submitted, or DuplicateError if it differs."""
    if any(getattr(existing, name) != values[name] for name in _IDENTITY_FIELDS):
        raise DuplicateError(Message("attempt {uuid} is already recorded with a different answer; a new answer needs "
                                     "a new uuid", uuid=existing.uuid))
    return dataclasses.replace(existing, resubmitted=True)


def _review_values(card, *, due: dt.datetime | None, topic: str | None) -> dict:
    """A refresher card checked, as the ``reviews`` row's values."""
    topic = clean_text("topic", topic, max_len=100, required=False) or None
    if not isinstance(card, dict):
        raise InvalidValueError("card", Message("must be a dict"))
    card = check_json("card", card)
    if due is None:
        try:
            due = dt.datetime.fromisoformat(str(card.get("due")))
        except ValueError:
            raise InvalidValueError("due", Message("not given and the card has no ISO 8601 'due'")) from None
    if not isinstance(due, dt.datetime) or due.tzinfo is None:
        raise InvalidValueError("due", Message("must be a timezone-aware datetime"))
    return dict(topic=topic, card=card, due=due)


def _store_review(conn: sa.Connection, trainee_id: int, item_id: str, values: dict) -> ReviewState:
    """Replace (or add) a trainee's card for one item, in the caller's write transaction."""
    r = s.reviews
    where = sa.and_(r.c.trainee_id == trainee_id, r.c.item_id == item_id)
    values = {**values, "updated_at": utc_now()}
    if not conn.execute(r.update().where(where).values(**values)).rowcount:
        conn.execute(r.insert().values(trainee_id=trainee_id, item_id=item_id, **values))
    return ReviewState.from_row(conn.execute(sa.select(r).where(where)).one())
