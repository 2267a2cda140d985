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

The methods live by subject in :mod:`.trainees` (trainees, PINs, the
trainer's passphrase), :mod:`.workshops` and :mod:`.answers` (attempts,
reviews, surveys), :mod:`.drills` (checkpoint drills, threshold trials), on top of :mod:`.store` (connections, row look-ups);
exports and imports are :mod:`.exchange`, reports :mod:`.report`.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from ..i18n import Message
from . import exchange, imports, report
from . import schema as s
from .answers import MAX_COMMENT, AnswerMethods
from .checks import CODE_RE, normalise_code
from .errors import TrainingError
from .merges import Merge, MergeMethods
from .model import Attempt, ReviewState, ScoreRow, SurveyAnswer, Trainee, Workshop
from .schema import default_database_url
from .sessions import SESSION_LIFETIME, BrowserSession, SessionMethods
from .trainees import LOCKOUT, MAX_FAILED_PINS, TraineeMethods
from .workshops import WorkshopMethods
from .course import CourseMethods
from .drills import DrillMethods

__all__ = ["TrainingRecord", "default_database_url", "Trainee", "Workshop", "Attempt", "ReviewState",
           "SurveyAnswer", "ScoreRow", "Merge", "MAX_FAILED_PINS", "LOCKOUT", "MAX_COMMENT", "CODE_RE", "normalise_code",
           "BrowserSession", "SESSION_LIFETIME"]


#: the database engines the record runs on (and is tested on)
SUPPORTED_DATABASES = ("sqlite", "postgresql")


class TrainingRecord(TraineeMethods, WorkshopMethods, AnswerMethods, DrillMethods, MergeMethods, CourseMethods,
                     SessionMethods):
    """The training database.

    Open it with :meth:`open`; close it with :meth:`close` or a ``with``
    block. One object may be shared by many threads (one per trainee in a
    workshop server).
    """

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
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise TrainingError(Message("training database URL {url!r}: {exc}", url=url, exc=exc)) from None
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() not in SUPPORTED_DATABASES:
            raise TrainingError(Message("training database URL {shown!r}: docexam keeps its record in SQLite "
                                        "(sqlite:///FILE) or PostgreSQL (postgresql://USER@HOST/NAME)", shown=shown))
        try:
            engine = s.create_engine(parsed)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
            raise TrainingError(Message("training database URL {shown!r}: {exc}", shown=shown, exc=exc)) from None
        try:
            s.migrate(engine)
        except sa.exc.DatabaseError as exc:  # unreachable, not a database, truncated, locked
            engine.dispose()
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise TrainingError(Message("cannot open the training database {render_as_string}: {detail}", render_as_string=engine.url.render_as_string(hide_password=True), detail=detail)) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def __enter__(self) -> TrainingRecord:
        return self

    # ---- exchange and reports (implemented in their own modules)

    def export_workshop(self, ref: int | str, path: str | os.PathLike) -> Path:
        """Write a workshop's records to one JSON file; see :mod:`.exchange`."""
        return exchange.export_workshop(self, ref, path)

    def import_workshop(self, path: str | os.PathLike, *, allow_unverified: bool = False,
                        name: str | None = None) -> exchange.ImportResult:
        """Merge a signed workshop export into this record (``name``: the file's name in messages); see
        :mod:`.exchange`."""
        return exchange.import_workshop(self, path, allow_unverified=allow_unverified, name=name)

    def imports(self) -> list[imports.ImportBatch]:
        """Every import (workshops and packs), newest first; see :mod:`.imports`."""
        return imports.list_imports(self)

    def undo_import(self, import_id: int, *, note: str = "") -> imports.ImportBatch:
        """Undo a workshop import as one unit; see :func:`.imports.undo_import`."""
        return imports.undo_import(self, import_id, note=note)

    def key_results(self, ref: int | str) -> report.KeyResults:
        """The workshop's Key Results; see :mod:`.report`."""
        return report.key_results(self, ref)
