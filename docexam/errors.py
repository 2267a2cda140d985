"""Typed errors, handled in one place by the CLI and the UI.

Every error a user can cause is a :class:`DocexamError`. Its message is one
line that names the file (or parameter) and the problem; the CLI prints it
and exits with status 2, the UI shows it in a box. Anything else reaching the
top is a bug in docexam.
"""

from __future__ import annotations

from os import PathLike


class DocexamError(Exception):
    """Base of every error caused by input rather than by a bug."""

    exit_status = 2


class InputFileError(DocexamError):
    """A file the user named is missing, unreadable or malformed.

    Parameters
    ----------
    path : str or PathLike
        The file, as the user gave it.
    problem : str
        What is wrong with it, in plain words.
    """

    def __init__(self, path: str | PathLike, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class InvalidFieldError(InputFileError):
    """A data file (template, specimen sidecar, lesson) has a bad field.

    The message names the file, the field path (``zones[2].bbox``) and, where
    known, the line.
    """

    def __init__(self, path: str | PathLike, field: str, problem: str, *, line: int | None = None):
        self.field = field
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(path, f"{where}{field}: {problem}")


class UnknownNameError(DocexamError):
    """An unknown template, technique, lesson or other named thing."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...] = ()):
        self.kind = kind
        self.name = name
        hint = f" (known: {', '.join(sorted(known))})" if known else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


class OutputError(DocexamError):
    """An output folder or file cannot be written."""

    def __init__(self, path: str | PathLike, problem: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}")


class ImpossibleForgeryError(DocexamError, ValueError):
    """A technique asked of a document it cannot happen on (washing a polycarbonate card)."""

    def __init__(self, technique: str, template: str, substrate: str, substrates):
        self.technique, self.template = technique, template
        super().__init__(f"technique {technique!r} cannot be done on {template} (a {substrate} document): "
                         f"it applies to {', '.join(substrates)}")

