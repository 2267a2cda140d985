"""The end-of-workshop feedback survey: its questions, validation and summary.

Three questions, asked in English and Khmer:

=============  ======================================================  ==========
id             question                                                answer
=============  ======================================================  ==========
``relevance``  How relevant is this training to your daily work?       1..5
``overall``    Overall, how would you rate this training?              1..5
``comments``   Anything else you want to tell the trainers?            text, optional
=============  ======================================================  ==========

Examples
--------
>>> validate_survey({"relevance": 5, "overall": 4})
{'relevance': 5, 'overall': 4, 'comments': ''}
>>> validate_survey({"relevance": 6, "overall": 4})
Traceback (most recent call last):
...
docexam.assessment.scoring.InvalidAnswerError: relevance: expected a whole number from 1 to 5, got 6
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Iterable, Mapping

from ..i18n import Message
from .scoring import InvalidAnswerError

#: longest comment kept (characters)
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    text_km: str
    kind: str  # "rating" or "text"
    required: bool
    low: str = ""
    high: str = ""
    low_km: str = ""
    high_km: str = ""

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        if self.kind == "rating":
            d["scale"] = [1, 5]
        return d


SURVEY = (
    Question("relevance", "How relevant is this training to your daily work?",
             "តើវគ្គបណ្តុះបណ្តាលនេះពាក់ព័ន្ធនឹងការងារប្រចាំថ្ងៃរបស់អ្នកកម្រិតណា?",
             "rating", True, "Not relevant", "Very relevant", "មិនពាក់ព័ន្ធ", "ពាក់ព័ន្ធខ្លាំង"),
    Question("overall", "Overall, how would you rate this training?",
             "ជារួម តើអ្នកវាយតម្លៃវគ្គបណ្តុះបណ្តាលនេះយ៉ាងដូចម្តេច?",
             "rating", True, "Poor", "Excellent", "ខ្សោយ", "ល្អប្រសើរ"),
    Question("comments", "Anything else you want to tell the trainers?",
             "តើមានអ្វីផ្សេងទៀតដែលអ្នកចង់ប្រាប់គ្រូបង្គោលទេ?", "text", False),
)


def survey_definition() -> list[dict]:
    """The questions as JSON-ready dicts (for a UI or an export)."""
    return [q.as_dict() for q in SURVEY]


def validate_survey(answers: Mapping) -> dict:
    """Check one trainee's survey answers; return a clean copy.

    Parameters
    ----------
    answers : mapping
        ``relevance`` and ``overall`` (integers 1..5, required), ``comments``
        (text, optional, at most :data:`MAX_COMMENT` characters). Not modified.

    Raises
    ------
    InvalidAnswerError
        Naming the question: a missing or out-of-range rating, an unknown
        question, a comment that is not text or too long.
    """
    if not isinstance(answers, Mapping):
        raise InvalidAnswerError(Message("answers: expected a mapping of question id to answer"))
    known = {q.id for q in SURVEY}
    for k in answers:
        if k not in known:
            raise InvalidAnswerError(Message("{k}: not a survey question (known: {value})", k=k, value=', '.join(sorted(known))))
    out: dict = {}
    for q in SURVEY:
        value = answers.get(q.id)
        if q.kind == "rating":
            if value is None:
                raise InvalidAnswerError(Message("{id}: missing (a whole number from 1 to 5)", id=q.id))
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise InvalidAnswerError(Message("{id}: expected a whole number from 1 to 5, got {value!r}", id=q.id, value=value))
            out[q.id] = value
        else:
            value = "" if value is None else value
            if not isinstance(value, str):
                raise InvalidAnswerError(Message("{id}: expected text, got {value!r}", id=q.id, value=value))
            value = value.strip()
            if len(value) > MAX_COMMENT:
                raise InvalidAnswerError(Message("{id}: {n} characters, at most {max_comment}", id=q.id, n=len(value), max_comment=MAX_COMMENT))
            out[q.id] = value
    return out


def survey_summary(responses: Iterable[Mapping]) -> dict:
    """Key figures of a workshop's survey responses.

    Returns ``n``, ``share_relevance_4_or_5`` (share rating relevance 4 or
    5), ``mean_relevance``, ``mean_overall`` (None without responses) and
    ``comments`` (the non-empty ones). Each response is validated first.

    >>> survey_summary([{"relevance": 5, "overall": 4}, {"relevance": 3, "overall": 5, "comments": "More UV."}])
    {'n': 2, 'share_relevance_4_or_5': 0.5, 'mean_relevance': 4.0, 'mean_overall': 4.5, 'comments': ['More UV.']}
    """
    clean = [validate_survey(r) for r in responses]
    if not clean:
        return {"n": 0, "share_relevance_4_or_5": None, "mean_relevance": None,
                "mean_overall": None, "comments": []}
    return {
        "n": len(clean),
        "share_relevance_4_or_5": sum(r["relevance"] >= 4 for r in clean) / len(clean),
        "mean_relevance": fmean(r["relevance"] for r in clean),
        "mean_overall": fmean(r["overall"] for r in clean),
        "comments": [r["comments"] for r in clean if r["comments"]],
    }
