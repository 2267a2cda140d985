"""Alerts: a newly seen forgery, shared at once.

A trainer or an examiner at headquarters turns an annotated forged
specimen (the studio's, in ``$DOCEXAM_HOME/specimens``: images in any
lights, traces marked and explained) into an alert by saying what it
imitates, where and when it was seen, what to check, and which department
raised it (``$DOCEXAM_HOME/alerts/ID.json``, :class:`.formats.AlertFile`).
From then on:

* its specimen is quiz material like any other (the quizzes draw on the
  trainers' specimens), and its items are refresher items at once
  (:func:`alert_items`), before anything that falls due;
* every trainee's home page shows it as a *new alert* until they have
  answered one of its questions (:func:`new_alerts`);
* it prints as a one-page card (:mod:`.card`);
* it travels in packs, with its specimen.

Examples
--------
>>> import datetime as dt
>>> alert = AlertFile(id="uto-visa-wash", title="Washed visa", specimen="uto-td3-washed",
...                   imitates="Utopia passport", what_to_check=["Fibres under UV"],
...                   department="Immigration, Poipet", raised_at=dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))
>>> alert_id_for("Washed visa, Poipet!")
'washed-visa-poipet'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from ..i18n import Message
from ..atomic import read_text, write_json
from ..errors import DocexamError, InputFileError, UnknownNameError
from ..lessons.items import generate_items
from ..paths import docexam_home
from .formats import AlertFile

#: the topic alert items carry in refreshers and readiness
ALERT_TOPIC = "alerts"


def alerts_dir() -> Path:
    """``$DOCEXAM_HOME/alerts``."""
    return docexam_home() / "alerts"


def alert_id_for(title: str) -> str:
    """A file-safe id made from a title (lower case, digits and '-')."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")[:50].strip("-")
    return slug or "alert"


def _problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}"


def create_alert(*, specimen, title: str, imitates: str, what_to_check: Sequence[str], department: str,
                 seen_where: str = "", seen_when: str = "", title_km: str = "",
                 what_to_check_km: Sequence[str] = (), alert_id: str | None = None,
                 raised_at: dt.datetime | None = None) -> AlertFile:
    """Raise an alert from a trainer's forged specimen and save it (atomically).

    Parameters
    ----------
    specimen : Specimen
        A forged specimen of this installation's trainers (its images and
        marked traces are the alert's).

    Raises
    ------
    DocexamError
        A genuine or shipped specimen, a field out of bounds (named), an id taken.
    """
    if specimen.authentic:
        raise DocexamError(Message("{name}: an alert is about a forgery; this specimen is marked genuine", name=specimen.name))
    own = docexam_home() / "specimens"
    if Path(specimen.folder).resolve() != own.resolve():
        raise DocexamError(Message("{name}: an alert needs a specimen of this installation's trainers (add it in the "
                                   "specimen studio first)", name=specimen.name))
    taken = {p.stem for p in alerts_dir().glob("*.json")} if alerts_dir().is_dir() else set()
    if alert_id is not None and alert_id in taken:
        raise DocexamError(Message("alert {alert_id!r} exists already; choose another id", alert_id=alert_id))
    base = alert_id or alert_id_for(title)
    alert_id, n = base, 2
    while alert_id in taken:  # a title used twice: the second is title-2
        alert_id, n = f"{base[:46]}-{n}", n + 1
    try:
        alert = AlertFile(id=alert_id, title=title, title_km=title_km, specimen=specimen.name, imitates=imitates,
                          seen_where=seen_where, seen_when=seen_when,
                          what_to_check=[w for w in what_to_check if str(w).strip()],
                          what_to_check_km=[w for w in what_to_check_km if str(w).strip()],
                          department=department, raised_at=raised_at or dt.datetime.now(dt.timezone.utc))
    except ValidationError as exc:
        raise DocexamError(Message("alert: {problem}", problem=_problem(exc))) from None
    write_json(alerts_dir() / f"{alert.id}.json", alert.model_dump(mode="json"))
    return alert


def load_alert(path: str | Path) -> AlertFile:
    """One alert file; :class:`InputFileError` naming the field on a problem."""
    path = Path(path)
    try:
        alert = AlertFile.model_validate_json(read_text(path))
    except ValidationError as exc:
        raise InputFileError(path, _problem(exc)) from None
    if f"{alert.id}.json" != path.name:
        raise InputFileError(path, Message("id: {id!r} is not the file's name", id=alert.id))
    return alert


def list_alerts(*, errors: list[str] | None = None) -> list[AlertFile]:
    """Every alert here, newest first. A broken file is left out (its problem added to ``errors``)."""
    folder = alerts_dir()
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        if path.name.startswith("."):
            continue
        try:
            found.append(load_alert(path))
        except DocexamError as exc:
            if errors is not None:
                errors.append(str(exc))
    return sorted(found, key=lambda a: (a.raised_at, a.id), reverse=True)


def find_alert(alert_id: str) -> AlertFile:
    for alert in list_alerts():
        if alert.id == alert_id:
            return alert
    raise UnknownNameError(Message("alert"), alert_id, [a.id for a in list_alerts()])


def alert_specimen(alert: AlertFile, specimens: Iterable):
    """The alert's specimen among ``specimens`` (None when it is not there)."""
    return next((s for s in specimens if s.name == alert.specimen), None)


def alert_items(alerts: Iterable[AlertFile], specimens: Iterable) -> list:
    """The quiz items of the alerts' specimens, tagged with the alerts' topic, newest alert first."""
    specimens = list(specimens)
    out = []
    for alert in alerts:
        spec = alert_specimen(alert, specimens)
        if spec is not None:
            out += [replace(item, topic=ALERT_TOPIC) for item in generate_items([spec])]
    return out


def seen_alerts(item_ids: Iterable[str], alerts: Iterable[AlertFile]) -> set[str]:
    """Ids of the alerts one of whose questions is among ``item_ids`` (answered)."""
    prefixes = {a.id: f"{a.specimen}:" for a in alerts}
    answered = list(item_ids)
    return {aid for aid, prefix in prefixes.items() if any(i.startswith(prefix) for i in answered)}


def new_alerts(record, trainee_id: int, alerts: Sequence[AlertFile] | None = None) -> list[AlertFile]:
    """The alerts this trainee has not answered a question of yet, newest first."""
    alerts = list_alerts() if alerts is None else list(alerts)
    seen = seen_alerts((a.item_id for a in record.attempts_for(trainee_id=trainee_id)), alerts)
    return [a for a in alerts if a.id not in seen]
