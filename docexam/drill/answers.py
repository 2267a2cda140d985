"""What the traveller says and what else they hand over: answers to questions, forms.

Answers to the story questions come from the scenario's story (English or
Khmer). Answers about the document come from what it says (its printed
data), unless the traveller gets them wrong: an impostor or a forger who
did not learn the document by heart gives another date or spelling; an
honest but tired traveller swaps the day and the month. The officer has to
tell the two apart: a contradiction is evidence, not proof.

The arrival form and the boarding card are filled in from the holder's
data and the story (:func:`arrival_form`, :func:`boarding_card`).

Examples
--------
>>> holder = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "date_of_birth": "1974-08-12",
...           "document_number": "L898902C3", "nationality": "UTO"}
>>> document_answer("date_of_birth", holder, wrong=False, genuine=True)
'12.08.1974'
>>> document_answer("date_of_birth", holder, wrong=True, genuine=True)
'08.12.1974'
>>> document_answer("name", holder, wrong=False, genuine=True)
'E-R-I-K-S-S-O-N'
>>> document_answer("name", holder, wrong=True, genuine=False) != 'E-R-I-K-S-S-O-N'
True
"""

from __future__ import annotations

import datetime as dt
import zlib

from .catalogue import STORY_QUESTIONS
from .scenario import Scenario
from .travellers import Traveller

_VOWELS = "AEIOU"


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def document_answer(question: str, holder: dict, *, wrong: bool, genuine: bool, seed: int = 0) -> str:
    """The traveller's answer about the document: right, or wrong as a fraud or a slip would be."""
    if question == "date_of_birth":
        born = _date(holder.get("date_of_birth", ""))
        if born is None:
            return "..."
        if wrong and genuine:  # an honest slip: day and month swapped
            return f"{born.month:02d}.{born.day:02d}.{born.year}"
        if wrong:
            shift = 2 + seed % 5
            other = born.replace(year=born.year - shift if seed % 2 else born.year + shift, day=min(born.day, 28))
            other = other.replace(month=1 + (born.month + 2 + seed % 7) % 12)
            return f"{other.day:02d}.{other.month:02d}.{other.year}"
        return f"{born.day:02d}.{born.month:02d}.{born.year}"
    if question == "name":
        surname = str(holder.get("surname", "")).upper()
        if wrong and not genuine and surname:
            # another spelling: one vowel changed (the impostor knows the name by ear)
            spots = [i for i, ch in enumerate(surname) if ch in _VOWELS] or [len(surname) - 1]
            i = spots[seed % len(spots)]
            replacement = next(v for v in (_VOWELS[(seed + k) % 5] for k in range(1, 6)) if v != surname[i])
            surname = surname[:i] + replacement + surname[i + 1:]
        return "-".join(surname)
    raise ValueError(f"question: {question!r} is not about the document")


def answer(traveller: Traveller, question: str, *, scenario: Scenario, holder: dict, lang: str = "en") -> str:
    """What ``traveller`` answers to ``question`` (a :data:`~docexam.drill.catalogue.QUESTIONS` id)."""
    if question in STORY_QUESTIONS:
        story = next(s for s in scenario.stories if s.id == traveller.story)
        return story.answer(question, lang)
    seed = zlib.crc32(f"{traveller.index}:{traveller.document.seed}:{question}".encode())
    return document_answer(question, holder, wrong=question in traveller.contradicts, genuine=traveller.genuine,
                           seed=seed)


_CARRIERS = {"land": "Bus", "seaport": "Ferry", "airport": "Flight"}
_TRIP_PREFIX = {"land": "B", "seaport": "F", "airport": "UA"}


def _trip_number(traveller: Traveller, border: str) -> str:
    n = 100 + zlib.crc32(f"{traveller.document.seed}".encode()) % 800
    return f"{_TRIP_PREFIX[border]}{n}"


def boarding_card(traveller: Traveller, *, scenario: Scenario, holder: dict) -> dict:
    """The boarding card's fields: passenger, carrier, trip, seat."""
    n = zlib.crc32(f"seat{traveller.document.seed}".encode())
    return {"passenger": f"{holder.get('surname', '')}/{holder.get('given_names', '')}",
            "carrier": _CARRIERS[scenario.border], "trip": _trip_number(traveller, scenario.border),
            "seat": f"{1 + n % 30}{'ABCDEF'[n % 6]}"}


def arrival_form(traveller: Traveller, *, scenario: Scenario, holder: dict, lang: str = "en") -> dict:
    """The arrival form as the traveller filled it in (their data, the trip, the purpose, the address)."""
    story = next(s for s in scenario.stories if s.id == traveller.story)
    return {"surname": holder.get("surname", ""), "given_names": holder.get("given_names", ""),
            "nationality": holder.get("nationality", ""), "date_of_birth": holder.get("date_of_birth", ""),
            "document_number": holder.get("document_number", ""),
            "trip": _trip_number(traveller, scenario.border), "purpose": story.answer("purpose", lang),
            "address": story.answer("stay", lang)}
