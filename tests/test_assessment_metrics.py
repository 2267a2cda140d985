"""Metrics against numbers computed by hand: gains, share improved, d′, topic scores, survey."""

from __future__ import annotations

import pytest

from docexam.assessment.metrics import (class_normalized_gain, d_prime, gain_summary, mean_individual_gain,
                                        normalized_gain, overall_score, raw_gain, share_improved,
                                        signal_detection, topic_scores, weakest_topics)
from docexam.assessment.survey import InvalidAnswerError, survey_definition, survey_summary, validate_survey

# pre, post (fractions):  improved | got worse | 100 % on both | 100 % pre, slipped | no change
COHORT = [(0.40, 0.70), (0.50, 0.40), (1.00, 1.00), (1.00, 0.90), (0.60, 0.60)]


def test_individual_gains():
    assert raw_gain(0.4, 0.7) == pytest.approx(0.3)
    assert normalized_gain(0.4, 0.7) == pytest.approx(0.5)        # 0.3 of a possible 0.6
    assert normalized_gain(0.5, 0.4) == pytest.approx(-0.2)       # worse: negative, not clipped
    assert raw_gain(0.5, 0.4) == pytest.approx(-0.1)
    assert normalized_gain(1.0, 1.0) is None and normalized_gain(1.0, 0.9) is None
    assert normalized_gain(0.0, 1.0) == 1.0


def test_class_and_mean_individual_gain():
    # means: pre 3.5 / 5 = 0.70, post 3.6 / 5 = 0.72 -> <g> = 0.02 / 0.30
    assert class_normalized_gain(COHORT) == pytest.approx(0.02 / 0.30)
    m = mean_individual_gain(COHORT)
    # included: 0.5, -0.2, 0.0 ; excluded: the two trainees at 100 % on the pre-test
    assert m.mean == pytest.approx(0.1) and m.n == 3 and m.excluded == 2
    assert share_improved(COHORT) == pytest.approx(1 / 5)
    assert class_normalized_gain([(1.0, 1.0)]) is None
    assert mean_individual_gain([(1.0, 0.8)]).mean is None
    assert class_normalized_gain([]) is None and share_improved([]) is None


def test_dict_inputs_and_summary():
    rows = [{"pre": p, "post": q, "trainee": i} for i, (p, q) in enumerate(COHORT)]
    before = [dict(r) for r in rows]
    s = gain_summary(rows)
    assert rows == before
    assert s.n == 5 and s.gain_n == 3 and s.gain_excluded == 2
    assert s.mean_pre == pytest.approx(0.70) and s.mean_post == pytest.approx(0.72)
    assert s.mean_raw_gain == pytest.approx(0.02) and s.share_improved == pytest.approx(0.2)
    assert s.as_dict()["class_gain"] == pytest.approx(0.02 / 0.30)
    assert gain_summary([]).n == 0


@pytest.mark.parametrize("bad, match", [([(40, 70)], r"results\[0\]\.pre"), ([(0.4,)], r"results\[0\]"),
                                        ([{"pre": 0.4}], "pre' and 'post"), ([(0.4, True)], "post")])
def test_bad_gain_inputs(bad, match):
    with pytest.raises(ValueError, match=match):
        class_normalized_gain(bad)


def test_d_prime_hand_computed():
    # log-linear: H = 8.5 / 11 = .7727 -> z = .7479 ; F = 1.5 / 11 = .1364 -> z = -1.0968
    assert d_prime(8, 2, 1, 9) == pytest.approx(1.8447, abs=1e-4)
    # raw rates .8 and .2: z = ±.8416
    assert d_prime(8, 2, 2, 8, correction="none") == pytest.approx(1.6832, abs=1e-4)
    # perfect performance stays finite: H = 10.5 / 11, F = .5 / 11, z = ±1.6906
    assert d_prime(10, 0, 0, 10) == pytest.approx(3.3812, abs=1e-4)
    # chance: same hit and false-alarm rates
    assert d_prime(5, 5, 5, 5) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="correction"):
        d_prime(10, 0, 0, 10, correction="none")
    with pytest.raises(ValueError, match="correction"):
        d_prime(1, 1, 1, 1, correction="maybe")
    with pytest.raises(ValueError, match="false_alarms"):
        d_prime(1, 1, -1, 1)
    with pytest.raises(ValueError, match="genuine"):
        d_prime(3, 1, 0, 0)


def test_signal_detection():
    decisions = ([(True, True)] * 8 + [(True, False)] * 2 + [{"forged": False, "said_forged": True}]
                 + [(False, False)] * 9)
    d = signal_detection(decisions)
    assert (d.hits, d.misses, d.false_alarms, d.correct_rejections) == (8, 2, 1, 9)
    assert d.hit_rate == 0.8 and d.false_alarm_rate == 0.1
    assert d.d_prime == pytest.approx(1.8447, abs=1e-4)
    # c = -(.7479 - 1.0968) / 2 = .1745: a slight tendency to wave documents through
    assert d.criterion == pytest.approx(0.1745, abs=1e-4)
    only_forged = signal_detection([(True, True)])
    assert only_forged.d_prime is None and only_forged.false_alarm_rate is None
    with pytest.raises(ValueError, match=r"decisions\[0\]"):
        signal_detection([("yes", True)])


def test_topic_and_overall_scores():
    results = [{"topic": "mrz", "score": 1.0}, {"topic": "mrz", "score": 0.5},
               {"topic": "uv-ir", "score": 0.0}, {"topic": "printing", "score": 1.0}]
    scores = topic_scores(results)
    assert scores == {"mrz": 0.75, "printing": 1.0, "uv-ir": 0.0}
    assert overall_score(results) == pytest.approx(0.625)
    assert overall_score([]) is None
    assert weakest_topics(scores, count=2) == [("uv-ir", 0.0), ("mrz", 0.75)]
    with pytest.raises(ValueError, match=r"results\[0\]\.score"):
        topic_scores([{"topic": "mrz", "score": 2}])


def test_survey_validation_and_summary():
    assert validate_survey({"relevance": 4, "overall": 5, "comments": "  Good.  "}) == \
        {"relevance": 4, "overall": 5, "comments": "Good."}
    for bad, field in [({"relevance": 0, "overall": 3}, "relevance"), ({"relevance": 3}, "overall"),
                       ({"relevance": 3, "overall": 5.5}, "overall"), ({"relevance": True, "overall": 3}, "relevance"),
                       ({"relevance": 3, "overall": 3, "comments": 7}, "comments"),
                       ({"relevance": 3, "overall": 3, "mood": 1}, "mood"),
                       ({"relevance": 3, "overall": 3, "comments": "x" * 2001}, "comments")]:
        with pytest.raises(InvalidAnswerError, match=f"^{field}:"):
            validate_survey(bad)
    summary = survey_summary([{"relevance": 5, "overall": 4}, {"relevance": 4, "overall": 3},
                              {"relevance": 2, "overall": 5, "comments": "More UV practice."}])
    assert summary["n"] == 3 and summary["share_relevance_4_or_5"] == pytest.approx(2 / 3)
    assert summary["mean_overall"] == 4.0 and summary["comments"] == ["More UV practice."]
    assert [q["id"] for q in survey_definition()] == ["relevance", "overall", "comments"]
    assert all(q["text_km"] for q in survey_definition())
