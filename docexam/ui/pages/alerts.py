"""Alerts (trainee): forgeries just met by other officers, with what to check and their questions."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import docview, quiz, session, sharing, state
from docexam.ui.i18n import _, lang, pick, said

me = session.require_trainee()
record = state.record()
st.title(_("Alerts: new forgeries"))
st.caption(_("Forgeries officers have just met, shared by trainers and headquarters. Study each one, then answer its questions."))

try:
    alerts = sharing.alerts()
    specimens = {s.name: s for s in state.specimens()}
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    st.stop()
if not alerts:
    st.info(_("No alerts yet."))
    st.stop()
fresh = {a.id for a in sharing.new_alerts(record, me.id)}

for alert in alerts:
    with st.container(border=True):
        badge = f" :red-badge[{_('New')}]" if alert.id in fresh else ""
        st.subheader(pick(alert.title, alert.title_km) + badge, anchor=alert.id)
        st.caption(_("Raised by {department} on {date}", department=alert.department, date=alert.raised_at.strftime("%Y-%m-%d")))
        st.write(_("Imitates: {what}", what=alert.imitates))
        if alert.seen_where or alert.seen_when:
            st.write(_("Seen: {where}, {when}", where=alert.seen_where or "-", when=alert.seen_when or "-"))
        spec = specimens.get(alert.specimen)
        if spec is None:
            st.warning(_("Its pictures are not on this computer."))
        else:
            images = {light: str(spec.image_path(light)) for light in spec.lights}
            docview.document_view(images, key=f"alert-view-{alert.id}", size=state.image_size(images["visible"]),
                                  template=spec.template)
        st.markdown(f"**{_('What to check')}**")
        checks = alert.what_to_check_km if lang() == "km" and alert.what_to_check_km else alert.what_to_check
        st.markdown("\n".join(f"- {line}" for line in checks))
        if spec is not None and st.toggle(_("Answer its questions"), key=f"alert-quiz-{alert.id}"):
            quiz.run_quiz(f"alert:{alert.id}", sharing.alert_items([alert]), form="refresher")
