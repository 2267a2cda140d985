"""Errors a trainer or trainee can cause when using the training record.

All are :class:`~docexam.errors.DocexamError` subclasses, so the CLI prints
them as one line (exit status 2) and the UI shows them in a box.
"""

from __future__ import annotations

from ..errors import DocexamError, UnknownNameError
from ..i18n import Message


class TrainingError(DocexamError):
    """Base of the training record's errors."""


class UnknownWorkshopError(UnknownNameError, TrainingError):
    """No workshop has this code (or id)."""

    def __init__(self, ref: str | int):
        super().__init__(Message("workshop"), str(ref))


class UnknownTraineeError(UnknownNameError, TrainingError):
    """No trainee has this id."""

    def __init__(self, ref: str | int):
        super().__init__(Message("trainee"), str(ref))


class WrongPinError(TrainingError):
    """The PIN does not match the trainee's."""


class LockedOutError(TrainingError):
    """Too many wrong PINs in a row; the trainee must wait or ask the trainer."""


class DuplicateError(TrainingError):
    """Something that must be unique already exists."""


class NotEnrolledError(TrainingError):
    """The trainee has not joined the workshop the answer is for."""


class InvalidValueError(TrainingError):
    """A value given to the record is out of range or malformed.

    Parameters
    ----------
    field : str
        The parameter, as the caller knows it (``relevance``, ``score``).
    problem : str
        What is wrong, in plain words.
    """

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(Message("{field}: {problem}", field=field, problem=problem))


class SchemaTooNewError(TrainingError):
    """The database was written by a newer docexam than this one."""


class DatabaseValueError(TrainingError):
    """The database refused a value (too long for its column, out of range): nothing was written."""
