"""``same-person`` items: is the traveller at the counter the holder of the document, and why?

Made from any specimen whose sidecar has a ``traveller`` entry (a photo of
whoever presented the document, see ``docs/formats.md``): the holder, or an
impostor who looks like them. The trainee sees the document's portrait and
the counter photo side by side and picks one of four answers, each a
verdict with its reason:

* the right verdict with the right reason scores 1 (for an impostor: a
  feature that really differs; for the holder: a change that really
  happened and does not make another person);
* the right verdict with a wrong reason scores half;
* the wrong verdict scores 0.

Examples
--------
>>> from docexam.specimens.model import parse_specimen
>>> holder = {"surname": "SOK", "given_names": "DARA", "document_number": "AB1234567",
...           "nationality": "UTO", "date_of_birth": "1980-01-02", "sex": "M",
...           "date_of_expiry": "2030-01-01"}
>>> spec = parse_specimen({"template": "demo", "authentic": False, "capture": {"kind": "flat"},
...     "holder": holder, "mrz": [], "anomalies": [{"family": "personalization", "technique": "impostor",
...     "zone": "portrait", "bbox": [10, 10, 40, 50], "note": "Another person."}],
...     "traveller": {"image": "p1.traveller.jpg", "same_person": False, "similarity": 0.6,
...                   "changes": ["glasses", "light"], "differences": ["ears", "moles"]}},
...     "specimens/p1.json")
>>> item = same_person(spec, portrait_box=(10, 10, 40, 50))
>>> item.key["answer"], sorted(item.key["partial"].values())
('different:ears', [0.5])
>>> [o["id"].split(":")[0] for o in item.shown["options"]].count("same")
2
"""

from __future__ import annotations

import numpy as np

from .quiz_item import Item, choice_key, item_rng, shuffled
from .vocabulary import FACE_CHANGE_LABELS, FACE_FEATURE_LABELS, PROMPTS, WHY_FACES, WHY_FACES_KM, label

#: credit for the right verdict given for a wrong reason
PARTIAL_VERDICT = 0.5
_SALIENT = ("glasses", "hair", "beard", "age", "light")  # the change an officer notices first


def _option(code: str, lang: str) -> str:
    verdict, what = code.split(":", 1)
    if verdict == "same":
        thing = label(FACE_CHANGE_LABELS, what, lang)
        return (f"ជាមនុស្សតែមួយ៖ មានតែ{thing}ប៉ុណ្ណោះដែលខុសគ្នា" if lang == "km"
                else f"Same person: only the {thing} differ")
    thing = label(FACE_FEATURE_LABELS, what, lang)
    return f"មនុស្សផ្សេង៖ {thing}ខុសគ្នា" if lang == "km" else f"Different person: {thing} differ"


def _options(codes) -> list[dict]:
    return [{"id": c, "label": _option(c, "en"), "label_km": _option(c, "km")} for c in codes]


def _words(codes, table, lang: str) -> str:
    names = [label(table, c, lang) for c in codes]
    if lang == "km":
        return " និង ".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _image_box(box, capture: dict) -> list[int]:
    """A template box in the capture's pixels (through its homography when it has one)."""
    h = capture.get("homography")
    x0, y0, x1, y1 = box
    if not h:
        return [int(x0), int(y0), int(x1), int(y1)]
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ np.asarray(h, float).T
    xy = corners[:, :2] / corners[:, 2:3]
    return [int(np.floor(xy[:, 0].min())), int(np.floor(xy[:, 1].min())),
            int(np.ceil(xy[:, 0].max())), int(np.ceil(xy[:, 1].max()))]


def same_person(spec, *, portrait_box=None) -> Item | None:
    """The ``same-person`` item of a specimen with a traveller photo, or None without one.

    Parameters
    ----------
    spec : Specimen
        Not modified.
    portrait_box : (int, int, int, int), optional
        The template's portrait zone (template pixels); the document is
        shown cropped to it (mapped into the capture). None: the whole image.
    """
    t = spec.extra.get("traveller")
    if not isinstance(t, dict) or not t.get("image"):
        return None
    iid = f"{spec.name}:same-person"
    rng = item_rng(iid)
    changes = [c for c in t.get("changes", []) if c in FACE_CHANGE_LABELS] or ["light"]
    salient = sorted(changes, key=_SALIENT.index)
    others = [c for c in _SALIENT if c not in changes]
    if t.get("same_person"):
        features = list(FACE_FEATURE_LABELS)
        rng.shuffle(features)
        right = f"same:{salient[0]}"
        # right verdict, wrong reason: a change that did not happen
        half = f"same:{others[0]}" if others else None
        wrong = [f"different:{f}" for f in features[:3 if half is None else 2]]
        what = (f"The same person. What changed: {_words(salient, FACE_CHANGE_LABELS, 'en')}; the face "
                "itself is the holder's.")
        what_km = (f"ជាមនុស្សតែមួយ។ អ្វីដែលប្រែប្រួល៖ {_words(salient, FACE_CHANGE_LABELS, 'km')}។ "
                   "មុខនៅតែជារបស់ម្ចាស់ឯកសារ។")
        difficulty = round(min(0.9, 0.25 + 0.12 * len(changes)), 3)
    else:
        differences = [d for d in t.get("differences", []) if d in FACE_FEATURE_LABELS]
        if not differences:
            return None
        right = f"different:{differences[0]}"
        # right verdict, wrong reason: a feature that matches the holder's
        matching = [f for f in FACE_FEATURE_LABELS if f not in differences]
        half = f"different:{matching[0]}" if matching else None
        wrong = [f"same:{c}" for c in (salient + others)[:3 if half is None else 2]]
        what = (f"Another person. {_words(differences[:3], FACE_FEATURE_LABELS, 'en').capitalize()} "
                f"differ from the portrait; what changed besides ({_words(salient, FACE_CHANGE_LABELS, 'en')}) "
                "would not make another person.")
        what_km = (f"មនុស្សផ្សេង។ {_words(differences[:3], FACE_FEATURE_LABELS, 'km')} ខុសពីរូបថតក្នុងឯកសារ។")
        similarity = t.get("similarity")
        difficulty = round(float(similarity), 3) if isinstance(similarity, (int, float)) else 0.5
    codes = [right] + ([half] if half else []) + wrong
    partial = {half: PARTIAL_VERDICT} if half else None
    document = {"image": str(spec.image_path("visible"))}
    if portrait_box is not None:
        document["crop"] = _image_box(portrait_box, spec.capture)
    impostor = [i for i, a in enumerate(spec.anomalies) if a.technique == "impostor"]
    return Item(
        id=iid, type="same-person", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS["same-person"][0], prompt_km=PROMPTS["same-person"][1],
        shown={"faces": {"document": document, "traveller": {"image": str(spec.folder / t["image"])}},
               "options": shuffled(_options(codes), rng)},
        key=choice_key(right, partial),
        feedback={"what": what, "what_km": what_km, "why": WHY_FACES, "why_km": WHY_FACES_KM,
                  "answer_label": _option(right, "en"), "answer_label_km": _option(right, "km"),
                  "overlays": []},
        families=("personalization",), techniques=("impostor",) if impostor else (),
        difficulty=difficulty,
    )
