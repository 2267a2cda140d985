"""The course a trainer sets for a workshop: the order of its steps, when each opens, the
certificate rule and the pass mark; what is open for a trainee now, and whether a
certificate is earned. Pure functions over plain values (the training record stores
the settings as JSON, the pages ask :func:`course_state`).

The steps are ``pre-test``, ``lessons`` (lessons, practice and refreshers),
``post-test`` and ``survey``; by default in that order. A step opens when
every step before it in the workshop's order is done and its opening time
(if the trainer set one) has come. ``lessons`` is done once each lesson has
``practice_per_lesson`` practice answers (0: as soon as it opens, the
trainer then opens the post-test by its time).

Examples
--------
>>> import datetime as dt
>>> s = CourseSettings()
>>> state = course_state(s, Progress(), now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
>>> state["pre-test"].open, state["lessons"].open, state["lessons"].after
(True, False, 'pre-test')
>>> certificate_decision(s, Progress(pre_done=True, post_done=True, survey_done=True), post_score=0.34).earned
False
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from ..i18n import N_, translator

STEPS = ("pre-test", "lessons", "post-test", "survey")
#: certificate rules: every step of the course done; post-test at or above the pass mark; both
CERTIFICATE_RULES = ("attendance", "pass-mark", "both")
#: a step not done, as the certificate's "missing" list says it
STEP_MISSING = {"pre-test": N_("the pre-test"), "lessons": N_("the lessons"), "post-test": N_("the post-test"),
                "survey": N_("the survey")}
DEFAULT_PASS_MARK = 0.7


@dataclass(frozen=True)
class CourseSettings:
    """What the trainer sets for one workshop."""

    order: tuple[str, ...] = STEPS
    #: step -> earliest time it opens (timezone-aware)
    opens_at: Mapping[str, dt.datetime] = field(default_factory=dict)
    pass_mark: float = DEFAULT_PASS_MARK
    certificate: str = "both"
    practice_per_lesson: int = 0

    def __post_init__(self):
        order = tuple(self.order)
        if len(set(order)) != len(order) or not set(order) <= set(STEPS):
            raise ValueError(f"order: expected distinct steps among {', '.join(STEPS)}, got {list(order)!r}")
        if "post-test" in order and "pre-test" in order and order.index("post-test") < order.index("pre-test"):
            raise ValueError("order: the post-test cannot come before the pre-test")
        for step, when in dict(self.opens_at).items():
            if step not in STEPS or not isinstance(when, dt.datetime) or when.tzinfo is None:
                raise ValueError(f"opens_at: {step!r} needs a step name and a timezone-aware time")
        if isinstance(self.pass_mark, bool) or not 0.0 <= float(self.pass_mark) <= 1.0:
            raise ValueError(f"pass_mark: expected a share from 0 to 1, got {self.pass_mark!r}")
        if self.certificate not in CERTIFICATE_RULES:
            raise ValueError(f"certificate: {self.certificate!r} is not one of {', '.join(CERTIFICATE_RULES)}")
        if isinstance(self.practice_per_lesson, bool) or not isinstance(self.practice_per_lesson, int) \
                or not 0 <= self.practice_per_lesson <= 100:
            raise ValueError(f"practice_per_lesson: expected 0 to 100, got {self.practice_per_lesson!r}")
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "opens_at", dict(self.opens_at))

    def as_dict(self) -> dict:
        """JSON-ready (times as ISO 8601)."""
        return {"order": list(self.order), "opens_at": {k: v.isoformat() for k, v in self.opens_at.items()},
                "pass_mark": float(self.pass_mark), "certificate": self.certificate,
                "practice_per_lesson": self.practice_per_lesson}

    @classmethod
    def from_dict(cls, data: Mapping | None) -> CourseSettings:
        """Inverse of :meth:`as_dict`; None or {} gives the defaults."""
        data = dict(data or {})
        opens = {k: dt.datetime.fromisoformat(v) for k, v in dict(data.get("opens_at") or {}).items()}
        return cls(order=tuple(data.get("order", STEPS)), opens_at=opens,
                   pass_mark=float(data.get("pass_mark", DEFAULT_PASS_MARK)),
                   certificate=data.get("certificate", "both"),
                   practice_per_lesson=int(data.get("practice_per_lesson", 0)))


@dataclass(frozen=True)
class Progress:
    """How far one trainee is."""

    pre_done: bool = False
    post_done: bool = False
    survey_done: bool = False
    #: lesson id -> practice answers given
    practised: Mapping[str, int] = field(default_factory=dict)
    lessons: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepState:
    step: str
    #: part of this workshop's course
    included: bool
    open: bool
    done: bool
    #: the step that must be done first (None when nothing is waited for)
    after: str | None = None
    #: the opening time still to come (None when none)
    opens_at: dt.datetime | None = None


def step_done(step: str, progress: Progress, settings: CourseSettings) -> bool:
    """True once ``step`` is done by the trainee."""
    if step == "pre-test":
        return progress.pre_done
    if step == "post-test":
        return progress.post_done
    if step == "survey":
        return progress.survey_done
    need = settings.practice_per_lesson
    return all(progress.practised.get(lesson, 0) >= need for lesson in progress.lessons) if need else True


def course_state(settings: CourseSettings, progress: Progress, *, now: dt.datetime) -> dict[str, StepState]:
    """Every step's state for one trainee at ``now`` (see the module docstring)."""
    out = {}
    blocking: str | None = None
    for step in STEPS:
        if step not in settings.order:
            out[step] = StepState(step, included=False, open=False, done=False)
    for step in settings.order:
        when = settings.opens_at.get(step)
        later = when if when is not None and now < when else None
        done = step_done(step, progress, settings)
        out[step] = StepState(step, included=True, open=blocking is None and later is None,
                              done=done, after=blocking, opens_at=later)
        if not done and blocking is None:
            blocking = step
    return out


@dataclass(frozen=True)
class CertificateDecision:
    earned: bool
    #: the rule in plain words, as printed on the certificate
    rule_text: str
    #: what is missing, in plain words (empty when earned)
    missing: tuple[str, ...] = ()


def rule_text(settings: CourseSettings, lang: str = "en") -> str:
    """The certificate rule in plain words, in ``lang`` (for the certificate and the trainer's page).

    >>> rule_text(CourseSettings(certificate="pass-mark", pass_mark=0.6))
    'Awarded for a post-test score of at least 60 %.'
    """
    tr, mark = translator(lang), f"{settings.pass_mark * 100:.0f}"
    if settings.certificate == "attendance":
        return tr.gettext("Awarded for taking part in every step of the course.")
    if settings.certificate == "pass-mark":
        return tr.gettext("Awarded for a post-test score of at least {mark} %.", mark=mark)
    return tr.gettext("Awarded for taking part in every step of the course and a post-test score of at least "
                      "{mark} %.", mark=mark)


def certificate_decision(settings: CourseSettings, progress: Progress, *,
                         post_score: float | None, lang: str = "en") -> CertificateDecision:
    """Whether the trainee has earned the certificate under the workshop's rule (its words in ``lang``)."""
    tr = translator(lang)
    missing = []
    if settings.certificate in ("attendance", "both"):
        missing += [tr.gettext(STEP_MISSING[step]) for step in settings.order
                    if not step_done(step, progress, settings)]
    if settings.certificate in ("pass-mark", "both"):
        if post_score is None or not progress.post_done:
            missing.append(tr.gettext(STEP_MISSING["post-test"]))
        elif post_score < settings.pass_mark:
            missing.append(tr.gettext("a post-test score of {mark} % (this post-test: {score} %)",
                                      mark=f"{settings.pass_mark * 100:.0f}", score=f"{post_score * 100:.0f}"))
    return CertificateDecision(earned=not missing, rule_text=rule_text(settings, lang),
                               missing=tuple(dict.fromkeys(missing)))
