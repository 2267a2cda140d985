"""A fraud in who presents the document, not in the document: the impostor.

The document is left genuine; someone else who looks like its holder
presents it. The evidence is the photo taken at the counter
(:mod:`docexam.synth.traveller`), which the renderer makes for every
specimen of this technique.
"""

from __future__ import annotations

from .base import Draft, Forger


class Impostor(Forger):
    technique = "impostor"

    def after_personalization(self, d: Draft) -> None:
        d.mark(self.technique, "portrait", d.box_region(d.zone("portrait")),
               "The document is genuine, but the person presenting it is not its holder: compare the "
               "face at the counter with the portrait feature by feature (face shape, eyes, nose, ears, "
               "brows, moles), not by the hair, glasses or age.")
