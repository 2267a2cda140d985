"""Carry a workshop's records from a provincial laptop to headquarters.

:func:`export_workshop` writes one JSON file: the workshop, its enrolled
trainees (without PIN hashes: the file travels on USB sticks and a 4-digit
PIN falls to any hash in minutes), their enrolments, every attempt made in
the workshop, the survey answers, the workshop's course (the trainer's settings and the
test forms as frozen) and the merges of its trainees' records (with the
other records they link), signed with this installation's key
(:mod:`docexam.signing`). :func:`import_workshop` merges such a file into
another record in one transaction: all of it or nothing.

Only a file whose signature is valid and made by a key trusted here is
imported; an unsigned, changed or untrusted file is refused, unless the
trainer explicitly takes it as *unverified* (``allow_unverified``): its
attempts then count in the trainees' history but are kept apart in
reports. Every import is recorded as one unit (:mod:`.imports`) and can be
undone: its attempts stay, append-only, but no longer count.

The laptop's push to headquarters (``docexam sync``) also carries the PIN
hashes (``pins``), so that an officer signs in at headquarters with the PIN
chosen on the laptop; headquarters takes them only from a trusted signer,
and never replaces a PIN it has.

Duplicates are recognised, not stored twice: a workshop by its uid, a
trainee by uid or by the same name, department and province, an attempt or
survey answer by its uuid (a survey also by trainee and workshop). An
attempt whose uuid is stored with a different answer means one of the two
records is corrupt, and the import is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..i18n import Message
from ..atomic import write_json
from ..errors import InputFileError
from ..signing import SignatureError, Signer, canonical_json, check_document, installation_key, sign_document, verify_document
from . import imports as batches
from . import schema as s
from ..formats import workshop_export as export_format
from ..formats.reading import parse_json, read_bytes
from ..formats.validation import validate
from ..formats.workshop_export import FORMAT, VERSION
from .checks import identity_key
from .errors import DatabaseValueError
from .course import check_course, course_to_export, import_course
from .merges import import_merges, merges_to_export
from .model import Workshop
from .store import Store, get_workshop, insert_trainee, insert_workshop


_KINDS = ("trainees", "enrolments", "attempts", "surveys", "course", "merges")


#: the largest export file read (a workshop of 60 trainees is a few MB)
MAX_EXPORT_BYTES = 256 * 1024 * 1024


@dataclass
class ImportResult:
    """What an import added and what it recognised as already stored.

    ``import_id`` is the import's id (``docexam import undo ID``), None when
    it added nothing; ``signer`` who signed the file; ``verified`` false
    when it was taken unverified.
    """

    workshop: Workshop | None  # None: self-study records (:mod:`.self_study`)
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("workshops", *_KINDS), 0))
    duplicates: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("workshops", *_KINDS), 0))
    import_id: int | None = None
    signer: Signer | None = None
    verified: bool = True

    def summary(self) -> str:
        """One line for the trainer."""
        added = ", ".join(f"{n} {k}" for k, n in self.added.items())
        dup = ", ".join(f"{n} {k}" for k, n in self.duplicates.items())
        who = f"signed by {self.signer.describe()}" if self.signer else "not signed"
        how = "" if self.verified else " UNVERIFIED (kept apart in reports)"
        undo = f" (import {self.import_id}: `docexam import undo {self.import_id}` undoes it)" \
            if self.import_id is not None else ""
        what = f"workshop {self.workshop.code}" if self.workshop is not None else "self-study records"
        return f"{what}, {who}{how}: added {added}; duplicates skipped: {dup}{undo}"


def _iso(value: dt.datetime | dt.date) -> str:
    return value.isoformat()


# -------------------------------------------------------------------- export

def export_data(record: Store, ref: int | str, *, with_pins: bool = False) -> dict:
    """The export of workshop ``ref`` (id or code) as JSON data, unsigned.

    Attempts and surveys of undone imports are left out. ``with_pins`` adds
    the trainees' PIN hashes (``docexam sync`` to headquarters only).
    """
    with record.snapshot() as conn:
        ws = get_workshop(conn, ref)
        t, e, a, sv = s.trainees, s.enrolments, s.attempts, s.surveys
        people = conn.execute(sa.select(t, e.c.joined_at).join(e, e.c.trainee_id == t.c.id)
                              .where(e.c.workshop_id == ws.id).order_by(t.c.uid)).all()
        # attempts and surveys need an enrolment, so every author is in `people`
        uid_of = {p.id: p.uid for p in people}
        attempts = conn.execute(sa.select(a).where(a.c.workshop_id == ws.id, batches.counted(a, "attempt"))
                                .order_by(a.c.answered_at, a.c.uuid))
        surveys = conn.execute(sa.select(sv).where(sv.c.workshop_id == ws.id, batches.counted(sv, "survey"))
                               .order_by(sv.c.uuid))
        merges, linked = merges_to_export(conn, uid_of)
        # the other records of these officers (merged with them), without enrolment here
        others = conn.execute(sa.select(t).where(t.c.id.in_(sorted(linked - set(uid_of)))).order_by(t.c.uid)).all()
        uid_of.update({p.id: p.uid for p in others})
        data = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _iso(dt.datetime.now(dt.timezone.utc)),
            "workshop": {"uid": ws.uid, "code": ws.code, "title": ws.title, "place": ws.place,
                         "province": ws.province, "start_date": _iso(ws.start_date),
                         "end_date": _iso(ws.end_date), "trainers": list(ws.trainers),
                         "created_at": _iso(ws.created_at)},
            "trainees": [{"uid": p.uid, "name": p.name, "department": p.department, "province": p.province,
                          "rank": p.rank, "created_at": _iso(p.created_at)} for p in [*people, *others]],
            "enrolments": [{"trainee": p.uid, "joined_at": _iso(p.joined_at)} for p in people],
            "attempts": [{"uuid": r.uuid, "trainee": uid_of[r.trainee_id], "lesson_id": r.lesson_id,
                          "item_id": r.item_id, "item_type": r.item_type, "topic": r.topic, "form": r.form,
                          "answer": r.answer, "score": float(r.score), "correct": bool(r.correct),
                          "specimen_genuine": None if r.specimen_genuine is None else bool(r.specimen_genuine),
                          "answered_at": _iso(r.answered_at)} for r in attempts],
            "surveys": [{"uuid": r.uuid, "trainee": uid_of[r.trainee_id], "relevance": int(r.relevance),
                         "overall": int(r.overall), "comments": r.comments,
                         "submitted_at": _iso(r.submitted_at)} for r in surveys],
            "merges": [{"alias": uid_of[r.alias_id], "target": uid_of[r.target_id], "note": r.note,
                        "merged_at": _iso(r.merged_at), "undone_at": r.undone_at and _iso(r.undone_at)}
                       for r in merges],
        }
        course = course_to_export(conn, ws.id)
        if course is not None:
            data["course"] = course
        if with_pins:
            data["pins"] = {p.uid: p.pin_hash for p in people if p.pin_hash}
        return data


def signed_export(record: Store, ref: int | str, *, with_pins: bool = False) -> dict:
    """:func:`export_data` signed with this installation's key."""
    return sign_document(export_data(record, ref, with_pins=with_pins), installation_key())


def export_workshop(record: Store, ref: int | str, path: str | os.PathLike) -> Path:
    """Write workshop ``ref``'s records, signed, to the JSON file ``path`` (atomically)."""
    return write_json(path, signed_export(record, ref))


# -------------------------------------------------------------- file checks

def read_document(path: Path, *, name: str | None = None) -> dict:
    """The export file's JSON object (size-limited, no repeated keys); raises InputFileError.

    ``name`` is how messages name the file (an upload's own name, not a temporary copy's).
    """
    return parse_document(read_bytes(path, max_bytes=MAX_EXPORT_BYTES, name=name), name or path)


def parse_document(raw: bytes, path: str | Path) -> dict:
    """An export's JSON object from its bytes (every limit of :mod:`docexam.formats.reading`)."""
    if len(raw) > MAX_EXPORT_BYTES:
        raise InputFileError(path, Message("larger than {n} MB: not a workshop export", n=MAX_EXPORT_BYTES // 2**20))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(path, Message("not UTF-8 text; is this a docexam workshop export?")) from None
    data = parse_json(text, path)
    if not isinstance(data, dict):
        raise InputFileError(path, Message("not a docexam workshop export (not a JSON object)"))
    return data


def _parse(path: str | Path, data: dict) -> dict:
    """The document's content, checked (model :class:`~docexam.formats.workshop_export.WorkshopExport`,
    ``docs/formats.md``) and converted for the import; raises InputFileError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputFileError(path, Message("not a docexam workshop export (no \"format\": \"{format}\")", format=FORMAT))
    if data.get("version") != VERSION:
        raise InputFileError(path, Message("export version {get!r} is not supported (this docexam reads version "
                                           "{version})", get=data.get('version'), version=VERSION))
    f = validate(export_format.WorkshopExport, data, path)
    rows = {key: [row.model_dump() for row in getattr(f, key)]
            for key in ("trainees", "enrolments", "attempts", "surveys", "merges")}
    for t in rows["trainees"]:
        t["rank"] = t["rank"] or ""
    for i, a in enumerate(rows["attempts"]):
        a.update(lesson_id=a["lesson_id"] or None, score=float(a["score"]), where=f"attempts[{i}]")
    for i, sv in enumerate(rows["surveys"]):
        sv.update(comments=sv["comments"] or "", where=f"surveys[{i}]")
    for m in rows["merges"]:
        m["note"] = m["note"] or ""
    try:
        course = check_course(data["course"]) if data.get("course") is not None else None
    except (TypeError, ValueError) as exc:
        raise InputFileError(path, Message("course: {exc}", exc=exc)) from None
    return {"workshop": f.workshop.model_dump(), **rows, "course": course, "pins": dict(f.pins)}


# -------------------------------------------------------------------- import

def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def import_workshop(record: Store, path: str | os.PathLike, *, allow_unverified: bool = False,
                    name: str | None = None) -> ImportResult:
    """Merge the export file ``path`` into ``record``, all or nothing; see :func:`import_document`.

    ``name`` is how messages and the import's record name the file (the
    uploaded file's own name when ``path`` is a temporary copy).
    """
    path = Path(path)
    source = name or str(path)
    return import_document(record, read_document(path, name=source), source=source,
                           allow_unverified=allow_unverified)


def check_signature(doc: dict, source: str | Path, *, allow_unverified: bool = False) -> tuple[Signer | None, bool]:
    """``(signer, verified)`` of an export; refuses a bad signature unless ``allow_unverified``.

    Raises
    ------
    InputFileError
        Unsigned, changed after signing, or signed by a key not trusted
        here (and ``allow_unverified`` is false). Nothing is stored.
    """
    try:
        return verify_document(doc), True
    except SignatureError as exc:
        if not allow_unverified:
            raise InputFileError(source, Message("{exc}; nothing imported", exc=exc)) from None
    try:
        return check_document(doc), False
    except SignatureError:
        return None, False


def import_document(record: Store, doc: dict, *, source: str, allow_unverified: bool = False,
                    signer: Signer | None = None) -> ImportResult:
    """Merge an export (its parsed JSON object) into ``record``, all or nothing.

    Parameters
    ----------
    doc : dict
        The export, as :func:`read_document` or :func:`parse_document` gave it.
    source : str
        Where it came from (a file name, "sync from 10.0.0.5"), for messages
        and the import's record.
    allow_unverified : bool, keyword-only
        The trainer's explicit override: import an unsigned, changed or
        untrusted file as *unverified* (kept apart in reports).

    Returns
    -------
    ImportResult
        Counts of added and duplicate workshops, trainees, enrolments,
        attempts and surveys; the import's id.

    Raises
    ------
    InputFileError
        The signature is refused (see :func:`check_signature`), the file is
        malformed (the message names the field), or it conflicts with what
        is stored (same workshop code for another workshop, same attempt
        uuid with another answer). Nothing is stored.
    """
    return run_import(record, doc, source=source, allow_unverified=allow_unverified, signer=signer,
                      parse=_parse, store=_store)


def run_import(record: Store, doc: dict, *, source: str, allow_unverified: bool, signer: Signer | None,
               parse, store) -> ImportResult:
    """The steps of every records import: the signature (unless ``signer`` vouches for it already),
    ``parse(source, doc)`` into checked data, then ``store(record, doc, data, ...)`` in one transaction."""
    if signer is None:
        signer, verified = check_signature(doc, source, allow_unverified=allow_unverified)
    else:
        verified = True
    data = parse(source, doc)
    try:
        return store(record, doc, data, source=source, signer=signer, verified=verified)
    except DatabaseValueError as exc:
        raise InputFileError(source, str(exc)) from None


def _store(record: Store, doc: dict, data: dict, *, source: str, signer: Signer | None,
           verified: bool) -> ImportResult:
    digest = hashlib.sha256(canonical_json(doc)).hexdigest()
    now = dt.datetime.now(dt.timezone.utc)
    w, e, sv = s.workshops, s.enrolments, s.surveys
    with record.write() as conn:
        wd = data["workshop"]
        row = conn.execute(sa.select(w).where(w.c.uid == wd["uid"])).one_or_none()
        if row is None:
            if conn.scalar(sa.select(w.c.id).where(w.c.code == wd["code"])) is not None:
                raise InputFileError(source, Message("workshop code {code!r} is already used here by another "
                                                     "workshop; nothing imported", code=wd['code']))
            workshop = insert_workshop(conn, wd)
            added = True
        else:
            workshop = get_workshop(conn, row.id)
            added = False
        result = ImportResult(workshop, signer=signer, verified=verified)
        result.added["workshops"] += added
        result.duplicates["workshops"] += not added
        import_id = batches.start_import(conn, kind="workshop", source=source, sha256=digest,
                                         signer_key=signer.key if signer else None,
                                         signer_name=signer.name if signer else None, verified=verified,
                                         workshop_id=workshop.id)
        linked: dict[str, list[int]] = {kind: [] for kind in batches.ROW_KINDS}
        if added:
            linked["workshop"].append(workshop.id)

        local = match_trainees(conn, data["trainees"], result, linked)
        if verified and data["pins"]:
            batches.set_missing_pins(conn, {local[uid]: pin for uid, pin in data["pins"].items()})

        enrolled = set(conn.scalars(sa.select(e.c.trainee_id).where(e.c.workshop_id == workshop.id)))
        new_enrolments = []
        for ed in data["enrolments"]:
            tid = local[ed["trainee"]]
            if tid in enrolled:
                result.duplicates["enrolments"] += 1
            else:
                enrolled.add(tid)
                new_enrolments.append({"workshop_id": workshop.id, "trainee_id": tid, "joined_at": ed["joined_at"]})
        if new_enrolments:
            conn.execute(e.insert(), new_enrolments)
            linked["enrolment"] += [r["trainee_id"] for r in new_enrolments]
        result.added["enrolments"] = len(new_enrolments)

        store_attempts(conn, data["attempts"], local, workshop_id=workshop.id, enrolled=enrolled, now=now,
                       source=source, result=result, linked=linked)

        answered = {r.trainee_id: r for r in conn.execute(
            sa.select(sv.c.id, sv.c.trainee_id, sv.c.uuid).where(sv.c.workshop_id == workshop.id))}
        live_surveys = batches.live_row_ids(conn, sv, "survey", [r.id for r in answered.values()])
        for sd in data["surveys"]:
            tid = local[sd["trainee"]]
            prior = answered.get(tid)
            if prior is None:
                prior = conn.execute(sa.select(sv.c.id, sv.c.trainee_id, sv.c.uuid)
                                     .where(sv.c.uuid == sd["uuid"])).one_or_none()
            if prior is not None:
                if prior.id in live_surveys or prior.uuid != sd["uuid"]:
                    result.duplicates["surveys"] += 1
                else:
                    live_surveys.add(prior.id)
                    linked["survey"].append(prior.id)
                    result.added["surveys"] += 1
                continue
            if tid not in enrolled:
                raise InputFileError(source, Message("{where}: trainee {trainee} is not enrolled in the workshop; "
                                                     "nothing imported", where=sd['where'], trainee=sd['trainee']))
            new_id = conn.execute(sv.insert().values(
                uuid=sd["uuid"], trainee_id=tid, workshop_id=workshop.id, relevance=sd["relevance"],
                overall=sd["overall"], comments=sd["comments"].strip(),
                submitted_at=sd["submitted_at"])).inserted_primary_key[0]
            answered[tid] = conn.execute(sa.select(sv.c.id, sv.c.trainee_id, sv.c.uuid)
                                         .where(sv.c.id == new_id)).one()
            live_surveys.add(new_id)
            linked["survey"].append(new_id)
            result.added["surveys"] += 1

        if data["course"] is not None:
            done = import_course(conn, workshop.id, data["course"])
            result.added["course"] += done
            result.duplicates["course"] += not done
        merge_ids, result.duplicates["merges"] = import_merges(conn, data["merges"], local)
        linked["merge"] += merge_ids
        result.added["merges"] = len(merge_ids)

        if not any(linked.values()) and not result.added["course"]:
            # nothing new: no import to undo (the transaction drops the row)
            conn.execute(s.imports.delete().where(s.imports.c.id == import_id))
            return result
        for kind, ids in linked.items():
            if ids:
                batches.link_rows(conn, import_id, kind, ids)
        batches.finish_import(conn, import_id, {"workshop": workshop.code, "added": result.added,
                                                "duplicates": result.duplicates})
        result.import_id = import_id
    return result



def match_trainees(conn: sa.Connection, trainees: list[dict], result: ImportResult,
                   linked: dict[str, list[int]]) -> dict[str, int]:
    """The file's trainee uids -> this database's ids, adding the officers not known here.

    An officer is known by uid, or by the same name, department and province.
    """
    t = s.trainees
    local: dict[str, int] = {}
    for td in trainees:
        key = identity_key(" ".join(td["name"].split()), " ".join(td["department"].split()),
                            " ".join(td["province"].split()))
        found = conn.scalar(sa.select(t.c.id).where(sa.or_(t.c.uid == td["uid"], t.c.identity_key == key))
                            .order_by((t.c.uid == td["uid"]).desc()).limit(1))
        if found is None:
            found = insert_trainee(conn, dict(
                td, name=" ".join(td["name"].split()), department=" ".join(td["department"].split()),
                province=" ".join(td["province"].split()), identity_key=key, pin_hash=None)).id
            result.added["trainees"] += 1
            linked["trainee"].append(found)
        else:
            result.duplicates["trainees"] += 1
        local[td["uid"]] = found
    return local


def store_attempts(conn: sa.Connection, attempts: list[dict], local: dict[str, int], *, workshop_id: int | None,
                   enrolled: set[int] | None, now: dt.datetime, source: str, result: ImportResult,
                   linked: dict[str, list[int]]) -> None:
    """Add the file's attempts not stored here (made in ``workshop_id``, None: self-study).

    An attempt stored before is a duplicate (or counts again when only an
    undone import had brought it); the same uuid with another answer
    refuses the whole import. ``enrolled``: the trainees who may have
    answered in the workshop (None: anyone, for self-study).
    """
    a = s.attempts
    stored: dict[str, Any] = {}
    for chunk in _chunks([ad["uuid"] for ad in attempts]):
        for r in conn.execute(sa.select(a).where(a.c.uuid.in_(chunk))):
            stored[r.uuid] = r
    # stored, but only by imports since undone: this import brings them back
    live = batches.live_row_ids(conn, a, "attempt", [r.id for r in stored.values()])
    new_attempts, seen = [], {}
    for ad in attempts:
        values = {k: v for k, v in ad.items() if k not in ("trainee", "where")}
        values.update(trainee_id=local[ad["trainee"]], workshop_id=workshop_id)
        prior = stored.get(ad["uuid"]) or seen.get(ad["uuid"])
        if prior is not None:
            if not _same_answer(prior, values):
                raise InputFileError(source, Message("{where}: attempt {uuid} is already stored with a different "
                                                     "answer; nothing imported", where=ad['where'], uuid=ad['uuid']))
            if isinstance(prior, dict) or prior.id in live:
                result.duplicates["attempts"] += 1
            else:
                live.add(prior.id)
                linked["attempt"].append(prior.id)
                result.added["attempts"] += 1
            continue
        if enrolled is not None and values["trainee_id"] not in enrolled:
            raise InputFileError(source, Message("{where}: trainee {trainee} is not enrolled in the workshop; "
                                                 "nothing imported", where=ad['where'], trainee=ad['trainee']))
        values["recorded_at"] = now
        seen[ad["uuid"]] = values
        new_attempts.append(values)
    for chunk in _chunks(new_attempts):
        conn.execute(a.insert(), chunk)
    for chunk in _chunks([v["uuid"] for v in new_attempts]):
        linked["attempt"] += conn.scalars(sa.select(a.c.id).where(a.c.uuid.in_(chunk))).all()
    result.added["attempts"] += len(new_attempts)


def _same_answer(prior, values: dict) -> bool:
    get = (lambda k: prior[k]) if isinstance(prior, dict) else (lambda k: getattr(prior, k))
    return all(get(k) == values[k] for k in ("trainee_id", "item_id", "form", "score", "correct", "answer"))
