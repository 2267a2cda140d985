"""Pieces the trainer's course pages share: the workshop chooser, a trainee record's details, the
rows of the item statistics table, and the items a recorded answer was about.

The workshop chosen on one trainer page stays chosen on the others (the
Workshops page uses the same session key).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..assessment.itemstats import answer_text, item_flags
from ..lessons.vocabulary import topic_label
from . import state
from .i18n import _, lang, option_label, t

#: the session key of the chosen workshop (shared with the Workshops page)
WORKSHOP_KEY = "tpl-workshop"
ALL = 0


def workshop_label(ws) -> str:
    return f"{ws.code}: {ws.title}, {ws.place} ({ws.start_date:%d %b} – {ws.end_date:%d %b %Y})"


def workshop_picker(record, *, allow_all: bool = False, key: str):
    """A select box of the workshops (newest first as the record lists them); the chosen one, or None for all.

    Stops the page with a hint when there is no workshop and ``allow_all`` is false.
    """
    workshops = record.workshops()
    if not workshops and not allow_all:
        st.info(_("No workshop yet: create one on the Workshops page."))
        st.stop()
    by_id = {ws.id: ws for ws in workshops}
    ids = ([ALL] if allow_all else []) + list(by_id)
    current = st.session_state.get(WORKSHOP_KEY, ids[0])
    chosen = st.selectbox(_("Workshop"), ids, index=ids.index(current) if current in ids else 0, key=key,
                          format_func=lambda i: _("All workshops") if i == ALL else workshop_label(by_id[i]))
    if chosen != ALL:
        st.session_state[WORKSHOP_KEY] = chosen
    return by_id.get(chosen)


def trainee_label(person) -> str:
    return f"{person.name} ({person.department}, {person.province})"


def when(value: dt.datetime | None) -> str:
    return "-" if value is None else f"{value.astimezone():%d %b %Y, %H:%M}"


def details_rows(details) -> list[tuple[str, str]]:
    """A record's details as (label, value) rows, for two records side by side."""
    p = details.trainee
    return [(_("Name"), p.name), (_("Department"), p.department), (_("Province"), p.province),
            (_("Rank"), p.rank or "-"), (_("Registered"), when(p.created_at)),
            (_("Workshops"), ", ".join(details.workshops) or "-"), (_("Answers"), str(details.answers)),
            (_("Last answer"), when(details.last_answer)), (_("PIN chosen"), _("yes") if details.has_pin else _("no"))]


def items_by_id() -> dict:
    """Every item a recorded answer may name: lessons' items (retired ones too) and the tests' items."""
    out: dict = {}
    for le in state.lessons():
        for item in state.lesson_items(le.id, include_retired=True):
            out.setdefault(item.id, item)
    return out


def answer_label(item, given) -> str:
    """The answer as the trainee saw it: an option's label in the session's language, else as stored."""
    if item is not None and isinstance(given, str):
        for option in item.shown.get("options", []):
            if option.get("id") == given:
                return option_label(option)
    return answer_text(given)


def stats_rows(stats, items: dict, retired: frozenset) -> list[dict]:
    """The item statistics as table rows: question, document, figures, flags in words."""
    rows = []
    for s in stats:
        item = items.get(s.item_id)
        flags = item_flags(s)
        rows.append({
            _("Question"): s.item_id,
            _("Type"): item.type if item else "-",
            _("Topic"): topic_label(item.topic, lang()) if item else "-",
            _("Document"): ", ".join(item.specimens) if item else "-",
            _("Status"): _("retired") if item and set(item.specimens) & retired else _("in use"),
            _("Answers"): s.n,
            _("Right %"): round(100 * s.share_correct),
            _("Difficulty (logits)"): None if not _finite(s.difficulty) else round(s.difficulty, 2),
            _("Discrimination"): None if not _finite(s.discrimination) else round(s.discrimination, 2),
            _("Most-chosen wrong answer"): "-" if s.common_wrong is None else
            f"{answer_label(item, s.common_wrong)} ({s.common_wrong_n})",
            _("Look at"): "; ".join(t(f"flag_{f}") for f in flags),
        })
    return rows


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))
