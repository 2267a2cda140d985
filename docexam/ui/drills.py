"""The drill pages' shared parts: scenarios, the renderer's queue, the drill this tab plays, sending.

Heavy things are made once per server (``st.cache_resource``): the
scenarios, the document kinds, and one :class:`~docexam.drill.prefetch.Prefetcher`
whose worker renders what drills will show next, at a low priority (its
``then`` hook encodes the pictures for the browser too). A tab remembers
which drill it plays (``drill`` in the session); the drill itself lives in
the training record, so a reload, another phone or another officer sees
the same state.

A page run replays the drill only when it changed: the record's
:meth:`~docexam.training.TrainingRecord.drill_version` (one indexed query)
is compared with the version of the state kept in the session.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid as uuidlib

import streamlit as st

from ..drill.material import TravellerJob, document_kinds
from ..drill.prefetch import Prefetcher
from ..drill.scenario import available_files, load_scenarios
from ..errors import DocexamError
from . import media, runlog, session, state
from .drill_pictures import OnScreen
from .i18n import _

#: the drill this tab plays: ``{"id": session id, "role": role}``
CURRENT = "drill"
#: travellers of the queue rendered ahead of the one at the counter
AHEAD = 3
#: travellers not yet called whose pictures the browser fetches ahead (:func:`docexam.ui.counter.preload`)
PRELOAD = 2


def _folder_signature() -> tuple:
    """Names and modification times of the scenario files: a new or changed file changes it."""
    try:
        return tuple((str(p), p.stat().st_mtime_ns) for p in available_files())
    except (DocexamError, OSError):
        return ()


@st.cache_resource(show_spinner=False, max_entries=4)
def _scenarios(signature: tuple) -> tuple:
    return tuple(load_scenarios())


def scenarios() -> tuple:
    """The shipped scenarios and this installation's own (read again when a file changes)."""
    return _scenarios(_folder_signature())


@st.cache_resource(show_spinner=False)
def kinds() -> dict:
    """Document kind -> templates (what the queue may show)."""
    return document_kinds()


@st.cache_resource(show_spinner=False)
def prefetcher() -> Prefetcher:
    """The server's renderer for what drills ask for next (two low-priority worker processes).

    Everything else is rendered before anyone asks by the background
    preparation process (:mod:`.prepare`, :func:`docexam.drill.ahead.ahead_jobs`).
    """
    return Prefetcher(then=media.warm, log=runlog.job)  # timings logged only when measuring


# ---------------------------------------------------------------------------
# the drill this tab plays

def current() -> dict | None:
    return st.session_state.get(CURRENT)


def play(session_id: int, role: str) -> None:
    st.session_state[CURRENT] = {"id": int(session_id), "role": role}
    st.session_state.pop("drill-state", None)


def leave() -> None:
    st.session_state.pop(CURRENT, None)
    st.session_state.pop("drill-state", None)


def drill_state(session_id: int):
    """The drill replayed, reusing this tab's copy while nothing happened (one cheap query)."""
    record = state.record()
    version = record.drill_version(session_id)
    kept = st.session_state.get("drill-state")
    if kept and kept[0] == (session_id, version):
        return kept[1]
    replayed = record.drill_state(session_id)
    st.session_state["drill-state"] = ((session_id, version), replayed)
    return replayed


def seen_version(session_id: int):
    """The drill's version this tab's copy of the state was replayed at (what the page is drawn from)."""
    kept = st.session_state.get("drill-state")
    return kept[0][1] if kept and kept[0][0] == session_id else (0, 0)


def now() -> float:
    return time.time()


def send(kind: str, traveller: int | None = None, detail: dict | None = None) -> str | None:
    """Record what this tab's officer did; returns why not (one line) when the drill refused it.

    Each press gets its own uuid; a press the record refuses leaves a notice
    for the next run to show.
    """
    me, drill = session.trainee(), current()
    if me is None or drill is None:
        return _("Please sign in first.")
    try:
        state.record().record_drill_event(uuid=str(uuidlib.uuid4()), session_id=drill["id"], trainee_id=me.id,
                                          kind=kind, traveller=traveller, detail=detail or {},
                                          at=dt.datetime.now(dt.timezone.utc))
    except DocexamError as exc:
        st.session_state["drill-notice"] = str(exc)
        return str(exc)
    st.session_state.pop("drill-state", None)
    return None


def notice() -> None:
    """Show (once) why the last press was refused."""
    text = st.session_state.pop("drill-notice", None)
    if text:
        st.warning(_("Not done: {why}", why=text), icon=":material/block:")


def prefetch_ahead(drill_state) -> None:
    """Ask for the travellers the counters will call next (the one at the counter first)."""
    p = prefetcher()
    n = 0
    for case in drill_state.cases:
        if case.decision is None:
            p.request(OnScreen(TravellerJob(case.traveller)), priority=float(n))
            n += 1
            if n > AHEAD:
                break


def clock_text(seconds: float) -> str:
    """Minutes and seconds of the shift's clock.

    >>> clock_text(75.4), clock_text(3600)
    ('01:15', '60:00')
    """
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
