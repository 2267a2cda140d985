"""What drills will show, listed in the order to render it before anyone asks.

Two things take a render: the travellers of the scenarios' queues, and the
threshold trials' forgeries. A queue is known from its scenario (seeded).
A staircase's trials are not known in advance, but the severities it can
ask for are: the finite grid :data:`~docexam.drill.staircase.LEVELS`, with
:data:`~docexam.drill.measure.VARIANTS` documents each, for every technique
a trial can be made of. :func:`staircase_forgeries` lists all of them,
those a staircase asks for soonest first (:func:`first_asked`: the
staircase's decision tree, walked from its prior); ``docexam drills
prepare`` cuts every one (:class:`~docexam.drill.trials.CropsJob`), so an
answer only puts four cut crops together.

Examples
--------
>>> asked = first_asked(depth=2)
>>> asked[(0.5, 0)], sorted(level for (level, variant), d in asked.items() if d == 1)
(0, [0.4, 0.7])
"""

from __future__ import annotations

import functools

from ..specimens.techniques import TECHNIQUES
from ..synth.designs import DESIGNS
from .material import TravellerJob
from .measure import VARIANTS
from .staircase import LEVELS, Staircase
from .trials import GENUINE_POOL, TRIAL_CROPS, CropsJob, DocumentJob, TrialForgery, TrialJob, TrialRecipe, \
    fitting_templates, genuine_document

#: answers of the staircase's decision tree walked to order the levels (all levels are reached by 8)
ASKED_DEPTH = 9
#: forgeries a staircase asks for within this many answers are cut before the rest of the queues' travellers
EARLY_DEPTH = 3


@functools.lru_cache(maxsize=4)
def first_asked(*, depth: int = ASKED_DEPTH) -> dict:
    """(level, variant) -> the earliest trial (0-based) at which a staircase may show it.

    Walks every sequence of right and wrong answers to ``depth`` trials from
    the prior (``2**depth`` staircases); trial ``n`` uses variant ``n %``
    :data:`~docexam.drill.measure.VARIANTS` (:func:`docexam.drill.measure.trial_recipe`).
    """
    asked: dict = {}
    front = [Staircase()]
    for n in range(depth):
        after = []
        for staircase in front:
            level = staircase.next_level()
            asked.setdefault((level, n % VARIANTS), n)
            after += [staircase.updated(level, True), staircase.updated(level, False)]
        front = after
    return asked


def measurable_techniques() -> list[str]:
    """Techniques a threshold can be measured for: those a synthetic template can carry."""
    return [t for t in TECHNIQUES if fitting_templates(t)]


def staircase_forgeries(techniques=None, *, levels=LEVELS, variants: int = VARIANTS) -> list[TrialForgery]:
    """Every forgery a staircase can ask for: each technique at each level, each variant; soonest asked first.

    Within the same need, grouped by template (a render process keeps a
    template's reference pages decoded).
    """
    techniques = measurable_techniques() if techniques is None else list(techniques)
    asked = first_asked()
    out = [TrialForgery(t, float(level), v) for t in techniques for level in levels for v in range(variants)]
    order = {t: i for i, t in enumerate(techniques)}
    return sorted(out, key=lambda f: (asked.get((f.severity, f.variant), ASKED_DEPTH), abs(f.severity - 0.5),
                                      f.template(), order[f.technique], f.variant))


def ahead_jobs(queues, *, first: int = 4, techniques=None) -> list:
    """Everything drills will show, in the order to render it before anyone asks.

    The ``first`` travellers of every queue (position by position, the
    queues in turn), then each technique's first threshold trial (the
    staircase's first level, every position of the forged crop), then the
    genuine documents every trial's crops come from, then the forgeries a
    staircase asks for in its first :data:`EARLY_DEPTH` trials, then the
    rest of the queues, then every other forgery a staircase can ask for.
    ``techniques`` limits the trials to these (default: every one measurable).
    """
    techniques = measurable_techniques() if techniques is None else list(techniques)
    longest = max((len(q) for q in queues), default=0)
    travellers = [[TravellerJob(q[position]) for q in queues if position < len(q)] for position in range(longest)]
    level = Staircase().next_level()
    trials = [TrialJob(TrialRecipe(technique, level, 0, position)) for technique in techniques
              for position in range(TRIAL_CROPS)]
    templates = sorted({f for t in techniques for f in fitting_templates(t)} or DESIGNS)
    pool = [DocumentJob(genuine_document(template, n)) for n in range(GENUINE_POOL) for template in templates]
    asked = first_asked()
    forgeries = [CropsJob(f) for f in staircase_forgeries(techniques)
                 if not (f.severity == level and f.variant == 0)]  # cut by the first trials already
    early = [j for j in forgeries if asked.get((j.forgery.severity, j.forgery.variant), ASKED_DEPTH) < EARLY_DEPTH]
    early_set = set(early)
    late = [j for j in forgeries if j not in early_set]
    return [job for row in travellers[:first] for job in row] + trials + pool + early + \
        [job for row in travellers[first:] for job in row] + late
