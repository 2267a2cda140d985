"""Assessment: scoring answers, parallel test forms, knowledge gain, survey, refreshers.

Everything here is a pure function over plain values (items, dicts, numbers),
so the training record (:mod:`docexam.training`) can call it on what it reads
from its database:

* :mod:`.scoring` - one answer to one item -> 0..1;
* :mod:`.metrics` - topic and overall scores, gains (raw, Hake), share
  improved, hits / false alarms / d′;
* :mod:`.forms` - pre-test and post-test as parallel forms of one blueprint
  (0-1 linear programming: genuine share, no repeated specimen, matched difficulty);
* :mod:`.psychometrics` - Rasch difficulty (conditional ML), point-biserial
  discrimination, KR-20 reliability;
* :mod:`.survey` - the feedback survey;
* :mod:`.refresher` - FSRS spaced repetition and readiness per topic.
"""

from .forms import blueprint_from_lessons, check_blueprint, fit_forms, parallel_forms, pool_capacity
from .metrics import (Detection, GainSummary, MeanGain, class_normalized_gain, d_prime, gain_summary,
                      mean_individual_gain, normalized_gain, overall_score, raw_gain, share_improved,
                      signal_detection, topic_scores, weakest_topics)
from .refresher import due_queue, is_correct, new_card, readiness, record_review, retrievability
from .scoring import InvalidAnswerError, score_answer, score_item, verdict_decision
from .survey import SURVEY, survey_definition, survey_summary, validate_survey

__all__ = [
    "Detection", "GainSummary", "InvalidAnswerError", "MeanGain", "SURVEY",
    "blueprint_from_lessons", "check_blueprint", "fit_forms", "class_normalized_gain", "d_prime", "due_queue",
    "gain_summary", "is_correct", "mean_individual_gain", "new_card", "normalized_gain",
    "overall_score", "parallel_forms", "pool_capacity", "raw_gain", "readiness", "record_review",
    "retrievability", "score_answer", "score_item", "share_improved", "signal_detection",
    "survey_definition", "survey_summary", "topic_scores", "validate_survey", "verdict_decision",
    "weakest_topics",
]
