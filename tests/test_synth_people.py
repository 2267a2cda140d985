"""Synthetic holders: determinism, variety, valid and ordered dates, forgery edits."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from docexam.synth.people import ALTERABLE_FIELDS, HOLDER_KEYS, alter_holder_field, make_holder

NAME_RE = re.compile(r"^[A-Z][A-Z -]*[A-Z]$")


def _holder(seed, **kw):
    return make_holder(seed, nationality="UTO", issuing_state="UTO", **kw)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_same_seed_same_holder_and_all_keys():
    a, b = _holder(42), _holder(42)
    assert a == b
    assert list(a) == list(HOLDER_KEYS)


def test_distinct_seeds_give_varied_holders():
    holders = [_holder(s) for s in range(200)]
    assert len({h["document_number"] for h in holders}) == 200
    assert len({(h["surname"], h["given_names"]) for h in holders}) >= 190
    assert len({h["surname"] for h in holders}) >= 80
    assert {h["sex"] for h in holders} == {"F", "M"}
    # one and two given names both occur; some names overflow a TD1 name line
    assert any(" " in h["given_names"] for h in holders)
    assert any(" " not in h["given_names"] for h in holders)
    assert any(len(h["surname"]) + len(h["given_names"]) + 2 > 30 for h in holders)


@pytest.mark.parametrize("seed", range(0, 300, 7))
def test_fields_are_well_formed(seed):
    h = _holder(seed)
    assert NAME_RE.match(h["surname"]) and NAME_RE.match(h["given_names"])
    assert re.fullmatch(r"[A-Z]{2}\d{7}", h["document_number"])
    assert re.fullmatch(r"[A-Z0-9]{1,14}", h["personal_number"])
    assert h["nationality"] == "UTO" and h["sex"] in ("F", "M")
    assert h["place_of_birth"] and h["authority"]
    born, issued, expires = (dt.date.fromisoformat(h[k])
                             for k in ("date_of_birth", "date_of_issue", "date_of_expiry"))
    assert born < issued < expires
    assert 18 <= _age(born, issued) <= 80
    assert dt.date(2018, 1, 1) <= issued <= dt.date(2026, 12, 31)
    assert expires.year - issued.year in (5, 10)
    assert (expires.month, expires.day) == (issued.month, issued.day) or (issued.month, issued.day) == (2, 29)


def test_options_are_honoured():
    h = _holder(5, sex="F", issue_date="2020-02-29")
    assert h["sex"] == "F" and h["date_of_issue"] == "2020-02-29"
    assert h["date_of_expiry"] in ("2025-02-28", "2030-02-28")
    assert _holder(5, sex="X")["sex"] == "X"
    assert make_holder(5, nationality="D<<", issuing_state="UTO")["nationality"] == "D<<"


@pytest.mark.parametrize("kw, name", [
    ({"nationality": "uto"}, "nationality"),
    ({"issuing_state": "UTOPIA"}, "issuing_state"),
    ({"issue_date": "2020-13-01"}, "issue_date"),
    ({"issue_date": "01/02/2020"}, "issue_date"),
    ({"sex": "male"}, "sex"),
])
def test_bad_options_name_the_parameter(kw, name):
    args = {"nationality": "UTO", "issuing_state": "UTO", **kw}
    with pytest.raises(ValueError, match=f"^{name}"):
        make_holder(1, **args)


@pytest.mark.parametrize("field", ALTERABLE_FIELDS)
def test_alter_changes_exactly_that_field(field):
    for seed in range(8):
        h = _holder(100 + seed)
        before = dict(h)
        new, old, value = alter_holder_field(h, field, seed)
        assert h == before, "input must not be modified"
        assert old == h[field] and value == new[field] and old != value
        assert [k for k in h if h[k] != new[k]] == [field]
        assert alter_holder_field(h, field, seed) == (new, old, value)


def test_alter_edits_are_plausible():
    h = _holder(3)
    new, old, value = alter_holder_field(h, "document_number", 1)
    assert len(value) == len(old) and sum(a != b for a, b in zip(old, value)) == 1
    assert re.fullmatch(r"[A-Z]{2}\d{7}", value)
    for seed in range(10):
        _, old, value = alter_holder_field(h, "date_of_birth", seed)
        assert old[4:] == value[4:] or old[5:] == "02-29"
        assert 2 <= abs(int(old[:4]) - int(value[:4])) <= 15
        assert _age(dt.date.fromisoformat(value), dt.date.fromisoformat(h["date_of_issue"])) >= 16
        _, _, sur = alter_holder_field(h, "surname", seed)
        assert NAME_RE.match(sur)
        new, _, _ = alter_holder_field(h, "date_of_issue", seed)
        assert new["date_of_birth"] < new["date_of_issue"] < new["date_of_expiry"]


def test_alter_rejects_unknown_field():
    with pytest.raises(ValueError, match="^field"):
        alter_holder_field(_holder(1), "eye_colour", 0)
