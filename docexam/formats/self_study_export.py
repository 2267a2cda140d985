"""An installation's self-study records as one signed JSON document, pushed to headquarters.

Officers who study alone (signed in without a workshop code) answer
practice questions, the self-study pre- and post-test and their refreshers
on a laptop. ``docexam sync`` pushes those records to headquarters with the
workshops' records, so an officer who signs in there sees that history and
carries on with the refreshers due: every attempt made outside a workshop,
and every officer's spaced-repetition state (``reviews``: one scheduler
card per officer and item, wherever it was answered). It is a signed
document (``signature``, see "Signed documents" below) and carries the
officers' PIN hashes (``pins``, as a workshop push does). Headquarters
keeps an attempt once (by its uuid) and, for a card it holds too, the one
updated last. Times are ISO 8601 with a time zone; ids are uuids. Fields
beyond those below are ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .fields import Timestamp, Uuid
from .validation import Problem
from .workshop_export import Attempt, ItemId, Trainee, Topic, pin_hash_acceptable

FORMAT = "docexam-self-study-records"
VERSION = 1


class Review(BaseModel):
    """One officer's scheduling state for one item."""

    trainee: Uuid = Field(description="uid of one of the file's trainees")
    item_id: ItemId
    topic: Topic | None = None
    card: dict[str, Any] = Field(description="the scheduler's card (docexam.assessment.refresher), as JSON")
    due: Timestamp
    updated_at: Timestamp


class SelfStudyExport(BaseModel):
    """The pushed document."""

    format: Literal["docexam-self-study-records"]
    version: Literal[1]
    exported_at: Timestamp | None = None
    trainees: list[Trainee]
    attempts: list[Attempt] = Field(description="attempts made outside any workshop")
    reviews: list[Review] = Field([], description="every listed officer's scheduler cards")
    pins: dict[str, str] = Field({}, description="trainee uid -> PIN hash (a trusted push only)")

    def check(self) -> None:
        known = set()
        for i, t in enumerate(self.trainees):
            if t.uid in known:
                raise Problem(("trainees", i, "uid"), "listed twice")
            known.add(t.uid)
        for key in ("attempts", "reviews"):
            for i, row in enumerate(getattr(self, key)):
                if row.trainee not in known:
                    raise Problem((key, i, "trainee"), "not in the file's trainees")
        cards = set()
        for i, r in enumerate(self.reviews):
            if (r.trainee, r.item_id) in cards:
                raise Problem(("reviews", i), "a second card for the same trainee and item")
            cards.add((r.trainee, r.item_id))
        if not all(uid in known and pin_hash_acceptable(h) for uid, h in self.pins.items()):
            raise Problem(("pins",), "expected the PIN hashes of the file's trainees")
