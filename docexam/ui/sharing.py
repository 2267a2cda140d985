"""Alerts and the training history as the pages show them (logic in :mod:`docexam.sharing`).

Alerts are read once per change of ``$DOCEXAM_HOME/alerts`` (names and
modification times), shared by every session; a pack import or a trainer's
new alert is seen at the next page run.
"""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from ..paths import docexam_home
from ..sharing import alerts as core
from . import state


def _signature() -> tuple:
    folder = core.alerts_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.json")))


@st.cache_resource(show_spinner=False, max_entries=4)
def _alerts(home: str, signature: tuple) -> tuple:
    return tuple(core.list_alerts())


def alerts() -> tuple:
    """Every alert here, newest first (a broken file is left out)."""
    return _alerts(str(docexam_home()), _signature())


def new_alerts(record, trainee_id: int) -> list:
    """The alerts this trainee has not answered a question of yet."""
    return core.new_alerts(record, trainee_id, alerts())


def alert_items(chosen=None) -> list:
    """Quiz items of ``chosen`` alerts (default: all), from the specimens quizzes see now."""
    return core.alert_items(alerts() if chosen is None else chosen, state.specimens())


def history_rows(record, trainee_id: int, *, labels: dict) -> list[dict]:
    """One row per workshop (and self-study) the trainee answered in, wherever it was recorded.

    ``labels`` maps the column keys (course, place, answers, correct, last) to their titles.
    """
    by_ws: dict = defaultdict(list)
    for a in record.attempts_for(trainee_id=trainee_id):
        by_ws[a.workshop_id].append(a)
    rows = []
    for wid, answers in sorted(by_ws.items(), key=lambda kv: max(a.answered_at for a in kv[1]), reverse=True):
        ws = record.workshop(wid) if wid is not None else None
        rows.append({labels["course"]: f"{ws.code}: {ws.title}" if ws else labels["self_study"],
                     labels["place"]: f"{ws.place}, {ws.province}" if ws else "",
                     labels["answers"]: len(answers), labels["correct"]: sum(a.correct for a in answers),
                     labels["last"]: max(a.answered_at for a in answers).strftime("%Y-%m-%d")})
    return rows


def forget_alerts() -> None:
    _alerts.clear()
