"""The person in a portrait: sub-streams, age and sex agreeing with the holder, identity.

Identity is measured on pixels (:mod:`docexam.synth.face_identity`), never
on the generator's parameters.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.stats import spearmanr

from docexam.synth import person as person_mod
from docexam.synth.face_identity import face_descriptor, find_eyes, identity_distance
from docexam.synth.face_render import render_person
from docexam.synth.people import make_holder
from docexam.synth.person import (IDENTITY_GROUPS, age_on, ageing_cues, apparent_age, apparent_sex,
                                  holder_person, make_person)
from docexam.synth.traveller import lookalike, traveller_photo

SIZE = (240, 300)


def _holders(n, start=0):
    for s in range(start, start + n):
        h = make_holder(s, nationality="UTO", issuing_state="UTO")
        yield s, h, holder_person(h, s)


def test_person_is_a_dataclass_drawn_from_named_substreams(monkeypatch):
    p = make_person(21, sex="F", age=40)
    assert dataclasses.is_dataclass(p) and p == make_person(21, sex="F", age=40)
    # sex and age change what depends on them, never the draws of other groups
    m = make_person(21, sex="M", age=70)
    for group in ("skin", "eyes", "ears", "moles"):
        assert getattr(p, group) == getattr(m, group)
    # a group that draws more numbers (a new feature) changes nothing else
    original = person_mod._nose

    def richer_nose(seed, male):
        nose = original(seed, male)
        person_mod.substream(seed, "nose").random(50)  # the extra draws of a new feature
        return nose

    monkeypatch.setattr(person_mod, "_nose", richer_nose)
    q = make_person(21, sex="F", age=40)
    assert q == p
    original_eyes = person_mod._eyes
    monkeypatch.setattr(person_mod, "_eyes", lambda seed, tone: dataclasses.replace(
        original_eyes(seed, tone), width=0.2))
    r = make_person(21, sex="F", age=40)
    assert r.eyes.width == 0.2 and r.nose == p.nose and r.head == p.head and r.hair == p.hair


def test_portrait_age_and_sex_agree_with_the_holder_over_200_seeds():
    errors, young_lined, grey_young = [], 0, 0
    for _, h, p in _holders(200):
        age = age_on(h["date_of_birth"], h["date_of_issue"])
        assert p.sex == h["sex"] and p.age == age
        assert apparent_sex(p) == h["sex"], (h["sex"], p.hair.style, p.beard.style)
        if h["sex"] == "F":
            assert p.beard.style == "none"
        errors.append(apparent_age(p) - age)
        cues = ageing_cues(p)
        young_lined += age < 27 and cues["wrinkles"] > 0
        grey_young += age < 32 and cues["grey"] > 0
    errors = np.abs(errors)
    assert errors.max() <= 12 and np.percentile(errors, 95) <= 8
    assert young_lined == 0 and grey_young == 0


def test_older_holders_look_older_on_the_pixels():
    # grey hair measured on the rendered crown (pale, unsaturated pixels) rises with the holder's age
    ages, grey = [], []
    for _, h, p in _holders(40, start=300):
        img = render_person(p, size=SIZE).astype(np.float32) / 255
        (lx, ly), (rx, _) = find_eyes(img)
        d, cx = rx - lx, (lx + rx) / 2
        crown = img[int(ly - 1.6 * d):int(ly - 1.1 * d), int(cx - 0.5 * d):int(cx + 0.5 * d)].reshape(-1, 3)
        pale = (crown.max(axis=1) - crown.min(axis=1) < 0.06) & (crown.mean(axis=1) > 0.4)
        grey.append(float(pale.mean()))
        ages.append(p.age)
    assert spearmanr(ages, grey).statistic > 0.3


def test_lookalike_blends_identity_and_keeps_the_rest():
    a, b = make_person(5, sex="M", age=40), make_person(6, sex="M", age=44)
    same = lookalike(a, b, 1.0)
    for group in IDENTITY_GROUPS:
        for f in dataclasses.fields(getattr(a, group)):
            va, vs = getattr(getattr(a, group), f.name), getattr(getattr(same, group), f.name)
            assert va == pytest.approx(vs), (group, f.name)
    assert same.seed == b.seed and same.photo == b.photo and same.clothes == b.clothes
    assert lookalike(a, b, 0.0).eyes == b.eyes
    half = lookalike(a, b, 0.5)
    assert half.head.width == pytest.approx((a.head.width + b.head.width) / 2)
    with pytest.raises(ValueError, match="^similarity"):
        lookalike(a, b, 1.5)


@pytest.fixture(scope="module")
def faces():
    """20 holders (seeds unseen while the descriptor was built), each with a photo at the counter
    and impostors at three likenesses."""
    out = []
    for s in range(5000, 5020):
        p = make_person(s)
        doc = face_descriptor(render_person(p, size=SIZE))
        own = face_descriptor(traveller_photo(p, seed=s, years_later=s % 8, size=SIZE).image)
        imp = {sim: face_descriptor(traveller_photo(p, seed=s + 1, years_later=s % 8, impostor_similarity=sim,
                                                    size=SIZE).image) for sim in (0.9, 0.3)}
        out.append((doc, own, imp))
    return out


def test_holders_are_further_apart_than_a_holder_and_their_own_counter_photo(faces):
    n = len(faces)
    assert all(doc.found and own.found for doc, own, _ in faces)
    own = np.array([identity_distance(doc, t) for doc, t, _ in faces])
    holders = np.array([identity_distance(faces[i][0], faces[j][0]) for i in range(n) for j in range(i + 1, n)])
    strangers = np.array([identity_distance(faces[i][0], faces[j][1]) for i in range(n) for j in range(n) if i != j])
    assert np.median(holders) > np.median(own) + 0.3
    assert np.median(strangers) > np.median(own) + 0.3
    # as a test of who is who: a random (own, stranger) pair is ordered right most of the time
    auc = float((own[:, None] < strangers[None, :]).mean())
    assert auc > 0.85, auc


def test_lookalikes_are_confused_at_a_controlled_similarity(faces):
    own = np.median([identity_distance(doc, t) for doc, t, _ in faces])
    close = np.median([identity_distance(doc, imp[0.9]) for doc, _, imp in faces])
    far = np.median([identity_distance(doc, imp[0.3]) for doc, _, imp in faces])
    n = len(faces)
    strangers = np.median([identity_distance(faces[i][0], faces[(i + 1) % n][1]) for i in range(n)])
    assert own < close < far < strangers


def test_descriptor_reads_pixels_not_parameters():
    blank = face_descriptor(np.full((300, 240, 3), 180, np.uint8))
    assert not blank.found and identity_distance(blank, blank) == 2.0
    img = render_person(make_person(3), size=SIZE)
    before = img.copy()
    d = face_descriptor(img)
    assert np.array_equal(img, before) and identity_distance(d, d) == 0.0
    # the same photo a little darker is still the same face
    darker = (img.astype(np.float32) * 0.8).astype(np.uint8)
    assert identity_distance(d, face_descriptor(darker)) < 0.3
    with pytest.raises(ValueError, match="^image"):
        face_descriptor(np.zeros((10, 10, 3), np.uint8))
