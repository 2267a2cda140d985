"""What the pages show while the specimen library is rendered on a first start.

A page that needs the whole library raises
:class:`~.starter.LibraryNotReady`; the app shows :func:`library_notice`
instead (a trainee also gets the warm-up round on the starter documents),
and the trainer sees :func:`progress_bar` in the sidebar on every page. Both
look at the files on disk every few seconds by themselves and reload the
page once the library is complete.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..lessons import draw_quiz
from . import quiz, session, state, starter
from .i18n import _

#: seconds between looks at the library while the first documents are rendered, and after
POLL_FIRST_S = 2
POLL_S = 10
#: questions of the warm-up round at most
WARM_UP_COUNT = 8


def _text(done: int, total: int) -> str:
    return _("Specimen library: {done} of {total} documents prepared", done=done, total=total)


def _watch(*, starter_ready: bool, key: str) -> None:
    """A progress bar redrawn every few seconds; the whole page reruns when the library (or the warm-up) is ready."""

    @st.fragment(run_every=dt.timedelta(seconds=POLL_S if starter_ready else POLL_FIRST_S))
    def bar() -> None:
        done, total = starter.library_progress()
        if done == total or (not starter_ready and state.starter_items()):
            st.rerun(scope="app")
        st.progress(done / max(total, 1), text=_text(done, total))

    with st.container(key=key):
        bar()


def library_notice() -> None:
    """The page the trainee asked for needs the whole library: say so, show its progress, offer the warm-up."""
    items = state.starter_items()
    st.info(_("This page opens once the specimen library is prepared on this laptop (first start only: it takes "
              "several minutes). The page updates by itself."), icon=":material/hourglass_top:")
    _watch(starter_ready=bool(items), key="dx-library-notice")
    if session.trainee() is None:
        return
    st.subheader(_("Warm-up while you wait"))
    st.caption(_("A few questions on the first documents, with the answers explained. They do not count for the "
                 "tests, and these documents are not in the tests."))
    if not items:
        st.write(_("The first documents are being prepared (about half a minute)…"))
        return
    me = session.trainee()
    quiz.run_quiz("warm-up", draw_quiz(list(items), seed=me.id, count=WARM_UP_COUNT, repeats=True),
                  form="practice")


def progress_bar() -> None:
    """The trainer's view of the first start (sidebar): the library's progress until it is complete."""
    if state.library_complete():
        return
    st.caption(_("The specimen library is being prepared in the background (first start only). The tests "
                 "open when it is ready."))
    _watch(starter_ready=True, key="dx-library-progress")
