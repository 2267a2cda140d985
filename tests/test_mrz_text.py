"""MRZ text logic: the ICAO Doc 9303 specimens, check digits, composing."""

from __future__ import annotations

import pytest

from docexam.mrz import check_digit, compose, parse
from docexam.mrz.correct import layout
from docexam.mrz.text import ALPHABET, SHAPES, detect_format

#: the published ICAO 9303 specimens (parts 4-7), "Utopia"
SPECIMENS = {
    "TD1": ["I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
    "TD2": ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "D231458907UTO7408122F1204159<<<<<<<6"],
    "TD3": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    "MRV-A": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
              "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
    "MRV-B": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
              "L8988901C4XXX4009078F9612109<<<<<<<<"],
}


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_specimens_parse_and_validate(fmt):
    p = parse(SPECIMENS[fmt])
    assert p.format == fmt == detect_format(SPECIMENS[fmt])
    assert p.valid, (p.checks, p.problems)
    assert p.score == 1.0
    assert p.fields["surname"] == "ERIKSSON" and p.fields["given_names"] == "ANNA MARIA"
    assert p.fields["issuing_state"] == "UTO" and p.fields["sex"] == "F"


def test_specimen_fields():
    td3 = parse(SPECIMENS["TD3"]).fields
    assert (td3["document_number"], td3["nationality"], td3["date_of_birth"], td3["date_of_expiry"],
            td3["personal_number"]) == ("L898902C3", "UTO", "740812", "120415", "ZE184226B")
    td1 = parse(SPECIMENS["TD1"]).fields
    assert td1["document_number"] == "D23145890" and td1["date_of_birth"] == "740812"
    mrv = parse(SPECIMENS["MRV-A"]).fields
    assert mrv["document_number"] == "L8988901C" and mrv["nationality"] == "XXX"


def _protected_positions(fmt):
    """(line, index) of every character some check digit covers, and of the check digits."""
    _types, checks = layout(fmt)
    width = SHAPES[fmt][1]
    pos = set()
    for data, chk, _name in checks:
        pos.update(data)
        pos.add(chk)
    return sorted((p // width, p % width) for p in pos)


def _neighbour(ch):
    """Another MRZ character whose check-digit value differs by one."""
    if ch.isdigit():
        return str((int(ch) + 1) % 10)
    if ch == "<":
        return "1"
    return "A" if ch == "Z" else ALPHABET[ALPHABET.index(ch) + 1]


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_any_single_changed_character_in_a_protected_field_is_caught(fmt):
    lines = SPECIMENS[fmt]
    positions = _protected_positions(fmt)
    assert positions
    for li, i in positions:
        changed = list(lines)
        changed[li] = lines[li][:i] + _neighbour(lines[li][i]) + lines[li][i + 1:]
        p = parse(changed)
        assert not p.valid, f"{fmt}: change at line {li + 1} position {i + 1} not caught"
        assert p.score < 1.0


def test_check_digits_cannot_see_value_multiples_of_ten():
    # a documented limit of ICAO check digits: 0, A, K and U all count 0 mod 10,
    # which is why the reader separates them by appearance, not by check digit
    assert check_digit("L898902C3") == check_digit("L8989U2C3") == check_digit("L8989A2C3")


def test_check_digit_examples_and_errors():
    assert check_digit("740812") == 2 and check_digit("120415") == 9 and check_digit("<<<") == 0
    with pytest.raises(ValueError, match="data"):
        check_digit("ab")


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_compose_round_trips(fmt):
    code = {"TD1": "I", "TD2": "I", "TD3": "P"}.get(fmt, "V")
    kwargs = dict(document_code=code, issuing_state="UTO", surname="Eriksson", given_names="Anna Maria",
                  document_number="D23145890", nationality="UTO", date_of_birth="1974-08-12", sex="F",
                  date_of_expiry="2012-04-15", optional="ZE184226B" if fmt in ("TD3", "TD1") else "")
    lines = compose(fmt, **kwargs)
    assert [len(s) for s in lines] == [SHAPES[fmt][1]] * SHAPES[fmt][0]
    p = parse(lines)
    assert p.valid and p.format == fmt
    f = p.fields
    assert (f["surname"], f["given_names"], f["document_number"], f["date_of_birth"], f["date_of_expiry"]) == \
        ("ERIKSSON", "ANNA MARIA", "D23145890", "740812", "120415")


def test_compose_reproduces_the_icao_specimens():
    person = dict(issuing_state="UTO", surname="Eriksson", given_names="Anna Maria", nationality="UTO",
                  date_of_birth="1974-08-12", sex="F", date_of_expiry="2012-04-15")
    assert compose("TD3", document_code="P", document_number="L898902C3", optional="ZE184226B",
                   **person) == SPECIMENS["TD3"]
    assert compose("TD1", document_code="I", document_number="D23145890", **person) == SPECIMENS["TD1"]
    assert compose("TD2", document_code="I", document_number="D23145890", **person) == SPECIMENS["TD2"]


def test_bad_shapes_name_the_parameter():
    with pytest.raises(ValueError, match="lines"):
        parse(["P<UTO", "L898"])
    with pytest.raises(ValueError, match="fmt"):
        compose("TD4", document_code="P", issuing_state="UTO", surname="A", given_names="B",
                document_number="1", nationality="UTO", date_of_birth="2000-01-01", sex="F",
                date_of_expiry="2030-01-01")


def test_bad_characters_and_dates_are_problems():
    lines = list(SPECIMENS["TD3"])
    lines[1] = lines[1][:13] + "741312" + lines[1][19:]
    p = parse(lines)
    assert not p.valid and any("date of birth" in s for s in p.problems)
    lines = [SPECIMENS["TD3"][0][:-1] + "a", SPECIMENS["TD3"][1]]
    assert not parse(lines).valid
