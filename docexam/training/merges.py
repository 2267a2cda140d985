"""One officer, one trainee record: merging two records of the same person, and undoing it.

Part of :class:`~.record.TrainingRecord` (these are its methods). A merge
deletes and rewrites nothing (attempts are append-only evidence): it is a row
of ``trainee_merges`` saying that *alias* is the same officer as *target*.
Reads resolve aliases (:meth:`MergeMethods.canonical_id`,
:meth:`MergeMethods.same_person`): the officer's attempts, reviews, surveys
and enrolments of both records count as one trainee's. Undoing a merge sets
``undone_at``; the two records are then read apart again, exactly as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ..i18n import Message
from . import schema as s
from .checks import clean_text, identity_key, utc_now
from .errors import InvalidValueError, TrainingError
from .model import Trainee
from .store import Store, get_trainee


@dataclass(frozen=True)
class Merge:
    """Two records found to be one officer: ``alias_id`` reads as ``target_id`` until undone."""

    id: int
    alias_id: int
    target_id: int
    note: str
    merged_at: dt.datetime
    undone_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @classmethod
    def from_row(cls, row) -> Merge:
        return cls(id=row.id, alias_id=row.alias_id, target_id=row.target_id, note=row.note,
                   merged_at=row.merged_at, undone_at=row.undone_at)


def _alias_map(conn: sa.Connection) -> dict[int, int]:
    m = s.trainee_merges
    return {row.alias_id: row.target_id for row in conn.execute(
        sa.select(m.c.alias_id, m.c.target_id).where(m.c.undone_at.is_(None)).order_by(m.c.id))}


def resolve(aliases: dict[int, int], trainee_id: int) -> int:
    """Follow ``alias -> target`` links to the record kept (chains allowed, cycles refused on merging).

    >>> resolve({3: 2, 2: 1}, 3), resolve({3: 2}, 5)
    (1, 5)
    """
    seen = set()
    while trainee_id in aliases and trainee_id not in seen:
        seen.add(trainee_id)
        trainee_id = aliases[trainee_id]
    return trainee_id


class MergeMethods(Store):
    """Merging trainee records and reading through merges."""

    def aliases(self) -> dict[int, int]:
        """Active merges as ``{alias id: target id}`` (one link each; see :func:`resolve`)."""
        with self.read() as conn:
            return _alias_map(conn)

    def canonical_id(self, trainee_id: int) -> int:
        """The id of the record ``trainee_id`` reads as (itself when not merged)."""
        return resolve(self.aliases(), trainee_id)

    def same_person(self, trainee_id: int) -> set[int]:
        """Every record id that reads as the same officer as ``trainee_id`` (itself included)."""
        aliases = self.aliases()
        root = resolve(aliases, trainee_id)
        return {root} | {a for a in aliases if resolve(aliases, a) == root}

    def canonical_trainee(self, trainee_id: int) -> Trainee:
        """The record kept for the officer of ``trainee_id``."""
        return self.trainee(self.canonical_id(trainee_id))

    def merge_trainees(self, alias_id: int, target_id: int, *, note: str = "") -> Merge:
        """Record that ``alias_id`` is the same officer as ``target_id`` (the record kept).

        Raises
        ------
        UnknownTraineeError
        InvalidValueError
            The two are already one officer, or are the same record.
        """
        note = clean_text("note", note, max_len=500, required=False)
        m = s.trainee_merges
        with self.write() as conn:
            get_trainee(conn, alias_id)
            get_trainee(conn, target_id)
            aliases = _alias_map(conn)
            if resolve(aliases, alias_id) == resolve(aliases, target_id):
                raise InvalidValueError("alias_id", Message("these two records are already one officer"))
            # merge the whole of the alias's officer into the target's
            alias_root, target_root = resolve(aliases, alias_id), resolve(aliases, target_id)
            new_id = conn.execute(m.insert().values(alias_id=alias_root, target_id=target_root, note=note,
                                                    merged_at=utc_now())).inserted_primary_key[0]
            return Merge.from_row(conn.execute(sa.select(m).where(m.c.id == new_id)).one())

    def undo_merge(self, merge_id: int) -> Merge:
        """Read the two records apart again (the merge stays in the record, marked undone)."""
        m = s.trainee_merges
        with self.write() as conn:
            row = conn.execute(sa.select(m).where(m.c.id == merge_id)).one_or_none()
            if row is None:
                raise TrainingError(Message("no merge {merge_id}", merge_id=merge_id))
            if row.undone_at is None:
                conn.execute(m.update().where(m.c.id == merge_id).values(undone_at=utc_now()))
            return Merge.from_row(conn.execute(sa.select(m).where(m.c.id == merge_id)).one())

    def merges(self) -> list[Merge]:
        """Every merge ever made, newest first (undone ones included)."""
        m = s.trainee_merges
        with self.read() as conn:
            return [Merge.from_row(row) for row in conn.execute(sa.select(m).order_by(m.c.id.desc()))]

    def possible_duplicates(self) -> list[tuple[Trainee, Trainee]]:
        """Pairs of records (not merged) with the same name, ignoring case, punctuation and spacing.

        Department or province may differ (an officer who moved, a typo):
        the trainer decides.
        """
        people = self.trainees(merged=True)
        aliases = self.aliases()
        by_name: dict[str, list[Trainee]] = {}
        for person in people:
            if person.id in aliases:
                continue
            by_name.setdefault(identity_key(person.name, "", ""), []).append(person)
        return [(group[i], group[j]) for group in by_name.values()
                for i in range(len(group)) for j in range(i + 1, len(group))]


# ---------------------------------------------------------------- travelling with a workshop export

def merges_to_export(conn: sa.Connection, trainee_ids) -> tuple[list, set[int]]:
    """The merges (undone ones too) linking ``trainee_ids`` to other records, followed link by link.

    Returns the merge rows and every trainee id they touch (``trainee_ids``
    included): an export carries the other records of its officers, so
    the merge means the same at headquarters.
    """
    m = s.trainee_merges
    rows = conn.execute(sa.select(m).order_by(m.c.id)).all()
    ids, kept = set(trainee_ids), {}
    grown = True
    while grown:
        grown = False
        for row in rows:
            if (row.alias_id in ids or row.target_id in ids) and row.id not in kept:
                kept[row.id] = row
                ids |= {row.alias_id, row.target_id}
                grown = True
    return [kept[i] for i in sorted(kept)], ids


def import_merges(conn: sa.Connection, merges: list[dict], local: dict[str, int]) -> tuple[list[int], int]:
    """Record an export's merges here (``local``: the file's trainee uid -> this record's id).

    A merge already here (same two records, same time) is a duplicate; an
    undo made at the source is applied here too. A merge of two records
    that already read as one officer is a duplicate. Returns the ids of the
    merges added (an undone import undoes them) and the count of duplicates.
    """
    m = s.trainee_merges
    added, duplicates = [], 0
    for md in merges:
        alias, target = local[md["alias"]], local[md["target"]]
        if alias == target:
            duplicates += 1
            continue
        same = conn.execute(sa.select(m).where(m.c.alias_id == alias, m.c.target_id == target,
                                               m.c.merged_at == md["merged_at"])).first()
        if same is not None:
            if md["undone_at"] is not None and same.undone_at is None:
                conn.execute(m.update().where(m.c.id == same.id).values(undone_at=md["undone_at"]))
            duplicates += 1
            continue
        if md["undone_at"] is None:
            aliases = _alias_map(conn)
            alias, target = resolve(aliases, alias), resolve(aliases, target)
            if alias == target:
                duplicates += 1
                continue
        added.append(conn.execute(m.insert().values(
            alias_id=alias, target_id=target, note=md["note"], merged_at=md["merged_at"],
            undone_at=md["undone_at"])).inserted_primary_key[0])
    return added, duplicates


def undo_imported_merges(conn: sa.Connection, merge_ids) -> None:
    """Undo the merges an import brought (when the import is undone)."""
    ids = list(merge_ids)
    if ids:
        m = s.trainee_merges
        conn.execute(m.update().where(m.c.id.in_(ids), m.c.undone_at.is_(None)).values(undone_at=utc_now()))
