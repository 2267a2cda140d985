"""The examination report: findings, verdict, score, timings (``docs/formats.md``).

Analyzers produce :class:`Evidence`: a measured quantity compared with what
genuine documents show. Each evidence is turned into a score in [0, 1] by a
logistic curve centred on its decision threshold (score 0.5 at the
threshold), so every measurement contributes to the document's *ranking*
score even when it is below the threshold; evidences at or above the
threshold become :class:`Finding` objects and make the verdict ``suspect``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..specimens.techniques import FAMILIES, TECHNIQUES

__all__ = ["Evidence", "Finding", "Note", "Unexamined", "Report", "logistic"]

VERDICTS = ("consistent", "suspect", "inconclusive")


def logistic(value: float, threshold: float, width: float) -> float:
    """Score in (0, 1): 0.5 at ``threshold``, rising over about ``width``.

    >>> logistic(2.0, 2.0, 1.0)
    0.5
    >>> logistic(10.0, 2.0, 1.0) > 0.99
    True
    """
    if width <= 0:
        raise ValueError("width: must be positive")
    z = (float(value) - threshold) / width
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass(frozen=True)
class Finding:
    """Something suspicious, located in template coordinates (a contract object)."""

    family: str
    technique: str | None
    zone: str
    bbox: tuple[int, int, int, int]
    score: float
    message: str

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"family: {self.family!r} is not one of {FAMILIES}")
        if self.technique is not None and TECHNIQUES[self.technique].family != self.family:
            raise ValueError(f"technique: {self.technique!r} is not of family {self.family!r}")

    def as_dict(self) -> dict:
        return {"family": self.family, "technique": self.technique, "zone": self.zone,
                "bbox": [int(v) for v in self.bbox], "score": round(float(self.score), 3),
                "message": self.message}


@dataclass
class Evidence:
    """One measurement of an analyzer, before the decision.

    ``value`` is compared with ``threshold`` (higher = more suspicious);
    ``width`` sets how fast the score rises past it.
    """

    family: str
    technique: str | None
    zone: str
    bbox: tuple[int, int, int, int]
    value: float
    threshold: float
    width: float
    message: str
    check: str = ""

    @property
    def score(self) -> float:
        return logistic(self.value, self.threshold, self.width)

    def finding(self) -> Finding:
        return Finding(self.family, self.technique, self.zone, tuple(int(v) for v in self.bbox),
                       self.score, self.message)


@dataclass(frozen=True)
class Note:
    """A check that could not be made, or a remark for the examiner (``inconclusive`` per check)."""

    check: str
    status: str  # "inconclusive" | "skipped" | "info"
    message: str

    def as_dict(self) -> dict:
        return {"check": self.check, "status": self.status, "message": self.message}


@dataclass(frozen=True)
class Unexamined:
    """A security feature on the picture that one straight-on image cannot prove genuine, and what to do.

    ``needs`` is the view that shows it (``tilt``: an optically variable
    device; ``transmitted``: a watermark or thread against a lamp; ``ir``: a
    laser engraving, dark in infrared where a print fades; ``raking``: a
    card's lamination, its edges and surface in light grazing it);
    ``message`` tells the officer how to examine it by hand.
    """

    zone: str
    feature: str
    bbox: tuple
    needs: str
    message: str

    def as_dict(self) -> dict:
        return {"zone": self.zone, "feature": self.feature, "bbox": [int(v) for v in self.bbox],
                "needs": self.needs, "message": self.message}


@dataclass
class Report:
    """The result of :func:`docexam.examine.examine`.

    ``as_dict()`` gives the JSON object of ``docexam examine --json``. The
    heatmap (float32, template geometry at working resolution, 0..1) and the
    aligned images (uint8 RGB per light, same geometry) are for the UI and
    :func:`docexam.examine.render_heatmap`; they are not part of the JSON.
    """

    image: str
    template: str
    verdict: str
    score: float
    findings: list = field(default_factory=list)
    registration: dict = field(default_factory=lambda: {"ok": False, "reprojection_error_px": None})
    timings_ms: dict = field(default_factory=dict)
    reason: str = ""
    notes: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    heatmap: np.ndarray | None = None
    aligned: dict = field(default_factory=dict)
    #: template pixels per heatmap pixel (x, y)
    heatmap_scale: tuple[float, float] = (1.0, 1.0)
    #: security features the picture shows but cannot prove (:class:`Unexamined`): examine them by hand
    unexamined: list = field(default_factory=list)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict: {self.verdict!r} is not one of {VERDICTS}")

    def as_dict(self) -> dict:
        out = {
            "image": self.image,
            "template": self.template,
            "verdict": self.verdict,
            "score": round(float(self.score), 4),
            "findings": [f.as_dict() for f in self.findings],
            "registration": dict(self.registration),
            "timings_ms": {k: round(float(v), 1) for k, v in self.timings_ms.items()},
        }
        if self.verdict == "inconclusive" or self.reason:
            out["reason"] = self.reason
        if self.notes:
            out["notes"] = [n.as_dict() for n in self.notes]
        if self.unexamined:
            out["unexamined"] = [u.as_dict() for u in self.unexamined]
        return out
