"""Quiz items generated from annotated specimens.

Any specimen with a sidecar is quiz material: the items below are derived
from its annotations (anomalies, holder data, MRZ), so a trainer who adds a
specimen adds questions without writing code.

=============  ==============================================  ========================
type           question                                        one item per
=============  ==============================================  ========================
``verdict``    genuine or forged?                              specimen
``locate``     click on (or draw a box around) the forgery     forged flat specimen
``family``     what was attacked: substrate, printing, ...     anomaly (flat capture)
``technique``  how was it done (with plausible distractors)    anomaly with a technique
``light``      which light source shows it best                anomaly with a technique
``compare``    which of two documents is genuine               forged specimen with a
                                                               genuine one of its template
``mrz``        which check digit is wrong / which field        specimen with a valid MRZ
               disagrees with the printed data                 (two items), or one whose
                                                               MRZ is itself inconsistent
=============  ==============================================  ========================

Items that point at a region of the image (``locate``, ``family``,
``technique``, ``light``) are made only from ``flat`` captures, whose image
is in template geometry, so boxes and masks line up with the pixels shown.

Every :class:`Item` keeps three things apart: what may be **shown** before
the answer (:meth:`Item.public`), the answer **key**, and the **feedback**
shown after answering (what was there, why it matters, the overlay to draw).
Item ids are stable: they are built from the specimen name, the item type
and the anomaly (``passport-07:technique:0``), never from a seed, and any
choice made inside an item (distractors, option order, which digit to
corrupt) is drawn from a random generator seeded by the id. The same id
always means the same question, so spaced repetition can track it.

Examples
--------
>>> from docexam.specimens.model import parse_specimen
>>> spec = parse_specimen({
...     "template": "demo", "authentic": False, "capture": {"kind": "flat"},
...     "holder": {"surname": "ERIKSSON", "given_names": "ANNA MARIA",
...                "document_number": "L898902C3", "nationality": "UTO",
...                "date_of_birth": "1974-08-12", "sex": "F", "date_of_expiry": "2012-04-15"},
...     "mrz": [],
...     "anomalies": [{"family": "personalization", "technique": "photo-substitution",
...                    "zone": "portrait", "bbox": [10, 10, 40, 50], "note": "Cut edges."}]},
...     "specimens/p1.json")
>>> items = generate_items([spec])
>>> [item.id for item in items]
['p1:family:0', 'p1:light:0', 'p1:locate', 'p1:technique:0', 'p1:verdict']
>>> items[-1].key
{'kind': 'choice', 'answer': 'forged'}
>>> "key" in items[-1].public()
False
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from ..mrz import text as mrz_text
from ..specimens.techniques import FAMILIES, LIGHTS, TECHNIQUES
from .format import ITEM_TYPES, Lesson, SpecimenFilter

#: default tolerance of a click around the forged region, in template pixels
#: (about 1 mm at 600 dpi: a finger or mouse click next to a thin line is a find)
TOLERANCE_PX = 24
#: a drawn box overlapping the forged region this much (intersection over union) scores 1
FULL_CREDIT_IOU = 0.5
#: score of a light source that does show the trace, but not best
PARTIAL_LIGHT = 0.5

# ---------------------------------------------------------------------------
# vocabulary shown to officers (English and Khmer)

FAMILY_LABELS = {
    "substrate": ("Substrate (the paper or card itself)", "សម្ភារៈឯកសារ (ក្រដាស ឬកាត)"),
    "printing": ("Printing (background and security printing)", "ការបោះពុម្ព (ផ្ទៃខាងក្រោយ និងលំនាំសុវត្ថិភាព)"),
    "personalization": ("Personalization (the holder's photo and data)",
                        "ទិន្នន័យផ្ទាល់ខ្លួន (រូបថត និងព័ត៌មានម្ចាស់)"),
}

TECHNIQUE_LABELS = {
    "wrong-substrate": ("Wrong paper (office paper)", "ក្រដាសខុសប្រភេទ"),
    "erasure": ("Erasure or chemical washing", "ការលុប ឬលាងទិន្នន័យ"),
    "substrate-patch": ("Glued-in patch of paper", "ការបិទបំណះក្រដាស"),
    "halftone-reproduction": ("Colour-copier or laser reproduction (halftone dots)",
                              "ការថតចម្លងពណ៌ (ចំណុចហាល់ហ្វូន)"),
    "inkjet-reproduction": ("Inkjet reproduction", "ការបោះពុម្ពម៉ាស៊ីនអ៊ីងជិត"),
    "missing-microprint": ("Missing or blurred microprint", "អក្សរតូចបាត់ ឬព្រិល"),
    "broken-guilloche": ("Broken guilloche or rainbow print", "លំនាំហ្គីយ៉ូស ឬពណ៌ឥន្ទធនូដាច់"),
    "photo-substitution": ("Photo substitution", "ការប្ដូររូបថត"),
    "data-alteration": ("Altered printed data", "ការកែប្រែទិន្នន័យ"),
    "mrz-inconsistency": ("MRZ does not match", "MRZ មិនស៊ីគ្នា"),
    "ghost-image-mismatch": ("Ghost image does not match", "រូបស្រមោលមិនត្រូវគ្នា"),
}

LIGHT_LABELS = {
    "visible": ("Normal white light (with a magnifier)", "ពន្លឺធម្មតា (ជាមួយកែវពង្រីក)"),
    "uv": ("Ultraviolet (UV) light", "ពន្លឺអ៊ុលត្រាវីយូឡេ (UV)"),
    "ir": ("Infrared (IR) light", "ពន្លឺអ៊ីនហ្វ្រារ៉េដ (IR)"),
}

VERDICT_LABELS = {"genuine": ("Genuine", "ពិត"), "forged": ("Forged", "ក្លែងក្លាយ")}

FIELD_LABELS = {
    "surname": ("Surname", "នាមត្រកូល"),
    "given_names": ("Given names", "នាមខ្លួន"),
    "document_number": ("Document number", "លេខឯកសារ"),
    "nationality": ("Nationality", "សញ្ជាតិ"),
    "date_of_birth": ("Date of birth", "ថ្ងៃខែឆ្នាំកំណើត"),
    "sex": ("Sex", "ភេទ"),
    "date_of_expiry": ("Date of expiry", "ថ្ងៃផុតកំណត់"),
}

CHECK_LABELS = {
    "document_number": ("Check digit of the document number", "លេខផ្ទៀងផ្ទាត់នៃលេខឯកសារ"),
    "date_of_birth": ("Check digit of the date of birth", "លេខផ្ទៀងផ្ទាត់នៃថ្ងៃកំណើត"),
    "date_of_expiry": ("Check digit of the date of expiry", "លេខផ្ទៀងផ្ទាត់នៃថ្ងៃផុតកំណត់"),
}

PROMPTS = {
    "verdict": ("Is this document genuine or forged?", "តើឯកសារនេះពិត ឬក្លែងក្លាយ?"),
    "locate": ("This document was forged. Click on the forged area, or draw a box around it.",
               "ឯកសារនេះត្រូវបានក្លែងបន្លំ។ សូមចុចលើកន្លែងដែលក្លែងបន្លំ ឬគូសប្រអប់ជុំវិញវា។"),
    "family": ("The marked area was tampered with. What did the forger attack?",
               "តំបន់ដែលបានសម្គាល់ត្រូវបានកែបន្លំ។ តើអ្នកក្លែងបន្លំបានវាយប្រហារផ្នែកណា?"),
    "technique": ("The marked area was tampered with. How was it done?",
                  "តំបន់ដែលបានសម្គាល់ត្រូវបានកែបន្លំ។ តើគេធ្វើវាដោយរបៀបណា?"),
    "light": ("Which light shows this kind of forgery best?",
              "តើពន្លឺមួយណាបង្ហាញការក្លែងបន្លំប្រភេទនេះច្បាស់ជាងគេ?"),
    "compare": ("One of these two documents is genuine, the other is forged. Which one is genuine?",
                "ឯកសារមួយពិត មួយទៀតក្លែងក្លាយ។ តើមួយណាពិត?"),
    "mrz-check-digit": ("One check digit in this MRZ is wrong. Which one?",
                        "លេខផ្ទៀងផ្ទាត់មួយនៅក្នុង MRZ នេះខុស។ តើមួយណា?"),
    "mrz-field": ("The MRZ disagrees with the printed data in one field. Which field?",
                  "MRZ មិនត្រូវគ្នានឹងទិន្នន័យដែលបានបោះពុម្ពនៅវាលមួយ។ តើវាលមួយណា?"),
}

#: techniques an officer commonly mistakes for each technique, most confusable first;
#: the distractors of a ``technique`` item come from here, then from the same family
CONFUSED_WITH = {
    "wrong-substrate": ("substrate-patch", "erasure", "halftone-reproduction"),
    "erasure": ("data-alteration", "substrate-patch", "wrong-substrate"),
    "substrate-patch": ("erasure", "photo-substitution", "wrong-substrate"),
    "halftone-reproduction": ("inkjet-reproduction", "broken-guilloche", "missing-microprint"),
    "inkjet-reproduction": ("halftone-reproduction", "missing-microprint", "broken-guilloche"),
    "missing-microprint": ("broken-guilloche", "halftone-reproduction", "inkjet-reproduction"),
    "broken-guilloche": ("missing-microprint", "halftone-reproduction", "inkjet-reproduction"),
    "photo-substitution": ("ghost-image-mismatch", "substrate-patch", "data-alteration"),
    "data-alteration": ("erasure", "mrz-inconsistency", "photo-substitution"),
    "mrz-inconsistency": ("data-alteration", "erasure", "ghost-image-mismatch"),
    "ghost-image-mismatch": ("photo-substitution", "data-alteration", "mrz-inconsistency"),
}

_WHY_GENUINE = ("Nothing on this document was altered. Refusing a genuine traveller is an error too: "
                "check each feature before you decide.")
_WHY_CHECK_DIGIT = ("A genuine passport printer computes every check digit; a wrong one means the MRZ "
                    "was typed or changed by hand.")
_WHY_FIELD = ("The printed page and the MRZ must say the same thing. A forger who changes one "
              "often forgets, or cannot change, the other.")


# ---------------------------------------------------------------------------
# the item

@dataclass(frozen=True)
class Item:
    """One quiz question, with its answer key and feedback kept apart.

    Attributes
    ----------
    id : str
        Stable id: ``SPECIMEN:TYPE[:DETAIL]``.
    type : str
        One of :data:`~docexam.lessons.format.ITEM_TYPES`.
    specimens : tuple of str
        Names of the specimens the item is built from (two for ``compare``).
    template : str
    prompt, prompt_km : str
        The question in English and Khmer.
    shown : dict
        What the UI may show before the answer: ``images`` (light -> path),
        ``options`` (``[{"id", "label", "label_km"}]`` for choice items),
        ``highlight`` (a box to draw), ``pair`` (``compare``), ``mrz`` and
        ``printed`` (``mrz``). Boxes are template pixels.
    key : dict
        The answer key: ``{"kind": "choice", "answer": ID, "partial": {...}}``
        or ``{"kind": "locate", "targets": [...], "mask": path, ...}``.
    feedback : dict
        ``what`` was there, ``why`` it matters, ``answer_label`` and the
        ``overlays`` to draw (specimen, bbox, mask, mask_label, label).
    topic : str or None
        Set by :func:`lesson_items` to the lesson's topic.
    families, techniques : tuple of str
        What the item is about (used to group items).
    difficulty : float
        0 (easy) .. 1 (hard), from the anomalies' severity when recorded.
    """

    id: str
    type: str
    specimens: tuple[str, ...]
    template: str
    prompt: str
    prompt_km: str
    shown: dict
    key: dict
    feedback: dict
    topic: str | None = None
    families: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    difficulty: float = 0.5

    def public(self) -> dict:
        """What may be shown before the answer: no key, no feedback."""
        return {"id": self.id, "type": self.type, "topic": self.topic, "template": self.template,
                "specimens": list(self.specimens), "prompt": self.prompt,
                "prompt_km": self.prompt_km, **_copy(self.shown)}

    def as_dict(self) -> dict:
        """Everything, JSON-ready (for storing a served item with its key)."""
        return {"id": self.id, "type": self.type, "specimens": list(self.specimens),
                "template": self.template, "prompt": self.prompt, "prompt_km": self.prompt_km,
                "shown": _copy(self.shown), "key": _copy(self.key), "feedback": _copy(self.feedback),
                "topic": self.topic, "families": list(self.families),
                "techniques": list(self.techniques), "difficulty": self.difficulty}

    @classmethod
    def from_dict(cls, data: dict) -> "Item":
        """Inverse of :meth:`as_dict`."""
        return cls(id=data["id"], type=data["type"], specimens=tuple(data["specimens"]),
                   template=data["template"], prompt=data["prompt"], prompt_km=data["prompt_km"],
                   shown=_copy(data["shown"]), key=_copy(data["key"]), feedback=_copy(data["feedback"]),
                   topic=data.get("topic"), families=tuple(data.get("families", ())),
                   techniques=tuple(data.get("techniques", ())),
                   difficulty=float(data.get("difficulty", 0.5)))


def _copy(obj):
    """Deep copy of JSON-like data, so callers never share mutable state with an item."""
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_copy(v) for v in obj]
    return obj


def _rng(item_id: str) -> random.Random:
    # seeded by the id, so an item is the same question whatever quiz it is drawn into
    return random.Random(int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:8], "big"))


def _option(value: str, labels: dict) -> dict:
    en, km = labels[value]
    return {"id": value, "label": en, "label_km": km}


def _images(spec) -> dict:
    declared = spec.extra.get("lights")
    if isinstance(declared, list) and declared:
        lights = [light for light in LIGHTS if light in declared or light == "visible"]
    else:
        lights = ["visible", *[light for light in spec.lights if light != "visible"]]
    return {light: str(spec.image_path(light)) for light in lights}


def _overlay(spec, index: int) -> dict:
    a = spec.anomalies[index]
    mask = spec.mask_path
    return {"specimen": spec.name, "anomaly": index, "bbox": list(a.bbox),
            "mask": str(mask) if mask else None, "mask_label": a.mask_label,
            "label": a.technique or a.family}


def _what(a) -> str:
    name = TECHNIQUE_LABELS[a.technique][0] if a.technique else FAMILY_LABELS[a.family][0]
    return f"{name} in the {a.zone.replace('-', ' ')} area."


def _difficulty(severities: Iterable[float | None]) -> float:
    known = [s for s in severities if s is not None]
    # a blatant trace (severity 1) is easy to spot
    return round(1.0 - max(known), 3) if known else 0.5


def _choice_key(answer: str, partial: dict | None = None) -> dict:
    key = {"kind": "choice", "answer": answer}
    if partial:
        key["partial"] = dict(partial)
    return key


def _shuffled(options: list, rng: random.Random) -> list:
    options = list(options)
    rng.shuffle(options)
    return options


# ---------------------------------------------------------------------------
# one builder per item type

def _verdict(spec) -> Item:
    iid = f"{spec.name}:verdict"
    answer = "genuine" if spec.authentic else "forged"
    if spec.authentic:
        what, why, overlays = "This document is genuine.", _WHY_GENUINE, []
    else:
        what = " ".join(_what(a) for a in spec.anomalies)
        why = " ".join(a.note for a in spec.anomalies)
        overlays = [_overlay(spec, i) for i in range(len(spec.anomalies))]
    return Item(
        id=iid, type="verdict", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS["verdict"][0], prompt_km=PROMPTS["verdict"][1],
        shown={"images": _images(spec),
               "options": [_option(v, VERDICT_LABELS) for v in ("genuine", "forged")]},
        key=_choice_key(answer),
        feedback={"what": what, "why": why, "answer_label": VERDICT_LABELS[answer][0],
                  "overlays": overlays},
        families=tuple(sorted(spec.families)), techniques=tuple(sorted(spec.techniques)),
        difficulty=_difficulty(a.severity for a in spec.anomalies),
    )


def _locate(spec, *, tolerance_px: int) -> Item:
    # every anomaly is a target: clicking any real forgery trace is a correct find
    targets = [{"anomaly": i, "bbox": list(a.bbox), "mask_label": a.mask_label}
               for i, a in enumerate(spec.anomalies)]
    mask = spec.mask_path
    return Item(
        id=f"{spec.name}:locate", type="locate", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS["locate"][0], prompt_km=PROMPTS["locate"][1],
        shown={"images": _images(spec), "answer_kinds": ["point", "box"]},
        key={"kind": "locate", "targets": targets, "mask": str(mask) if mask else None,
             "tolerance_px": tolerance_px, "full_credit_iou": FULL_CREDIT_IOU},
        feedback={"what": " ".join(_what(a) for a in spec.anomalies),
                  "why": " ".join(a.note for a in spec.anomalies),
                  "answer_label": ", ".join(a.zone for a in spec.anomalies),
                  "overlays": [_overlay(spec, i) for i in range(len(spec.anomalies))]},
        families=tuple(sorted(spec.families)), techniques=tuple(sorted(spec.techniques)),
        difficulty=_difficulty(a.severity for a in spec.anomalies),
    )


def _anomaly_item(spec, index: int, kind: str) -> Item | None:
    a = spec.anomalies[index]
    iid = f"{spec.name}:{kind}:{index}"
    rng = _rng(iid)
    partial = None
    if kind == "family":
        options = [_option(f, FAMILY_LABELS) for f in FAMILIES]
        answer, label = a.family, FAMILY_LABELS[a.family][0]
    elif kind == "technique":
        if not a.technique:
            return None
        distractors = list(CONFUSED_WITH[a.technique])
        # pad with same-family techniques if a trainer's catalogue is ever shorter
        distractors += [t for t in TECHNIQUES if TECHNIQUES[t].family == a.family
                        and t != a.technique and t not in distractors]
        chosen = [a.technique, *distractors[:3]]
        options = _shuffled([_option(t, TECHNIQUE_LABELS) for t in chosen], rng)
        answer, label = a.technique, TECHNIQUE_LABELS[a.technique][0]
    elif kind == "light":
        if not a.technique:
            return None
        lights = TECHNIQUES[a.technique].lights
        options = [_option(light, LIGHT_LABELS) for light in LIGHTS]
        answer, label = lights[0], LIGHT_LABELS[lights[0]][0]
        # a light that shows the trace, only less well, earns part of the credit
        partial = {light: PARTIAL_LIGHT for light in lights[1:]}
    else:  # pragma: no cover - internal
        raise ValueError(f"kind: {kind!r}")
    return Item(
        id=iid, type=kind, specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS[kind][0], prompt_km=PROMPTS[kind][1],
        shown={"images": _images(spec), "highlight": list(a.bbox), "options": options},
        key=_choice_key(answer, partial),
        feedback={"what": _what(a), "why": a.note, "answer_label": label,
                  "overlays": [_overlay(spec, index)]},
        families=(a.family,), techniques=(a.technique,) if a.technique else (),
        difficulty=_difficulty([a.severity]),
    )


def _compare(forged, genuine) -> Item:
    iid = f"{forged.name}:compare:{genuine.name}"
    rng = _rng(iid)
    sides = {"left": genuine, "right": forged} if rng.random() < 0.5 else {"left": forged, "right": genuine}
    answer = "left" if sides["left"] is genuine else "right"
    return Item(
        id=iid, type="compare", specimens=(forged.name, genuine.name), template=forged.template,
        prompt=PROMPTS["compare"][0], prompt_km=PROMPTS["compare"][1],
        shown={"pair": {side: {"specimen": s.name, "images": _images(s)} for side, s in sides.items()},
               "options": [{"id": "left", "label": "Left", "label_km": "ខាងឆ្វេង"},
                           {"id": "right", "label": "Right", "label_km": "ខាងស្ដាំ"}]},
        key=_choice_key(answer),
        feedback={"what": f"The {answer} document is genuine; the other has: "
                          + " ".join(_what(a) for a in forged.anomalies),
                  "why": " ".join(a.note for a in forged.anomalies),
                  "answer_label": answer.capitalize(),
                  "overlays": [_overlay(forged, i) for i in range(len(forged.anomalies))]},
        families=tuple(sorted(forged.families)), techniques=tuple(sorted(forged.techniques)),
        difficulty=_difficulty(a.severity for a in forged.anomalies),
    )


# ---------------------------------------------------------------------------
# MRZ items

#: (line, column) of each check digit officers compute by hand, per format
_CHECK_POSITIONS = {
    "TD3": {"document_number": (1, 9), "date_of_birth": (1, 19), "date_of_expiry": (1, 27)},
    "TD2": {"document_number": (1, 9), "date_of_birth": (1, 19), "date_of_expiry": (1, 27)},
    "TD1": {"document_number": (0, 14), "date_of_birth": (1, 6), "date_of_expiry": (1, 14)},
}
_COMPOSITE_POSITION = {"TD3": (1, 43), "TD2": (1, 35), "TD1": (1, 29)}
_MRZ_FIELDS = ("surname", "given_names", "document_number", "nationality", "date_of_birth",
               "sex", "date_of_expiry")


def _as_read(name: str, mrz_value: str) -> str:
    # an officer compares 1955-09-01 with 550901 more easily when told the order
    return f"{mrz_value} (YYMMDD)" if name in ("date_of_birth", "date_of_expiry") else mrz_value


def _printed(holder) -> dict:
    return {k: holder.get(k) for k in _MRZ_FIELDS}


def _mrz_form(name: str, value: str) -> str:
    """A holder value as the MRZ would carry it."""
    if name in ("date_of_birth", "date_of_expiry"):
        return mrz_text.yymmdd(value)
    if name == "sex":
        return value if value in ("F", "M") else "<"
    return mrz_text.to_mrz_chars(value).replace("<", " ").strip()


def _disagreements(parsed, holder) -> list[str]:
    out = []
    for name in _MRZ_FIELDS:
        mrz_value = parsed.fields.get(name, "")
        if name == "sex":
            mrz_value = mrz_value if mrz_value in ("F", "M") else "<"
        printed = _mrz_form(name, holder.get(name))
        if name in ("surname", "given_names"):
            # names longer than the MRZ field are truncated there: a prefix agrees
            if not mrz_value or not printed.startswith(mrz_value):
                out.append(name)
        elif printed != mrz_value:
            out.append(name)
    return out


def _with_char(lines: list[str], pos: tuple[int, int], ch: str) -> list[str]:
    line, col = pos
    out = list(lines)
    out[line] = out[line][:col] + ch + out[line][col + 1:]
    return out


def _fix_composite(lines: list[str], fmt: str) -> list[str]:
    pos = _COMPOSITE_POSITION.get(fmt)
    if pos is None:
        return lines
    for digit in "0123456789":
        candidate = _with_char(lines, pos, digit)
        if mrz_text.parse(candidate).checks.get("composite"):
            return candidate
    return lines  # pragma: no cover - some digit always verifies


def _mrz_item(spec, iid: str, kind: str, lines: list[str], answer: str, what: str,
              why: str, overlay: dict, anomalies: Sequence[int] = ()) -> Item:
    labels = CHECK_LABELS if kind == "mrz-check-digit" else FIELD_LABELS
    return Item(
        id=iid, type="mrz", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS[kind][0], prompt_km=PROMPTS[kind][1],
        shown={"mrz": list(lines), "printed": _printed(spec.holder), "question": kind,
               "options": [_option(k, labels) for k in labels]},
        key=_choice_key(answer),
        feedback={"what": what, "why": why, "answer_label": labels[answer][0],
                  "overlays": [overlay] + [_overlay(spec, i) for i in anomalies]},
        families=("personalization",), techniques=("mrz-inconsistency",),
        difficulty=0.5,
    )


def _check_digit_feedback(lines, fmt, name) -> tuple[str, dict]:
    line, col = _CHECK_POSITIONS[fmt][name]
    # the data each check digit protects sits just before it
    start = col - (9 if name == "document_number" else 6)
    data = lines[line][start:col]
    correct = mrz_text.check_digit(data)
    what = (f"The {CHECK_LABELS[name][0].lower()} is {lines[line][col]}, but {data} gives "
            f"{correct} (weights 7, 3, 1).")
    return what, {"mrz_position": [line, col], "mrz_span": [line, start, col]}


def _alter(name: str, value: str, rng: random.Random) -> str | None:
    """A plausible forger's change of one holder value (None if not possible)."""
    if name in ("date_of_birth", "date_of_expiry"):
        date = _dt.date.fromisoformat(value)
        years = rng.choice((-10, -5, -2, -1, 1, 2, 5, 10))
        try:
            return date.replace(year=date.year + years).isoformat()
        except ValueError:  # 29 February
            return (date + _dt.timedelta(days=365 * years)).isoformat()
    if name == "sex":
        return {"F": "M", "M": "F"}.get(value)
    chars = list(mrz_text.to_mrz_chars(value))
    positions = [i for i, c in enumerate(chars) if c != "<"]
    if not positions:
        return None
    i = rng.choice(positions)
    pool = "0123456789" if chars[i].isdigit() else "ABCDEFGHIJKLMNOPRSTUVWYZ"
    chars[i] = rng.choice([c for c in pool if c != chars[i]])
    return "".join(chars).replace("<", " ")


def _recompose(parsed, holder, **override) -> list[str] | None:
    fields = parsed.fields
    values = {k: holder.get(k) for k in _MRZ_FIELDS} | override
    optional = fields.get("personal_number", fields.get("optional_data", ""))
    try:
        return mrz_text.compose(
            parsed.format, document_code=fields.get("document_code", "P"),
            issuing_state=fields.get("issuing_state", ""), optional=optional,
            optional2=fields.get("optional_data_2", ""), **values)
    except (ValueError, KeyError):
        return None


def _mrz_items(spec) -> list[Item]:
    if not spec.mrz:
        return []
    try:
        parsed = mrz_text.parse(list(spec.mrz))
    except ValueError:
        return []
    fmt = parsed.format
    if fmt not in _CHECK_POSITIONS or parsed.problems:
        return []
    lines = list(spec.mrz)
    mrz_anomalies = [i for i, a in enumerate(spec.anomalies) if a.technique == "mrz-inconsistency"]
    failing = [k for k in _CHECK_POSITIONS[fmt] if parsed.checks.get(k) is False]
    disagree = _disagreements(parsed, spec.holder)
    if not parsed.valid or disagree:
        # the specimen's own MRZ is inconsistent: ask about the real fault when it is unambiguous
        iid = f"{spec.name}:mrz"
        if len(failing) == 1 and not disagree:
            what, overlay = _check_digit_feedback(lines, fmt, failing[0])
            return [_mrz_item(spec, iid, "mrz-check-digit", lines, failing[0], what, _WHY_CHECK_DIGIT,
                              overlay, mrz_anomalies)]
        if len(disagree) == 1 and parsed.valid:
            name = disagree[0]
            what = (f"The printed {FIELD_LABELS[name][0].lower()} is {spec.holder.get(name)}, "
                    f"but the MRZ says {_as_read(name, parsed.fields.get(name))}.")
            return [_mrz_item(spec, iid, "mrz-field", lines, name, what, _WHY_FIELD,
                              {"mrz_field": name}, mrz_anomalies)]
        return []
    if _recompose(parsed, spec.holder) != lines:
        # we could not rebuild this MRZ from its data (unusual optional data): make no exercises
        return []
    items = []
    # exercise 1: one check digit corrupted (the composite is re-computed so exactly one fails)
    iid = f"{spec.name}:mrz:check-digit"
    rng = _rng(iid)
    name = rng.choice([k for k in _CHECK_POSITIONS[fmt]
                       if not (fmt == "TD1" and k == "document_number" and lines[0][14] == "<")])
    pos = _CHECK_POSITIONS[fmt][name]
    wrong = str((int(lines[pos[0]][pos[1]]) + rng.randint(1, 9)) % 10)
    corrupted = _fix_composite(_with_char(lines, pos, wrong), fmt)
    check = mrz_text.parse(corrupted).checks
    if [k for k, ok in check.items() if not ok] == [name]:
        what, overlay = _check_digit_feedback(corrupted, fmt, name)
        items.append(_mrz_item(spec, iid, "mrz-check-digit", corrupted, name, what, _WHY_CHECK_DIGIT, overlay))
    # exercise 2: one field changed in the MRZ (with valid check digits), printed page unchanged
    iid = f"{spec.name}:mrz:field"
    rng = _rng(iid)
    candidates = [k for k in ("surname", "document_number", "date_of_birth", "sex", "date_of_expiry")
                  if not (k == "sex" and spec.holder.sex not in ("F", "M"))]
    name = rng.choice(candidates)
    altered = _alter(name, spec.holder.get(name), rng)
    new_lines = _recompose(parsed, spec.holder, **{name: altered}) if altered else None
    if new_lines and new_lines != lines and _disagreements(mrz_text.parse(new_lines), spec.holder) == [name]:
        shown_value = mrz_text.parse(new_lines).fields.get(name)
        what = (f"The printed {FIELD_LABELS[name][0].lower()} is {spec.holder.get(name)}, "
                f"but the MRZ says {_as_read(name, shown_value)}.")
        items.append(_mrz_item(spec, iid, "mrz-field", new_lines, name, what, _WHY_FIELD, {"mrz_field": name}))
    return items


# ---------------------------------------------------------------------------
# public entry points

def generate_items(specimens: Iterable, *, types: Sequence[str] = ITEM_TYPES,
                   selection: SpecimenFilter | None = None,
                   tolerance_px: int = TOLERANCE_PX) -> list[Item]:
    """Every quiz item the ``specimens`` yield, sorted by id.

    Parameters
    ----------
    specimens : iterable of Specimen
        Not modified.
    types : sequence of str, keyword-only
        Item types to make (default all of :data:`ITEM_TYPES`).
    selection : SpecimenFilter, keyword-only
        Only specimens it matches; ``family``, ``technique`` and ``light``
        items only for the anomalies it matches. Default: everything.
    tolerance_px : int, keyword-only
        Click tolerance stored in ``locate`` keys (template pixels).

    Returns
    -------
    list of Item

    Examples
    --------
    >>> generate_items([])
    []
    """
    types = tuple(types)
    for t in types:
        if t not in ITEM_TYPES:
            raise ValueError(f"types: {t!r} is not one of {', '.join(ITEM_TYPES)}")
    if isinstance(tolerance_px, bool) or not isinstance(tolerance_px, int) or tolerance_px < 0:
        raise ValueError(f"tolerance_px: expected a non-negative integer, got {tolerance_px!r}")
    selection = selection or SpecimenFilter()
    chosen = sorted((s for s in specimens if selection.matches(s)), key=lambda s: s.name)
    genuine_by_template: dict[str, list] = {}
    for s in chosen:
        if s.authentic:
            genuine_by_template.setdefault(s.template, []).append(s)
    items: list[Item] = []
    for spec in chosen:
        flat = spec.capture_kind == "flat"
        if "verdict" in types:
            items.append(_verdict(spec))
        if "mrz" in types:
            items += _mrz_items(spec)
        if spec.authentic:
            continue
        if "locate" in types and flat:
            items.append(_locate(spec, tolerance_px=tolerance_px))
        for i, a in enumerate(spec.anomalies):
            if not flat or not selection.anomaly_matches(a):
                continue
            for kind in ("family", "technique", "light"):
                if kind in types:
                    item = _anomaly_item(spec, i, kind)
                    if item is not None:
                        items.append(item)
        if "compare" in types and genuine_by_template.get(spec.template):
            pool = genuine_by_template[spec.template]
            # prefer a genuine capture of the same kind, so the pair differs only by the forgery
            same = [g for g in pool if g.capture_kind == spec.capture_kind] or pool
            items.append(_compare(spec, _rng(f"{spec.name}:compare").choice(same)))
    items.sort(key=lambda item: item.id)
    return items


def lesson_items(lesson: Lesson, specimens: Iterable, *, tolerance_px: int = TOLERANCE_PX) -> list[Item]:
    """The items a lesson's quiz can draw on, each tagged with the lesson's topic.

    Examples
    --------
    >>> from docexam.lessons.format import parse_lesson
    >>> lesson = parse_lesson('''id = "x"
    ... title = "X"
    ... title_km = "X"
    ... topic = "review"
    ... objectives = ["o"]
    ... objectives_km = ["o"]
    ... item_types = ["verdict"]
    ... [[sections]]
    ... heading = "h"
    ... text = "t"''')
    >>> lesson_items(lesson, [])
    []
    """
    items = generate_items(specimens, types=lesson.item_types, selection=lesson.specimens,
                           tolerance_px=tolerance_px)
    return [replace(item, topic=lesson.topic) for item in items]


def draw_quiz(items: Sequence[Item], *, seed: int, count: int | None = None) -> list[Item]:
    """A quiz drawn from ``items``: reproducible from ``seed``, mixing item types.

    Item types take turns (in an order drawn from the seed) so a short quiz
    is not all one kind of question; then :func:`reveal_last` makes sure no
    item gives away the answer of a later one.

    Parameters
    ----------
    items : sequence of Item
        Not modified; their order does not matter.
    seed : int, keyword-only
    count : int, keyword-only
        How many items (default all).

    Examples
    --------
    >>> draw_quiz([], seed=1)
    []
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValueError(f"count: expected a non-negative integer, got {count!r}")
    rng = random.Random(seed)
    by_type: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda it: it.id):
        by_type.setdefault(item.type, []).append(item)
    for group in by_type.values():
        rng.shuffle(group)
    order = sorted(by_type)
    rng.shuffle(order)
    out: list[Item] = []
    while any(by_type.values()):
        for t in order:
            if by_type[t]:
                out.append(by_type[t].pop())
    return reveal_last(out if count is None else out[:count])


#: item types whose display gives away that (and where) a specimen is forged
REVEALING_TYPES = ("family", "technique", "light")


def reveal_last(items: Sequence[Item]) -> list[Item]:
    """``items`` reordered so no item gives away the answer of a later one.

    A ``family``, ``technique`` or ``light`` item highlights the forged area
    of its specimen, which would answer a ``verdict``, ``locate`` or
    ``compare`` item about the same specimen shown after it; such an item is
    moved to just after the last of those. Other items keep their order.

    >>> reveal_last([])
    []
    """
    out = list(items)
    for _ in range(len(out)):
        for i, item in enumerate(out):
            if item.type not in REVEALING_TYPES:
                continue
            later = [j for j in range(i + 1, len(out))
                     if out[j].type not in REVEALING_TYPES and set(out[j].specimens) & set(item.specimens)]
            if later:
                out.insert(later[-1], out.pop(i))
                break
        else:
            break
    return out


def find_item(items: Iterable[Item], item_id: str) -> Item:
    """The item with this id; :class:`~docexam.errors.UnknownNameError` if none."""
    from ..errors import UnknownNameError

    items = list(items)
    for item in items:
        if item.id == item_id:
            return item
    raise UnknownNameError("quiz item", item_id)
