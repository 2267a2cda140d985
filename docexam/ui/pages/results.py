"""My results: own pre- and post-test score per topic (chart), genuine-or-forged decisions, a review
of my own answers once a test is finished, and the certificate when the workshop's rule is met."""

import pandas as pd
import streamlit as st

from docexam.assessment import signal_detection
from docexam.assessment.certificate import certificates_pdf
from docexam.lessons.vocabulary import topic_label
from docexam.ui import course, quiz, session, sharing, state, steps, widgets
from docexam.ui.i18n import _, lang, t

me = session.require_trainee()
ws = session.workshop()
record = state.record()
st.title(_("My results"))
st.caption(_("Your pre-test and post-test scores per topic: the difference is what you gained."))

# only this trainee's attempts are read: the session's own id, never one from the page
attempts = course.attempts_in(record, me.id, ws)
gains = course.topic_gains(attempts)
forms = state.test_forms(ws.id if ws else 0)

if not gains:
    st.info(_("Take the pre-test and the post-test to see your gain per topic."))
else:
    columns = {
        _("Pre-test %"): [None if g.pre is None else round(100 * g.pre) for g in gains],
        _("Post-test %"): [None if g.post is None else round(100 * g.post) for g in gains],
        _("Gain (points)"): [None if g.gain is None else round(100 * g.gain) for g in gains],
    }
    topics = [topic_label(g.topic, lang()) for g in gains]
    st.bar_chart(pd.DataFrame({k: columns[k] for k in (_("Pre-test %"), _("Post-test %"))}, index=topics),
                 stack=False, y_label="%", height=320)
    # "—" where there is no figure yet (no post-test), never "None"
    st.dataframe(pd.DataFrame({_("Topic"): topics, **{k: widgets.figure_cells(v) for k, v in columns.items()}}),
                 hide_index=True, width="stretch")
    pre, post = course.overall(attempts, "pre"), course.overall(attempts, "post")
    fmt = lambda v: "-" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    st.write(_("Pre-test {pre}, post-test {post}.", pre=fmt(pre), post=fmt(post)))
    for form in ("pre", "post"):
        decided = [a for (f, _), a in course.first_answers(attempts).items()
                   if f == form and a.specimen_genuine is not None]
        if decided:
            d = signal_detection([(not a.specimen_genuine, a.correct != a.specimen_genuine) for a in decided])
            st.caption(f"{t(f'{form}_title')}: " + t(
                "detection_line", hits=d.hits, forged=d.hits + d.misses, fa=d.false_alarms,
                genuine=d.false_alarms + d.correct_rejections, d="-" if d.d_prime is None else f"{d.d_prime:.2f}"))

st.subheader(_("Review my answers"))
done_forms = [f for f in ("pre", "post") if forms[f] and course.form_complete(attempts, f, forms[f])]
if not done_forms:
    st.info(_("Nothing to review yet: finish a test first."))
else:
    form = st.segmented_control(_("Review my answers"), done_forms, default=done_forms[-1], key="review-form",
                                format_func=lambda f: t(f"{f}_title"), label_visibility="collapsed") or done_forms[-1]
    wrong_only = st.toggle(_("Only the questions I missed"), value=True, key="review-wrong")
    first = course.first_answers(attempts)
    for item in forms[form]:
        given = first.get((form, item.id))
        if given is None or (wrong_only and given.score >= 1.0):
            continue
        with st.container(border=True):
            quiz.review(item, given.answer, given.score)

st.subheader(_("Certificate of completion"))
decision, certificate = steps.certificate(me, ws, forms, lang=lang())
if certificate is not None:
    # made when clicked (a few tenths of a second), in this run's language
    in_lang = lang()
    st.download_button(_("Download the certificate (PDF, ready to print)"),
                       lambda: certificates_pdf([certificate], lang=in_lang),
                       file_name="certificate.pdf", mime="application/pdf", type="primary",
                       icon=":material/workspace_premium:")
else:
    st.info(_("Not yet: {missing}.", missing=", ".join(decision.missing)) + " " + decision.rule_text)

# every course the officer answered in, also those recorded on a provincial laptop and synced here
st.subheader(_("Your training history"))
st.caption(_("Every answer recorded under your name, here or on a provincial laptop."))
history = sharing.history_rows(record, me.id, labels={k: t(f"col_{k}") for k in
                                                      ("course", "place", "answers", "correct", "last")}
                               | {"self_study": _("Self-study")})
if history:
    st.table(history)
else:
    st.info(_("No answers yet."))
