"""Workshops (trainer): create one and share its code, watch the live scoreboard,
read the Key Results with charts, export CSV / HTML / records, reset a trainee's PIN."""

import datetime as dt
import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from docexam.errors import DocexamError
from docexam.training.exchange import export_data
from docexam.training.report import to_csv, to_html
from docexam.training.report_pdf import to_pdf
from docexam.assessment.certificate import certificates_pdf
from docexam.ui import session, state, steps
from docexam.ui.starter import LibraryNotReady
from docexam.lessons.vocabulary import topic_label
from docexam.ui.i18n import _, lang, said
from docexam.ui.widgets import figure_cells, join_address

session.require_trainer()
record = state.record()
st.title(_("Workshops"))

with st.expander(_("Create a workshop"), expanded=not record.workshops(), icon=":material/add:"):
    with st.form("new-workshop"):
        title = st.text_input(_("Title"), _("Document examination, level 1"), max_chars=300)
        c1, c2 = st.columns(2)
        place = c1.text_input(_("Place (town or venue)"), max_chars=200)
        province = c2.text_input(_("Province"), max_chars=200)
        start = c1.date_input(_("First day"), dt.date.today())
        end = c2.date_input(_("Last day"), dt.date.today() + dt.timedelta(days=2))
        trainers = st.text_input(_("Trainers (separated by commas)"), max_chars=600)
        code = st.text_input(_("Join code (empty: 6 random letters and digits)"), max_chars=40)
        created = st.form_submit_button(_("Create the workshop"), type="primary")
    if created:
        try:
            ws = record.create_workshop(title=title, place=place, province=province, start_date=start,
                                        end_date=end, code=code.strip() or None,
                                        trainers=[n.strip() for n in trainers.split(",") if n.strip()])
        except DocexamError as exc:
            st.error(said(exc))
        else:
            st.session_state["tpl-workshop"] = ws.id
            st.success(_("Workshop created. Trainees join with the code **{code}**.", code=ws.code))
            # drawn now, while one trainer waits, not when the whole room signs in at once
            try:
                with st.spinner(_("Drawing the workshop's pre-test and post-test…")):
                    state.test_forms(ws.id)
            except LibraryNotReady:
                st.info(_("The pre-test and post-test will be drawn once the specimen library is ready."))
            except DocexamError as exc:
                st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))

workshops = record.workshops()
if not workshops:
    st.info(_("No workshop yet: create one above."))
    st.stop()
by_id = {ws.id: ws for ws in workshops}
current = st.session_state.get("tpl-workshop", workshops[0].id)
wid = st.selectbox(_("Workshop"), list(by_id), index=list(by_id).index(current) if current in by_id else 0,
                   format_func=lambda i: f"{by_id[i].code}: {by_id[i].title}, {by_id[i].place} "
                                         f"({by_id[i].start_date:%d %b} to {by_id[i].end_date:%d %b %Y})")
st.session_state["tpl-workshop"] = wid
ws = by_id[wid]
st.markdown(_("Trainees sign in with the code {code}", code=f"<span style='font-size:2em;font-weight:bold;"
                                                            f"letter-spacing:3px'>{ws.code}</span>"),
            unsafe_allow_html=True)
join_address()

board, results, people, files = st.tabs([_("Scoreboard"), _("Key Results"), _("Trainees"), _("Exports")])


@st.fragment(run_every=dt.timedelta(seconds=10))
def scoreboard() -> None:
    """Refreshed every 10 s on its own, without redrawing the page."""
    form = st.segmented_control(_("Answers counted"), ["all", "pre", "post", "practice", "refresher"],
                                default="all", key="tpl-board-form")
    rows = record.scoreboard(ws.id, form=None if form in (None, "all") else form)
    if not rows:
        st.info(_("Nobody has joined yet."))
        return
    st.dataframe(pd.DataFrame([{_("Trainee"): r.name, _("Department"): r.department, _("Answers"): r.attempts,
                                _("Correct"): r.correct, _("Points"): round(r.points, 1),
                                _("Mean score %"): figure_cells([None if r.mean_score is None
                                                                  else round(100 * r.mean_score)])[0]}
                               for r in rows]), hide_index=True, width="stretch")
    st.caption(_("Updated {time}", time=f"{dt.datetime.now():%H:%M:%S}"))


with board:
    scoreboard()

try:
    kr = record.key_results(ws.id)
except DocexamError as exc:
    kr, kr_error = None, str(exc)

def key_results_on_screen(kr) -> None:
    """Tiles, charts and tables of the Key Results (the HTML report has the same figures)."""
    pct = lambda v: "-" if v is None else f"{v:.0f}%"  # noqa: E731
    a, b, c, d = st.columns(4)
    a.metric(_("Trained"), kr.trained)
    b.metric(_("Assessed (pre and post)"), kr.assessed)
    c.metric(_("Improved"), pct(None if kr.share_improved is None else 100 * kr.share_improved))
    d.metric(_("Average improvement"), "-" if kr.mean_gain is None else _("{gain} points", gain=f"{kr.mean_gain:+.0f}"))
    a, b, c, d = st.columns(4)
    a.metric(_("Mean pre-test"), pct(kr.mean_pre))
    b.metric(_("Mean post-test"), pct(kr.mean_post))
    c.metric(_("Normalised gain (class)"), "-" if kr.hake_class is None else f"{kr.hake_class:.2f}")
    d.metric(_("Relevance 4 or 5"), pct(None if kr.share_relevance_high is None else 100 * kr.share_relevance_high))
    if kr.topics:
        st.markdown(_("**Score per topic (%)**"))
        st.bar_chart(pd.DataFrame({_("Pre-test"): [tr.pre for tr in kr.topics],
                                   _("Post-test"): [tr.post for tr in kr.topics]},
                                  index=[topic_label(tr.topic, lang()) for tr in kr.topics]), stack=False, height=300)
    # only trainees with both tests are plotted: until the first post-test there is no point to draw
    pre_axis, post_axis = _("Pre-test %"), _("Post-test %")
    pairs = [{pre_axis: g.pre, post_axis: g.post} for g in kr.trainees if g.pre is not None and g.post is not None]
    if pairs:
        st.markdown(_("**Each trainee (anonymous): pre-test and post-test %**"))
        st.scatter_chart(pd.DataFrame(pairs), x=pre_axis, y=post_axis, height=300)
    st.markdown(_("**Genuine or forged decisions**"))
    st.dataframe(pd.DataFrame([{_("Test"): _("Pre-test") if det.form == "pre" else _("Post-test"),
                                _("Forged shown"): det.forged, _("Genuine shown"): det.genuine,
                                _("Hit rate %"): pct(None if det.hit_rate is None else 100 * det.hit_rate),
                                _("False alarm %"): pct(None if det.false_alarm_rate is None
                                                     else 100 * det.false_alarm_rate),
                                "d′": "-" if det.d_prime is None else f"{det.d_prime:.2f}"}
                               for det in kr.detection]), hide_index=True)
    if kr.weakest_topics:
        st.markdown(_("**Weakest topics:** {topics}", topics=", ".join(topic_label(t, lang()) for t in kr.weakest_topics)))
    if kr.comments:
        st.markdown(_("**Comments**"))
        for comment in kr.comments:
            st.text(comment)  # as typed: a trainee's Markdown (images, links) is not rendered


with results:
    if kr is None:
        st.error(kr_error)
    else:
        key_results_on_screen(kr)

with people:
    trainees = record.trainees(ws.id)
    if not trainees:
        st.info(_("Nobody has joined yet."))
    else:
        st.dataframe(pd.DataFrame([{_("Name"): p.name, _("Department"): p.department, _("Province"): p.province}
                                   for p in trainees]), hide_index=True, width="stretch")
        with st.form("reset-pin"):
            st.markdown(_("**Forgotten PIN**: give the trainee a new one."))
            who = st.selectbox(_("Trainee"), [p.id for p in trainees],
                               format_func={p.id: f"{p.name} ({p.department}, {p.province})" for p in trainees}.get)
            pin = st.text_input(_("New PIN (4 to 12 digits)"), type="password", max_chars=12)
            if st.form_submit_button(_("Set the new PIN")):
                try:
                    record.set_pin(who, pin)
                except DocexamError as exc:
                    st.error(said(exc))
                else:
                    st.success(_("PIN changed."))

with files:
    if kr is None:
        st.error(kr_error)
    else:
        st.download_button(_("Key Results (HTML, self-contained)"), to_html(kr, lang=lang()).encode("utf-8"),
                           file_name=f"key-results-{ws.code}.html", mime="text/html", icon=":material/download:")
        st.download_button(_("Key Results (CSV)"), to_csv(kr).encode("utf-8"),
                           file_name=f"key-results-{ws.code}.csv", mime="text/csv", icon=":material/download:")
        in_lang = lang()  # the PDF is made when clicked, in this run's language (Khmer shaped, fonts embedded)
        st.download_button(_("Key Results (PDF, ready to print)"), lambda: to_pdf(kr, lang=in_lang),
                           file_name=f"key-results-{ws.code}-{in_lang}.pdf", mime="application/pdf",
                           icon=":material/print:")
    # every certificate earned in the workshop, one page each, in one file to print
    if st.button(_("Prepare the certificates of this workshop (PDF)"), icon=":material/workspace_premium:"):
        earned = [c for c in (steps.certificate(p, ws, lang=lang())[1] for p in record.trainees(ws.id)) if c]
        if earned:
            st.download_button(_("Download the certificates ({n}, PDF, one page each)", n=len(earned)),
                               certificates_pdf(earned, lang=lang()), file_name=f"certificates-{ws.code}.pdf",
                               mime="application/pdf", type="primary", icon=":material/download:")
        else:
            st.info(_("Nobody has earned a certificate yet."))
    st.download_button(_("All records of this workshop (JSON, for headquarters)"),
                       json.dumps(export_data(record, ws.id), ensure_ascii=False, indent=2).encode("utf-8"),
                       file_name=f"workshop-{ws.code}.json", mime="application/json", icon=":material/download:")
    st.divider()
    incoming = st.file_uploader(_("Merge records exported from another laptop (JSON)"), type=["json"],
                                key="tpl-import")
    unverified = st.checkbox(_("Merge it even if it is not signed by a key trusted here (kept apart in reports "
                             "as unverified)"), key="tpl-unverified")
    if incoming is not None and st.button(_("Merge these records")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "import.json"
            path.write_bytes(incoming.getvalue())
            try:
                st.success(record.import_workshop(path, allow_unverified=unverified, name=incoming.name).summary())
            except DocexamError as exc:
                st.error(said(exc))
