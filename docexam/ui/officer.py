"""The officer's tools beside the examination, free of Streamlit: the referral note written after a
``suspect`` result, and the geometry of the reference of genuine documents.

What the officer reads (the next steps, the explanation of each feature)
comes from the lesson files (:mod:`docexam.lessons.reference`); this module
only lays it out.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from ..i18n import translator
from ..lessons.vocabulary import finding_text, technique_label, zone_label

#: colours of the reference's marks: every feature, and the one being read about
FEATURE_COLOUR = "#ffaa00"
PICKED_COLOUR = "#e61e1e"


def referral_note(report, *, template_name: str, lang: str, now: dt.datetime) -> str:
    """A note to hand over with a suspect document: the machine's result filled in, the officer's part blank.

    The lesson's next steps say what to note; this is the same list as a form.

    >>> from types import SimpleNamespace as R
    >>> finding = R(zone="portrait", family="personalization", technique="photo-substitution", score=0.91,
    ...             message="edge around the photo")
    >>> note = referral_note(R(verdict="suspect", score=0.82, findings=[finding], template="uto-td3", unexamined=[]),
    ...                      template_name="Utopia passport", lang="en", now=dt.datetime(2026, 3, 5, 14, 32))
    >>> print(note.splitlines()[3])
    1. Portrait: Photo substitution (0.91): edge around the photo
    """
    _ = translator(lang).gettext
    lines = [_("docexam referral note, {when}", when=f"{now:%Y-%m-%d %H:%M}"),
             _("Document type: {name}", name=f"{template_name} ({report.template})"),
             _("Machine result: suspect, score {score}. Findings:", score=f"{report.score:.2f}")]
    for i, f in enumerate(report.findings, 1):
        what = technique_label(f.technique, f.family, lang)
        lines.append(f"{i}. {zone_label(f.zone, lang)}: {what} ({f.score:.2f}): {finding_text(f, lang)}")
    if not report.findings:
        lines.append(_("No findings."))
    checks = hand_checks(report, lang)
    if checks:
        lines += ["", _("Not examined by the machine (check by hand):"), *[f"- {c}" for c in checks]]
    blank = "_" * 40
    lines += ["", _("Traveller's name, nationality and document number (as printed):"), blank,
              _("What I saw myself (which feature, where, under which light):"), blank, blank,
              _("Handed to (name, unit) and when:"), blank, _("Officer (name, unit):"), blank]
    return "\n".join(lines) + "\n"


def hand_checks(report, lang: str) -> list[str]:
    """What the officer examines by hand: each feature the picture shows but cannot prove, in ``lang``.

    One line per :class:`~docexam.examine.report.Unexamined` entry of
    ``report``: the feature's zone (its name says how to look at it) and
    what to do.

    >>> from types import SimpleNamespace as R
    >>> u = R(zone="kinegram", needs="tilt", message="It must change colour.")
    >>> hand_checks(R(unexamined=[u]), "en")
    ['Kinegram (tilt it): It must change colour.']
    """
    return [f"{zone_label(u.zone, lang)}: {finding_text(u, lang)}" for u in report.unexamined]


def feature_crop(boxes: Sequence[Sequence[int]], size: tuple[int, int], *, margin: float = 0.15,
                 max_aspect: float = 3.0, min_pad: int = 40) -> list[int]:
    """The part of the document to show for a feature: its boxes with a margin, or a piece of a long one.

    A microprint line is 2,700 pixels long and 17 high: shown whole it
    would be a hairline. A feature more than ``max_aspect`` times longer
    than wide is shown as a piece from its start, ``max_aspect`` times as
    long as high, as an officer reads it under a magnifier.

    >>> feature_crop([[100, 500, 2800, 517]], (2953, 2079))  # a microprint line: its first centimetres
    [60, 460, 351, 557]
    >>> feature_crop([[118, 449, 945, 1512]], (2953, 2079))  # a portrait, with a margin
    [0, 290, 1146, 1671]
    """
    w, h = size
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    bw, bh = x1 - x0, y1 - y0
    if bw > max_aspect * bh:
        pad = max(0.25 * bh, min_pad)
        y0, y1 = y0 - pad, y1 + pad
        x0 -= pad
        x1 = x0 + max_aspect * (y1 - y0)
    elif bh > max_aspect * bw:
        pad = max(0.25 * bw, min_pad)
        x0, x1 = x0 - pad, x1 + pad
        y0 -= pad
        y1 = y0 + max_aspect * (x1 - x0)
    else:
        pad = margin * max(bw, bh)
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    # slide back inside the document rather than cut the margin off
    if x0 < 0:
        x0, x1 = 0, x1 - x0
    if y0 < 0:
        y0, y1 = 0, y1 - y0
    if x1 > w:
        x0, x1 = max(0, x0 - (x1 - w)), w
    if y1 > h:
        y0, y1 = max(0, y0 - (y1 - h)), h
    return [int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1))]


def feature_overlays(features, picked: int | None) -> list[dict]:
    """Numbered boxes for every feature (background ones left out), the picked one in red.

    >>> from types import SimpleNamespace as F
    >>> feature_overlays([F(kind="background", boxes=((0, 0, 9, 9),)), F(kind="mrz", boxes=((1, 2, 3, 4),))], 1)
    [{'box': [1, 2, 3, 4], 'colour': '#e61e1e', 'label': 2}]
    """
    out = []
    for n, feature in enumerate(features):
        if feature.kind == "background":  # the whole page: a frame round everything tells nothing
            continue
        for box in feature.boxes:
            out.append({"box": list(box), "colour": PICKED_COLOUR if n == picked else FEATURE_COLOUR,
                        "label": n + 1})
    return out
