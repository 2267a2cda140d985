"""Typed errors, handled in one place by the CLI and the UI.

Every error a user can cause is a :class:`DocexamError`. Its message is one
line that names the file (or parameter) and the problem; the CLI prints it
and exits with status 2, the UI shows it in a box. Anything else reaching the
top is a bug in docexam.

The message is a :class:`docexam.i18n.Message`: English as a ``str``, shown
in the reader's language by ``translator(lang).error(exc)``. A ``problem``
given as a ``Message`` is translated with it; one given as a plain ``str``
(a library's own text, e.g. Pillow's) stays as it is.
"""

from __future__ import annotations

from os import PathLike

from .i18n import Message


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
        super().__init__(Message("{path}: {problem}", path=self.path, problem=problem))


class InvalidFieldError(InputFileError):
    """A data file (template, specimen sidecar, lesson) has a bad field.

    The message names the file, the field path (``zones[2].bbox``) and, where
    known, the line.
    """

    def __init__(self, path: str | PathLike, field: str, problem: str, *, line: int | None = None):
        self.field = field
        self.line = line
        super().__init__(path, Message("{field}: {problem}", field=field, problem=problem) if line is None else
                         Message("line {line}: {field}: {problem}", line=line, field=field, problem=problem))


class UnknownNameError(DocexamError):
    """An unknown template, technique, lesson or other named thing."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...] = ()):
        self.kind = kind
        self.name = name
        if known:
            super().__init__(Message("unknown {kind} {name!r} (known: {known})", kind=kind, name=name,
                                     known=", ".join(sorted(known))))
        else:
            super().__init__(Message("unknown {kind} {name!r}", kind=kind, name=name))


class OutputError(DocexamError):
    """An output folder or file cannot be written."""

    def __init__(self, path: str | PathLike, problem: str):
        self.path = str(path)
        super().__init__(Message("{path}: {problem}", path=self.path, problem=problem))


class ImpossibleForgeryError(DocexamError, ValueError):
    """A technique asked of a document it cannot happen on (washing a polycarbonate card)."""

    def __init__(self, technique: str, template: str, substrate: str, substrates):
        self.technique, self.template = technique, template
        super().__init__(Message("technique {technique!r} cannot be done on {template} (a {substrate} document): "
                                 "it applies to {substrates}", technique=technique, template=template,
                                 substrate=substrate, substrates=", ".join(substrates)))

