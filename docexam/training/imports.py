"""Imports as units that can be undone: the ``imports`` and ``import_rows`` tables.

Every import (a workshop export, a pack) is one row of ``imports``: what
kind, from where, the file's SHA-256, who signed it and whether the
signature was verified against a trusted key, a summary, when. The rows a
workshop import added are listed in ``import_rows``.

Undoing an import (:func:`undo_import`) never edits an attempt or a survey
answer (they are append-only evidence); it marks the import undone, and
from then on its attempts and surveys do not count (:func:`counted`):
reports, histories, scoreboards and exports leave them out. Enrolments
it added are removed unless the trainee did something else in that
workshop. The undo itself is recorded (when, and the trainer's note).

Attempts brought in by an import the trainer did not verify (an unsigned
or untrusted file taken with an explicit override) count in a trainee's
history but are kept apart in reports (``verified_only=True``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import utc_now
from .errors import TrainingError, UnknownTraineeError
from .merges import undo_imported_merges
from .store import Store

#: kinds of rows an import lists in ``import_rows`` (for an enrolment, ``row_id`` is the trainee's id)
ROW_KINDS = ("attempt", "survey", "enrolment", "trainee", "workshop", "merge")


class UnknownImportError(TrainingError):
    """No import has this id."""


class AlreadyUndoneError(TrainingError):
    """The import was undone already."""


@dataclass(frozen=True)
class ImportBatch:
    """One import, as recorded."""

    id: int
    kind: str
    source: str
    sha256: str
    signer_key: str | None
    signer_name: str | None
    verified: bool
    workshop_id: int | None
    summary: dict
    imported_at: dt.datetime
    undone_at: dt.datetime | None
    undo_note: str

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    @classmethod
    def from_row(cls, row) -> ImportBatch:
        return cls(id=row.id, kind=row.kind, source=row.source, sha256=row.sha256, signer_key=row.signer_key,
                   signer_name=row.signer_name, verified=bool(row.verified), workshop_id=row.workshop_id,
                   summary=dict(row.summary or {}), imported_at=row.imported_at, undone_at=row.undone_at,
                   undo_note=row.undo_note or "")


def counted(table: sa.Table, kind: str, *, verified_only: bool = False) -> sa.ColumnElement[bool]:
    """A condition on ``table`` (``attempts`` or ``surveys``): the row counts.

    A row counts when no import brought it (made here), or when an import
    that brought it is not undone (and, with ``verified_only``, verified).
    """
    r, i = s.import_rows, s.imports
    mine = sa.and_(r.c.kind == kind, r.c.row_id == table.c.id)
    live = [i.c.undone_at.is_(None)]
    if verified_only:
        live.append(i.c.verified.is_(True))
    brought = sa.exists().where(mine)
    alive = sa.exists(sa.select(r.c.row_id).join(i, i.c.id == r.c.import_id).where(mine, *live))
    return sa.or_(~brought, alive)


def unverified_count(conn: sa.Connection, workshop_id: int) -> int:
    """Attempts of a workshop counted only because an unverified import brought them."""
    a = s.attempts
    return int(conn.scalar(sa.select(sa.func.count()).select_from(a).where(
        a.c.workshop_id == workshop_id, counted(a, "attempt"), ~counted(a, "attempt", verified_only=True))))


def start_import(conn: sa.Connection, *, kind: str, source: str, sha256: str, signer_key: str | None,
                 signer_name: str | None, verified: bool, workshop_id: int | None = None,
                 summary: dict | None = None) -> int:
    """Insert a row of ``imports`` inside the caller's transaction; returns its id."""
    return conn.execute(s.imports.insert().values(
        kind=kind, source=source[:500], sha256=sha256, signer_key=signer_key, signer_name=signer_name,
        verified=verified, workshop_id=workshop_id, summary=summary or {},
        imported_at=utc_now())).inserted_primary_key[0]


def finish_import(conn: sa.Connection, import_id: int, summary: dict) -> None:
    """Store the import's final summary (counts)."""
    conn.execute(s.imports.update().where(s.imports.c.id == import_id).values(summary=summary))


def link_rows(conn: sa.Connection, import_id: int, kind: str, row_ids) -> None:
    """List rows the import brought (``kind`` one of :data:`ROW_KINDS`)."""
    if kind not in ROW_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(ROW_KINDS)}")
    rows = [{"import_id": import_id, "kind": kind, "row_id": int(rid)} for rid in dict.fromkeys(row_ids)]
    for i in range(0, len(rows), 500):
        conn.execute(s.import_rows.insert(), rows[i:i + 500])


def live_row_ids(conn: sa.Connection, table: sa.Table, kind: str, ids) -> set[int]:
    """Those of ``ids`` (rows of ``table``) that count now."""
    ids = list(ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        out |= set(conn.scalars(sa.select(table.c.id).where(table.c.id.in_(ids[i:i + 500]),
                                                           counted(table, kind))))
    return out


def get_import(conn: sa.Connection, import_id: int) -> ImportBatch:
    row = conn.execute(sa.select(s.imports).where(s.imports.c.id == import_id)).one_or_none()
    if row is None:
        raise UnknownImportError(Message("no import has id {import_id} (`docexam import list` shows them)", import_id=import_id))
    return ImportBatch.from_row(row)


def list_imports(record: Store) -> list[ImportBatch]:
    """Every import, newest first."""
    with record.read() as conn:
        return [ImportBatch.from_row(r) for r in conn.execute(
            sa.select(s.imports).order_by(s.imports.c.imported_at.desc(), s.imports.c.id.desc()))]


def find_import(record: Store, import_id: int) -> ImportBatch:
    with record.read() as conn:
        return get_import(conn, import_id)


def undo_import(record: Store, import_id: int, *, note: str = "", before_commit=None) -> ImportBatch:
    """Undo import ``import_id`` as one unit and record it.

    Its attempts and surveys stop counting; enrolments it added are removed
    when the trainee has nothing else counted in that workshop; merges of
    trainee records it brought are undone.
    ``before_commit(batch)``, if given, runs inside the transaction (a pack
    undo restores its files there: if that fails, nothing is marked).

    Raises
    ------
    UnknownImportError, AlreadyUndoneError
    """
    i, r, e, a, sv = s.imports, s.import_rows, s.enrolments, s.attempts, s.surveys
    note = " ".join(str(note or "").split())[:1000]
    with record.write() as conn:
        batch = get_import(conn, import_id)
        if batch.undone:
            raise AlreadyUndoneError(Message("import {import_id} was undone already, on {undone_at:%Y-%m-%d %H:%M} "
                                             "UTC", import_id=import_id, undone_at=batch.undone_at))
        now = utc_now()
        conn.execute(i.update().where(i.c.id == import_id).values(undone_at=now, undo_note=note))
        if batch.workshop_id is not None:
            enrolled = list(conn.scalars(sa.select(r.c.row_id).where(r.c.import_id == import_id,
                                                                     r.c.kind == "enrolment")))
            for tid in enrolled:
                busy = conn.scalar(sa.select(sa.func.count()).select_from(a).where(
                    a.c.trainee_id == tid, a.c.workshop_id == batch.workshop_id, counted(a, "attempt")))
                busy = busy or conn.scalar(sa.select(sa.func.count()).select_from(sv).where(
                    sv.c.trainee_id == tid, sv.c.workshop_id == batch.workshop_id, counted(sv, "survey")))
                if not busy:
                    conn.execute(e.delete().where(e.c.workshop_id == batch.workshop_id, e.c.trainee_id == tid))
        undo_imported_merges(conn, conn.scalars(sa.select(r.c.row_id).where(r.c.import_id == import_id,
                                                                            r.c.kind == "merge")))
        if before_commit is not None:
            before_commit(batch)
        return get_import(conn, import_id)


def set_missing_pins(conn: sa.Connection, pins: dict[int, Any]) -> int:
    """Give imported trainees the PIN hash they chose on the laptop, where they have none here."""
    t = s.trainees
    done = 0
    for tid, pin_hash in pins.items():
        if not isinstance(pin_hash, str) or not pin_hash:
            continue
        done += conn.execute(t.update().where(t.c.id == tid, t.c.pin_hash.is_(None))
                             .values(pin_hash=pin_hash)).rowcount
    return done


__all__ = ["AlreadyUndoneError", "ImportBatch", "ROW_KINDS", "UnknownImportError", "UnknownTraineeError",
           "counted", "find_import", "finish_import", "get_import", "link_rows", "list_imports",
           "live_row_ids", "set_missing_pins", "start_import", "undo_import", "unverified_count"]
