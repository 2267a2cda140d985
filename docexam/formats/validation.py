"""Checking a file against its format's model, with docexam's one-line messages.

:func:`validate` runs a pydantic model over the data read from a file and
turns the first problem into an :class:`~docexam.errors.InvalidFieldError`
naming the file, the line (when the format keeps lines), the field path
(``anomalies[0].bbox``) and the problem in plain words. Checks that need
more than one field or outside knowledge (a box inside its zone, a technique
of the catalogue) are a model's ``check`` method raising :class:`Problem`;
they are reported the same way.

Examples
--------
>>> from docexam.formats.template import ZonesFile
>>> validate(ZonesFile, {"zones": [{"name": "mrz", "kind": "mrz", "bbox": [5, 5, 1, 9]}]}, "z.json")
Traceback (most recent call last):
...
docexam.errors.InvalidFieldError: z.json: zones[0].bbox: [5, 5, 1, 9] is empty (x1 <= x0 or y1 <= y0)
>>> validate(ZonesFile, {"zones": [{"name": "mrz", "bbox": [1, 1, 9, 9]}]}, "z.json")
Traceback (most recent call last):
...
docexam.errors.InvalidFieldError: z.json: zones[0].kind: missing
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InvalidFieldError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


class Problem(ValueError):
    """A problem found by a model's own ``check``: where (a field path) and what."""

    def __init__(self, loc: Loc, problem: str):
        self.loc = tuple(loc)
        self.problem = problem
        super().__init__(f"{field_path(self.loc)}: {problem}")


def field_path(loc: Loc) -> str:
    """``("anomalies", 0, "bbox")`` -> ``"anomalies[0].bbox"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_PLAIN = {
    "missing": "missing",
    "string_type": "expected a text",
    "int_type": "expected an integer",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "too_short": "expected a non-empty list",
}


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validated the object at ``loc``."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif isinstance(part, int):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0] if args else None
        while typing.get_origin(current) in (typing.Union, typing.Annotated) or type(current).__name__ == "UnionType":
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0] if args else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _message(model: type[BaseModel], error: Mapping) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        owner = _model_at(model, tuple(error["loc"][:-1]))
        allowed = ", ".join(owner.model_fields) if owner else ""
        return f"unknown key (allowed: {allowed})" if allowed else "unknown key"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(error.get("ctx", {}).values()), None)
        word = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
                "less_than": "less than"}[kind]
        return f"must be {word} {bound}"
    return _PLAIN.get(kind, error["msg"])


def problems(model: type[BaseModel], data: Any, path: str | os.PathLike, *,
             line_of: Callable[[str], int | None] | None = None) -> list[InvalidFieldError]:
    """Every problem pydantic finds in ``data`` (not only the first), in the words of :func:`validate`.

    For a checker that lists them all (``docexam drills check``: one line
    per problem). A mapping's bad key is reported at the key itself
    (``documents.visa``), whose line a TOML file knows.
    """
    try:
        model.model_validate(data)
    except ValidationError as exc:
        out = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if loc[-1:] == ("[key]",):
                loc = loc[:-1]
            name = field_path(loc) or model.__name__
            out.append(InvalidFieldError(path, name, _message(model, error),
                                         line=line_of(name) if line_of else None))
        return out
    return []


def validate(model: type[M], data: Any, path: str | os.PathLike, *,
             line_of: Callable[[str], int | None] | None = None, **context: Any) -> M:
    """``data`` checked by ``model`` (and its ``check(context)``, if it has one).

    Parameters
    ----------
    model : pydantic model class
    data : the file's content as read (a dict, a list)
    path : the file, for the message
    line_of : callable, optional
        Line of a field path in the file (formats that keep lines: TOML).
    **context
        Outside knowledge the model's ``check`` uses (the template, the
        technique catalogue).

    Raises
    ------
    InvalidFieldError
        The first problem: file, line, field path and what is wrong.
    """
    try:
        value = model.model_validate(data, context=context or None)
        check = getattr(value, "check", None)
        if check is not None:
            check(**context)
        return value
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc, problem = tuple(error["loc"]), _message(model, error)
        if loc[-1:] == ("[key]",):  # a mapping's key: report the mapping
            loc = loc[:-2]
    except Problem as exc:
        loc, problem = exc.loc, exc.problem
    name = field_path(loc) or model.__name__
    raise InvalidFieldError(path, name, problem, line=line_of(name) if line_of else None) from None
