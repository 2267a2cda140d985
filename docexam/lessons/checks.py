"""The quick checks an officer makes on each security feature: in which light, what to look for.

This is the one home of the short check texts printed on the quick check
cards (:mod:`.cards`); the lessons explain the same features at length. A
template's zone is matched to its check by its ``feature`` (``kinegram``,
``watermark``, ...), else its name (``uv-emblem``), else its kind
(``microprint``); the page or card itself is checked as the document's
substrate (paper or card). English is written here; the catalogues hold the
other languages.

Examples
--------
>>> from docexam.specimens import find_template
>>> checks = feature_checks(find_template("uto-td3"))
>>> [c.key for c in checks][:4]
['paper', 'security-print', 'microprint', 'emblem']
>>> checks[2].light, checks[2].text[:44]
('visible', 'Under a magnifier the line reads as tiny rep')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_

__all__ = ["Check", "CHECKS", "LIGHTS", "feature_checks", "check_key"]

#: how to look: the lights of docexam plus tilting the document under white light
LIGHTS = {"visible": N_("White light and a magnifier"), "uv": N_("UV light"), "ir": N_("IR light"),
          "transmitted": N_("Held up to a light"), "tilt": N_("Tilt it under white light")}

#: key -> (name of the feature on the card, light, what to look for)
CHECKS = {
    "paper": (N_("Paper"), "uv",
              N_("The paper stays dull under UV, with no bright blue glow. Coloured fibres glow at random, "
                 "lying in the paper, not printed on it.")),
    "card": (N_("Polycarbonate body"), "visible",
             N_("Rigid polycarbonate: the data is engraved into it, smooth to the touch, not raised ink. Edges are "
                "clean, with no layers opening; under UV it stays dull.")),
    "page": (N_("Page background"), "visible",
             N_("The background design runs on without a break from page to page and across the stitching.")),
    "security-print": (N_("Guilloche and rainbow print"), "visible",
                       N_("Fine continuous lines that cross and change colour smoothly. Under the magnifier: no "
                          "dots, no breaks, no jump in the lines.")),
    "microprint": (N_("Microprint"), "visible",
                   N_("Under a magnifier the line reads as tiny repeated text with sharp letters. A copy shows a "
                      "blurred or solid line.")),
    "page-number": (N_("Page numbers"), "visible",
                    N_("Numbers in sequence, in the booklet's own style. A page from another booklet shows another "
                       "number or design.")),
    "emblem": (N_("Emblem"), "visible",
               N_("Sharp print, in register with the design around it, without dots or blur.")),
    "uv-emblem": (N_("UV emblem"), "uv",
                  N_("Under UV the emblem appears, glowing in its colours, sharp and complete; in white light it is "
                     "invisible or faint.")),
    "kinegram": (N_("Kinegram"), "tilt",
                 N_("Tilt the document: the image moves and changes colour. A flat foil or print stays the same.")),
    "colour-shift": (N_("Colour-shifting ink"), "tilt",
                     N_("Tilt the document: the ink changes colour. A printed imitation keeps one colour.")),
    "portrait": (N_("Portrait"), "visible",
                 N_("The security background and printing run across the edge of the photo without a break. No cut "
                    "edge, glue or raised border: the photo is printed in, not stuck on.")),
    "ghost-portrait": (N_("Ghost image"), "visible",
                       N_("The same face as the main portrait, the same pose and age.")),
    "mrz": (N_("Machine-readable zone (MRZ)"), "visible",
            N_("Check digits correct; the names, number and dates match the printed fields. OCR-B letters, evenly "
               "spaced, on straight lines.")),
    "field": (N_("Printed data"), "visible",
              N_("All entries in one typeface, size and ink, on one baseline. The background under them is intact: "
                 "no erasure marks (check under UV too).")),
    "watermark": (N_("Watermark"), "transmitted",
                  N_("Held up to a light, the image shows in shades of light and dark inside the paper; it cannot be "
                     "seen on the surface.")),
    "thread": (N_("Security thread"), "transmitted",
               N_("Against the light, a continuous dark line with its text; on the surface it weaves in and out of "
                  "the paper.")),
    "perforation": (N_("Perforated number"), "transmitted",
                    N_("The number is punched through the pages: clean round holes, in line, going right through.")),
    "visa-sticker": (N_("Visa"), "visible",
                     N_("The visa belongs to this passport: name, number and dates agree. Its own security print is "
                        "intact and its edges are not lifted.")),
    "stamps": (N_("Entry and exit stamps"), "visible",
               N_("Dates in order, agreeing with each other and with the visa. The ink runs onto the page, not onto "
                  "a patch.")),
}

#: zone kinds a card lists (others, e.g. a background zone without a feature, are the substrate's)
_LISTED_KINDS = ("security-print", "microprint", "portrait", "ghost-portrait", "emblem", "mrz", "field")


@dataclass(frozen=True)
class Check:
    """One numbered check of a card: the feature, its zones' boxes (template pixels), the light, the text."""

    key: str
    name: str
    light: str
    text: str
    boxes: tuple[tuple[int, int, int, int], ...]


def check_key(zone, *, substrate: str = "paper") -> str | None:
    """The key of :data:`CHECKS` for ``zone`` (None: the zone has no check of its own).

    >>> from docexam.specimens.model import Zone
    >>> check_key(Zone("kinegram", "security-print", (0, 0, 9, 9), extra={"feature": "kinegram"}))
    'kinegram'
    >>> check_key(Zone("page", "background", (0, 0, 9, 9)), substrate="polycarbonate")
    'card'
    """
    feature = zone.extra.get("feature")
    if feature in CHECKS:
        return feature
    if zone.kind == "background":
        return "paper" if substrate == "paper" else "card"
    if zone.name in CHECKS:
        return zone.name
    return zone.kind if zone.kind in _LISTED_KINDS else None


def feature_checks(template) -> list[Check]:
    """The template's checks, in the order of :data:`CHECKS`, each with the boxes of its zones."""
    substrate = str(template.extra.get("substrate") or "paper")
    boxes: dict[str, list] = {}
    for zone in template.zones:
        key = check_key(zone, substrate=substrate)
        if key is not None:
            boxes.setdefault(key, []).append(tuple(int(v) for v in zone.bbox))
    return [Check(key, name, light, text, tuple(boxes[key])) for key, (name, light, text) in CHECKS.items()
            if key in boxes]
