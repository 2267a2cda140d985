"""The training record: trainees, workshops, answers, reviews, surveys, reports.

Start here: :class:`TrainingRecord` (``TrainingRecord.open()``). Reports are
in :mod:`.report`, export and import in :mod:`.exchange`.
"""

from .errors import (DuplicateError, InvalidValueError, LockedOutError, NotEnrolledError, SchemaTooNewError,
                     TrainingError, UnknownTraineeError, UnknownWorkshopError, WrongPinError)
from .exchange import ImportResult
from .record import (Attempt, ReviewState, ScoreRow, SurveyAnswer, Trainee, TrainingRecord, Workshop,
                     default_database_url)
from .report import KeyResults

__all__ = [
    "TrainingRecord", "default_database_url",
    "Trainee", "Workshop", "Attempt", "ReviewState", "SurveyAnswer", "ScoreRow", "ImportResult", "KeyResults",
    "TrainingError", "UnknownWorkshopError", "UnknownTraineeError", "WrongPinError", "LockedOutError",
    "DuplicateError", "NotEnrolledError", "InvalidValueError", "SchemaTooNewError",
]
