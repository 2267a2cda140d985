"""Workshops and who joined them (methods of :class:`~.record.TrainingRecord`)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid as uuidlib
from collections.abc import Iterable

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import CODE_RE, clean_text, normalise_code, utc_now
from .errors import DuplicateError, InvalidValueError
from .model import Workshop
from .store import Store, get_trainee, get_workshop, insert_workshop

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room


class WorkshopMethods(Store):
    """Creating workshops and enrolling trainees."""

    def create_workshop(self, *, title: str, place: str, province: str, start_date: dt.date,
                        end_date: dt.date, trainers: Iterable[str] = (), code: str | None = None) -> Workshop:
        """Add a workshop; without ``code`` a short random one is chosen."""
        values = dict(title=clean_text("title", title, max_len=300), place=clean_text("place", place, max_len=200),
                      province=clean_text("province", province, max_len=200))
        for name, day in (("start_date", start_date), ("end_date", end_date)):
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise InvalidValueError(name, Message("must be a date"))
        if end_date < start_date:
            raise InvalidValueError("end_date", Message("is before start_date"))
        if isinstance(trainers, str):
            trainers = [trainers]
        names = [clean_text("trainers", n, max_len=200) for n in trainers]
        if code is not None:
            code = normalise_code(code)
            if not CODE_RE.match(code):
                raise InvalidValueError("code", Message("must be 3 to 40 letters, digits or '-'"))
        try:
            with self.write() as conn:
                if code is None:
                    code = self._free_code(conn)
                elif conn.scalar(sa.select(s.workshops.c.id).where(s.workshops.c.code == code)) is not None:
                    raise DuplicateError(Message("workshop code {code!r} is already used", code=code))
                values.update(uid=str(uuidlib.uuid4()), code=code, start_date=start_date, end_date=end_date,
                              trainers=names, created_at=utc_now())
                return insert_workshop(conn, values)
        except sa.exc.IntegrityError:
            # the same code taken at the same moment by another trainer (PostgreSQL)
            raise DuplicateError(Message("workshop code {code!r} is already used", code=code)) from None

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
        with self.read() as conn:
            return get_workshop(conn, ref)

    def workshops(self) -> list[Workshop]:
        """All workshops, newest first."""
        w = s.workshops
        with self.read() as conn:
            rows = conn.execute(sa.select(w).order_by(w.c.start_date.desc(), w.c.id.desc()))
            return [Workshop.from_row(row) for row in rows]

    def join_workshop(self, trainee_id: int, code: str) -> Workshop:
        """Enrol a trainee in the workshop with this code (again is harmless)."""
        e = s.enrolments
        try:
            with self.write() as conn:
                workshop = get_workshop(conn, str(code))
                get_trainee(conn, trainee_id)
                exists = conn.scalar(sa.select(sa.func.count()).select_from(e).where(
                    e.c.workshop_id == workshop.id, e.c.trainee_id == trainee_id))
                if not exists:
                    conn.execute(e.insert().values(workshop_id=workshop.id, trainee_id=trainee_id,
                                                   joined_at=utc_now()))
        except sa.exc.IntegrityError:
            # joined twice at the same moment (PostgreSQL): the other one did it
            workshop = self.workshop(str(code))
        return workshop
