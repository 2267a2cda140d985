"""A workshop's course in the record: the trainer's settings, the test forms as first drawn,
retired specimens, and the answers as response matrices for item statistics.

Part of :class:`~.record.TrainingRecord` (these are its methods). The rules
themselves (what opens when, who earns a certificate) are
:mod:`docexam.assessment.course`; the statistics :mod:`docexam.assessment.psychometrics`.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..i18n import Message
from ..assessment.course import CourseSettings
from . import schema as s
from .checks import clean_text, utc_now
from .errors import InvalidValueError
from .imports import counted
from .merges import resolve
from .store import Store, get_workshop

#: the forms whose first answers calibrate the items (tests: no feedback between answers)
CALIBRATION_FORMS = ("pre", "post")


class CourseMethods(Store):
    """Course settings, frozen test forms, retired specimens, response matrices."""

    # ---- settings

    def course_settings(self, workshop_id: int):
        """The workshop's :class:`~docexam.assessment.course.CourseSettings` (defaults until the trainer sets them)."""
        with self.read() as conn:
            get_workshop(conn, workshop_id)
            data = conn.scalar(sa.select(s.workshop_course.c.settings)
                               .where(s.workshop_course.c.workshop_id == workshop_id))
        return CourseSettings.from_dict(data)

    def set_course_settings(self, workshop_id: int, settings) -> None:
        """Store the trainer's settings (a ``CourseSettings``)."""
        self._put_course(workshop_id, settings=settings.as_dict())

    def _put_course(self, workshop_id: int, **values) -> None:
        wc = s.workshop_course
        with self.write() as conn:
            get_workshop(conn, workshop_id)
            where = wc.c.workshop_id == workshop_id
            if not conn.execute(wc.update().where(where).values(updated_at=utc_now(), **values)).rowcount:
                conn.execute(wc.insert().values(workshop_id=workshop_id, updated_at=utc_now(), **values))

    # ---- test forms

    def frozen_forms(self, workshop_id: int) -> dict | None:
        """The forms as first drawn: ``{"pre": [[item id, topic], ...], "post": [...], ...}``, or None."""
        with self.read() as conn:
            return conn.scalar(sa.select(s.workshop_course.c.forms)
                               .where(s.workshop_course.c.workshop_id == workshop_id))

    def freeze_forms(self, workshop_id: int, forms: dict) -> dict:
        """Store the workshop's forms unless some are stored already; returns the stored ones.

        Every trainee of a workshop must sit the same forms: the first drawing
        wins, also when two trainees start at the same moment.
        """
        wc = s.workshop_course
        with self.write() as conn:
            get_workshop(conn, workshop_id)
            row = conn.execute(sa.select(wc.c.forms).where(wc.c.workshop_id == workshop_id)).one_or_none()
            if row is not None and row.forms:
                return row.forms
            if row is None:
                conn.execute(wc.insert().values(workshop_id=workshop_id, forms=forms, updated_at=utc_now()))
            else:
                conn.execute(wc.update().where(wc.c.workshop_id == workshop_id)
                             .values(forms=forms, updated_at=utc_now()))
        return forms

    # ---- retired specimens

    def retire_specimen(self, name: str, *, note: str = "") -> None:
        """No new quiz or test draws on specimen ``name``; old attempts keep it."""
        name = clean_text("name", name, max_len=200)
        note = clean_text("note", note, max_len=500, required=False)
        rs = s.retired_specimens
        with self.write() as conn:
            if conn.scalar(sa.select(rs.c.name).where(rs.c.name == name)) is None:
                conn.execute(rs.insert().values(name=name, note=note, retired_at=utc_now()))

    def restore_specimen(self, name: str) -> None:
        """Undo :meth:`retire_specimen`."""
        rs = s.retired_specimens
        with self.write() as conn:
            conn.execute(rs.delete().where(rs.c.name == name))

    def retired_specimens(self) -> dict[str, str]:
        """Retired specimen name -> the trainer's note."""
        rs = s.retired_specimens
        with self.read() as conn:
            return {row.name: row.note for row in conn.execute(sa.select(rs.c.name, rs.c.note))}

    def specimen_answers(self, name: str) -> int:
        """How many answers ever stored are about specimen ``name`` (undone imports included).

        Item ids start with the specimen's name (``NAME:verdict``), a compare
        item ends with its genuine one (``FORGED:compare:GENUINE``); names hold
        no ``:``. A specimen with answers is evidence of those answers: it may be
        retired, never deleted.
        """
        a = s.attempts
        about = sa.or_(a.c.item_id.startswith(f"{name}:", autoescape=True),
                       a.c.item_id.endswith(f":compare:{name}", autoescape=True))
        with self.read() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(a).where(about)))

    # ---- answers as response matrices

    def sittings(self, *, workshop_id: int | None = None, forms=CALIBRATION_FORMS) -> list[dict]:
        """First answers per sitting: ``[{"trainee", "workshop", "form", "answers": {item id: 0/1}}]``.

        A sitting is one trainee (merged records as one) taking one form of
        one workshop; only the first answer to each item counts, as in the
        Key Results (and, as there, answers of undone or unverified imports do not).
        """
        if not forms or not set(forms) <= set(s.FORMS):
            raise InvalidValueError("forms", Message("expected some of {value}", value=', '.join(s.FORMS)))
        a = s.attempts
        query = (sa.select(a.c.trainee_id, a.c.workshop_id, a.c.form, a.c.item_id, a.c.correct, a.c.answer)
                 .where(a.c.form.in_(list(forms)), counted(a, "attempt", verified_only=True))
                 .order_by(a.c.answered_at, a.c.id))
        if workshop_id is not None:
            query = query.where(a.c.workshop_id == workshop_id)
        with self.read() as conn:
            rows = conn.execute(query).all()
        aliases = self.aliases()
        out: dict[tuple, dict] = {}
        for row in rows:
            key = (resolve(aliases, row.trainee_id), row.workshop_id, row.form)
            sitting = out.setdefault(key, {"trainee": key[0], "workshop": key[1], "form": key[2],
                                           "answers": {}, "given": {}})
            if row.item_id not in sitting["answers"]:
                sitting["answers"][row.item_id] = 1.0 if row.correct else 0.0
                sitting["given"][row.item_id] = row.answer
        return list(out.values())


def workshop_forms(record, workshop_id: int, lessons, pool, *, names=("pre", "post")) -> dict[str, list]:
    """The workshop's pre- and post-test items: the frozen forms, or drawn now and frozen.

    Drawn with :func:`docexam.assessment.forms.fit_forms` from ``pool``
    (items tagged with their topic), item difficulties calibrated on every
    answer recorded so far (:func:`docexam.assessment.itemstats.calibrated_difficulties`);
    seed: the workshop id. An item no longer in ``pool`` is left out.
    """
    # NumPy and SciPy for the forms' linear program: loaded when forms are drawn, not when the record opens
    from ..assessment.forms import blueprint_from_lessons, fit_forms, prior_logit
    from ..assessment.itemstats import calibrated_difficulties

    pool = list(pool)
    stored = record.frozen_forms(workshop_id)
    if not stored:
        retired = set(record.retired_specimens())
        live = [item for item in pool if not set(item.specimens) & retired]
        difficulty = calibrated_difficulties(record.sittings(), {item.id: prior_logit(item) for item in live})
        drawn, _kept = (fit_forms(live, blueprint_from_lessons(lessons), seed=workshop_id, names=names,
                                  difficulty=difficulty) if lessons else ({n: [] for n in names}, {}))
        stored = record.freeze_forms(workshop_id, {n: [[i.id, i.topic] for i in drawn[n]] for n in names})
    by_key = {(item.id, item.topic): item for item in pool}
    return {name: [by_key[tuple(key)] for key in stored.get(name, []) if tuple(key) in by_key] for name in names}


# ---------------------------------------------------------------- travelling with a workshop export

#: the test forms a workshop freezes (names in an export's ``course.forms``)
FORM_NAMES = ("pre", "post")


def course_to_export(conn: sa.Connection, workshop_id: int) -> dict | None:
    """The workshop's course as an export carries it: settings, frozen forms, when last changed."""
    wc = s.workshop_course
    row = conn.execute(sa.select(wc).where(wc.c.workshop_id == workshop_id)).one_or_none()
    if row is None:
        return None
    return {"settings": row.settings, "forms": row.forms, "updated_at": row.updated_at.isoformat()}


def check_course(value) -> dict:
    """An export's ``course`` checked (raises ValueError saying what is wrong)."""
    if not isinstance(value, dict) or set(value) - {"settings", "forms", "updated_at"}:
        raise ValueError("must be an object with settings, forms and updated_at")
    settings = value.get("settings")
    if settings is not None:
        if not isinstance(settings, dict):
            raise ValueError("settings must be an object")
        settings = CourseSettings.from_dict(settings).as_dict()  # the same checks as the trainer's page
    forms = value.get("forms")
    if forms is not None:
        if not isinstance(forms, dict) or not set(forms) <= set(FORM_NAMES):
            raise ValueError(f"forms must be an object with {' and '.join(FORM_NAMES)}")
        for name, items in forms.items():
            if not isinstance(items, list) or not all(
                    isinstance(k, list) and len(k) == 2 and all(isinstance(v, str) and v for v in k) for k in items):
                raise ValueError(f"forms.{name} must be a list of [item id, topic]")
    updated = dt.datetime.fromisoformat(value.get("updated_at") or "")
    if updated.tzinfo is None:
        raise ValueError("updated_at must include a time zone")
    return {"settings": settings, "forms": forms, "updated_at": updated.astimezone(dt.timezone.utc)}


def import_course(conn: sa.Connection, workshop_id: int, course: dict) -> bool:
    """Fill in the workshop's course from an export where this record has none yet; True if anything was.

    What a trainer set here is never replaced, and frozen forms never
    change once drawn (trainees may have sat them here).
    """
    wc = s.workshop_course
    row = conn.execute(sa.select(wc).where(wc.c.workshop_id == workshop_id)).one_or_none()
    if row is None:
        conn.execute(wc.insert().values(workshop_id=workshop_id, settings=course["settings"],
                                        forms=course["forms"], updated_at=course["updated_at"]))
        return bool(course["settings"] or course["forms"])
    values = {}
    if row.settings is None and course["settings"] is not None:
        values["settings"] = course["settings"]
    if not row.forms and course["forms"]:
        values["forms"] = course["forms"]
    if values:
        conn.execute(wc.update().where(wc.c.workshop_id == workshop_id).values(updated_at=utc_now(), **values))
    return bool(values)
