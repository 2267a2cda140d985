"""``same-person`` items: made from specimens with a photo at the counter, scored with their reason."""

from __future__ import annotations

import numpy as np
import pytest

from docexam.assessment import score_item
from docexam.lessons.faces import same_person
from docexam.lessons.items import generate_items
from docexam.specimens.model import parse_specimen

HOLDER = {"surname": "SOK", "given_names": "DARA", "document_number": "AB1234567", "nationality": "UTO",
          "date_of_birth": "1980-01-02", "sex": "M", "date_of_expiry": "2030-01-01"}
IMPOSTOR = {"family": "personalization", "technique": "impostor", "zone": "portrait",
            "bbox": [10, 10, 40, 50], "note": "Another person."}


def _spec(name, *, same, capture=None, anomalies=(), changes=("glasses", "light"), differences=("ears",)):
    data = {"template": "uto-td3", "authentic": not anomalies, "capture": capture or {"kind": "flat"},
            "holder": HOLDER, "mrz": [], "anomalies": list(anomalies),
            "traveller": {"image": f"{name}.traveller.jpg", "same_person": same,
                          "similarity": None if same else 0.55, "changes": list(changes),
                          "differences": [] if same else list(differences)}}
    return parse_specimen(data, f"/nowhere/{name}.json")


def test_impostor_item_asks_the_person_not_the_document():
    spec = _spec("imp", same=False, anomalies=[IMPOSTOR], differences=("moles", "nose"))
    items = generate_items([spec])
    assert [i.type for i in items] == ["same-person"]   # no verdict on a flawless document
    item = items[0]
    assert item.key["answer"] == "different:moles"
    assert item.techniques == ("impostor",) and item.difficulty == 0.55
    assert item.shown["faces"]["traveller"]["image"].endswith("imp.traveller.jpg")
    # the uto-td3 template's portrait zone, as the crop of the flat capture
    assert item.shown["faces"]["document"]["crop"] == [118, 449, 945, 1512]
    ids = [o["id"] for o in item.shown["options"]]
    assert len(ids) == 4 and len(set(ids)) == 4
    half = next(k for k in item.key["partial"])
    assert half.startswith("different:") and half.split(":")[1] not in ("moles", "nose")
    assert score_item(item, "different:moles") == 1.0
    assert score_item(item, half) == 0.5
    wrong = next(i for i in ids if i.startswith("same:"))
    assert score_item(item, wrong) == 0.0
    assert "key" not in item.public() and "faces" in item.public()


def test_holder_item_rewards_the_change_that_happened():
    spec = _spec("own", same=True, changes=("light", "beard", "age"))
    items = {i.type: i for i in generate_items([spec])}
    assert set(items) >= {"verdict", "same-person"}       # a genuine document is still asked about
    item = items["same-person"]
    assert item.key["answer"] == "same:beard"              # the most noticeable change first
    assert item.techniques == ()
    half = next(iter(item.key["partial"]))
    assert half.startswith("same:") and half.split(":")[1] not in ("light", "beard", "age")
    assert all(score_item(item, o["id"]) == 0.0 for o in item.shown["options"] if o["id"].startswith("different:"))
    assert item.feedback["what_km"] and item.feedback["why_km"]


def test_item_is_stable_and_crops_through_the_capture_homography():
    h = np.array([[0.5, 0, 100], [0, 0.5, 40], [0, 0, 1]])
    spec = _spec("ph", same=True, capture={"kind": "phone", "homography": h.tolist()})
    a, b = same_person(spec, portrait_box=(100, 200, 300, 400)), same_person(spec, portrait_box=(100, 200, 300, 400))
    assert a == b
    assert a.shown["faces"]["document"]["crop"] == [150, 140, 250, 240]


def test_no_item_without_a_traveller_or_a_telling_difference():
    plain = parse_specimen({"template": "uto-td3", "authentic": True, "capture": {"kind": "flat"},
                            "holder": HOLDER, "mrz": [], "anomalies": []}, "/nowhere/p.json")
    assert same_person(plain) is None
    assert same_person(_spec("x", same=False, anomalies=[IMPOSTOR], differences=())) is None


@pytest.mark.parametrize("types", [("verdict",), ("same-person",)])
def test_item_types_are_respected(types):
    spec = _spec("own", same=True)
    assert {i.type for i in generate_items([spec], types=types)} == set(types)
