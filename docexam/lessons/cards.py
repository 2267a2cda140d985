"""Quick check cards: one printed page per document type, for a room with no projector.

Like the quick check cards border services hand to their officers, a card
shows the genuine document (the template's reference image) with its main
security features marked by numbered boxes, and under it, for each number,
the light to use and what to look for (:mod:`.checks`). It is printed in
any language docexam speaks, fonts embedded and Khmer shaped
(:mod:`docexam.pdf`), so it prints the same on a machine with no Khmer font.

>>> from docexam.specimens import find_template
>>> quick_check_card(find_template("uto-td3"), lang="km")[:5]
b'%PDF-'
"""

from __future__ import annotations

import datetime as dt

from PIL import Image

from ..i18n import translator
from ..imaging import load_rgb
from ..pdf import LATIN, new_pdf
from .checks import LIGHTS, feature_checks

__all__ = ["quick_check_card", "card_file_name", "IMAGE_DPI"]

#: the reference image is embedded at about this resolution (print quality, a small file)
IMAGE_DPI = 200
#: colours: the marks (orange-red), the heading (dark blue), the text
MARK_RGB = (220, 60, 20)
HEAD_RGB = (27, 79, 114)
TEXT_RGB = (27, 42, 58)
#: page margin, foot, the gap between the checks' two columns, the badge's column (mm)
MARGIN = 12.0
FOOT_MM = 10.0
COLUMN_GAP = 5.0
BADGE_MM = 6.5
#: the picture is never smaller than this (mm high): the checks' font shrinks first
MIN_IMAGE_MM = 70.0
#: the font sizes tried for the checks (pt), largest first; line height = size x LINE_FACTOR (mm)
TEXT_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
LINE_FACTOR = 0.5


def card_file_name(template_id: str, lang: str) -> str:
    """``quick-check-uto-td3-km.pdf``."""
    return f"quick-check-{template_id}-{lang}.pdf"


def quick_check_card(template, *, lang: str = "en", today: dt.date | None = None) -> bytes:
    """The quick check card of ``template`` in language ``lang``: one A4 page, as PDF bytes.

    Parameters
    ----------
    template : Template
        A shipped template or a trainer's own (its visible reference is the picture).
    lang : str
        A language code of :data:`docexam.i18n.LANGUAGES` (English where a catalogue lacks a string).
    today : date, optional
        The date printed at the foot (default: today).
    """
    tr = translator(lang)
    checks = feature_checks(template)
    pdf = new_pdf(title=tr.gettext("Quick check card: {name}", name=template.name))
    pdf.set_auto_page_break(False)
    pdf.set_image_filter("DCTDecode")  # the photograph as JPEG: a card of a few hundred kB
    pdf.add_page()
    width = pdf.w - 2 * MARGIN

    # heading
    pdf.set_text_color(*HEAD_RGB)
    pdf.set_font(LATIN, "B", 15)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.multi_cell(width, 7, tr.gettext("Quick check card"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(LATIN, "", 10.5)
    pdf.set_text_color(*TEXT_RGB)
    pdf.set_x(MARGIN)
    pdf.multi_cell(width, 5, f"{template.name} ({template.id}, {template.format})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(MARGIN)
    pdf.set_font(LATIN, "", 8.5)
    pdf.multi_cell(width, 4.2, tr.gettext("The genuine document. Check each numbered feature in the light shown; "
                                          "if one check fails, keep the document and refer it."),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2

    # the checks in two columns, the largest font leaving the picture at least MIN_IMAGE_MM high
    rows = [(i, tr.gettext(c.name), tr.gettext(LIGHTS[c.light]), tr.gettext(c.text)) for i, c in enumerate(checks, 1)]
    col_w = (width - COLUMN_GAP) / 2
    bottom = pdf.h - MARGIN - FOOT_MM
    for size in TEXT_SIZES:
        heights = [_row_height(pdf, row, col_w, size) for row in rows]
        split = _balanced_split(heights)
        text_h = max(sum(heights[:split]), sum(heights[split:]), 0.0)
        if bottom - top - text_h - 5 >= MIN_IMAGE_MM:
            break

    # the genuine document, as large as the page leaves room for
    img_w, img_h = template.size_px
    scale = min(width / img_w, (bottom - top - text_h - 5) / img_h)  # mm per template pixel
    shown_w, shown_h = img_w * scale, img_h * scale
    left = MARGIN + (width - shown_w) / 2
    pdf.image(_picture(template, shown_w), x=left, y=top, w=shown_w, h=shown_h)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, shown_w, shown_h)
    _marks(pdf, checks, left, top, scale, shown_w, shown_h)

    y0 = top + shown_h + 5
    for k, (row, height) in enumerate(zip(rows, heights)):
        col = 0 if k < split else 1
        y = y0 + sum(heights[split if col else 0:k])
        _draw_row(pdf, row, MARGIN + col * (col_w + COLUMN_GAP), y, col_w, size)

    # foot: where it comes from, and when
    pdf.set_font(LATIN, "", 7.5)
    pdf.set_text_color(110, 110, 110)
    pdf.set_xy(MARGIN, pdf.h - MARGIN - 5)
    when = tr.date(today or dt.date.today(), format="medium")
    pdf.cell(width, 4, tr.gettext("docexam quick check card, {template}, printed {date}. A training aid: the "
                                  "issuing state's own specimens decide.", template=template.id, date=when))
    return bytes(pdf.output())


def _picture(template, width_mm: float) -> Image.Image:
    """The visible reference, resized to :data:`IMAGE_DPI` at its printed width."""
    rgb = load_rgb(template.image_path("visible"))
    image = Image.fromarray(rgb)
    target = max(64, int(round(width_mm / 25.4 * IMAGE_DPI)))
    if image.width > target:
        image = image.resize((target, max(1, round(image.height * target / image.width))), Image.LANCZOS)
    return image


def _marks(pdf, checks, left: float, top: float, scale: float, shown_w: float, shown_h: float) -> None:
    """A box around each feature's zones and its number in a badge at the first zone's corner."""
    pdf.set_draw_color(*MARK_RGB)
    radius = 2.3
    for i, check in enumerate(checks, 1):
        whole = [b for b in check.boxes if (b[2] - b[0]) * scale >= 0.9 * shown_w and
                 (b[3] - b[1]) * scale >= 0.9 * shown_h]
        pdf.set_line_width(0.25 if len(check.boxes) > 3 else 0.45)  # many small fields: thin lines
        for b in check.boxes:
            if b in whole:
                continue  # the whole page: its badge alone says "the document itself"
            pdf.rect(left + b[0] * scale, top + b[1] * scale, (b[2] - b[0]) * scale, (b[3] - b[1]) * scale)
        first = min(check.boxes, key=lambda b: (b[1], b[0]))
        cx = min(max(left + first[0] * scale + radius, left + radius), left + shown_w - radius)
        cy = min(max(top + first[1] * scale + radius, top + radius), top + shown_h - radius)
        if first in whole:  # the document itself: number at its top-right corner
            cx, cy = left + shown_w - radius - 1, top + radius + 1
        _badge(pdf, i, cx, cy, radius)


def _badge(pdf, number: int, cx: float, cy: float, radius: float) -> None:
    pdf.set_fill_color(*MARK_RGB)
    pdf.circle(x=cx, y=cy, radius=radius, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(LATIN, "B", 8)
    pdf.set_xy(cx - radius, cy - radius)
    pdf.cell(2 * radius, 2 * radius, str(number), align="C")


def _unbroken(text: str) -> str:
    """``text`` with an opening bracket kept on the line of the word before it.

    (fpdf2 2.8 draws a bracket that starts a wrapped line before Khmer with a glyph of another font.)

    >>> _unbroken("ទេ (ពិនិត្យ)")
    'ទេ\xa0(ពិនិត្យ)'
    """
    return text.replace(" (", "\u00a0(")


def _row_height(pdf, row, col_w: float, size: float) -> float:
    _, name, light, text = row
    text = _unbroken(text)
    pdf.set_font(LATIN, "B", size)
    head = pdf.multi_cell(col_w - BADGE_MM, size * LINE_FACTOR, f"{name} · {light}", align="L", dry_run=True,
                          output="HEIGHT")
    pdf.set_font(LATIN, "", size)
    body = pdf.multi_cell(col_w - BADGE_MM, size * LINE_FACTOR, text, align="L", dry_run=True, output="HEIGHT")
    return head + body + 2.2


def _balanced_split(heights: list[float]) -> int:
    """Where to start the second column so that the taller column is as short as possible (order kept).

    >>> _balanced_split([10, 10, 10, 10]), _balanced_split([30, 5, 5, 5])
    (2, 1)
    """
    total = sum(heights)
    best = min(range(len(heights) + 1), key=lambda k: (max(sum(heights[:k]), total - sum(heights[:k])), -k))
    return best


def _draw_row(pdf, row, x: float, y: float, col_w: float, size: float) -> None:
    number, name, light, text = row
    text = _unbroken(text)
    _badge(pdf, number, x + 2.3, y + 2.2, 2.3)
    pdf.set_text_color(*HEAD_RGB)
    pdf.set_font(LATIN, "B", size)
    pdf.set_xy(x + BADGE_MM, y)
    pdf.multi_cell(col_w - BADGE_MM, size * LINE_FACTOR, f"{name} · {light}", align="L")
    pdf.set_text_color(*TEXT_RGB)
    pdf.set_font(LATIN, "", size)
    pdf.set_x(x + BADGE_MM)
    pdf.multi_cell(col_w - BADGE_MM, size * LINE_FACTOR, text, align="L")
