"""One builder per item type made from a specimen's annotations: verdict, locate, family,
technique, light and compare (MRZ items are in :mod:`.mrz_items`)."""

from __future__ import annotations

from ..formats.lights import LIGHTS
from ..specimens.techniques import FAMILIES, TECHNIQUES
from .quiz_item import (Item, choice_key, difficulty_of, images_of, item_rng, option, overlay_of, shuffled,
                        views_of, what_of)
from .vocabulary import (CONFUSED_WITH, FAMILY_LABELS, LIGHT_LABELS, PROMPTS, SIDE_LABELS, TECHNIQUE_LABELS,
                         VERDICT_LABELS, WHY_GENUINE, zone_label)

#: a drawn box overlapping the forged region this much (intersection over union) scores 1
FULL_CREDIT_IOU = 0.5
#: score of a light source that does show the trace, but not best
PARTIAL_LIGHT = 0.5


def _zones(spec, lang: str) -> str:
    """The forged areas in plain words ("Portrait, Date of birth")."""
    names = dict.fromkeys(zone_label(a.zone, lang) for a in spec.anomalies)
    return ", ".join(names)


def verdict(spec) -> Item:
    iid = f"{spec.name}:verdict"
    answer = "genuine" if spec.authentic else "forged"
    if spec.authentic:
        what, why, overlays = "This document is genuine: nothing on it was altered.", WHY_GENUINE, []
    else:
        what = " ".join(what_of(a) for a in spec.anomalies)
        why = " ".join(a.note for a in spec.anomalies)
        overlays = [overlay_of(spec, i) for i in range(len(spec.anomalies))]
    return Item(
        id=iid, type="verdict", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS["verdict"][0], prompt_km=PROMPTS["verdict"][1],
        shown={"images": images_of(spec), **views_of(spec),
               "options": [option(v, VERDICT_LABELS) for v in ("genuine", "forged")]},
        key=choice_key(answer),
        feedback={"what": what, "why": why, "answer_label": VERDICT_LABELS[answer][0],
                  "answer_label_km": VERDICT_LABELS[answer][1], "overlays": overlays},
        families=tuple(sorted(spec.families)), techniques=tuple(sorted(spec.techniques)),
        difficulty=difficulty_of(a.severity for a in spec.anomalies),
    )


def locate(spec, *, tolerance_px: int) -> Item:
    # every anomaly is a target: clicking any real forgery trace is a correct find
    targets = [{"anomaly": i, "bbox": list(a.bbox), "mask_label": a.mask_label}
               for i, a in enumerate(spec.anomalies)]
    mask = spec.mask_path
    return Item(
        id=f"{spec.name}:locate", type="locate", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS["locate"][0], prompt_km=PROMPTS["locate"][1],
        shown={"images": images_of(spec), **views_of(spec), "answer_kinds": ["point", "box"]},
        key={"kind": "locate", "targets": targets, "mask": str(mask) if mask else None,
             "tolerance_px": tolerance_px, "full_credit_iou": FULL_CREDIT_IOU},
        feedback={"what": " ".join(what_of(a) for a in spec.anomalies),
                  "why": " ".join(a.note for a in spec.anomalies),
                  "answer_label": _zones(spec, "en"), "answer_label_km": _zones(spec, "km"),
                  "overlays": [overlay_of(spec, i) for i in range(len(spec.anomalies))]},
        families=tuple(sorted(spec.families)), techniques=tuple(sorted(spec.techniques)),
        difficulty=difficulty_of(a.severity for a in spec.anomalies),
    )


def anomaly_item(spec, index: int, kind: str) -> Item | None:
    a = spec.anomalies[index]
    iid = f"{spec.name}:{kind}:{index}"
    rng = item_rng(iid)
    partial = None
    if kind == "family":
        options = [option(f, FAMILY_LABELS) for f in FAMILIES]
        answer, labels = a.family, FAMILY_LABELS[a.family]
    elif kind == "technique":
        if not a.technique:
            return None
        distractors = list(CONFUSED_WITH[a.technique])
        # pad with same-family techniques if a trainer's catalogue is ever shorter
        distractors += [t for t in TECHNIQUES if TECHNIQUES[t].family == a.family
                        and t != a.technique and t not in distractors]
        chosen = [a.technique, *distractors[:3]]
        options = shuffled([option(t, TECHNIQUE_LABELS) for t in chosen], rng)
        answer, labels = a.technique, TECHNIQUE_LABELS[a.technique]
    elif kind == "light":
        if not a.technique:
            return None
        lights = TECHNIQUES[a.technique].lights
        options = [option(light, LIGHT_LABELS) for light in LIGHTS]
        answer, labels = lights[0], LIGHT_LABELS[lights[0]]
        # a light that shows the trace, only less well, earns part of the credit
        partial = {light: PARTIAL_LIGHT for light in lights[1:]}
    else:  # pragma: no cover - internal
        raise ValueError(f"kind: {kind!r}")
    return Item(
        id=iid, type=kind, specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS[kind][0], prompt_km=PROMPTS[kind][1],
        shown={"images": images_of(spec), **views_of(spec), "highlight": list(a.bbox), "options": options},
        key=choice_key(answer, partial),
        feedback={"what": what_of(a), "why": a.note, "answer_label": labels[0], "answer_label_km": labels[1],
                  "overlays": [overlay_of(spec, index)]},
        families=(a.family,), techniques=(a.technique,) if a.technique else (),
        difficulty=difficulty_of([a.severity]),
    )


def compare(forged, genuine) -> Item:
    iid = f"{forged.name}:compare:{genuine.name}"
    rng = item_rng(iid)
    sides = {"left": genuine, "right": forged} if rng.random() < 0.5 else {"left": forged, "right": genuine}
    answer = "left" if sides["left"] is genuine else "right"
    return Item(
        id=iid, type="compare", specimens=(forged.name, genuine.name), template=forged.template,
        prompt=PROMPTS["compare"][0], prompt_km=PROMPTS["compare"][1],
        shown={"pair": {side: {"specimen": s.name, "images": images_of(s), **views_of(s)}
                        for side, s in sides.items()},
               "options": [option(side, SIDE_LABELS) for side in ("left", "right")]},
        key=choice_key(answer),
        feedback={"what": f"The {answer} document is genuine; the other has: "
                          + " ".join(what_of(a) for a in forged.anomalies),
                  "why": " ".join(a.note for a in forged.anomalies),
                  "answer_label": SIDE_LABELS[answer][0], "answer_label_km": SIDE_LABELS[answer][1],
                  "overlays": [overlay_of(forged, i) for i in range(len(forged.anomalies))]},
        families=tuple(sorted(forged.families)), techniques=tuple(sorted(forged.techniques)),
        difficulty=difficulty_of(a.severity for a in forged.anomalies),
    )
