"""Reading a data file before its model sees it: size, nesting, numbers and text bounded.

Every format docexam reads (templates and zones, sidecars, lessons,
workshop exports, packs, trusted keys, drill scenarios) goes through here,
so a hostile file meets the same limits everywhere:

- at most ``max_bytes`` are read (``/dev/zero`` or a 10 GB file is refused
  after ``max_bytes + 1``, never read whole);
- UTF-8 only; a leading byte-order mark is accepted and dropped;
- nesting deeper than :data:`MAX_DEPTH` is refused *before* parsing (the
  parsers recurse: 200,000 ``[`` would end in ``RecursionError``);
- numbers: at most :data:`MAX_NUMBER_CHARS` characters, integers within
  a 64-bit database column, no NaN or infinity;
- texts (keys too): no lone surrogates, no NUL (PostgreSQL refuses both),
  at most :data:`~docexam.formats.fields.MAX_TEXT` characters.

Problems are :class:`~docexam.errors.InvalidFieldError` (file, line where the
parser knows it, field path) or :class:`~docexam.errors.InputFileError`.

Examples
--------
>>> parse_json('{"a": [1, 2.5, "x"]}', "f.json")
{'a': [1, 2.5, 'x']}
>>> parse_json("[" * 100_000, "deep.json")
Traceback (most recent call last):
...
docexam.errors.InvalidFieldError: deep.json: line 1: JSON: nested deeper than 64 levels
>>> parse_json('{"n": NaN}', "f.json")
Traceback (most recent call last):
...
docexam.errors.InvalidFieldError: f.json: JSON: NaN is not a number docexam accepts
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from ..i18n import Message
from ..errors import InputFileError, InvalidFieldError
from .fields import MAX_TEXT, text_problem
from .validation import field_path

__all__ = ["MAX_DEPTH", "MAX_DATA_BYTES", "MAX_NUMBER_CHARS", "MAX_INT", "read_bytes", "decode", "read_text",
           "parse_json", "parse_toml", "check_nesting", "check_values", "read_json", "read_toml"]

#: deepest nesting of lists and objects any docexam file needs (the deepest real one is under 10)
MAX_DEPTH = 64
#: default size limit of a data file (a workshop export has its own, larger one)
MAX_DATA_BYTES = 16 * 2**20
#: longest number literal (a 64-bit integer has 20 characters; a float's repr at most 24)
MAX_NUMBER_CHARS = 40
#: integers must fit a signed 64-bit database column
MAX_INT = 2**63 - 1

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
# TOML: strings and comments are skipped (each alternative always matches, so the scan is linear)
_TOML_TOKENS = re.compile(r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?'
                          r'|#[^\n]*|[\[\]{}.,=\n]')


class _NumberError(ValueError):
    pass


def read_bytes(path: str | os.PathLike, *, max_bytes: int = MAX_DATA_BYTES, name: str | None = None) -> bytes:
    """At most ``max_bytes`` of ``path`` (refused beyond: never reads without bound).

    ``name`` is how messages name the file (an upload's own name rather than
    a temporary copy's).
    """
    shown = name or str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputFileError(shown, Message("file not found")) from None
    except IsADirectoryError:
        raise InputFileError(shown, Message("is a folder, not a file")) from None
    except OSError as exc:
        raise InputFileError(shown, Message("cannot read ({problem})", problem=exc.strerror or exc)) from None
    if len(raw) > max_bytes:
        raise InputFileError(shown, Message("larger than {size}: not a docexam file", size=_size(max_bytes)))
    return raw


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 1024} kB" if n >= 1024 else f"{n} bytes"


def decode(raw: bytes, path: str | os.PathLike) -> str:
    """UTF-8 text of ``raw`` (a leading byte-order mark dropped); refuses other encodings."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InvalidFieldError(path, "encoding", Message("not UTF-8 text"), line=line) from None


def read_text(path: str | os.PathLike, *, max_bytes: int = MAX_DATA_BYTES, name: str | None = None) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path, max_bytes=max_bytes, name=name), name or path)


def check_nesting(text: str, path: str | os.PathLike, *, syntax: str = "json", max_depth: int = MAX_DEPTH) -> None:
    """Refuse ``text`` whose brackets nest deeper than ``max_depth``, without parsing it (linear time)."""
    if text.count("[") + text.count("{") <= max_depth and (syntax == "json" or text.count(".") <= max_depth):
        return
    depth = dots = 0
    for token in (_JSON_TOKENS if syntax == "json" else _TOML_TOKENS).finditer(text):
        c = token.group()
        if c == ".":  # a TOML dotted key a.b.c nests a table per dot (tomllib slows to a crawl on 100,000)
            dots += 1
            if dots > max_depth:
                line = text.count("\n", 0, token.start()) + 1
                raise InvalidFieldError(path, syntax.upper(), Message("a key nested deeper than {max_depth} levels", max_depth=max_depth),
                                        line=line)
        elif c in ",=\n":
            dots = 0
        elif c in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, token.start()) + 1
                raise InvalidFieldError(path, syntax.upper(), Message("nested deeper than {max_depth} levels", max_depth=max_depth), line=line)
        elif c in "]}":
            depth = max(depth - 1, 0)


def _json_number(literal: str) -> int | float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _NumberError(f"a number of {len(literal)} characters (at most {MAX_NUMBER_CHARS})")
    if any(ch in literal for ch in ".eE"):
        value = float(literal)
        if not math.isfinite(value):
            raise _NumberError(f"{literal} is too large")
        return value
    return int(literal)


def _json_constant(name: str) -> Any:
    raise _NumberError(f"{name} is not a number docexam accepts")


def _no_duplicate_keys(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _NumberError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def parse_json(text: str | bytes, path: str | os.PathLike, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value of JSON ``text``, every limit of this module checked."""
    if isinstance(text, bytes):
        text = decode(text, path)
    text = text.removeprefix("\ufeff")
    check_nesting(text, path, syntax="json", max_depth=max_depth)
    try:
        data = json.loads(text, parse_int=_json_number, parse_float=_json_number, parse_constant=_json_constant,
                          object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InvalidFieldError(path, "JSON", exc.msg, line=exc.lineno) from None
    except (_NumberError, RecursionError, ValueError) as exc:
        problem = str(exc) if isinstance(exc, _NumberError) else "not valid JSON"
        raise InvalidFieldError(path, "JSON", problem) from None
    check_values(data, path)
    return data


def _toml_float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _NumberError(f"a number of {len(literal)} characters (at most {MAX_NUMBER_CHARS})")
    value = float(literal)
    if not math.isfinite(value):
        raise _NumberError(f"{literal} is not a number docexam accepts")
    return value


def parse_toml(text: str | bytes, path: str | os.PathLike, *, max_depth: int = MAX_DEPTH) -> dict:
    """The table of TOML ``text``, every limit of this module checked."""
    if isinstance(text, bytes):
        text = decode(text, path)
    text = text.removeprefix("\ufeff")
    check_nesting(text, path, syntax="toml", max_depth=max_depth)
    try:
        data = tomllib.loads(text, parse_float=_toml_float)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
        raise InvalidFieldError(path, "TOML", msg, line=int(m.group(1)) if m else None) from None
    except _NumberError as exc:
        raise InvalidFieldError(path, "TOML", str(exc)) from None
    except (ValueError, RecursionError, OverflowError):
        # an integer beyond Python's digit limit, a date beyond year 9999: not a file docexam wrote
        raise InvalidFieldError(path, "TOML", Message("a value out of range (number or date)")) from None
    check_values(data, path)
    return data


def read_json(path: str | os.PathLike, *, max_bytes: int = MAX_DATA_BYTES, name: str | None = None) -> Any:
    """Read and parse a JSON file with every limit; ``name`` names it in messages."""
    shown = name or str(path)
    return parse_json(read_bytes(path, max_bytes=max_bytes, name=shown), shown)


def read_toml(path: str | os.PathLike, *, max_bytes: int = MAX_DATA_BYTES, name: str | None = None) -> dict:
    """Read and parse a TOML file with every limit; ``name`` names it in messages."""
    shown = name or str(path)
    return parse_toml(read_bytes(path, max_bytes=max_bytes, name=shown), shown)


def check_values(data: Any, path: str | os.PathLike, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a value (parsed from a file, or built in code) that breaks this module's limits.

    Walks ``data`` without recursion: depth, texts and keys (surrogates,
    NUL, length), integers (64-bit), floats (finite), dates (TOML's).
    """
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack:
        value, loc, depth = stack.pop()
        if depth > max_depth:
            raise InvalidFieldError(path, field_path(loc) or "value", Message("nested deeper than {max_depth} levels", max_depth=max_depth))
        if isinstance(value, str):
            problem = text_problem(value, max_len=MAX_TEXT)
            if problem:
                raise InvalidFieldError(path, field_path(loc) or "value", problem)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -MAX_INT - 1 <= value <= MAX_INT:
                raise InvalidFieldError(path, field_path(loc) or "value", Message("a whole number beyond 64 bits"))
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InvalidFieldError(path, field_path(loc) or "value", Message("not a finite number"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InvalidFieldError(path, field_path(loc) or "value", Message("keys must be texts"))
                problem = text_problem(key, max_len=200)
                if problem:
                    raise InvalidFieldError(path, field_path(loc) or "value", Message("a key: {problem}", problem=problem))
                stack.append((item, loc + (key,), depth + 1))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, loc + (i,), depth + 1) for i, item in enumerate(value))
        elif isinstance(value, dt.datetime) and value.tzinfo is not None:
            try:
                value.astimezone(dt.timezone.utc)
            except OverflowError:
                raise InvalidFieldError(path, field_path(loc), Message("a time out of range")) from None
        elif isinstance(value, (dt.date, dt.time, Path)):
            continue
