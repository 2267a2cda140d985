"""Assessment metrics: pure functions over plain numbers, tuples and dicts.

Nothing here touches a database. The training record (``docexam.training``)
reads its rows, turns them into the plain inputs described in each
function, and calls these functions; the tests check them against numbers
computed by hand.

Conventions
-----------
* Scores are **fractions from 0 to 1** (an item score, or the mean score of a
  test). Hake's gain is usually written with percentages,
  ``<g> = (post% - pre%) / (100 - pre%)``; with fractions it is the same
  number, ``(post - pre) / (1 - pre)``. A value outside [0, 1] (for example a
  percentage passed by mistake) raises ``ValueError`` naming the parameter.
* A trainee's result is a ``(pre, post)`` pair, or a mapping with keys
  ``"pre"`` and ``"post"``. Only trainees who sat both tests are passed in.
* A trainee with 100 % on the pre-test has no room to improve: their
  individual normalised gain is undefined (division by zero). It is left out
  of :func:`mean_individual_gain` and counted in ``excluded``; the class
  gain :func:`class_normalized_gain` still includes them (it works on the
  class means), and is undefined only when the class mean pre-test is 100 %.
* A trainee who does worse on the post-test has a **negative** gain; it is
  kept as it is (not clipped at 0), because hiding it would hide a problem
  with the training.

Examples
--------
>>> round(normalized_gain(0.4, 0.7), 4)
0.5
>>> cohort = [(0.4, 0.7), (0.5, 0.4), (1.0, 1.0)]
>>> round(class_normalized_gain(cohort), 4)
0.1818
>>> m = mean_individual_gain(cohort)  # (0.5 + -0.2) / 2; the 100 % trainee is left out
>>> round(m.mean, 4), m.n, m.excluded
(0.15, 2, 1)
>>> share_improved(cohort)
0.3333333333333333
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist, fmean
from typing import Any, Iterable, Mapping, NamedTuple

#: d′ corrections for hit or false-alarm rates of 0 or 1
CORRECTIONS = ("loglinear", "none")


def _fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name}: expected a number from 0 to 1, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: {value!r} is outside 0..1 (scores are fractions, not percentages)")
    return float(value)


def _pairs(results: Iterable, name: str = "results") -> list[tuple[float, float]]:
    out = []
    for i, r in enumerate(results):
        if isinstance(r, Mapping):
            if "pre" not in r or "post" not in r:
                raise ValueError(f"{name}[{i}]: expected keys 'pre' and 'post'")
            pre, post = r["pre"], r["post"]
        else:
            try:
                pre, post = r
            except (TypeError, ValueError):
                raise ValueError(f"{name}[{i}]: expected a (pre, post) pair, got {r!r}") from None
        out.append((_fraction(pre, f"{name}[{i}].pre"), _fraction(post, f"{name}[{i}].post")))
    return out


# ---------------------------------------------------------------------------
# scores

def _score_of(r, i: int, name: str) -> tuple[Any, float]:
    if isinstance(r, Mapping):
        topic, score = r.get("topic"), r.get("score")
    else:
        topic, score = getattr(r, "topic", None), getattr(r, "score", None)
    return topic, _fraction(score, f"{name}[{i}].score")


def topic_scores(results: Iterable) -> dict[str, float]:
    """Mean item score per topic.

    Parameters
    ----------
    results : iterable
        One entry per answered item: a mapping (or object) with ``topic``
        (str) and ``score`` (0..1). Not modified.

    Returns
    -------
    dict
        topic -> mean score, topics sorted by name.

    >>> topic_scores([{"topic": "mrz", "score": 1}, {"topic": "mrz", "score": 0.5},
    ...               {"topic": "uv-ir", "score": 0}])
    {'mrz': 0.75, 'uv-ir': 0.0}
    """
    groups: dict[str, list[float]] = {}
    for i, r in enumerate(results):
        topic, score = _score_of(r, i, "results")
        if not isinstance(topic, str) or not topic:
            raise ValueError(f"results[{i}].topic: expected a topic name")
        groups.setdefault(topic, []).append(score)
    return {t: fmean(v) for t, v in sorted(groups.items())}


def overall_score(results: Iterable) -> float | None:
    """Mean item score over all items (None for no items).

    Every item weighs the same; use ``fmean(topic_scores(...).values())`` to
    weigh topics equally instead.

    >>> overall_score([{"topic": "mrz", "score": 1}, {"topic": "uv-ir", "score": 0.5}])
    0.75
    """
    scores = [_score_of(r, i, "results")[1] for i, r in enumerate(results)]
    return fmean(scores) if scores else None


def weakest_topics(scores: Mapping[str, float], *, count: int = 3) -> list[tuple[str, float]]:
    """The ``count`` topics with the lowest scores, weakest first (ties by name).

    >>> weakest_topics({"mrz": 0.9, "uv-ir": 0.4, "printing": 0.4}, count=2)
    [('printing', 0.4), ('uv-ir', 0.4)]
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count: expected a non-negative integer, got {count!r}")
    return sorted(((t, float(s)) for t, s in scores.items()), key=lambda ts: (ts[1], ts[0]))[:count]


# ---------------------------------------------------------------------------
# knowledge gain

def raw_gain(pre: float, post: float) -> float:
    """Post-test score minus pre-test score (fractions; negative when worse).

    >>> round(raw_gain(0.5, 0.8), 10)
    0.3
    """
    return _fraction(post, "post") - _fraction(pre, "pre")


def normalized_gain(pre: float, post: float) -> float | None:
    """Hake's normalised gain of one trainee, ``(post - pre) / (1 - pre)``.

    The share of the room for improvement that was gained: 1 means a perfect
    post-test, 0 no change, negative a worse post-test. None (undefined)
    when ``pre`` is 1.

    >>> normalized_gain(0.5, 0.25), normalized_gain(1.0, 1.0)
    (-0.5, None)
    """
    pre, post = _fraction(pre, "pre"), _fraction(post, "post")
    if pre >= 1.0:
        return None
    return (post - pre) / (1.0 - pre)


def class_normalized_gain(results: Iterable) -> float | None:
    """Hake's class-average gain ``<g> = (mean post - mean pre) / (1 - mean pre)``.

    Parameters
    ----------
    results : iterable of (pre, post) or mappings with ``pre`` and ``post``

    Returns
    -------
    float or None
        None when there are no trainees or the mean pre-test is 1.

    >>> round(class_normalized_gain([(0.2, 0.6), (0.6, 0.8)]), 4)
    0.5
    """
    pairs = _pairs(results)
    if not pairs:
        return None
    pre = fmean(p for p, _ in pairs)
    post = fmean(q for _, q in pairs)
    return None if pre >= 1.0 else (post - pre) / (1.0 - pre)


class MeanGain(NamedTuple):
    """Mean of individual normalised gains and who it covers."""

    #: mean gain of the included trainees (None when none is included)
    mean: float | None
    #: trainees included
    n: int
    #: trainees left out because their pre-test was 100 % (gain undefined)
    excluded: int


def mean_individual_gain(results: Iterable) -> MeanGain:
    """Mean of the trainees' individual normalised gains.

    Trainees at 100 % on the pre-test are excluded and counted (see the
    module docstring); negative gains are kept.

    >>> mean_individual_gain([(0.5, 1.0), (0.5, 0.25), (1.0, 0.9)])
    MeanGain(mean=0.25, n=2, excluded=1)
    """
    gains = [normalized_gain(pre, post) for pre, post in _pairs(results)]
    defined = [g for g in gains if g is not None]
    return MeanGain(fmean(defined) if defined else None, len(defined), len(gains) - len(defined))


def share_improved(results: Iterable) -> float | None:
    """Share of trainees whose post-test score is strictly higher than their pre-test score.

    A trainee at 100 % on both tests did not improve (they could not); None for no trainees.

    >>> share_improved([(0.5, 0.6), (0.5, 0.5), (0.7, 0.6), (1.0, 1.0)])
    0.25
    """
    pairs = _pairs(results)
    return sum(post > pre for pre, post in pairs) / len(pairs) if pairs else None


@dataclass(frozen=True)
class GainSummary:
    """Knowledge gain of a group of trainees (a workshop)."""

    n: int
    mean_pre: float | None
    mean_post: float | None
    mean_raw_gain: float | None
    class_gain: float | None
    mean_individual_gain: float | None
    gain_n: int
    gain_excluded: int
    share_improved: float | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def gain_summary(results: Iterable) -> GainSummary:
    """Every gain figure of a group at once (for a workshop report).

    >>> s = gain_summary([(0.4, 0.7), (0.5, 0.4), (1.0, 1.0)])
    >>> s.n, s.gain_excluded, round(s.mean_raw_gain, 4)
    (3, 1, 0.0667)
    """
    pairs = _pairs(results)
    if not pairs:
        return GainSummary(0, None, None, None, None, None, 0, 0, None)
    mig = mean_individual_gain(pairs)
    return GainSummary(
        n=len(pairs), mean_pre=fmean(p for p, _ in pairs), mean_post=fmean(q for _, q in pairs),
        mean_raw_gain=fmean(q - p for p, q in pairs), class_gain=class_normalized_gain(pairs),
        mean_individual_gain=mig.mean, gain_n=mig.n, gain_excluded=mig.excluded,
        share_improved=share_improved(pairs))


# ---------------------------------------------------------------------------
# genuine-or-forged decisions (signal detection)

def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: expected a non-negative integer, got {value!r}")
    return value


def d_prime(hits: int, misses: int, false_alarms: int, correct_rejections: int, *,
            correction: str = "loglinear") -> float:
    """Sensitivity d′ = z(hit rate) − z(false-alarm rate).

    The "signal" is a forged document: a **hit** is a forged document called
    forged, a **miss** a forged one let through, a **false alarm** a genuine
    one called forged (a genuine traveller refused), a **correct rejection**
    a genuine one accepted.

    Parameters
    ----------
    hits, misses, false_alarms, correct_rejections : int
    correction : {"loglinear", "none"}, keyword-only
        ``"loglinear"`` (default, Hautus 1995): add 0.5 to every count and 1
        to each total before computing the rates, *always* (not only when a
        rate is 0 or 1), so d′ is finite and less biased for the small numbers
        of a workshop. ``"none"`` uses the raw rates and raises ``ValueError``
        when one is 0 or 1.

    Examples
    --------
    Hit rate (8 + .5) / 11 = .7727, false-alarm rate (1 + .5) / 11 = .1364,
    z = 0.7479 and −1.0968:

    >>> round(d_prime(8, 2, 1, 9), 4)
    1.8447
    >>> round(d_prime(8, 2, 2, 8, correction="none"), 4)
    1.6832
    """
    h, m = _count(hits, "hits"), _count(misses, "misses")
    fa, cr = _count(false_alarms, "false_alarms"), _count(correct_rejections, "correct_rejections")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction: {correction!r} is not one of {', '.join(CORRECTIONS)}")
    if h + m == 0 or fa + cr == 0:
        raise ValueError("hits, misses, false_alarms, correct_rejections: d′ needs at least one forged "
                         "and one genuine document")
    if correction == "loglinear":
        hit_rate, fa_rate = (h + 0.5) / (h + m + 1), (fa + 0.5) / (fa + cr + 1)
    else:
        hit_rate, fa_rate = h / (h + m), fa / (fa + cr)
        if hit_rate in (0.0, 1.0) or fa_rate in (0.0, 1.0):
            raise ValueError("correction: a hit or false-alarm rate of 0 or 1 needs correction='loglinear'")
    z = NormalDist().inv_cdf
    return z(hit_rate) - z(fa_rate)


@dataclass(frozen=True)
class Detection:
    """Genuine-or-forged decisions of one trainee (or a group)."""

    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int
    #: hits / forged documents (raw); None without forged documents
    hit_rate: float | None
    #: false alarms / genuine documents (raw); None without genuine documents
    false_alarm_rate: float | None
    #: log-linear corrected d′; None unless both kinds of document were seen
    d_prime: float | None
    #: response bias c = −(z(H) + z(F)) / 2 (log-linear rates): negative means
    #: "forged" is said readily (more refused travellers), positive means documents are waved through
    criterion: float | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def signal_detection(decisions: Iterable) -> Detection:
    """Hits, false alarms, d′ and criterion of genuine-or-forged decisions.

    Parameters
    ----------
    decisions : iterable
        One per decision: ``(is_forged, said_forged)`` booleans, or a mapping
        with keys ``forged`` and ``said_forged``.
        :func:`docexam.assessment.scoring.verdict_decision` makes one from a
        ``verdict`` item's key and answer.

    >>> d = signal_detection([(True, True)] * 8 + [(True, False)] * 2
    ...                      + [(False, True)] + [(False, False)] * 9)
    >>> d.hits, d.false_alarms, d.hit_rate, round(d.d_prime, 4)
    (8, 1, 0.8, 1.8447)
    """
    h = m = fa = cr = 0
    for i, d in enumerate(decisions):
        if isinstance(d, Mapping):
            forged, said = d.get("forged"), d.get("said_forged")
        else:
            try:
                forged, said = d
            except (TypeError, ValueError):
                raise ValueError(f"decisions[{i}]: expected (is_forged, said_forged), got {d!r}") from None
        if not isinstance(forged, bool) or not isinstance(said, bool):
            raise ValueError(f"decisions[{i}]: expected two booleans, got {d!r}")
        if forged:
            h, m = h + said, m + (not said)
        else:
            fa, cr = fa + said, cr + (not said)
    dp = crit = None
    if h + m and fa + cr:
        dp = d_prime(h, m, fa, cr)
        z = NormalDist().inv_cdf
        crit = -(z((h + 0.5) / (h + m + 1)) + z((fa + 0.5) / (fa + cr + 1))) / 2
    return Detection(h, m, fa, cr, h / (h + m) if h + m else None,
                     fa / (fa + cr) if fa + cr else None, dp, crit)
