"""A drill's render as the browser needs it: rendered *and* its screen copies encoded.

A traveller or a trial rendered ahead by ``docexam drills prepare`` (or
by the background preparation, which reaches it only after the first
trials) exists on disk but may not be encoded for the browser yet. The
drill's renderer counted such a job as done, so the page had to ask the
preparation process for the picture and wait behind whatever it was
rendering (8-20 s under load). :class:`OnScreen` is done only when the
screen copies exist too; running it renders what is missing (nothing when
cached) and the prefetcher's ``then`` hook (:func:`media.warm`) encodes.
This module does not import Streamlit (a job is unpickled in the
renderer's worker process).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import media


@dataclass(frozen=True)
class OnScreen:
    """``job`` (a :class:`~docexam.drill.material.TravellerJob` or ``TrialJob``) with its pictures encoded."""

    job: object

    @property
    def key(self) -> str:
        return f"screen:{self.job.key}"

    def ready(self) -> bool:
        return self.job.ready() and all(media.encoded_image_url(p) is not None for p in self.job.pictures())

    def __call__(self):
        return self.job()
