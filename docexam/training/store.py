"""The database under the training record: connections and shared row look-ups.

:class:`Store` owns the engine and hands out connections: :meth:`Store.write`
(a write transaction), :meth:`Store.read` and :meth:`Store.snapshot` (reads
that all see one moment). The functions below read and write single rows
inside a connection the caller holds; :class:`~.record.TrainingRecord`,
:mod:`.exchange` and :mod:`.report` build on both.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import CODE_RE, normalise_code
from .errors import DatabaseValueError, NotEnrolledError, UnknownTraineeError, UnknownWorkshopError
from .model import Trainee, Workshop


class Store:
    """An open training database.

    One object may be shared by many threads (one per trainee in a
    workshop server). Close it with :meth:`close` or a ``with`` block.
    """

    def __init__(self, engine: sa.Engine):
        self._engine = engine
        # SQLite lets one writer in at a time and makes the others poll with
        # growing sleeps; queueing this process's writers on a lock instead
        # keeps a room of 30 trainees fast (other processes still poll)
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        return self._engine

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A connection in a write transaction, committed when the block ends.

        The transaction takes the database's write lock when it begins
        (:func:`.schema.write_connection`), so a read followed by a write
        in it cannot be overtaken by another writer. Raising inside the
        block rolls everything back.
        """
        try:
            with self._write_lock, s.write_connection(self._engine) as conn, conn.begin():
                yield conn
        except sa.exc.DataError as exc:  # PostgreSQL: a value its column refuses
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "a value out of range"
            raise DatabaseValueError(Message("the database refused a value ({detail}); nothing was written", detail=detail)) from None

    def read(self) -> sa.Connection:
        """A connection for reading (use it in a ``with`` block)."""
        return self._engine.connect()

    def snapshot(self) -> sa.Connection:
        """A read connection whose queries all see the same moment.

        For exports and reports, which read several tables while trainees
        keep answering. SQLite's read transaction is a snapshot already;
        PostgreSQL's default (read committed) is not.
        """
        conn = self._engine.connect()
        if self._engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        return conn


# ---------------------------------------------------------- row look-ups

def _fits_id(value: int) -> bool:
    """Whether ``value`` can be a row id (a 64-bit integer column: beyond, SQLite overflows)."""
    return 0 < value < 2**63


def get_trainee(conn: sa.Connection, trainee_id: int) -> Trainee:
    """The trainee with this id; :class:`UnknownTraineeError` if none."""
    if isinstance(trainee_id, int) and not _fits_id(trainee_id):
        raise UnknownTraineeError(trainee_id)
    row = conn.execute(sa.select(s.trainees).where(s.trainees.c.id == trainee_id)).one_or_none()
    if row is None:
        raise UnknownTraineeError(trainee_id)
    return Trainee.from_row(row)


def insert_trainee(conn: sa.Connection, values: dict) -> Trainee:
    """Insert a row of ``trainees`` (``values`` already checked) and return it."""
    new_id = conn.execute(s.trainees.insert().values(**values)).inserted_primary_key[0]
    return get_trainee(conn, new_id)


def get_workshop(conn: sa.Connection, ref: int | str) -> Workshop:
    """The workshop with this id (int) or code (text, case ignored, or the id as digits).

    Raises
    ------
    UnknownWorkshopError
    """
    w = s.workshops
    row = None
    if isinstance(ref, int):
        if _fits_id(ref):
            row = conn.execute(sa.select(w).where(w.c.id == ref)).one_or_none()
    else:  # what a person typed: the code, or the id as digits
        code = normalise_code(ref)
        if CODE_RE.match(code):  # no query for what cannot be a code (a surrogate breaks PostgreSQL's encoding)
            row = conn.execute(sa.select(w).where(w.c.code == code)).one_or_none()
        digits = str(ref).strip()
        if row is None and digits.isascii() and digits.isdigit() and len(digits) <= 19 and _fits_id(int(digits)):
            row = conn.execute(sa.select(w).where(w.c.id == int(digits))).one_or_none()
    if row is None:
        raise UnknownWorkshopError(ref)
    return Workshop.from_row(row)


def insert_workshop(conn: sa.Connection, values: dict) -> Workshop:
    """Insert a row of ``workshops`` (``values`` already checked) and return it."""
    new_id = conn.execute(s.workshops.insert().values(**values)).inserted_primary_key[0]
    return get_workshop(conn, new_id)


def check_enrolled(conn: sa.Connection, trainee_id: int, workshop_id: int) -> None:
    """Raise :class:`NotEnrolledError` unless the trainee joined the workshop.

    Also raises :class:`UnknownTraineeError` or :class:`UnknownWorkshopError`
    when either does not exist.
    """
    e = s.enrolments
    if not conn.scalar(sa.select(sa.func.count()).select_from(e).where(
            e.c.workshop_id == workshop_id, e.c.trainee_id == trainee_id)):
        trainee = get_trainee(conn, trainee_id)
        workshop = get_workshop(conn, workshop_id)
        raise NotEnrolledError(Message("{name} has not joined workshop {code}", name=trainee.name, code=workshop.code))
