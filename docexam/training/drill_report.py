"""The checkpoint drills and detection thresholds of a workshop, for its Key Results.

:func:`drill_results` replays every drill of the workshop and pools the
first-line decisions (hits, misses, false referrals, d′, c, time per
traveller, tools per decision; :mod:`docexam.drill.scoring`), per scenario
and in all; and sums up the officers' detection thresholds per technique,
before and after the training (:func:`docexam.drill.measure.group_thresholds`).
:func:`csv_rows` and :func:`html_section` give them to the report.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..drill.measure import GroupThreshold, group_thresholds
from ..drill.scoring import Score, score_cases
from ..i18n import translator


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    title: str
    drills: int
    officers: int
    score: Score


@dataclass(frozen=True)
class DrillResults:
    """What the workshop's drills and threshold measurements show."""

    drills: int
    officers: int
    score: Score | None
    scenarios: tuple[ScenarioResult, ...]
    thresholds: tuple[GroupThreshold, ...]


def drill_results(record, workshop_id: int) -> DrillResults:
    """The workshop's drills (first-line decisions pooled) and thresholds."""
    sessions = record.drill_sessions(workshop_id=workshop_id)
    by_scenario: dict[str, list] = {}
    officers_by: dict[str, set] = {}
    titles: dict[str, str] = {}
    counts: dict[str, int] = {}
    for session in sessions:
        state = record.drill_state(session.id)
        decided = [c for c in state.cases if c.decision is not None]
        by_scenario.setdefault(session.scenario.id, []).extend(decided)
        officers_by.setdefault(session.scenario.id, set()).update(c.called_by for c in decided)
        titles[session.scenario.id] = session.scenario.title
        counts[session.scenario.id] = counts.get(session.scenario.id, 0) + 1
    scenarios = tuple(ScenarioResult(sid, titles[sid], counts[sid], len(officers_by[sid]), score_cases(cases))
                      for sid, cases in sorted(by_scenario.items()))
    every = [c for cases in by_scenario.values() for c in cases]
    officers = set().union(*officers_by.values()) if officers_by else set()
    return DrillResults(drills=len(sessions), officers=len(officers), score=score_cases(every) if every else None,
                        scenarios=scenarios,
                        thresholds=tuple(group_thresholds(record.threshold_trials(workshop_id=workshop_id))))


def _num(value, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def csv_rows(dr: DrillResults) -> list[tuple[str, str, str, str, str]]:
    """Rows ``(section, indicator, group, value, unit)`` for the Key Results CSV."""
    rows = [("drills", "checkpoint drills played", "all", str(dr.drills), "drills"),
            ("drills", "officers at a counter", "all", str(dr.officers), "people")]
    for group, score in [("all", dr.score)] + [(f"scenario={s.scenario}", s.score) for s in dr.scenarios]:
        if score is None:
            continue
        rows += [("drills", "travellers decided", group, str(score.decided), "travellers"),
                 ("drills", "frauds stopped (hit rate)", group, _pct(score.hit_rate), "%"),
                 ("drills", "genuine travellers stopped (false referral rate)", group,
                  _pct(score.false_referral_rate), "%"),
                 ("drills", "d-prime", group, _num(score.d_prime), ""),
                 ("drills", "criterion c (negative: stops travellers readily)", group, _num(score.criterion), ""),
                 ("drills", "mean time per traveller", group, _num(score.mean_time_s, 1), "s"),
                 ("drills", "tools per decision", group, _num(score.tools_per_decision, 2), "")]
    for t in dr.thresholds:
        group = f"technique={t.technique}"
        rows += [("thresholds", "officers measured", group, str(t.officers), "people"),
                 ("thresholds", "mean threshold before", group, _num(t.mean_pre), "severity"),
                 ("thresholds", "mean threshold after", group, _num(t.mean_post), "severity"),
                 ("thresholds", "mean gain (before - after), officers measured twice", group,
                  _num(t.mean_gain), "severity")]
    return rows


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _table(header, rows) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _or_dash(text: str, unit: str = "") -> str:
    return f"{text}{unit}" if text else "–"


def html_section(dr: DrillResults, *, lang: str = "en") -> str:
    """The drills and thresholds as a section of the Key Results page, in language ``lang``."""
    if not dr.drills and not dr.thresholds:
        return ""
    _ = translator(lang).gettext
    parts = [f"<section><h2>{_e(_('Checkpoint drills'))}</h2>"]
    if dr.score is not None:
        rows = [(s.title, s.drills, s.score.decided, _or_dash(_pct(s.score.hit_rate), " %"),
                 _or_dash(_pct(s.score.false_referral_rate), " %"), _or_dash(_num(s.score.d_prime)),
                 _or_dash(_num(s.score.mean_time_s, 0), " s")) for s in dr.scenarios]
        score = dr.score
        rows.append((_("All drills"), dr.drills, score.decided, _or_dash(_pct(score.hit_rate), " %"),
                     _or_dash(_pct(score.false_referral_rate), " %"), _or_dash(_num(score.d_prime)),
                     _or_dash(_num(score.mean_time_s, 0), " s")))
        parts.append(_table((_("Scenario"), _("Drills"), _("Travellers decided"), _("Frauds stopped"),
                             _("Genuine stopped"), "d′", _("Time per traveller")), rows))
        parts.append('<p class="note">' + _e(_(
            "First-line decisions at simulated counters, pooled over officers: a referral or a refusal of a "
            "fraudulent traveller stops the fraud; of a genuine one, it stops a genuine traveller. Frauds are rare "
            "in the queue, as at a real border.")) + "</p>")
    if dr.thresholds:
        parts.append(f"<h3>{_e(_('Detection thresholds'))}</h3>")
        parts.append(_table((_("Technique"), _("Officers"), _("Before"), _("After"), _("Gain (measured twice)")), [
            (t.technique, t.officers, _or_dash(_num(t.mean_pre)), _or_dash(_num(t.mean_post)),
             _or_dash(_num(t.mean_gain)) + (f" (n = {t.paired})" if t.paired else "")) for t in dr.thresholds]))
        parts.append('<p class="note">' + _e(_(
            "The severity (0 subtle, 1 blatant) of the subtlest forgery an officer picks out three times in four; "
            "lower is better, and a positive gain means subtler forgeries are caught after the training.")) + "</p>")
    parts.append("</section>")
    return "".join(parts)
