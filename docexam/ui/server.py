"""The app as served by ``docexam app``: Streamlit's ``app.py`` plus the picture and sync routes.

``streamlit run docexam/ui/server.py`` finds :data:`app` (an ``st.App``)
and serves ``app.py`` with one route of docexam's own beside Streamlit's:
:data:`docexam.ui.media.ROUTE`, the pictures encoded once
(:mod:`docexam.ui.media`). AppTest and ``streamlit run app.py`` still work
without it; pictures then do not load in a browser. The same process
serves :data:`docexam.sharing.hq.ROUTE`: laptops push signed records and
pull signed packs there (a headquarters server, :mod:`docexam.sharing.hq`),
and :data:`docexam.ui.drill_watch.ROUTE`: a team drill's version, which
the phones ask for instead of running the page (:mod:`docexam.ui.drill_watch`).

Loading this module also starts the background preparation process
(:mod:`docexam.ui.prepare`: library, pictures, heatmaps) unless
``DOCEXAM_NO_PREPARE`` is set, and starts it again if it stops (several
app processes sharing one ``DOCEXAM_HOME`` run one preparation).

With ``DOCEXAM_TRACEMALLOC=DIR`` (a load benchmark's memory study) the
process traces its allocations and writes the largest holders, by line,
to ``DIR/memory-N.txt`` every :data:`TRACE_EVERY_S` seconds. With
``DOCEXAM_RUN_LOG=FILE`` it logs each page run's latency (:mod:`.runlog`).
"""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from pathlib import Path

import streamlit as st
from starlette.routing import Mount

from docexam.paths import REPO_DIR
from docexam.sharing import hq
from docexam.ui import drill_watch, prepare, runlog
from docexam.ui.media import ROUTE, media_app

app = st.App(str(REPO_DIR / "app.py"), routes=[Mount(ROUTE, app=media_app()), Mount(hq.ROUTE, app=hq.sync_app()),
                                                Mount(drill_watch.ROUTE, app=drill_watch.version_app())])

#: seconds between two memory reports under ``DOCEXAM_TRACEMALLOC``
TRACE_EVERY_S = 20.0


def _trace_memory(folder: Path, *, every: float = TRACE_EVERY_S, top: int = 40) -> None:
    """Write the ``top`` allocation sites (by line, 6 frames deep) to ``folder`` every ``every`` seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(6)

    def report() -> None:
        n = 0
        while True:
            time.sleep(every)
            snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            current, peak = tracemalloc.get_traced_memory()
            lines = [f"traced now {current / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB"]
            for stat in snapshot.statistics("traceback")[:top]:
                lines.append(f"{stat.size / 2**20:8.1f} MB in {stat.count} blocks")
                lines += [f"    {frame.filename}:{frame.lineno}" for frame in stat.traceback]
            (folder / f"memory-{n:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            n += 1

    threading.Thread(target=report, name="docexam-tracemalloc", daemon=True).start()


runlog.install()  # only with DOCEXAM_RUN_LOG (a load benchmark): each page run's latency, to a file

if os.environ.get("DOCEXAM_TRACEMALLOC"):
    _trace_memory(Path(os.environ["DOCEXAM_TRACEMALLOC"]))

if not os.environ.get("DOCEXAM_NO_PREPARE"):
    prepare.keep_running()


#: seconds between two looks for workshops without test forms (one made by ``docexam workshop create``)
FORMS_WATCH_S = 10.0


def _warm() -> None:
    # the pages' modules (and their caches) load beside the server's start, not in the first trainee's request
    import pandas  # noqa: F401, PLC0415 - Streamlit's components import it on first use: 2 s in a first sign-in

    from docexam.ui import quiz, state  # noqa: PLC0415 - loaded in this thread, not before the server answers

    try:
        state.warm()
    except Exception as exc:  # noqa: BLE001 - the first request does the same work and shows any problem
        print(f"docexam: warming the caches: {type(exc).__name__}: {exc}", flush=True)
    asked: set[int] = set()  # workshops whose test pictures the preparation was asked to encode
    while True:
        try:
            _want_test_pictures(state, quiz, asked)
        except Exception as exc:  # noqa: BLE001 - a page encodes what it shows itself, as before
            print(f"docexam: asking for a workshop's test pictures: {type(exc).__name__}: {exc}", flush=True)
        time.sleep(FORMS_WATCH_S)
        try:
            state.draw_open_forms()
        except Exception as exc:  # noqa: BLE001 - a sign-in draws them itself, as before
            print(f"docexam: drawing a workshop's test forms: {type(exc).__name__}: {exc}", flush=True)


def _want_test_pictures(state, quiz, asked: set) -> None:
    """The pictures of every open workshop's pre-test, then post-test, encoded ahead by the preparation (once)."""
    if not prepare.running() or not state.library_complete():
        return
    for ws in state.open_workshops():
        if ws.id not in asked and state.record().frozen_forms(ws.id):
            forms = state.test_forms(ws.id)
            quiz.want_pictures([*forms.get("pre", []), *forms.get("post", [])])
            asked.add(ws.id)


threading.Thread(target=_warm, name="docexam-warm", daemon=True).start()
