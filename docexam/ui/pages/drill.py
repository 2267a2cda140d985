"""Checkpoint drill: travellers queue at the counter; examine their documents with tools that cost
time, ask them questions, and admit, refer or refuse them before the shift ends. Alone, or as a team
(first line, second line, a consulted officer) on several phones; a debrief replays every decision."""

import datetime as dt

import streamlit as st

from docexam.drill.catalogue import BORDERS, ROLES, TOOLS, label
from docexam.drill.material import technique_fits
from docexam.drill.travellers import plan_queue
from docexam.errors import DocexamError
from docexam.ui import debrief, drill_views, drills, session, state
from docexam.ui.i18n import _, lang, pick, said, t

me = session.require_trainee()
st.title(_("Checkpoint drill"))
record = state.record()
playing = drills.current()

if playing is None:
    st.caption(_("Travellers queue at your counter. Examine their documents with the tools your post has (each costs time), ask questions, and admit, refer or refuse each traveller before the shift ends. Play alone, or as a team on several phones."))
    # a drill still going on (a reload, another phone): back to it first
    for going in record.drill_sessions(trainee_id=me.id)[:3]:
        if not record.drill_state(going.id).finished(drills.now()):
            st.button(_("Back to your drill: {title} ({code})", title=pick(going.scenario.title, going.scenario.title_km), code=going.code),
                      type="primary", icon=":material/replay:", key=f"drill-back-{going.id}", on_click=drills.play,
                      args=(going.id, record.drill_roles(going.id).get(me.id, "first-line")))
            break
    try:
        scenarios = {s.id: s for s in drills.scenarios()}
    except DocexamError as exc:
        st.error(_("{error}", error=said(exc)))
        st.stop()
    # labels made now, in this run's language (a format function is called again later)
    titles = {i: pick(s.title, s.title_km) for i, s in scenarios.items()}
    chosen = scenarios[st.selectbox(_("Scenario"), list(scenarios), key="drill-pick", format_func=titles.get)]
    with st.container(border=True):
        st.write(pick(chosen.summary, chosen.summary_km))
        c = st.columns(4)
        c[0].metric(_("Border"), label(BORDERS, chosen.border, lang()))
        c[1].metric(_("Travellers"), chosen.queue)
        c[2].metric(_("Shift"), f"{chosen.time_budget_min:g} min")
        c[3].metric(_("Tools"), len(chosen.tools))
        st.caption(_("This post has: {tools}", tools=", ".join(label(TOOLS, x, lang()) for x in chosen.tools)))
    modes = {m: t(f"drill_mode_{m}") for m in ("solo", "team", "join")}
    mode = st.radio(_("How do you play?"), list(modes), key="drill-mode", horizontal=True, format_func=modes.get)
    if mode == "join":
        code = st.text_input(_("Drill code"), key="drill-code", max_chars=12)
    role = "first-line"
    if mode in ("team", "join"):
        roles = {r: label(ROLES, r, lang()) for r in (chosen.team.roles if mode == "team" else ROLES)}
        role = st.selectbox(_("Your role"), list(roles), key="drill-role", format_func=roles.get)
    if st.button(_("Go"), type="primary", icon=":material/play_arrow:"):
        ws = session.workshop()
        try:
            if mode == "join":
                joined = record.drill_session(code)
                record.join_drill(joined.id, me.id, role)
                drills.play(joined.id, record.drill_roles(joined.id)[me.id])
            else:
                queue = plan_queue(chosen, kinds=drills.kinds(), fits=technique_fits)
                # alone, the shift starts at once: stored with the drill (one write)
                made = record.create_drill(scenario=chosen, queue=queue, created_by=me.id, team=mode == "team",
                                           role=role, workshop_id=ws.id if ws else None,
                                           started_at=dt.datetime.now(dt.timezone.utc) if mode == "solo" else None)
                drills.play(made.id, role)
        except DocexamError as exc:
            st.error(_("{error}", error=said(exc)))
            st.stop()
        st.rerun()
    past = record.drill_sessions(trainee_id=me.id)
    if past:
        st.markdown(f"#### {_('Your drills')}")
        for s in past[:10]:
            c1, c2 = st.columns([4, 1])
            c1.write(f"{s.created_at:%d %b %Y %H:%M} · {pick(s.scenario.title, s.scenario.title_km)} · {s.code}")
            c2.button(_("Open"), key=f"drill-open-{s.id}", on_click=drills.play,
                      args=(s.id, record.drill_roles(s.id).get(me.id, "first-line")))
    st.stop()

playing_session = record.drill_session(playing["id"])
ds = drills.drill_state(playing_session.id)
st.caption(f"{pick(playing_session.scenario.title, playing_session.scenario.title_km)} · "
           f"{_('Drill code')}: {playing_session.code} · {label(ROLES, playing['role'], lang())}")
st.button(_("Leave this drill"), icon=":material/logout:", on_click=drills.leave, key="drill-leave")

if ds.started_at is None:
    drill_views.lobby(playing_session, me)
elif ds.finished(drills.now()):
    st.success(_("The drill is over. Here is your debrief."), icon=":material/flag:")
    debrief.show(playing_session, ds, me.id if playing["role"] == "first-line" else None)
elif playing["role"] == "first-line":
    drill_views.first_line(playing_session, me)
elif playing["role"] == "second-line":
    drill_views.second_line(playing_session, me)
else:
    drill_views.consulted(playing_session, me)
