"""The pages of the app and who may open them.

The navigation offers a session only the pages its role allows (nobody,
trainee, trainer); a page that is not offered cannot be opened by URL
either, and every page also checks the role itself (:mod:`.session`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import runlog, session
from .i18n import _, N_, lang

PAGES_DIR = Path(__file__).resolve().parent / "pages"

#: page file -> (title, material icon)
PAGES = {
    "sign_in": (N_("Sign in"), ":material/login:"),
    "home": (N_("Home"), ":material/home:"),
    "lessons": (N_("Lessons"), ":material/menu_book:"),
    "practice": (N_("Practice"), ":material/quiz:"),
    "refresher": (N_("Refresher"), ":material/replay:"),
    "pre_test": (N_("Pre-test"), ":material/assignment:"),
    "post_test": (N_("Post-test"), ":material/assignment_turned_in:"),
    "survey": (N_("Survey"), ":material/rate_review:"),
    "results": (N_("My results"), ":material/insights:"),
    "alerts": (N_("Alerts"), ":material/campaign:"),
    "drill": (N_("Checkpoint drill"), ":material/badge:"),
    "thresholds": (N_("My detection thresholds"), ":material/tune:"),
    "desk": (N_("Examination desk"), ":material/document_scanner:"),
    "reference": (N_("Genuine documents"), ":material/verified_user:"),
    "trainer_sign_in": (N_("Trainer sign in"), ":material/key:"),
}
TRAINER_PAGES = {
    "workshops": (N_("Workshops"), ":material/groups:"),
    "course_settings": (N_("Course settings"), ":material/tune:"),
    "trainees": (N_("Trainees"), ":material/badge:"),
    "item_stats": (N_("Item statistics"), ":material/analytics:"),
    "studio": (N_("Specimen studio"), ":material/draw:"),
    "templates": (N_("New template"), ":material/add_photo_alternate:"),
    "library": (N_("Library"), ":material/photo_library:"),
    "raise_alert": (N_("Alerts"), ":material/campaign:"),
    "sharing": (N_("Sharing"), ":material/sync_alt:"),
}

TRAINEE_PAGES = ("home", "alerts", "lessons", "practice", "refresher", "pre_test", "post_test", "survey", "results",
                 "drill", "thresholds")


def path(name: str) -> str:
    """The file of page ``name`` (for ``st.page_link`` and ``st.switch_page``)."""
    return str(PAGES_DIR / f"{name}.py")


#: the address of the page shown at the app's root (Streamlit serves a default page at "/" only)
ROOT = "start"


def _page(name: str, *, default: bool = False, url_path: str | None = None, hidden: bool = False) -> st.Page:
    if name in TRAINER_PAGES:
        title, icon = TRAINER_PAGES[name]
    else:
        title, icon = PAGES[name]
    return st.Page(path(name), title=_(title), icon=icon, default=default, url_path=url_path or name,
                   visibility="hidden" if hidden else "visible")


#: where a session keeps its pages (see :func:`navigation`)
_SECTIONS_KEY = "_dx_nav_sections"


def _sections(*, trainee: bool, trainer: bool) -> dict[str, list]:
    sections: dict[str, list] = {}
    if trainee:
        # the default page's own address is "/": the same page, hidden, answers at /home
        sections[_("Training")] = ([_page("home", default=True, url_path=ROOT)]
                                   + [_page(n) for n in TRAINEE_PAGES if n != "home"]
                                   + [_page("home", hidden=True)])
    else:
        sections[_("Training")] = ([_page("sign_in", default=True)]
                                   + [_page("sign_in", url_path=n, hidden=True) for n in TRAINEE_PAGES])
    # the trainer sign-in page stays listed once unlocked: it is where the trainer locks again
    sections[_("Tools")] = [_page("desk"), _page("reference"), _page("trainer_sign_in")]
    if trainer:
        sections[_("Trainer")] = [_page(n) for n in TRAINER_PAGES]
    else:
        sections[_("Tools")] += [_page("trainer_sign_in", url_path=n, hidden=True) for n in TRAINER_PAGES]
    return sections


def navigation() -> st.navigation:
    """The pages this session may open, grouped in sections.

    Every page's own address works when typed (``/home`` too, though home
    is served at ``/``); a page this session may not open yet answers with
    the sign-in it needs (a hidden page at that address), never "Page not
    found".
    """
    trainee, trainer = session.trainee() is not None, session.is_trainer()
    # the pages are made once per session, role and language, not at every run: each st.Page resolves its
    # file (seven system calls, each giving up the interpreter lock), 350 a run, seconds with a room at once
    key = (trainee, trainer, lang())
    made = st.session_state.get(_SECTIONS_KEY)
    if made is None or made[0] != key:
        made = (key, _sections(trainee=trainee, trainer=trainer))
        st.session_state[_SECTIONS_KEY] = made
    sections = made[1]
    page = st.navigation(sections, expanded=True)
    runlog.page(page.url_path or ROOT)  # a load benchmark's run log names the page (nothing otherwise)
    return page
