"""Certificates of completion as PDF: one trainee's, or a whole workshop's in one file.

A certificate is printed in the trainee's language with its fonts embedded
(:mod:`docexam.pdf`: Khmer shaped), so it prints the same on a machine with
no Khmer font. Whether a trainee has earned one is
:func:`docexam.assessment.course.certificate_decision`; the rule it was
awarded under is printed on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import translator
from ..pdf import LATIN, new_pdf

__all__ = ["Certificate", "certificates_pdf"]

#: the frame's colour (dark blue) and the text's
FRAME_RGB = (27, 79, 114)
TEXT_RGB = (27, 42, 58)


@dataclass(frozen=True)
class Certificate:
    """What one certificate says. Scores are fractions in [0, 1]; ``rule`` already in its language."""

    name: str
    department: str
    province: str
    issued: dt.date
    workshop: str | None = None
    place: str | None = None
    dates: str | None = None
    pre: float | None = None
    post: float | None = None
    rule: str = ""


def certificates_pdf(certificates: Sequence[Certificate], *, lang: str = "en") -> bytes:
    """The certificates, one A4 landscape page each, in language ``lang``, as PDF bytes.

    >>> one = Certificate(name="Sok Chea", department="Immigration", province="Koh Kong",
    ...                   issued=dt.date(2025, 3, 5), pre=0.4, post=0.8)
    >>> certificates_pdf([one, one], lang="km")[:5]
    b'%PDF-'
    """
    tr = translator(lang)
    pdf = new_pdf(title=tr.gettext("Certificate of completion"), orientation="landscape")
    pdf.set_auto_page_break(False)
    for cert in certificates:
        pdf.add_page()
        _page(pdf, cert, tr)
    return bytes(pdf.output())


def _page(pdf, cert: Certificate, tr) -> None:
    width = pdf.w - 60
    pdf.set_draw_color(*FRAME_RGB)
    pdf.set_line_width(1.6)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_line_width(0.4)
    pdf.rect(15, 15, pdf.w - 30, pdf.h - 30)

    def line(text: str, size: float, *, bold: bool = False, colour=TEXT_RGB, gap: float = 4) -> None:
        pdf.set_font(LATIN, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.set_x(30)
        pdf.multi_cell(width, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(34)
    line(tr.gettext("Certificate of completion"), 30, bold=True, colour=FRAME_RGB, gap=10)
    line(cert.name, 26, bold=True)
    line(f"{cert.department}, {cert.province}", 13, gap=8)
    line(tr.gettext("has completed the training in examining travel documents for fraud"), 15, gap=6)
    if cert.workshop:
        line(", ".join(x for x in (cert.workshop, cert.place) if x), 13, gap=1)
        if cert.dates:
            line(cert.dates, 12, gap=3)
    if cert.pre is not None and cert.post is not None:
        line(tr.gettext("Pre-test {pre} → post-test {post}", pre=tr.percent(cert.pre), post=tr.percent(cert.post)),
             13, gap=3)
    if cert.rule:
        line(cert.rule, 11, colour=(70, 70, 70))
    # the date and the trainer's signature, on two lines at the foot
    y = pdf.h - 42
    pdf.set_draw_color(60, 60, 60)
    pdf.set_line_width(0.3)
    pdf.set_font(LATIN, "", 11)
    pdf.set_text_color(*TEXT_RGB)
    for x, text in ((40, tr.gettext("Date: {date}", date=tr.date(cert.issued))),
                    (pdf.w - 120, tr.gettext("Trainer signature"))):
        pdf.line(x, y, x + 80, y)
        pdf.set_xy(x, y + 1.5)
        pdf.cell(80, 6, text)
