"""A seeded cohort answering a workshop's real pre- and post-test: the README's Key Results example.

Each simulated officer has an ability θ (logits, drawn from the seed) that
grows by ``gain`` between the tests; an item of Rasch difficulty b (its prior,
:func:`docexam.assessment.forms.prior_logit`) is answered right with
probability 1 / (1 + exp(b - θ)). Two officers answer "forged" to every
genuine-or-forged question, as an over-cautious trainee does. Everything is
written through the training record, so the report reads it as it reads a
real workshop.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid

from ..assessment.forms import prior_logit
from ..assessment.scoring import score_item

#: the cohort: officers, their mean ability before and after (logits), and how many always say "forged"
TRAINEES = 24
PRE_MEAN, GAIN, SPREAD = -0.3, 0.9, 0.8
ALWAYS_FORGED = 2


def _answer_for(item, right: bool, always_forged: bool):
    """The answer a simulated officer gives: the key's option when right, another option when wrong."""
    if item.type == "locate":
        target = item.key["targets"][0]["bbox"]
        return {"point": [(target[0] + target[2]) // 2, (target[1] + target[3]) // 2]} if right else {"point": [0, 0]}
    if item.type == "verdict" and always_forged:
        return {"choice": "forged"}
    options = [o["id"] for o in item.shown.get("options", [])]
    wrong = [o for o in options if o != item.key["answer"]] or options
    return {"choice": item.key["answer"] if right else wrong[0]}


def simulate_cohort(record, forms: dict, *, seed: int = 1, trainees: int = TRAINEES, code: str = "DEMO-1"):
    """Write a workshop ``code`` answered by a seeded cohort; returns the workshop.

    ``forms``: ``{"pre": [Item], "post": [Item]}`` (the workshop's forms).
    """

    rng = random.Random(seed)
    ws = record.create_workshop(title="Document examination, level 1", place="Poipet",
                                province="Banteay Meanchey", start_date=dt.date(2026, 3, 2),
                                end_date=dt.date(2026, 3, 4), trainers=["Trainer A"], code=code)
    record.freeze_forms(ws.id, {name: [[i.id, i.topic] for i in items] for name, items in forms.items()})
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)
    departments = ("Immigration", "Border Police", "Anti-Trafficking Police", "Maritime Police")
    for k in range(trainees):
        me = record.register_trainee(name=f"Officer {k + 1:02d}", department=departments[k % 4],
                                     province=("Banteay Meanchey", "Koh Kong")[k % 2], pin="2468")
        record.join_workshop(me.id, ws.code)
        theta = rng.gauss(PRE_MEAN, SPREAD)
        always = k < ALWAYS_FORGED
        for day, form in enumerate(("pre", "post")):
            ability = theta + (GAIN if form == "post" else 0.0)
            for n, item in enumerate(forms[form]):
                right = rng.random() < 1.0 / (1.0 + math.exp(prior_logit(item) - ability))
                answer = _answer_for(item, right, always)
                score = float(score_item(item, answer))
                record.record_attempt(uuid=str(uuid.UUID(int=rng.getrandbits(128))), trainee_id=me.id,
                                      workshop_id=ws.id, item_id=item.id, item_type=item.type,
                                      topic=item.topic or "review", form=form, score=score, correct=score >= 0.5,
                                      answer=answer, answered_at=start + dt.timedelta(days=2 * day, minutes=n),
                                      specimen_genuine=(item.key["answer"] == "genuine")
                                      if item.type == "verdict" else None)
        record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=rng.choice((3, 4, 4, 5, 5)),
                             overall=rng.choice((3, 4, 4, 5)))
    return ws
