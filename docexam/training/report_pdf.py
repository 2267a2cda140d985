"""The Key Results report as PDF, in any language docexam speaks (fonts embedded, Khmer shaped).

The same figures as the HTML report (:mod:`.report`), laid out for a printer:
a trainer takes it to a room with no projector, or sends it to the Ministry.
Only the words change with the language; the figures are :class:`.report.KeyResults`.
"""

from __future__ import annotations

from fpdf.fonts import FontFace

from ..i18n import translator
from ..lessons.vocabulary import topic_label
from ..pdf import LATIN, new_pdf
from .report import KeyResults

__all__ = ["to_pdf"]

HEADING_RGB = (27, 79, 114)
NOTE_RGB = (90, 90, 90)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(226, 234, 242))


def to_pdf(kr: KeyResults, *, lang: str = "en") -> bytes:
    """The Key Results of one workshop as PDF bytes (A4 portrait), in language ``lang``."""
    tr = translator(lang)
    _ = tr.gettext
    w = kr.workshop
    pdf = new_pdf(title=_("Key Results: {title} ({code})", title=w.title, code=w.code))
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def pct(value: float | None, *, share: bool = False) -> str:
        if value is None:
            return "–"
        return tr.percent(value if share else value / 100)

    def num(value: float | None, digits: int) -> str:
        return "–" if value is None else tr.number(value, digits=digits)

    def heading(text: str, size: float = 14) -> None:
        pdf.ln(3)
        pdf.set_font(LATIN, "B", size)
        pdf.set_text_color(*HEADING_RGB)
        pdf.multi_cell(width, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    def note(text: str) -> None:
        pdf.set_font(LATIN, "", 8.5)
        pdf.set_text_color(*NOTE_RGB)
        pdf.multi_cell(width, 4.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    def table(header: tuple[str, ...], rows, widths: tuple[int, ...]) -> None:
        pdf.set_font(LATIN, "", 9.5)
        with pdf.table(col_widths=widths, line_height=5.5, text_align=("LEFT",) + ("RIGHT",) * (len(header) - 1),
                       headings_style=HEADINGS) as t:
            head = t.row()
            for cell in header:
                head.cell(cell)
            for values in rows:
                row = t.row()
                for cell in values:
                    row.cell(str(cell))

    pdf.set_font(LATIN, "", 9)
    pdf.set_text_color(*NOTE_RGB)
    pdf.cell(width, 5, _("Key Results · travel document examination training"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    heading(w.title, 20)
    note(f"{w.place}, {w.province} · {tr.date(w.start_date)} – {tr.date(w.end_date)} · "
         + _("workshop {code}", code=w.code) + " · " + _("trainers: {names}", names=", ".join(w.trainers) or "–"))

    heading(_("Officers trained"))
    table((_("Indicator"), _("Value")), [
        (_("Officers trained"), kr.trained),
        (_("Trainees with pre- and post-test"), kr.assessed),
        (_("Improved (post above pre)"), f"{kr.improved} ({pct(kr.share_improved, share=True)})"),
        (_("Mean pre-test score"), pct(kr.mean_pre)),
        (_("Mean post-test score"), pct(kr.mean_post)),
        (_("Average improvement (percentage points)"), num(kr.mean_gain, 1)),
        (_("Normalised gain, class average"), num(kr.hake_class, 2)),
    ], (3, 1))

    heading(_("Spotting forgeries: genuine or forged?"))
    forms = {d.form: d for d in kr.detection}
    cols = [forms[f] for f in ("pre", "post") if f in forms]
    table((_("Genuine-or-forged decisions"), *(_("Pre-test") if d.form == "pre" else _("Post-test") for d in cols)), [
        (_("Forged specimens shown"), *(d.forged for d in cols)),
        (_("Forgeries caught (hit rate)"), *(pct(d.hit_rate, share=True) for d in cols)),
        (_("Genuine specimens shown"), *(d.genuine for d in cols)),
        (_("Genuine documents refused (false alarm rate)"), *(pct(d.false_alarm_rate, share=True) for d in cols)),
        (_("Sensitivity d′"), *(num(d.d_prime, 2) for d in cols)),
    ], (3,) + (1,) * len(cols))
    note(_("Missing a forgery and refusing a genuine traveller are different errors, so both rates are shown. "
           "d′ measures how well forgeries are told from genuine documents (0 = guessing)."))

    heading(_("Scores by topic"))
    table((_("Topic"), _("Pre-test"), _("Post-test"), _("Practice")),
          [(topic_label(t.topic, lang), pct(t.pre), pct(t.post), pct(t.practice)) for t in kr.topics], (4, 1, 1, 1))
    if kr.weakest_topics:
        pdf.ln(1)
        pdf.set_font(LATIN, "B", 10)
        pdf.multi_cell(width, 5.5, _("Weakest topics: {topics}",
                                     topics=", ".join(topic_label(t, lang) for t in kr.weakest_topics)),
                       new_x="LMARGIN", new_y="NEXT")
        note(_("Lowest mean scores: where the next refresher should start."))

    heading(_("Trainees' feedback"))
    table((_("Indicator"), _("Value")), [
        (_("Respondents"), kr.respondents),
        (_("Rate relevance to daily work 4 or 5"), f"{kr.relevance_high} ({pct(kr.share_relevance_high, share=True)})"),
        (_("Average overall rating"), f"{num(kr.mean_overall, 2)} / 5"),
    ], (3, 1))
    for comment in kr.comments:
        pdf.set_font(LATIN, "", 9.5)
        pdf.multi_cell(width, 5, f"“{comment}”", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    note(_("Generated by docexam on {date}. Aggregates only; no trainee is named.",
           date=tr.date(kr.generated_at.date())))
    return bytes(pdf.output())
