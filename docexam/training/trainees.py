"""Trainees, their PINs, and the trainer's passphrase.

Part of :class:`~.record.TrainingRecord` (these are its methods); kept
apart from the workshops and the answers because it is where secrets are
checked: slow hashes, lockouts after repeated wrong guesses.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid as uuidlib

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import check_pin, clean_text, identity_key, utc_now
from .errors import DuplicateError, InvalidValueError, LockedOutError, UnknownTraineeError, WrongPinError
from .kdf import hash_secret, verify_secret
from .merges import resolve
from .model import Trainee
from .store import Store, get_trainee, insert_trainee

#: wrong PINs (or trainer passphrases) in a row before a lockout of LOCKOUT
MAX_FAILED_PINS = 5
LOCKOUT = dt.timedelta(minutes=5)

_TRAINER_PASSPHRASE_KEY = "trainer_passphrase_hash"
_TRAINER_FAILED_KEY = "trainer_passphrase_failures"
_TRAINER_LOCKED_KEY = "trainer_passphrase_locked_until"
_TRAINER_KEYS = (_TRAINER_PASSPHRASE_KEY, _TRAINER_FAILED_KEY, _TRAINER_LOCKED_KEY)


def _minutes(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


class TraineeMethods(Store):
    """Registering trainees, their PINs and the trainer's passphrase."""

    def register_trainee(self, *, name: str, department: str, province: str, pin: str,
                         rank: str = "") -> Trainee:
        """Add a trainee.

        The triple (name, department, province), ignoring case and spacing,
        identifies an officer: registering it twice raises
        :class:`DuplicateError`.
        """
        values = dict(name=clean_text("name", name, max_len=200),
                      department=clean_text("department", department, max_len=200),
                      province=clean_text("province", province, max_len=200),
                      rank=clean_text("rank", rank, max_len=100, required=False))
        pin_hash = hash_secret(check_pin(pin))  # slow: outside the transaction
        key = identity_key(values["name"], values["department"], values["province"])
        duplicate = DuplicateError(Message("{name} ({department}, {province}) is already registered", name=values['name'], department=values['department'], province=values['province']))
        try:
            with self.write() as conn:
                if conn.scalar(sa.select(s.trainees.c.id).where(s.trainees.c.identity_key == key)) is not None:
                    raise duplicate
                return insert_trainee(conn, dict(values, uid=str(uuidlib.uuid4()), identity_key=key,
                                                       pin_hash=pin_hash, created_at=utc_now()))
        except sa.exc.IntegrityError:
            # registered at the same moment from another phone (PostgreSQL)
            raise duplicate from None

    def trainee(self, trainee_id: int) -> Trainee:
        """The trainee with this id; :class:`UnknownTraineeError` if none."""
        with self.read() as conn:
            return get_trainee(conn, trainee_id)

    def find_trainee(self, *, name: str, department: str, province: str) -> Trainee | None:
        """The trainee with this identity (case and spacing ignored), or None."""
        key = identity_key(clean_text("name", name, max_len=200), clean_text("department", department, max_len=200),
                            clean_text("province", province, max_len=200))
        with self.read() as conn:
            row = conn.execute(sa.select(s.trainees).where(s.trainees.c.identity_key == key)).one_or_none()
        return None if row is None else Trainee.from_row(row)

    def trainees(self, workshop_id: int | None = None, *, merged: bool = False) -> list[Trainee]:
        """All trainees, or those enrolled in a workshop, by name.

        Two records merged into one officer (:mod:`.merges`) are listed once,
        as the record kept, unless ``merged`` is true (every record).
        """
        query = sa.select(s.trainees).order_by(s.trainees.c.name, s.trainees.c.id)
        if workshop_id is not None:
            query = query.join(s.enrolments, s.enrolments.c.trainee_id == s.trainees.c.id).where(
                s.enrolments.c.workshop_id == workshop_id)
        with self.read() as conn:
            people = [Trainee.from_row(row) for row in conn.execute(query)]
        if merged:
            return people
        aliases = self.aliases()
        if not aliases:
            return people
        kept = {}
        for person in people:
            root = resolve(aliases, person.id)
            if root not in kept:
                kept[root] = person if root == person.id else self.trainee(root)
        return sorted(kept.values(), key=lambda p: (p.name, p.id))

    def authenticate(self, trainee_id: int, pin: str) -> Trainee:
        """Check a trainee's PIN.

        After :data:`MAX_FAILED_PINS` wrong PINs in a row the trainee is
        locked out for :data:`LOCKOUT`, so a neighbour cannot try every PIN.
        Each guess first reserves one of the :data:`MAX_FAILED_PINS` tries in
        a short transaction holding the trainee's row (``SELECT ... FOR
        UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), counted as a
        failure until it proves right; the slow hash is then checked outside
        any transaction (30 trainees signing in at once do not queue behind
        one another's scrypt), and a second short transaction records the
        outcome. Guesses sent at the same moment never get more tries than
        are left, so no more than :data:`MAX_FAILED_PINS` of them are ever
        checked.

        Raises
        ------
        UnknownTraineeError, WrongPinError, LockedOutError
        """
        t = s.trainees
        with self.write() as conn:  # reserve a try
            row = conn.execute(sa.select(t).where(t.c.id == trainee_id).with_for_update()).one_or_none()
            if row is None:
                raise UnknownTraineeError(trainee_id)
            now = utc_now()
            locked_until = row.locked_until if row.locked_until is not None and row.locked_until > now else None
            if locked_until is None and row.failed_pins >= MAX_FAILED_PINS:
                # every try is taken (by guesses being checked, or by ones whose process died): locked
                locked_until = now + LOCKOUT
                conn.execute(t.update().where(t.c.id == trainee_id).values(failed_pins=0, locked_until=locked_until))
            if row.pin_hash is None and locked_until is None:
                raise WrongPinError(Message("{name} has no PIN on this computer; the trainer can set one", name=row.name))
            if locked_until is None:
                conn.execute(t.update().where(t.c.id == trainee_id).values(failed_pins=t.c.failed_pins + 1))
        if locked_until is not None:  # raised after the commit, which keeps a lock just set
            raise LockedOutError(Message("too many wrong PINs for {name}; try again in {minutes} min or ask the "
                                         "trainer to reset the PIN", name=row.name, minutes=_minutes(locked_until, now)))
        right = isinstance(pin, str) and verify_secret(pin, row.pin_hash)  # slow (scrypt): no lock held
        with self.write() as conn:  # the outcome
            now_row = conn.execute(sa.select(t.c.failed_pins, t.c.pin_hash).where(t.c.id == trainee_id)
                                   .with_for_update()).one_or_none()
            failed = None if now_row is None else now_row.failed_pins
            if right and now_row is not None and now_row.pin_hash == row.pin_hash:
                # a right PIN among the tries left is accepted even if the other tries, counted as failures
                # while it was checked, have just locked the account
                conn.execute(t.update().where(t.c.id == trainee_id).values(failed_pins=0, locked_until=None))
                return Trainee.from_row(row)
            if failed is not None and failed >= MAX_FAILED_PINS:
                conn.execute(t.update().where(t.c.id == trainee_id)
                             .values(failed_pins=0, locked_until=utc_now() + LOCKOUT))
        # the failure is committed before the error leaves: raising inside the block would roll it back
        raise WrongPinError(Message("wrong PIN for {name}", name=row.name))

    def set_pin(self, trainee_id: int, pin: str) -> None:
        """Give a trainee a new PIN (the trainer resets a forgotten one)."""
        pin_hash = hash_secret(check_pin(pin))
        t = s.trainees
        with self.write() as conn:
            done = conn.execute(t.update().where(t.c.id == trainee_id)
                                .values(pin_hash=pin_hash, failed_pins=0, locked_until=None)).rowcount
            if not done:
                raise UnknownTraineeError(trainee_id)

    # ---- the trainer's passphrase

    def set_trainer_passphrase(self, passphrase: str) -> None:
        """Store (a slow hash of) the passphrase that unlocks trainer screens."""
        if not isinstance(passphrase, str) or len(passphrase.strip()) < 8:
            raise InvalidValueError("passphrase", Message("must be at least 8 characters"))
        stored = hash_secret(passphrase)
        with self.write() as conn:  # a new passphrase also lifts a lockout
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
        with self.write() as conn:  # reserve a try (see authenticate)
            rows = {r.key: r.value for r in conn.execute(
                sa.select(st.c.key, st.c.value).where(st.c.key.in_(_TRAINER_KEYS)).with_for_update())}
            stored = rows.get(_TRAINER_PASSPHRASE_KEY)
            if stored is None:
                return False
            now = utc_now()
            locked_until = rows.get(_TRAINER_LOCKED_KEY)
            locked_until = dt.datetime.fromisoformat(locked_until) if locked_until else None
            if locked_until is not None and locked_until <= now:
                locked_until = None
            failed = int(rows.get(_TRAINER_FAILED_KEY) or 0)
            if locked_until is None and failed >= MAX_FAILED_PINS:
                locked_until = now + LOCKOUT
                self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
                self._put_setting(conn, _TRAINER_LOCKED_KEY, locked_until.isoformat())
            elif locked_until is None:
                self._put_setting(conn, _TRAINER_FAILED_KEY, str(failed + 1))
        if locked_until is not None:
            raise LockedOutError(Message("too many wrong trainer passphrases; try again in {minutes} min", minutes=_minutes(locked_until, now)))
        right = isinstance(passphrase, str) and verify_secret(passphrase, stored)  # slow: no lock held
        with self.write() as conn:  # the outcome
            rows = {r.key: r.value for r in conn.execute(
                sa.select(st.c.key, st.c.value).where(st.c.key.in_(_TRAINER_KEYS)).with_for_update())}
            if rows.get(_TRAINER_PASSPHRASE_KEY) != stored:
                return False  # the passphrase was changed meanwhile: this try proves nothing
            if right:
                self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
                self._put_setting(conn, _TRAINER_LOCKED_KEY, "")
                return True
            if int(rows.get(_TRAINER_FAILED_KEY) or 0) >= MAX_FAILED_PINS:
                self._put_setting(conn, _TRAINER_FAILED_KEY, "0")
                self._put_setting(conn, _TRAINER_LOCKED_KEY, (utc_now() + LOCKOUT).isoformat())
        return False

    def has_trainer_passphrase(self) -> bool:
        """True once a trainer passphrase has been set."""
        return self._setting(_TRAINER_PASSPHRASE_KEY) is not None

    def _setting(self, key: str) -> str | None:
        with self.read() as conn:
            return conn.scalar(sa.select(s.settings.c.value).where(s.settings.c.key == key))

    @staticmethod
    def _put_setting(conn: sa.Connection, key: str, value: str) -> None:
        st = s.settings
        if not conn.execute(st.update().where(st.c.key == key).values(value=value, updated_at=utc_now())).rowcount:
            conn.execute(st.insert().values(key=key, value=value, updated_at=utc_now()))
