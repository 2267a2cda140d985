"""An alert's one-page printable card (PDF), in English and Khmer.

The card's content is assembled apart from its drawing (:func:`card_content`),
so the printed-material work (Khmer PDFs for certificates and handouts) can
lay the same content out its own way. The PDF is drawn with fpdf2, with
HarfBuzz text shaping (Khmer's stacked consonants and vowel signs need it)
and Noto Sans Khmer as the fallback font for Khmer text.

A card is always one page: when the text is long it is drawn again smaller
(:data:`SCALES`) until it fits.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
from PIL import Image

from ..atomic import write_bytes
from ..errors import DocexamError
from ..imaging import load_rgb
from ..lessons.source import load_specimen_folder, user_specimens_dir
from ..pdf import new_pdf
from .alerts import AlertFile, alert_specimen

#: size factors tried in turn until the card fits on one A4 page
SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.42, 0.36)
LIGHT_LABELS = {"visible": "Visible light", "uv": "UV light", "ir": "IR light", "transmitted": "Transmitted light"}


@dataclass(frozen=True)
class CardContent:
    """What a card says, in the order it says it (text in English and Khmer where given)."""

    heading: str
    title: str
    title_km: str
    facts: tuple[tuple[str, str], ...]
    checks: tuple[str, ...]
    checks_km: tuple[str, ...]
    traces: tuple[str, ...]
    images: tuple[tuple[str, object], ...]  # (label, RGB array with the traces boxed)
    footer: str


def _boxed(rgb, boxes, *, width: int = 1400):
    out = rgb.copy()
    scale = min(1.0, width / out.shape[1])
    if scale < 1.0:
        out = cv2.resize(out, (width, max(1, round(out.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    thick = max(2, out.shape[1] // 300)
    for i, (x0, y0, x1, y1) in enumerate(boxes, 1):
        p0, p1 = (round(x0 * scale), round(y0 * scale)), (round(x1 * scale), round(y1 * scale))
        cv2.rectangle(out, p0, p1, (220, 30, 30), thick)
        cv2.putText(out, str(i), (p0[0] + thick, max(p0[1] - 2 * thick, 12 * thick)), cv2.FONT_HERSHEY_SIMPLEX,
                    0.5 * thick, (220, 30, 30), thick)
    return out


def card_content(alert: AlertFile, specimens) -> CardContent:
    """The card of ``alert``; its pictures come from its specimen among ``specimens`` (if there)."""
    spec = alert_specimen(alert, specimens)
    images, traces = [], []
    if spec is not None:
        boxes = [a.bbox for a in spec.anomalies]
        for light in spec.lights:
            try:
                images.append((LIGHT_LABELS.get(light, light), _boxed(load_rgb(spec.image_path(light)), boxes)))
            except DocexamError:
                continue  # an unreadable picture is left off the card, not the card refused
        traces = [f"{i}. {a.technique or a.family} ({a.zone}): {a.note}" for i, a in enumerate(spec.anomalies, 1)]
    facts = (("Imitates", alert.imitates), ("Seen at", alert.seen_where or "-"), ("When", alert.seen_when or "-"),
             ("Raised by", alert.department), ("Raised on", alert.raised_at.strftime("%Y-%m-%d")))
    return CardContent(heading="ALERT: NEW FORGERY  ·  ការព្រមាន៖ ការក្លែងបន្លំថ្មី", title=alert.title,
                       title_km=alert.title_km, facts=facts, checks=tuple(alert.what_to_check),
                       checks_km=tuple(alert.what_to_check_km), traces=tuple(traces), images=tuple(images),
                       footer=f"docexam alert {alert.id}  ·  share it only with officers who examine documents")


def _jpeg(rgb) -> io.BytesIO:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=85)
    buf.seek(0)
    return buf


def _draw(content: CardContent, scale: float):
    pdf = new_pdf(title=content.title)  # registers "DejaVu" and "NotoKhmer", Khmer shaped
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_fill_color(180, 20, 20)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 12 * scale)
    pdf.cell(width, 9 * scale, content.heading, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 18 * scale)
    pdf.multi_cell(width, 8 * scale, content.title, new_x="LMARGIN", new_y="NEXT")
    if content.title_km:
        pdf.set_font("NotoKhmer", "", 15 * scale)
        pdf.multi_cell(width, 9 * scale, content.title_km, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)

    if content.images:
        main_label, main = content.images[0]
        h, w = main.shape[:2]
        img_w = min(width, 95 * scale * w / h)
        pdf.image(_jpeg(main), w=img_w)
        pdf.set_font("DejaVu", "", 8 * scale)
        pdf.cell(width, 4 * scale, main_label, new_x="LMARGIN", new_y="NEXT")
        others = content.images[1:4]
        if others:
            thumb_w = (width - 4 * (len(others) - 1)) / len(others)
            y = pdf.get_y() + 1
            heights = []
            for k, (label, rgb) in enumerate(others):
                x = pdf.l_margin + k * (thumb_w + 4)
                th = min(thumb_w * rgb.shape[0] / rgb.shape[1], 45 * scale)
                tw = th * rgb.shape[1] / rgb.shape[0]
                pdf.image(_jpeg(rgb), x=x, y=y, w=tw, h=th)
                pdf.set_xy(x, y + th)
                pdf.cell(thumb_w, 4 * scale, label)
                heights.append(th)
            pdf.set_xy(pdf.l_margin, y + max(heights) + 5 * scale)
    pdf.ln(2)

    pdf.set_font("DejaVu", "", 10 * scale)
    for label, value in content.facts:
        pdf.set_font("DejaVu", "B", 10 * scale)
        pdf.cell(28, 5.5 * scale, label)
        pdf.set_font("DejaVu", "", 10 * scale)
        pdf.multi_cell(width - 28, 5.5 * scale, value, new_x="LMARGIN", new_y="NEXT")
    for heading, lines, font in (("What to check", content.checks, "DejaVu"),
                                 ("អ្វីដែលត្រូវពិនិត្យ", content.checks_km, "NotoKhmer"),
                                 ("Marked traces (numbered on the pictures)", content.traces, "DejaVu")):
        if not lines:
            continue
        pdf.ln(1.5)
        pdf.set_font("DejaVu" if font == "DejaVu" else "NotoKhmer", "B" if font == "DejaVu" else "", 11 * scale)
        pdf.cell(width, 6.5 * scale, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 10 * scale)
        for line in lines:
            pdf.multi_cell(width, 5.5 * scale, ("•  " if lines is not content.traces else "") + line,
                           new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(False)  # the footer sits in the bottom margin
    pdf.set_y(-11)
    pdf.set_font("DejaVu", "", 7.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(width, 4, content.footer, align="C")
    return pdf


def card_pdf(alert: AlertFile, specimens=None) -> bytes:
    """The alert's card as PDF bytes (one A4 page).

    ``specimens`` default: this installation's own (``$DOCEXAM_HOME/specimens``).
    """
    if specimens is None:
        folder = user_specimens_dir()
        specimens = load_specimen_folder(folder) if folder.is_dir() else []
    content = card_content(alert, specimens)
    for scale in SCALES:
        pdf = _draw(content, scale)
        if pdf.page == 1:
            break
    return bytes(pdf.output())


def write_card(alert: AlertFile, path: str | os.PathLike, specimens=None) -> Path:
    """Write the alert's card to ``path`` (atomically)."""
    return write_bytes(path, card_pdf(alert, specimens))
