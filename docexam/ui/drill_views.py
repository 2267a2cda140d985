"""What each officer of a drill sees: the lobby, the counter, the second line, the consulted officer.

Parts that change because of other officers (the queue, a referral
arriving, a question from the second line) are fragments that run again
only when the drill changed: the browser asks the app's route for the
drill's version every few seconds, no script run (:mod:`.drill_watch`).
The clock runs in the browser (:mod:`.shift_clock`), alone or in a team.
When what happened changes the whole page (a referral taken, the drill
over), the fragment reruns the page.
"""

from __future__ import annotations

import html

import streamlit as st

from ..drill.catalogue import CONSULTED, DECISIONS, FINAL_DECISIONS, ROLES, label
from . import counter, drill_watch, drills, shift_clock, state
from .drill_pictures import OnScreen
from .i18n import _, lang, pick


def _label(table, key) -> str:
    return label(table, key, lang())


def _page_changed(seen_key: str, signature) -> None:
    """Rerun the whole page when ``signature`` (what the page is drawn from) changed since the page was drawn.

    The page's own run records its signature before it calls the fragment
    (:func:`_drawn_from`), so only a fragment's run on its own (the poll)
    reruns the page. A fragment calling ``st.rerun()`` inside the page's run
    cost a second run of the whole page after every press (and under load
    the counter was seen with the desk's traveller and document missing
    after such a double run).
    """
    if st.session_state.get(seen_key) != signature:
        st.session_state[seen_key] = signature
        st.rerun()


def _drawn_from(seen_key: str, signature) -> None:
    """The page's run: remember what it is drawn from (the fragments compare with it)."""
    st.session_state[seen_key] = signature


# ---------------------------------------------------------------------------
# before the start

def lobby(session, me) -> None:
    """A team drill before its start: the code to join with, who is in, and the start button."""
    st.info(_('Tell your team this code: they choose "Join a team drill" and type it.', code=session.code), icon=":material/group_add:")
    st.markdown(f"<div class='dx-drill-code' style='font-size:2.2rem;font-weight:700;letter-spacing:.2em'>"
                f"{html.escape(session.code)}</div>", unsafe_allow_html=True)
    _drawn_from("drill-seen-start", _started(drills.drill_state(session.id)))
    _members(session.id)
    st.button(_("Start the shift"), type="primary", icon=":material/play_arrow:", on_click=drills.send, args=("start",))


@st.fragment
def _members(session_id: int) -> None:
    ds = drills.drill_state(session_id)
    roles = state.record().drill_roles(session_id)
    names = {tr.id: tr.name for tr in state.record().trainees() if tr.id in roles}
    for officer, role in sorted(roles.items(), key=lambda kv: (list(ROLES).index(kv[1]), kv[0])):
        st.markdown(f"- **{html.escape(names.get(officer, str(officer)))}**: {_label(ROLES, role)}")
    _page_changed("drill-seen-start", _started(ds))
    drill_watch.watch(session_id, drills.seen_version(session_id), key=f"dx-watch-lobby-{session_id}")


def _started(ds) -> bool:
    return ds.started_at is not None


# ---------------------------------------------------------------------------
# the first line

@st.fragment
def shift_bar(session_id: int, officer: int) -> None:
    """The shift's clock, the queue and the travellers seen so far (updated for everyone).

    The browser keeps the clock running; the fragment runs again when
    another officer changed the drill (a call shortens the queue) or when
    the counter's page changes by time (the clock's own request).
    """
    ds = drills.drill_state(session_id)
    now = drills.now()
    shift_clock.shift_clock(ds, now, officer, key=f"dx-shift-{session_id}")
    _page_changed("drill-seen-bar", _counter_state(ds, now, officer))
    drill_watch.watch(session_id, drills.seen_version(session_id), key=f"dx-watch-bar-{session_id}")


def _counter_state(ds, now: float, officer: int) -> tuple:
    """What the counter's page is drawn from: the shift over, a traveller waiting, one at the desk."""
    return ds.finished(now), ds.next_traveller(now) is not None, ds.open_case(officer) is not None


def first_line(session, me) -> None:
    """The first-line counter: the shift's clock, the traveller at the desk or the call, the end."""
    if session.team:
        _counter(session, me)
    else:
        _solo_counter(session, me)


@st.fragment
def _solo_counter(session, me) -> None:
    """A drill played alone: a press reruns only the counter, not the page around it.

    The app's preamble (the session's check, the language, the pages'
    list) and the sidebar are the larger part of a whole page's run, and the
    browser redraws all of it; nothing there changes while an officer works
    the queue. The shift's end (pressed, or its clock run out) is the page's:
    the debrief replaces the counter.
    """
    if drills.drill_state(session.id).finished(drills.now()):
        st.rerun()
    _counter(session, me)


def _counter(session, me) -> None:
    ds = drills.drill_state(session.id)
    now = drills.now()
    if session.team:  # other officers change the queue: the bar runs again when they do (drill_watch)
        _drawn_from("drill-seen-bar", _counter_state(ds, now, me.id))
        shift_bar(session.id, me.id)
    else:  # alone: the browser keeps the clock running and asks for a run when the page must change
        shift_clock.shift_clock(ds, now, me.id, key=f"dx-shift-{session.id}")
    drills.notice()
    drills.prefetch_ahead(ds)
    case = ds.open_case(me.id)
    # the browser fetches the next travellers' pictures (and this one's other lights) while the officer looks:
    # a call then names pictures it holds already
    coming = [c for c in ds.cases if c.called_at is None][:drills.PRELOAD]
    if case is not None:
        counter.desk(case, session.scenario, officer=me.id, key=f"drill-{session.id}-{case.traveller.index}")
        counter.preload(counter.upcoming_pictures(coming, at_desk=case))
        return
    nxt = ds.next_traveller(now)
    if nxt is not None:
        st.button(_("Call the next traveller"), type="primary", icon=":material/person_add:", width="stretch",
                  on_click=counter.call, args=(ds.cases[nxt].traveller, session.scenario))
    else:
        ahead = ds.next_arrival_in(now)
        if ahead is None:
            st.info(_("Every traveller has been called."))
        else:
            st.info(_("Nobody is waiting. The next traveller arrives in {s} s.", s=int(ahead) + 1))
            st.button(_("Wait for the next traveller"), icon=":material/hourglass_top:", on_click=drills.send, args=("wait",))
    st.button(_("End the drill now"), icon=":material/stop_circle:", on_click=drills.send, args=("end",))
    counter.preload(counter.upcoming_pictures(coming))


# ---------------------------------------------------------------------------
# the second line

@st.fragment
def referrals(session_id: int, officer: int) -> None:
    """Referrals waiting for the second line, newest last, each with the first-line officer's note."""
    ds = drills.drill_state(session_id)
    now = drills.now()
    waiting = ds.referrals()
    if not waiting:
        st.info(_("No referral is waiting. New ones appear here by themselves."))
    for case in waiting:
        with st.container(border=True):
            st.markdown(f"**{_('Traveller {n}', n=case.traveller.index + 1)}** · "
                        f"{_label(DECISIONS, case.decision)}")
            st.markdown(_("Note: {note}", note=html.escape(case.note or "-")))
            st.button(_("Take this referral"), key=f"take-{case.traveller.index}", type="primary",
                      on_click=drills.send, args=("take", case.traveller.index))
    _page_changed("drill-seen-desk", _desk_state(ds, officer))
    counter.preload(counter.upcoming_pictures(waiting[:drills.PRELOAD]))
    left = None if ds.finished(now) else max(0.0, ds.budget_s - ds.clock(now)) + shift_clock.MARGIN_S
    drill_watch.watch(session_id, drills.seen_version(session_id), key=f"dx-watch-desk-{session_id}", change=left)


def _desk_state(ds, officer: int) -> tuple:
    """What the second line's page is drawn from: a referral at the desk, the shift over."""
    return ds.open_case(officer) is not None, ds.finished(drills.now())


@st.fragment
def advice(session_id: int, traveller: int) -> None:
    """What the consulted officer answered (appears when they do)."""
    ds = drills.drill_state(session_id)
    case = ds.cases[traveller]
    for (_o, _at, question), given in zip(case.consults, case.advice + [None] * len(case.consults)):
        st.markdown(_("You asked: {q}", q=html.escape(question or "-")))
        if given is None:
            st.caption(_("Waiting for the answer..."))
        else:
            st.success(_("Advice: {a}", a=html.escape(given[2] or "-")), icon=":material/support_agent:")
    drill_watch.watch(session_id, drills.seen_version(session_id), key=f"dx-watch-advice-{session_id}-{traveller}")


def second_line(session, me) -> None:
    ds = drills.drill_state(session.id)
    drills.notice()
    case = ds.open_case(me.id)
    if case is None:
        _drawn_from("drill-seen-desk", _desk_state(ds, me.id))
        referrals(session.id, me.id)
        return
    drills.prefetcher().request(OnScreen(counter.TravellerJob(case.traveller)), priority=0.0)
    counter.desk(case, session.scenario, officer=me.id, key=f"drill-{session.id}-2-{case.traveller.index}",
                 decisions=FINAL_DECISIONS, first_line_note=True)
    consulted = session.scenario.team.consulted
    if consulted and "consulted" in ds.drill.roles.values():
        st.markdown(f"##### {_('Consult the {who} officer', who=_label(CONSULTED, consulted))}")
        st.text_input(_("Your question"), key=f"consult-{case.traveller.index}", max_chars=1000)
        st.button(_("Ask"), key=f"consult-go-{case.traveller.index}",
                  on_click=lambda: drills.send("consult", case.traveller.index,
                                               {"note": st.session_state.get(f"consult-{case.traveller.index}", "")}))
        advice(session.id, case.traveller.index)


# ---------------------------------------------------------------------------
# the consulted officer

@st.fragment
def consultations(session_id: int) -> None:
    ds = drills.drill_state(session_id)
    asked = ds.consultations()
    if not asked:
        st.info(_("Nobody is asking for your advice now. Requests appear here by themselves."))
    for case in asked:
        story = next(s for s in ds.drill.scenario.stories if s.id == case.traveller.story)
        with st.container(border=True):
            st.markdown(f"**{_('Traveller {n}', n=case.traveller.index + 1)}** · {html.escape(pick(story.who, story.who_km))}")
            st.markdown(_("Note: {note}", note=html.escape(case.note or "-")))
            st.markdown(_("The second line asks: {q}", q=html.escape(case.consults[-1][2] or "-")))
            material = counter.cached_document(case.traveller.document)
            if material is not None:
                counter.transcript(case, ds.drill.scenario, material.holder)
            key = f"advise-{case.traveller.index}-{len(case.consults)}"
            st.text_area(_("Your advice"), key=key, max_chars=1000)
            st.button(_("Send the advice"), key=f"{key}-go", type="primary",
                      on_click=lambda idx=case.traveller.index, k=key: drills.send(
                          "advise", idx, {"note": st.session_state.get(k, "")}))
    drill_watch.watch(session_id, drills.seen_version(session_id), key=f"dx-watch-consult-{session_id}")


def consulted(session, me) -> None:
    drills.notice()
    st.caption(_("You are the {who} officer: the second line asks for your advice on referred travellers.", who=_label(CONSULTED, session.scenario.team.consulted or "maritime")))
    consultations(session.id)
