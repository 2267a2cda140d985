"""MRZ text: check digits, composing and parsing ICAO 9303 machine-readable zones.

Pure string logic, kept apart from pixels (the reader in :mod:`docexam.mrz.reader`
turns an image into lines; this module says what the lines mean and whether
they hold together). Validation is graded: every check digit is reported on
its own, so "one digit misread" and "nothing matches" are told apart.

Formats (ICAO Doc 9303 parts 4-7):

========  =====  =====  ==========================================
format    lines  chars  first characters
========  =====  =====  ==========================================
TD1       3      30     ``I``, ``A`` or ``C`` (identity cards)
TD2       2      36     ``I``, ``A``, ``C`` (cards and old passports)
TD3       2      44     ``P`` (passports)
MRV-A     2      44     ``V`` (visas, full size)
MRV-B     2      36     ``V`` (visas, small)
========  =====  =====  ==========================================

Examples
--------
>>> check_digit("L898902C3")
6
>>> mrz = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...              "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
>>> mrz.valid, mrz.fields["surname"], mrz.fields["given_names"]
(True, 'ERIKSSON', 'ANNA MARIA')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
#: each character's value in a check digit (``<`` counts 0)
CHAR_VALUES = {c: (i if c != "<" else 0) for i, c in enumerate(ALPHABET)}
#: the check digit's repeating weights (ICAO 9303 part 3, 4.9)
CHECK_WEIGHTS = (7, 3, 1)

#: (lines, characters per line) of each format
SHAPES = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44), "MRV-A": (2, 44), "MRV-B": (2, 36)}
#: characters of each format's (first) optional data field
OPTIONAL_WIDTH = {"TD1": 15, "TD2": 7, "TD3": 14, "MRV-A": 16, "MRV-B": 8}


def check_digit(data: str) -> int:
    """ICAO 9303 check digit of ``data`` (weights 7, 3, 1; ``<`` counts 0).

    Raises ``ValueError`` naming ``data`` when it holds a character outside
    ``0-9 A-Z <``.

    >>> check_digit("740812"), check_digit("120415"), check_digit("ZE184226B<<<<<")
    (2, 9, 1)
    """
    total = 0
    for i, ch in enumerate(data):
        try:
            total += CHAR_VALUES[ch] * CHECK_WEIGHTS[i % len(CHECK_WEIGHTS)]
        except KeyError:
            raise ValueError(f"data: character {ch!r} is not allowed in an MRZ") from None
    return total % 10


def _check_char(data: str) -> str:
    return str(check_digit(data))


# --------------------------------------------------------------------------
# composing

def to_mrz_chars(text: str) -> str:
    """Upper-case ``text`` and map it to MRZ characters (accents dropped, others ``<``).

    >>> to_mrz_chars("Anne-Marie O'Brien")
    'ANNE<MARIE<O<BRIEN'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return re.sub(r"[^0-9A-Z]", "<", folded.strip())


def name_field(surname: str, given_names: str, width: int) -> str:
    """The MRZ name field ``SURNAME<<GIVEN<NAMES`` padded or truncated to ``width``."""
    primary = to_mrz_chars(surname)
    secondary = to_mrz_chars(given_names)
    text = primary + ("<<" + secondary if secondary else "")
    return text[:width].ljust(width, "<")


def yymmdd(iso_date: str) -> str:
    """``'1974-08-12'`` -> ``'740812'``."""
    y, m, d = iso_date.split("-")
    return y[2:] + m + d


def _pad(value: str, width: int) -> str:
    value = to_mrz_chars(value)
    if len(value) > width:
        raise ValueError(f"value: {value!r} is longer than {width} characters")
    return value.ljust(width, "<")


def compose(fmt: str, *, document_code: str, issuing_state: str, surname: str, given_names: str,
            document_number: str, nationality: str, date_of_birth: str, sex: str,
            date_of_expiry: str, optional: str = "", optional2: str = "") -> list[str]:
    """Build the MRZ lines of a document with correct check digits.

    Dates are ISO ``YYYY-MM-DD``; ``optional`` is the personal number (TD3) or
    the first optional field (TD1), ``optional2`` the TD1 second optional field.

    >>> compose("TD3", document_code="P", issuing_state="UTO", surname="Eriksson",
    ...         given_names="Anna Maria", document_number="L898902C3", nationality="UTO",
    ...         date_of_birth="1974-08-12", sex="F", date_of_expiry="2012-04-15",
    ...         optional="ZE184226B")[1]
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10'
    """
    if fmt not in SHAPES:
        raise ValueError(f"fmt: {fmt!r} is not one of {', '.join(SHAPES)}")
    code = _pad(document_code, 2)
    state = _pad(issuing_state, 3)
    nat = _pad(nationality, 3)
    sex = sex if sex in ("F", "M") else "<"
    dob, exp = yymmdd(date_of_birth), yymmdd(date_of_expiry)
    number = to_mrz_chars(document_number)
    if len(number) > 9:
        raise ValueError(f"document_number: {document_number!r} is longer than 9 characters")
    number = number.ljust(9, "<")
    n_chk, dob_chk, exp_chk = _check_char(number), _check_char(dob), _check_char(exp)
    if fmt == "TD1":
        opt1, opt2 = _pad(optional, 15), _pad(optional2, 11)
        line1 = code + state + number + n_chk + opt1
        line2 = dob + dob_chk + sex + exp + exp_chk + nat + opt2
        composite = _check_char(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return [line1, line2 + composite, name_field(surname, given_names, 30)]
    width = SHAPES[fmt][1]
    line1 = code + state + name_field(surname, given_names, width - 5)
    if fmt == "TD3":
        personal = _pad(optional, 14)
        personal_chk = "<" if personal == "<" * 14 else _check_char(personal)
        line2 = number + n_chk + nat + dob + dob_chk + sex + exp + exp_chk + personal + personal_chk
        composite = _check_char(line2[0:10] + line2[13:20] + line2[21:43])
        return [line1, line2 + composite]
    if fmt == "TD2":
        opt = _pad(optional, 7)
        line2 = number + n_chk + nat + dob + dob_chk + sex + exp + exp_chk + opt
        composite = _check_char(line2[0:10] + line2[13:20] + line2[21:35])
        return [line1, line2 + composite]
    opt_width = 16 if fmt == "MRV-A" else 8
    line2 = number + n_chk + nat + dob + dob_chk + sex + exp + exp_chk + _pad(optional, opt_width)
    return [line1, line2]


# --------------------------------------------------------------------------
# parsing and graded validation

@dataclass
class ParsedMRZ:
    """What an MRZ says and which of its check digits verify."""

    format: str
    lines: list[str]
    fields: dict = field(default_factory=dict)
    #: check name -> True/False (``document_number``, ``date_of_birth``,
    #: ``date_of_expiry``, ``optional``, ``composite``; absent where the format has none)
    checks: dict = field(default_factory=dict)
    #: problems other than check digits (bad characters, impossible dates), plain words
    problems: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True only when every check digit of the format verifies and nothing else is wrong."""
        return bool(self.checks) and all(self.checks.values()) and not self.problems

    @property
    def score(self) -> float:
        """Share of check digits that verify, 0..1 (graded validation)."""
        return sum(self.checks.values()) / len(self.checks) if self.checks else 0.0

    def as_dict(self) -> dict:
        return {"format": self.format, "lines": list(self.lines), "valid": self.valid,
                "checks": dict(self.checks), "fields": dict(self.fields)}


def detect_format(lines: list[str]) -> str | None:
    """The format that ``lines`` have the shape of, or None."""
    shape = (len(lines), len(lines[0]) if lines else 0)
    if any(len(line) != shape[1] for line in lines):
        return None
    first = lines[0][:1] if lines else ""
    if shape == SHAPES["TD1"]:
        return "TD1"
    if shape == SHAPES["TD3"]:  # = MRV-A
        return "MRV-A" if first == "V" else "TD3"
    if shape == SHAPES["TD2"]:  # = MRV-B
        return "MRV-B" if first == "V" else "TD2"
    return None


def _names(field_text: str) -> tuple[str, str]:
    surname, _, given = field_text.partition("<<")
    clean = lambda s: re.sub(r"\s+", " ", s.replace("<", " ")).strip()  # noqa: E731
    return clean(surname), clean(given)


def _verify(data: str, digit: str) -> bool:
    try:
        return digit.isdigit() and check_digit(data) == int(digit)
    except ValueError:
        return False


def _date_ok(value: str) -> bool:
    if not re.fullmatch(r"\d{6}", value):
        return False
    month, day = int(value[2:4]), int(value[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def parse(lines: list[str] | tuple[str, ...], *, fmt: str | None = None) -> ParsedMRZ:
    """Parse MRZ ``lines`` and check every check digit.

    Raises ``ValueError`` naming ``lines`` when they have no MRZ shape.

    >>> td1 = parse(["I<UTOD231458907<<<<<<<<<<<<<<<",
    ...              "7408122F1204159UTO<<<<<<<<<<<6",
    ...              "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"])
    >>> td1.format, td1.valid, td1.fields["document_number"]
    ('TD1', True, 'D23145890')
    >>> parse(["I<UTOD231458907<<<<<<<<<<<<<<<",
    ...        "7408122F1204159UTO<<<<<<<<<<<7",
    ...        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]).checks["composite"]
    False
    """
    lines = [str(line) for line in lines]
    fmt = fmt or detect_format(lines)
    if fmt is None or fmt not in SHAPES or (len(lines), len(lines[0])) != SHAPES[fmt]:
        raise ValueError(f"lines: {len(lines)} line(s) of {[len(s) for s in lines]} characters is no MRZ format")
    out = ParsedMRZ(fmt, lines)
    bad = sorted({c for c in "".join(lines) if c not in ALPHABET})
    if bad:
        out.problems.append(f"characters not allowed in an MRZ: {''.join(bad)}")
    f = out.fields
    c = out.checks
    if fmt == "TD1":
        l1, l2, l3 = lines
        f["document_code"], f["issuing_state"] = l1[0:2].rstrip("<"), l1[2:5].rstrip("<")
        number, n_chk, opt1 = l1[5:14], l1[14], l1[15:30]
        if n_chk == "<" and opt1.strip("<"):
            # long document number: continues in the optional field, check digit after it
            tail = opt1.split("<", 1)[0]
            number, n_chk, opt1 = number + tail[:-1], tail[-1:], opt1[len(tail):]
        f["document_number"] = number.rstrip("<")
        c["document_number"] = _verify(number, n_chk)
        f["optional_data"] = opt1.strip("<")
        f["date_of_birth"], f["sex"], f["date_of_expiry"] = l2[0:6], l2[7], l2[8:14]
        c["date_of_birth"] = _verify(l2[0:6], l2[6])
        c["date_of_expiry"] = _verify(l2[8:14], l2[14])
        f["nationality"] = l2[15:18].rstrip("<")
        f["optional_data_2"] = l2[18:29].strip("<")
        c["composite"] = _verify(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
        f["surname"], f["given_names"] = _names(l3)
    else:
        l1, l2 = lines
        f["document_code"], f["issuing_state"] = l1[0:2].rstrip("<"), l1[2:5].rstrip("<")
        f["surname"], f["given_names"] = _names(l1[5:])
        f["document_number"] = l2[0:9].rstrip("<")
        c["document_number"] = _verify(l2[0:9], l2[9])
        f["nationality"] = l2[10:13].rstrip("<")
        f["date_of_birth"], f["sex"], f["date_of_expiry"] = l2[13:19], l2[20], l2[21:27]
        c["date_of_birth"] = _verify(l2[13:19], l2[19])
        c["date_of_expiry"] = _verify(l2[21:27], l2[27])
        if fmt == "TD3":
            personal, p_chk = l2[28:42], l2[42]
            f["personal_number"] = personal.strip("<")
            c["optional"] = (p_chk in "<0") if not personal.strip("<") else _verify(personal, p_chk)
            c["composite"] = _verify(l2[0:10] + l2[13:20] + l2[21:43], l2[43])
        elif fmt == "TD2":
            f["optional_data"] = l2[28:35].strip("<")
            c["composite"] = _verify(l2[0:10] + l2[13:20] + l2[21:35], l2[35])
        else:
            f["optional_data"] = l2[28:].strip("<")
    for key in ("date_of_birth", "date_of_expiry"):
        if not _date_ok(f[key]):
            out.problems.append(f"{key.replace('_', ' ')} {f[key]!r} is not a date YYMMDD")
    if f["sex"] not in "FMX<":
        out.problems.append(f"sex {f['sex']!r} is not F, M or <")
    return out
