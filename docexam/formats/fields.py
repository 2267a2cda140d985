"""The kinds of value docexam's files hold: one definition each, shared by every format.

A format's model (:mod:`.template`, :mod:`.specimen`, :mod:`.lesson`, ...)
is built from these types, so a rule about a kind of value (what an id may
look like, what a box is, how long a text may be) is written once and its
error message is the same in every file. Limits (lengths, sizes, Unicode
forms) belong here too: one place to tighten.

Each type checks strictly (``"600"`` is not a number, ``true`` is not 1) and
raises ``ValueError`` with a message in plain words, which
:func:`docexam.formats.validation.validate` puts after the file and the
field.

Examples
--------
>>> from pydantic import TypeAdapter
>>> TypeAdapter(Box).validate_python([1, 2, 30, 40])
(1, 2, 30, 40)
>>> TypeAdapter(Box).validate_python([30, 2, 1, 40])
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ...
...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, WithJsonSchema

__all__ = ["Box", "Size", "Id", "Int", "Text", "OptionalText", "NonEmptyList", "IsoDate", "Uuid", "Timestamp",
           "Day", "Fraction", "Rating", "FileName", "Bool", "one_of", "box_inside", "pattern_id", "MAX_TEXT",
           "text_problem", "bounded_text"]

#: longest text any field may hold (a lesson section's text is the longest real one, a few thousand)
MAX_TEXT = 100_000

_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # whole text: fullmatch (a `$` would let "id\n" in)
#: the smallest width or height of a reference image
MIN_REFERENCE_SIDE = 16


def text_problem(value: str, *, max_len: int = MAX_TEXT) -> str | None:
    """What is wrong with text ``value`` for any docexam file or database column, or None.

    Lone surrogates (not Unicode text: they cannot be written as UTF-8) and
    NUL (PostgreSQL refuses it) are refused everywhere, as is a text longer
    than ``max_len``.

    >>> text_problem("Sok Chea"), text_problem("a\\x00b"), text_problem("\\ud800"), text_problem("abc", max_len=2)
    (None, 'contains a NUL character', 'contains a lone surrogate (not Unicode text)', 'longer than 2 characters')
    """
    if len(value) > max_len:
        return f"longer than {max_len} characters"
    if "\x00" in value:
        return "contains a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone surrogate (not Unicode text)"
    return None


def _clean(value: str, max_len: int) -> str:
    problem = text_problem(value, max_len=max_len)
    if problem:
        raise ValueError(problem)
    # one form for one text: Khmer typed with its marks in either order compares equal
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _text(value: Any, max_len: int = MAX_TEXT) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected a text")
    return _clean(value, max_len)


def _non_empty_text(value: Any, max_len: int = MAX_TEXT) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty text")
    return _clean(value, max_len)


def _id(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty text")
    if not _ID_RE.fullmatch(value):
        raise ValueError(f"{value!r} must be lower-case letters, digits and '-' (at most 63)")
    return value


def pattern_id(value: str) -> bool:
    """True when ``value`` is a valid id (lower-case kebab-case, at most 63 characters)."""
    return bool(_ID_RE.fullmatch(value))


def _box(value: Any) -> tuple[int, int, int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 4
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        raise ValueError("expected [x0, y0, x1, y1] of integers")
    x0, y0, x1, y1 = value
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"{list(value)} is empty (x1 <= x0 or y1 <= y0)")
    return (x0, y0, x1, y1)


def box_inside(inner, outer) -> bool:
    """True when box ``inner`` lies inside box ``outer``."""
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _size(value: Any) -> tuple[int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        raise ValueError("expected [width, height] of integers")
    if min(value) < MIN_REFERENCE_SIDE:
        raise ValueError(f"{list(value)}: width and height must be at least {MIN_REFERENCE_SIDE}")
    return (value[0], value[1])


def _iso_date(value: Any) -> Any:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None
    return value


def _day(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_non_empty_text(value, 64))
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


def _uuid(value: Any) -> str:
    try:
        return str(uuid.UUID(_non_empty_text(value, 64)))
    except ValueError:
        raise ValueError(f"{value!r} is not a uuid") from None


def _timestamp(value: Any) -> dt.datetime:
    try:
        out = dt.datetime.fromisoformat(_non_empty_text(value, 64))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 time") from None
    if out.tzinfo is None:
        raise ValueError("must include a time zone")
    try:
        return out.astimezone(dt.timezone.utc)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is in year 10000 in UTC
        raise ValueError(f"{value!r} is out of range") from None


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return value


def _rating(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("must be a whole number from 1 to 5")
    return value


def _file_name(value: Any) -> Any:
    value = _non_empty_text(value, 255)
    if value in (".", "..") or "/" in value or "\\" in value:
        raise ValueError("must be a file name in the same folder")
    return value


def _bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def one_of(values: tuple[str, ...] | list[str]):
    """A text that must be one of ``values`` (the JSON Schema lists them)."""
    choices = tuple(values)

    def check(value: Any) -> Any:
        _non_empty_text(value)
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return Annotated[str, BeforeValidator(check), WithJsonSchema({"type": "string", "enum": list(choices)})]


def bounded_text(max_len: int, *, required: bool = True):
    """A text of at most ``max_len`` characters (a database column's length), empty allowed unless ``required``."""
    def check(value: Any) -> Any:
        return _non_empty_text(value, max_len) if required else _text(value, max_len)

    schema = {"type": "string", "maxLength": max_len, **({"minLength": 1} if required else {})}
    return Annotated[str, BeforeValidator(check), WithJsonSchema(schema)]


def _non_empty_list(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty list")
    return value


#: a non-empty text
Text = Annotated[str, BeforeValidator(_non_empty_text), WithJsonSchema({"type": "string", "minLength": 1})]
#: any text, empty allowed
OptionalText = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string"})]
#: lower-case kebab-case name: template ids, lesson ids, topics
Id = Annotated[str, BeforeValidator(_id),
               WithJsonSchema({"type": "string", "pattern": f"^{_ID_RE.pattern}$"})]
#: ``[x0, y0, x1, y1]``: integer pixels of the template's reference image, x1 and y1 exclusive
Box = Annotated[tuple[int, int, int, int], BeforeValidator(_box),
                WithJsonSchema({"type": "array", "items": {"type": "integer"}, "minItems": 4, "maxItems": 4,
                                "description": "[x0, y0, x1, y1] in reference-image pixels, x1/y1 exclusive"})]
#: ``[width, height]`` in pixels
Size = Annotated[tuple[int, int], BeforeValidator(_size),
                 WithJsonSchema({"type": "array", "items": {"type": "integer", "minimum": MIN_REFERENCE_SIDE},
                                 "minItems": 2, "maxItems": 2})]
#: a whole number (not a text of digits, not true/false)
Int = StrictInt
#: a date as ISO text ``YYYY-MM-DD``, kept as text
IsoDate = Annotated[str, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
#: a date as ISO text, read as a date
Day = Annotated[dt.date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
#: a uuid, any case in, canonical lower-case out
Uuid = Annotated[str, BeforeValidator(_uuid), WithJsonSchema({"type": "string", "format": "uuid"})]
#: an ISO 8601 time with its zone, read as UTC
Timestamp = Annotated[dt.datetime, BeforeValidator(_timestamp),
                      WithJsonSchema({"type": "string", "format": "date-time"})]
#: a number from 0 to 1
Fraction = Annotated[float, BeforeValidator(_fraction), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1})]
#: a whole number from 1 to 5
Rating = Annotated[int, BeforeValidator(_rating), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5})]
#: a file name in the same folder (no path)
FileName = Annotated[str, BeforeValidator(_file_name), WithJsonSchema({"type": "string", "minLength": 1})]
#: true or false
Bool = Annotated[StrictBool, BeforeValidator(_bool)]


def NonEmptyList(item):  # noqa: N802 - used like a type
    """A list of ``item`` with at least one element."""
    return Annotated[list[item], BeforeValidator(_non_empty_list), Field(min_length=1)]
