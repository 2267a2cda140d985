"""Carry officers' self-study records and refresher schedules to headquarters.

An officer who signs in without a workshop code studies alone: practice,
the self-study tests and refreshers, stored as attempts of no workshop.
Every officer also has spaced-repetition cards (``reviews``), wherever the
items were answered. :func:`signed_export` puts both in one signed document
(model :class:`~docexam.formats.self_study_export.SelfStudyExport`,
``docs/formats.md``) that ``docexam sync`` pushes beside the workshops'
records; :func:`import_document` merges it at headquarters in one
transaction, with the rules of a workshop import
(:mod:`.exchange`): only a trusted signer, attempts by uuid, officers by uid
or by name, department and province, one import that can be undone.

A card is scheduling state, not evidence: the card updated last wins, and
undoing an import leaves the cards as they are (the attempts it brought
stop counting, as for a workshop import).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa

from ..i18n import Message
from ..errors import InputFileError
from ..formats import self_study_export as export_format
from ..formats.self_study_export import FORMAT, VERSION
from ..formats.validation import validate
from ..signing import Signer, canonical_json, installation_key, sign_document
from . import imports as batches
from . import schema as s
from .exchange import ImportResult, match_trainees, run_import, store_attempts
from .store import Store

#: what a self-study import counts
KINDS = ("trainees", "attempts", "reviews")


def export_data(record: Store, *, with_pins: bool = False) -> dict | None:
    """The installation's self-study records as JSON data, unsigned; None when there are none.

    Attempts of undone imports are left out. ``with_pins`` adds the
    officers' PIN hashes (``docexam sync`` to headquarters only).
    """
    t, a, r = s.trainees, s.attempts, s.reviews
    with record.snapshot() as conn:
        attempts = conn.execute(sa.select(a).where(a.c.workshop_id.is_(None), batches.counted(a, "attempt"))
                                .order_by(a.c.answered_at, a.c.uuid)).all()
        reviews = conn.execute(sa.select(r).order_by(r.c.trainee_id, r.c.item_id)).all()
        ids = {row.trainee_id for row in attempts} | {row.trainee_id for row in reviews}
        if not ids:
            return None
        people = conn.execute(sa.select(t).where(t.c.id.in_(sorted(ids))).order_by(t.c.uid)).all()
    uid_of = {p.id: p.uid for p in people}
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "trainees": [{"uid": p.uid, "name": p.name, "department": p.department, "province": p.province,
                      "rank": p.rank, "created_at": p.created_at.isoformat()} for p in people],
        "attempts": [{"uuid": row.uuid, "trainee": uid_of[row.trainee_id], "lesson_id": row.lesson_id,
                      "item_id": row.item_id, "item_type": row.item_type, "topic": row.topic, "form": row.form,
                      "answer": row.answer, "score": float(row.score), "correct": bool(row.correct),
                      "specimen_genuine": None if row.specimen_genuine is None else bool(row.specimen_genuine),
                      "answered_at": row.answered_at.isoformat()} for row in attempts],
        "reviews": [{"trainee": uid_of[row.trainee_id], "item_id": row.item_id, "topic": row.topic,
                     "card": row.card, "due": row.due.isoformat(), "updated_at": row.updated_at.isoformat()}
                    for row in reviews],
    }
    if with_pins:
        data["pins"] = {p.uid: p.pin_hash for p in people if p.pin_hash}
    return data


def signed_export(record: Store, *, with_pins: bool = False) -> dict | None:
    """:func:`export_data` signed with this installation's key (None when there is nothing)."""
    data = export_data(record, with_pins=with_pins)
    return None if data is None else sign_document(data, installation_key())


def is_self_study(doc: object) -> bool:
    """Whether a parsed document is self-study records (not a workshop export)."""
    return isinstance(doc, dict) and doc.get("format") == FORMAT


def _parse(source: str, doc: dict) -> dict:
    if doc.get("version") != VERSION:
        raise InputFileError(source, Message("self-study records version {get!r} is not supported (this docexam "
                                             "reads version {version})", get=doc.get('version'), version=VERSION))
    f = validate(export_format.SelfStudyExport, doc, source)
    attempts = [dict(row.model_dump(), lesson_id=row.lesson_id or None, score=float(row.score),
                     where=f"attempts[{i}]") for i, row in enumerate(f.attempts)]
    trainees = [dict(row.model_dump(), rank=row.rank or "") for row in f.trainees]
    return {"trainees": trainees, "attempts": attempts, "reviews": [row.model_dump() for row in f.reviews],
            "pins": dict(f.pins)}


def import_document(record: Store, doc: dict, *, source: str, allow_unverified: bool = False) -> ImportResult:
    """Merge self-study records (a parsed document) into ``record``, all or nothing.

    Returns
    -------
    ImportResult
        Added and duplicate trainees, attempts and cards (``reviews``; a
        card older than the one stored here counts as a duplicate); its
        ``workshop`` is None.

    Raises
    ------
    InputFileError
        The signature is refused, the document is malformed (the message
        names the field) or an attempt's uuid is stored with another
        answer. Nothing is stored.
    """
    return run_import(record, doc, source=source, allow_unverified=allow_unverified, signer=None,
                      parse=_parse, store=_store)


def _store(record: Store, doc: dict, data: dict, *, source: str, signer: Signer | None,
           verified: bool) -> ImportResult:
    now = dt.datetime.now(dt.timezone.utc)
    result = ImportResult(None, added=dict.fromkeys(KINDS, 0), duplicates=dict.fromkeys(KINDS, 0),
                          signer=signer, verified=verified)
    with record.write() as conn:
        import_id = batches.start_import(conn, kind="self-study", source=source,
                                         sha256=hashlib.sha256(canonical_json(doc)).hexdigest(),
                                         signer_key=signer.key if signer else None,
                                         signer_name=signer.name if signer else None, verified=verified)
        linked: dict[str, list[int]] = {kind: [] for kind in batches.ROW_KINDS}
        local = match_trainees(conn, data["trainees"], result, linked)
        if verified and data["pins"]:
            batches.set_missing_pins(conn, {local[uid]: pin for uid, pin in data["pins"].items()})
        store_attempts(conn, data["attempts"], local, workshop_id=None, enrolled=None, now=now, source=source,
                       result=result, linked=linked)
        if verified:  # an unverified file's schedule would steer an officer's refreshers: not taken
            _store_reviews(conn, data["reviews"], local, result)
        if not any(linked.values()):
            conn.execute(s.imports.delete().where(s.imports.c.id == import_id))
            return result
        for kind, ids in linked.items():
            if ids:
                batches.link_rows(conn, import_id, kind, ids)
        batches.finish_import(conn, import_id, {"workshop": None, "added": result.added,
                                                "duplicates": result.duplicates})
        result.import_id = import_id
    return result


def _store_reviews(conn: sa.Connection, reviews: list[dict], local: dict[str, int], result: ImportResult) -> None:
    """Keep, per officer and item, the card updated last."""
    r = s.reviews
    for rd in reviews:
        tid = local[rd["trainee"]]
        where = sa.and_(r.c.trainee_id == tid, r.c.item_id == rd["item_id"])
        stored = conn.scalar(sa.select(r.c.updated_at).where(where))
        values = {"topic": rd["topic"], "card": rd["card"], "due": rd["due"], "updated_at": rd["updated_at"]}
        if stored is None:
            conn.execute(r.insert().values(trainee_id=tid, item_id=rd["item_id"], **values))
        elif stored < rd["updated_at"]:
            conn.execute(r.update().where(where).values(**values))
        else:
            result.duplicates["reviews"] += 1
            continue
        result.added["reviews"] += 1
