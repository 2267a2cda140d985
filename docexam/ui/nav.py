"""The pages of the app and who may open them.

The navigation offers a session only the pages its role allows (nobody,
trainee, trainer); a page that is not offered cannot be opened by URL
either, and every page also checks the role itself (:mod:`.session`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import session
from .i18n import STRINGS, t

PAGES_DIR = Path(__file__).resolve().parent / "pages"

#: page file -> (title key or trainer title, material icon)
PAGES = {
    "sign_in": ("nav_sign_in", ":material/login:"),
    "home": ("nav_home", ":material/home:"),
    "lessons": ("nav_lessons", ":material/menu_book:"),
    "practice": ("nav_practice", ":material/quiz:"),
    "refresher": ("nav_refresher", ":material/replay:"),
    "pre_test": ("nav_pre_test", ":material/assignment:"),
    "post_test": ("nav_post_test", ":material/assignment_turned_in:"),
    "survey": ("nav_survey", ":material/rate_review:"),
    "results": ("nav_results", ":material/insights:"),
    "alerts": ("nav_alerts", ":material/campaign:"),
    "drill": ("nav_drill", ":material/badge:"),
    "thresholds": ("nav_thresholds", ":material/tune:"),
    "desk": ("nav_desk", ":material/document_scanner:"),
    "reference": ("nav_reference", ":material/verified_user:"),
    "trainer_sign_in": ("nav_trainer", ":material/key:"),
}
TRAINER_PAGES = {
    "workshops": ("Workshops", ":material/groups:"),
    "course_settings": ("nav_course_settings", ":material/tune:"),
    "trainees": ("nav_trainees", ":material/badge:"),
    "item_stats": ("nav_item_stats", ":material/analytics:"),
    "studio": ("Specimen studio", ":material/draw:"),
    "templates": ("New template", ":material/add_photo_alternate:"),
    "library": ("Library", ":material/photo_library:"),
    "raise_alert": ("Alerts", ":material/campaign:"),
    "sharing": ("Sharing", ":material/sync_alt:"),
}

TRAINEE_PAGES = ("home", "alerts", "lessons", "practice", "refresher", "pre_test", "post_test", "survey", "results",
                 "drill", "thresholds")


def path(name: str) -> str:
    """The file of page ``name`` (for ``st.page_link`` and ``st.switch_page``)."""
    return str(PAGES_DIR / f"{name}.py")


def _page(name: str, *, default: bool = False) -> st.Page:
    if name in TRAINER_PAGES:
        title, icon = TRAINER_PAGES[name]
        title = t(title) if title in STRINGS else title  # a key of the newer pages, in the session's language
    else:
        key, icon = PAGES[name]
        title = t(key)
    return st.Page(path(name), title=title, icon=icon, default=default, url_path=name)


def navigation() -> st.navigation:
    """The pages this session may open, grouped in sections."""
    sections: dict[str, list] = {}
    if session.trainee() is not None:
        sections[t("sec_training")] = [_page(n, default=n == "home") for n in TRAINEE_PAGES]
    else:
        sections[t("sec_training")] = [_page("sign_in", default=True)]
    # the trainer sign-in page stays listed once unlocked: it is where the trainer locks again
    sections[t("sec_tools")] = [_page("desk"), _page("reference"), _page("trainer_sign_in")]
    if session.is_trainer():
        sections[t("sec_trainer")] = [_page(n) for n in TRAINER_PAGES]
    return st.navigation(sections, expanded=True)
