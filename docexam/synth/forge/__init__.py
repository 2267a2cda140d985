"""Forgery techniques: what a forger does to a document, physically modelled.

Each technique is a :class:`Forger` subclass registered in :data:`FORGERS`
by its name; its catalogue entry (:mod:`docexam.specimens.techniques`) gives
its family and the substrates it applies to. Modules by what is attacked:
:mod:`.paper` (a paper body), :mod:`.printing`, :mod:`.personalization`,
:mod:`.card` (a polycarbonate card). The hooks and the annotations are in
:mod:`.base`. Every technique annotates what it did with
:meth:`Draft.mark`: family, technique, zone, a pixel mask (template
geometry), its box and a note telling a trainee what to look for.
``severity`` runs from 0 (a careful forger: subtle traces) to 1 (blatant).
"""

from ...specimens.techniques import TECHNIQUES
from . import card, documents, paper, people, personalization, printing  # noqa: F401  (each registers its forgers)
from .base import FORGERS, Draft, Forger

__all__ = ["FORGERS", "Draft", "Forger"]

assert set(FORGERS) == set(TECHNIQUES), f"forgers and the catalogue differ: {set(FORGERS) ^ set(TECHNIQUES)}"
