"""Checks of the values given to the training record, one per kind of value.

Each returns the value as stored (spaces folded, uuid in canonical form,
time in UTC) or raises :class:`~.errors.InvalidValueError` naming the
parameter. :func:`identity_key` is the one definition of "the same
officer" (the record and imports from other laptops both use it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..i18n import Message
from ..formats.fields import Fraction, Rating, Uuid
from ..formats.workshop_export import CODE_RE, normalise_code
from .errors import InvalidValueError

__all__ = ["CODE_RE", "PIN_RE", "normalise_code", "utc_now", "clean_text", "identity_key", "check_pin", "check_uuid",
           "check_time", "check_rating", "check_score", "check_json"]

#: a trainee's PIN
PIN_RE = re.compile(r"^[0-9]{4,12}\Z")


def utc_now() -> dt.datetime:
    """Now, in UTC (every time the record stores is UTC)."""
    return dt.datetime.now(dt.timezone.utc)


def clean_text(name: str, value: Any, *, max_len: int, required: bool = True) -> str:
    """``value`` with runs of white space folded to one space.

    Examples
    --------
    >>> clean_text("name", "  Sok   Chea ", max_len=200)
    'Sok Chea'
    >>> clean_text("name", "", max_len=200)
    Traceback (most recent call last):
    ...
    docexam.training.errors.InvalidValueError: name: must not be empty
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidValueError(name, Message("must be text, got {name}", name=type(value).__name__))
    value = " ".join(value.split())
    if required and not value:
        raise InvalidValueError(name, Message("must not be empty"))
    if len(value) > max_len:
        raise InvalidValueError(name, Message("must be at most {max_len} characters", max_len=max_len))
    return value


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    # punctuation and symbols read as spaces: "Immigration, Poipet" is "Immigration Poipet"
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return " ".join(text.split())


def identity_key(name: str, department: str, province: str) -> str:
    """What makes two registrations the same officer: the three, ignoring case, punctuation,
    spacing and Unicode normalisation (NFC; Khmer typed with either order of its marks' code
    points composes alike).

    Examples
    --------
    >>> identity_key("Sok Chea", "Immigration", "Koh Kong") == identity_key("SOK  CHEA", "immigration", "koh kong")
    True
    >>> identity_key("Sok Chea", "Immigration, Poipet checkpoint", "Banteay-Meanchey") == \\
    ...     identity_key("sok chea", "Immigration Poipet checkpoint.", "Banteay Meanchey")
    True
    >>> identity_key("Jos\u00e9", "A", "B") == identity_key("Jose\u0301", "A", "B")
    True
    """
    return "\x1f".join(_fold(part) for part in (name, department, province))


def check_pin(pin: Any) -> str:
    """A PIN of 4 to 12 digits."""
    if not isinstance(pin, str) or not PIN_RE.match(pin):
        raise InvalidValueError("pin", Message("must be 4 to 12 digits"))
    return pin


def _as(kind, name: str, value: Any):
    """``value`` checked as the files' value type ``kind`` (:mod:`docexam.formats.fields`): one rule for both."""
    try:
        return TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        problem = str(exc.errors(include_url=False)[0]["ctx"]["error"])
        got = "" if repr(value) in problem else f", got {value!r}"
        raise InvalidValueError(name, problem + got) from None


def check_uuid(name: str, value: Any) -> str:
    """A uuid in canonical (lower-case, hyphenated) form."""
    return _as(Uuid, name, str(value))


def check_time(name: str, value: Any) -> dt.datetime:
    """A timezone-aware time, in UTC; None means now."""
    if value is None:
        return utc_now()
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise InvalidValueError(name, Message("must be a timezone-aware datetime"))
    return value.astimezone(dt.timezone.utc)


def check_rating(name: str, value: Any) -> int:
    """A whole number from 1 to 5."""
    return _as(Rating, name, value)


def check_score(name: str, value: Any) -> float:
    """A number from 0 to 1, as a float."""
    return float(_as(Fraction, name, value))


def check_json(name: str, value: Any) -> Any:
    """``value`` as reading it back from a JSON column will give it."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidValueError(name, Message("must be JSON data ({exc})", exc=exc)) from None
