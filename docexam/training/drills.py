"""Checkpoint drills in the record: sessions, officers and roles, events, threshold trials.

Methods of :class:`~.record.TrainingRecord`. A drill's shared state is its
list of events: every phone of a team appends what its officer does and
replays the list (:mod:`docexam.drill.engine`). An event is checked
against the replayed drill inside the write transaction, so two phones
calling the same traveller at once cannot both get them: the second is
told why not. Events and threshold trials are append-only and identified
by a uuid the phone chooses (a resend is stored once).

Polling is cheap: :meth:`DrillMethods.drill_version` is one indexed
``max(id)``; a phone reads the events again only when it changed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..i18n import Message
from ..drill.engine import Drill, Event, State, replay
from ..drill.scenario import Scenario
from ..drill.travellers import Traveller
from . import schema as s
from .checks import check_json, check_time, check_uuid, utc_now
from .errors import DuplicateError, InvalidValueError, TrainingError
from .merges import MergeMethods, resolve
from .store import get_trainee, get_workshop

#: letters of a drill's join code (no 0/O, 1/I/L: read aloud across a training room)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROLES = ("first-line", "second-line", "consulted")
THRESHOLD_FORMS = ("practice", "pre", "post")


class DrillRefusedError(TrainingError):
    """An officer's action the drill does not allow now (the message says why)."""


@dataclass(frozen=True)
class DrillSession:
    """A drill as created: its scenario and queue never change afterwards."""

    id: int
    uid: str
    code: str
    scenario: Scenario
    queue: tuple[Traveller, ...]
    seed: int
    team: bool
    workshop_id: int | None
    created_by: int
    created_at: dt.datetime

    def drill(self, roles: dict) -> Drill:
        return Drill(self.scenario, self.queue, dict(roles))


@dataclass(frozen=True)
class DrillEventRow:
    """An event as stored (``id`` orders them)."""

    id: int
    uuid: str
    trainee_id: int
    kind: str
    traveller: int | None
    detail: dict
    at: dt.datetime

    def event(self) -> Event:
        return Event(self.kind, self.trainee_id, self.at.timestamp(), self.traveller, dict(self.detail or {}))


@dataclass(frozen=True)
class ThresholdTrial:
    """One answer of an adaptive threshold measurement."""

    id: int
    uuid: str
    run_uid: str
    trainee_id: int
    workshop_id: int | None
    form: str
    technique: str
    severity: float
    correct: bool
    detail: Any
    answered_at: dt.datetime


_sessions: dict[tuple[str, int], DrillSession] = {}
_sessions_lock = threading.Lock()


def _session_from_row(row) -> DrillSession:
    return DrillSession(id=row.id, uid=row.uid, code=row.code, scenario=Scenario.from_dict(row.scenario),
                        queue=tuple(Traveller.from_dict(t) for t in row.queue), seed=row.seed, team=row.team,
                        workshop_id=row.workshop_id, created_by=row.created_by, created_at=row.created_at)


def _event_row(row) -> DrillEventRow:
    return DrillEventRow(row.id, row.uuid, row.trainee_id, row.kind, row.traveller, row.detail or {}, row.at)


class DrillMethods(MergeMethods):
    """Drills and threshold trials."""

    # ---- sessions

    def create_drill(self, *, scenario: Scenario, queue, created_by: int, team: bool = False,
                     role: str = "first-line", workshop_id: int | None = None,
                     seed: int | None = None, started_at: dt.datetime | None = None) -> DrillSession:
        """A new drill of ``scenario`` with ``queue`` (from :func:`docexam.drill.travellers.plan_queue`).

        The creator joins it in ``role``. A team drill gets a join code the
        other officers type; a solo drill starts at once: with ``started_at``
        its start is stored in the same transaction (one write, not two, for
        an officer opening a drill while the room arrives).
        """
        _check_role(role)
        if started_at is not None:
            started_at = check_time("started_at", started_at)
            if team:
                raise InvalidValueError("started_at", Message("a team drill starts when the team is in"))
        values = dict(uid=str(uuidlib.uuid4()), scenario_id=scenario.id, scenario=scenario.as_dict(),
                      queue=[t.as_dict() for t in queue], seed=scenario.seed if seed is None else int(seed),
                      team=bool(team), workshop_id=workshop_id, created_by=created_by, created_at=utc_now())
        with self.write() as conn:
            get_trainee(conn, created_by)
            if workshop_id is not None:
                get_workshop(conn, workshop_id)
            for _ in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
                if conn.scalar(sa.select(sa.func.count()).select_from(s.drill_sessions)
                               .where(s.drill_sessions.c.code == code)) == 0:
                    break
            values["code"] = code
            new_id = conn.execute(s.drill_sessions.insert().values(**values)).inserted_primary_key[0]
            conn.execute(s.drill_members.insert().values(session_id=new_id, trainee_id=created_by, role=role,
                                                         joined_at=values["created_at"]))
            if started_at is not None:  # nothing happened in a drill made just now: its start is allowed
                conn.execute(s.drill_events.insert().values(uuid=str(uuidlib.uuid4()), session_id=new_id,
                                                            trainee_id=created_by, kind="start", traveller=None,
                                                            detail={}, at=started_at))
            row = conn.execute(sa.select(s.drill_sessions).where(s.drill_sessions.c.id == new_id)).one()
        return _session_from_row(row)

    def drill_session(self, ref: int | str) -> DrillSession:
        """The drill with this id or join code (kept in memory: a drill never changes)."""
        ds = s.drill_sessions
        key = ("id", ref) if isinstance(ref, int) else ("code", str(ref).strip().upper())
        with _sessions_lock:
            found = _sessions.get((self.url, *key))
        if found is not None:
            return found
        with self.read() as conn:
            column = ds.c.id if key[0] == "id" else ds.c.code
            row = conn.execute(sa.select(ds).where(column == key[1])).one_or_none()
        if row is None:
            raise InvalidValueError("code", Message("no drill with the code {ref!r}", ref=ref))
        session = _session_from_row(row)
        with _sessions_lock:
            _sessions[(self.url, "id", session.id)] = session
            _sessions[(self.url, "code", session.code)] = session
        return session

    def drill_sessions(self, *, trainee_id: int | None = None, workshop_id: int | None = None) -> list[DrillSession]:
        """Drills a trainee is in (or of a workshop), newest first."""
        ds, dm = s.drill_sessions, s.drill_members
        query = sa.select(ds.c.id).order_by(ds.c.id.desc())
        if trainee_id is not None:
            query = query.join(dm, dm.c.session_id == ds.c.id).where(dm.c.trainee_id.in_(self.same_person(trainee_id)))
        if workshop_id is not None:
            query = query.where(ds.c.workshop_id == workshop_id)
        with self.read() as conn:
            ids = list(dict.fromkeys(conn.scalars(query)))
        return [self.drill_session(i) for i in ids]

    def join_drill(self, session_id: int, trainee_id: int, role: str) -> dict:
        """Join a team drill in ``role``; returns the roles (officer -> role).

        An officer already in the drill keeps the role they have. Only one
        second-line and one consulted officer per drill; first-line officers
        may be several.
        """
        _check_role(role)
        dm = s.drill_members
        with self.write() as conn:
            get_trainee(conn, trainee_id)
            conn.execute(sa.select(s.drill_sessions.c.id).where(s.drill_sessions.c.id == session_id)
                         .with_for_update())  # PostgreSQL: one joiner at a time (the roles check below)
            roles = _roles(conn, session_id)
            if trainee_id in roles:
                return roles
            session = self.drill_session(session_id)
            if not session.team:
                raise InvalidValueError("code", Message("this drill is not a team drill"))
            if role not in session.scenario.team.roles:
                raise InvalidValueError("role", Message("this scenario has no {role} officer", role=role))
            if role != "first-line" and role in roles.values():
                raise InvalidValueError("role", Message("this drill has a {role} officer already", role=role))
            conn.execute(dm.insert().values(session_id=session_id, trainee_id=trainee_id, role=role,
                                            joined_at=utc_now()))
            return _roles(conn, session_id)

    def drill_roles(self, session_id: int) -> dict:
        """Officer id -> role, for one drill."""
        with self.read() as conn:
            return _roles(conn, session_id)

    # ---- events

    def drill_version(self, session_id: int) -> tuple[int, int]:
        """(last event id, number of officers): changes whenever anything happens in the drill."""
        de, dm = s.drill_events, s.drill_members
        with self.read() as conn:
            last = conn.scalar(sa.select(sa.func.max(de.c.id)).where(de.c.session_id == session_id)) or 0
            members = conn.scalar(sa.select(sa.func.count()).select_from(dm).where(dm.c.session_id == session_id))
        return int(last), int(members)

    def drill_events(self, session_id: int, *, after: int = 0) -> list[DrillEventRow]:
        """The drill's events in the order they were stored (those after id ``after``)."""
        de = s.drill_events
        with self.read() as conn:
            rows = conn.execute(sa.select(de).where(de.c.session_id == session_id, de.c.id > after)
                                .order_by(de.c.id)).all()
        return [_event_row(r) for r in rows]

    def drill_state(self, session_id: int) -> State:
        """The drill replayed from its events."""
        session = self.drill_session(session_id)
        with self.read() as conn:
            roles = _roles(conn, session_id)
            rows = conn.execute(sa.select(s.drill_events).where(s.drill_events.c.session_id == session_id)
                                .order_by(s.drill_events.c.id)).all()
        return replay(session.drill(roles), [_event_row(r).event() for r in rows])

    def record_drill_event(self, *, uuid: str, session_id: int, trainee_id: int, kind: str,
                           traveller: int | None = None, detail: dict | None = None,
                           at: dt.datetime | None = None) -> DrillEventRow:
        """Store what an officer did, if the drill allows it now.

        The drill is replayed inside the write transaction and the event
        checked against it (:meth:`docexam.drill.engine.State.check`).

        Raises
        ------
        DrillRefusedError
            The drill does not allow it now (why, in one line).
        DuplicateError
            The uuid is stored already with another event.
        """
        uuid = check_uuid("uuid", uuid)
        detail = check_json("detail", detail or {})
        if not isinstance(detail, dict):
            raise InvalidValueError("detail", Message("must be a JSON object"))
        at = check_time("at", at)
        de = s.drill_events
        session = self.drill_session(session_id)
        with self.write() as conn:
            # one writer per drill at a time: the check below must see every event before this one
            # (SQLite's write lock does it already; PostgreSQL locks the drill's row)
            conn.execute(sa.select(s.drill_sessions.c.id).where(s.drill_sessions.c.id == session_id)
                         .with_for_update())
            existing = conn.execute(sa.select(de).where(de.c.uuid == uuid)).one_or_none()
            if existing is not None:
                row = _event_row(existing)
                if (row.trainee_id, row.kind, row.traveller, row.detail) != (trainee_id, kind, traveller, detail):
                    raise DuplicateError(Message("drill event {uuid} is stored already with other values", uuid=uuid))
                return row
            roles = _roles(conn, session_id)
            rows = conn.execute(sa.select(de).where(de.c.session_id == session_id).order_by(de.c.id)).all()
            state = replay(session.drill(roles), [_event_row(r).event() for r in rows])
            why = state.check(Event(kind, trainee_id, at.timestamp(), traveller, detail))
            if why is not None:
                raise DrillRefusedError(why)
            new_id = conn.execute(de.insert().values(uuid=uuid, session_id=session_id, trainee_id=trainee_id,
                                                     kind=kind, traveller=traveller, detail=detail,
                                                     at=at)).inserted_primary_key[0]
            return _event_row(conn.execute(sa.select(de).where(de.c.id == new_id)).one())

    # ---- thresholds

    def record_threshold_trial(self, *, uuid: str, run_uid: str, trainee_id: int, technique: str,
                               severity: float, correct: bool, form: str = "practice",
                               workshop_id: int | None = None, detail: Any = None,
                               answered_at: dt.datetime | None = None) -> ThresholdTrial:
        """Store one answer of a threshold measurement, exactly once (by ``uuid``)."""
        if form not in THRESHOLD_FORMS:
            raise InvalidValueError("form", Message("must be one of {value}, got {form!r}", value=', '.join(THRESHOLD_FORMS), form=form))
        if isinstance(severity, bool) or not isinstance(severity, (int, float)) or not 0 <= severity <= 1:
            raise InvalidValueError("severity", Message("must be a number from 0 to 1, got {severity!r}", severity=severity))
        if not isinstance(correct, bool):
            raise InvalidValueError("correct", Message("must be true or false, got {correct!r}", correct=correct))
        values = dict(uuid=check_uuid("uuid", uuid), run_uid=check_uuid("run_uid", run_uid), trainee_id=trainee_id,
                      workshop_id=workshop_id, form=form, technique=str(technique)[:40], severity=float(severity),
                      correct=correct, detail=check_json("detail", detail),
                      answered_at=check_time("answered_at", answered_at))
        tt = s.threshold_trials
        with self.write() as conn:
            row = conn.execute(sa.select(tt).where(tt.c.uuid == values["uuid"])).one_or_none()
            if row is None:
                get_trainee(conn, trainee_id)
                if workshop_id is not None:
                    get_workshop(conn, workshop_id)
                new_id = conn.execute(tt.insert().values(recorded_at=utc_now(), **values)).inserted_primary_key[0]
                row = conn.execute(sa.select(tt).where(tt.c.id == new_id)).one()
            elif (row.run_uid, row.technique, row.severity, row.correct) != \
                    (values["run_uid"], values["technique"], values["severity"], correct):
                raise DuplicateError(Message("threshold trial {uuid} is stored already with other values", uuid=values['uuid']))
        return _trial(row)

    def threshold_trials(self, *, trainee_id: int | None = None, workshop_id: int | None = None,
                         technique: str | None = None, run_uid: str | None = None) -> list[ThresholdTrial]:
        """Threshold trials, oldest first (a merged officer's records are one officer's)."""
        tt = s.threshold_trials
        query = sa.select(tt).order_by(tt.c.answered_at, tt.c.id)
        if trainee_id is not None:
            query = query.where(tt.c.trainee_id.in_(self.same_person(trainee_id)))
        if workshop_id is not None:
            query = query.where(tt.c.workshop_id == workshop_id)
        if technique is not None:
            query = query.where(tt.c.technique == technique)
        if run_uid is not None:
            query = query.where(tt.c.run_uid == run_uid)
        with self.read() as conn:
            rows = conn.execute(query).all()
        aliases = self.aliases()
        return [_trial(r, resolve(aliases, r.trainee_id)) for r in rows]


def _trial(row, trainee_id: int | None = None) -> ThresholdTrial:
    return ThresholdTrial(id=row.id, uuid=row.uuid, run_uid=row.run_uid,
                          trainee_id=row.trainee_id if trainee_id is None else trainee_id,
                          workshop_id=row.workshop_id, form=row.form, technique=row.technique,
                          severity=float(row.severity), correct=bool(row.correct), detail=row.detail,
                          answered_at=row.answered_at)


def _roles(conn: sa.Connection, session_id: int) -> dict:
    dm = s.drill_members
    return {r.trainee_id: r.role for r in conn.execute(sa.select(dm.c.trainee_id, dm.c.role)
                                                       .where(dm.c.session_id == session_id))}


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidValueError("role", Message("must be one of {value}, got {role!r}", value=', '.join(ROLES), role=role))
