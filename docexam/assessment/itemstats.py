"""Item statistics for the trainer's item bank, and a form's reliability, from recorded sittings.

A *sitting* is one trainee taking one form once: ``{"answers": {item id: 0 or 1},
"given": {item id: the answer given}}`` (as
:meth:`docexam.training.TrainingRecord.sittings` returns them). The maths is
:mod:`.psychometrics`.

Examples
--------
>>> sittings = [{"answers": {"a": 1, "b": 0}, "given": {"a": "forged", "b": "genuine"}},
...             {"answers": {"a": 0, "b": 1}, "given": {"a": "genuine", "b": "forged"}},
...             {"answers": {"a": 1, "b": 1}, "given": {"a": "forged", "b": "forged"}}]
>>> stats = {s.item_id: s for s in item_statistics(sittings)}
>>> stats["a"].n, round(stats["a"].share_correct, 3), stats["a"].common_wrong
(3, 0.667, 'genuine')
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from .psychometrics import MIN_SITTINGS, kr20, point_biserial, rasch_fit

#: prior of the difficulties used for test assembly (penalised CML): sd in logits
PRIOR_SD = 1.5


@dataclass(frozen=True)
class ItemStats:
    item_id: str
    #: first answers recorded
    n: int
    #: classical p: share answered right
    share_correct: float
    #: Rasch difficulty (logits, plain CML; inf/-inf when everyone got it wrong/right; nan without information)
    difficulty: float
    se: float
    #: corrected point-biserial with the rest of the sitting
    discrimination: float
    #: the wrong answer given most often (None when never wrong or not a choice)
    common_wrong: str | None
    common_wrong_n: int


def response_matrix(sittings: Sequence[Mapping], item_ids: Sequence[str] | None = None
                    ) -> tuple[np.ndarray, list[str]]:
    """Sittings × items matrix (1 right, 0 wrong, nan not asked) and its item ids (sorted)."""
    ids = sorted({i for s in sittings for i in s["answers"]}) if item_ids is None else list(item_ids)
    col = {i: k for k, i in enumerate(ids)}
    x = np.full((len(sittings), len(ids)), np.nan)
    for r, sitting in enumerate(sittings):
        for item, value in sitting["answers"].items():
            if item in col:
                x[r, col[item]] = float(value)
    return x, ids


def _choice(given) -> str | None:
    if isinstance(given, dict) and set(given) == {"choice"}:
        given = given["choice"]
    return given if isinstance(given, str) else None


def item_statistics(sittings: Sequence[Mapping]) -> list[ItemStats]:
    """Per item: n, share correct, Rasch difficulty, discrimination, most-chosen wrong answer."""
    x, ids = response_matrix(sittings)
    if not ids:
        return []
    fit = rasch_fit(x)
    rpb = point_biserial(x)
    wrong: dict[str, Counter] = {i: Counter() for i in ids}
    for sitting in sittings:
        for item, value in sitting["answers"].items():
            choice = _choice(sitting.get("given", {}).get(item))
            if not value and choice is not None:
                wrong[item][choice] += 1
    out = []
    for k, item in enumerate(ids):
        asked = ~np.isnan(x[:, k])
        common = wrong[item].most_common(1)
        out.append(ItemStats(item_id=item, n=int(asked.sum()), share_correct=float(np.nanmean(x[asked, k])),
                             difficulty=float(fit.difficulty[k]), se=float(fit.se[k]),
                             discrimination=float(rpb[k]), common_wrong=common[0][0] if common else None,
                             common_wrong_n=common[0][1] if common else 0))
    return out


#: an item's flags need this many first answers (fewer say little about an item)
FLAG_MIN_ANSWERS = MIN_SITTINGS
#: share correct above which an item teaches nothing to tell trainees apart, below which it may be wrong
TOO_EASY = 0.95
TOO_HARD = 0.20
#: corrected point-biserial below which an item barely separates strong trainees from weak ones
#: (classical item analysis: 0.2 and above is good, 0.1 to 0.2 marginal)
WEAK_DISCRIMINATION = 0.15
#: the flags, most serious first
FLAGS = ("negative-discrimination", "distractor", "too-hard", "weak-discrimination", "too-easy")


def item_flags(stats: ItemStats, *, min_answers: int = FLAG_MIN_ANSWERS, too_easy: float = TOO_EASY,
               too_hard: float = TOO_HARD, weak_discrimination: float = WEAK_DISCRIMINATION) -> tuple[str, ...]:
    """What a trainer should look at in an item, most serious first (:data:`FLAGS`); ``()`` when nothing.

    * ``negative-discrimination``: trainees who do well on the rest of the test
      miss it more often than the others (a wrong key, a misleading picture);
    * ``distractor``: one wrong answer is chosen more often than the right one;
    * ``too-hard`` / ``too-easy``: share correct below ``too_hard`` / above ``too_easy``;
    * ``weak-discrimination``: point-biserial below ``weak_discrimination``.

    Nothing is flagged below ``min_answers`` answers.

    >>> stats = ItemStats("x:verdict", n=20, share_correct=0.3, difficulty=0.8, se=0.5, discrimination=-0.2,
    ...                   common_wrong="genuine", common_wrong_n=14)
    >>> item_flags(stats)
    ('negative-discrimination', 'distractor')
    >>> item_flags(stats, min_answers=50)
    ()
    """
    if stats.n < min_answers:
        return ()
    flags = []
    if np.isfinite(stats.discrimination) and stats.discrimination < 0:
        flags.append("negative-discrimination")
    if stats.common_wrong is not None and stats.common_wrong_n > stats.share_correct * stats.n:
        flags.append("distractor")
    if stats.share_correct < too_hard:
        flags.append("too-hard")
    if np.isfinite(stats.discrimination) and 0 <= stats.discrimination < weak_discrimination:
        flags.append("weak-discrimination")
    if stats.share_correct > too_easy:
        flags.append("too-easy")
    return tuple(flags)


def calibrated_difficulties(sittings: Sequence[Mapping], prior: Mapping[str, float]) -> dict[str, float]:
    """Item difficulties for test assembly: penalised CML with each item's prior (logits).

    Items never answered keep their prior; the recorded answers move the
    others, the more the more answers there are.
    """
    x, ids = response_matrix(sittings, [i for i in sorted({i for s in sittings for i in s["answers"]})])
    if not ids:
        return {}
    fit = rasch_fit(x, prior_mean=np.array([prior.get(i, 0.0) for i in ids]), prior_sd=PRIOR_SD)
    return {i: float(b) for i, b in zip(ids, fit.difficulty) if np.isfinite(b)}


def form_reliability(sittings: Iterable[Mapping], item_ids: Sequence[str], *,
                     min_sittings: int = MIN_SITTINGS) -> tuple[float | None, int]:
    """KR-20 of a form over the sittings that answered every one of its items; ``(None, n)`` below ``min_sittings``."""
    complete = [s for s in sittings if all(i in s["answers"] for i in item_ids)]
    if len(complete) < min_sittings or len(item_ids) < 2:
        return None, len(complete)
    x, _ = response_matrix(complete, item_ids)
    return kr20(x), len(complete)


def answer_text(given) -> str:
    """An answer as stored, in a line (for tables)."""
    choice = _choice(given)
    return choice if choice is not None else json.dumps(given, ensure_ascii=False)
