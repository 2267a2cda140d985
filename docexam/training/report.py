"""A workshop's Key Results, as an implementing agency publishes them.

:func:`key_results` computes the figures from the training record;
:func:`to_csv` and :func:`to_html` render them. The HTML page is one
self-contained file (inline CSS and SVG charts, no scripts, no web fonts),
so it opens on an offline laptop and can be mailed or printed as it is.
It shows aggregates only: no trainee is named.

Definitions (stated on the page too):

- *trained*: trainees enrolled in the workshop.
- A trainee's test score is the mean item score, in percent, of the first
  answer to each item of that form (a repeated answer does not count twice).
- *assessed*: trainees with both a pre-test and a post-test score;
  *improved*: post-test score above pre-test score; *average improvement*:
  mean of (post - pre), in percentage points.
- Normalised gain (Hake): ``(post - pre) / (100 - pre)``; the class value
  uses the class means, the individual mean leaves out trainees who scored
  100 % on the pre-test (their gain is undefined).
- Detection: on genuine-or-forged decisions, hit = a forgery called forged,
  false alarm = a genuine document called forged; d' = z(hit rate) - z(false
  alarm rate), with the log-linear correction (add 0.5 to each count, 1 to
  each total) so that perfect scores stay finite.

The formulas are those of :mod:`docexam.assessment.metrics`; this module
only selects the answers and formats the figures.
- Weakest topics: the three lowest topic scores on the post-test (the
  pre-test, or all answers, when there is no post-test yet).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..i18n import translator
from . import drill_report
from . import schema as s
from .imports import counted, unverified_count
from .model import Workshop
from .merges import resolve
from .store import Store, get_workshop

#: how many topics the report names as weakest
N_WEAKEST = 3


@dataclass(frozen=True)
class TopicResult:
    """Mean item score (percent) in one topic on the pre- and post-test."""

    topic: str
    pre: float | None
    post: float | None
    practice: float | None
    n_pre: int
    n_post: int
    n_practice: int


@dataclass(frozen=True)
class Detection:
    """Genuine-or-forged decisions on one form."""

    form: str
    forged: int
    genuine: int
    hits: int
    false_alarms: int
    hit_rate: float | None
    false_alarm_rate: float | None
    d_prime: float | None
    criterion: float | None


@dataclass(frozen=True)
class TraineeGain:
    """One trainee's pre- and post-test scores (percent) and gains."""

    trainee_id: int
    department: str
    province: str
    pre: float | None
    post: float | None
    gain: float | None
    normalised_gain: float | None


@dataclass(frozen=True)
class KeyResults:
    """The Key Results of one workshop. Shares are fractions in [0, 1];
    scores and gains are percent and percentage points."""

    workshop: Workshop
    generated_at: dt.datetime
    trained: int
    by_department: tuple[tuple[str, int], ...]
    by_province: tuple[tuple[str, int], ...]
    by_rank: tuple[tuple[str, int], ...]
    assessed: int
    improved: int
    share_improved: float | None
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    hake_class: float | None
    hake_individual: float | None
    hake_individual_n: int
    trainees: tuple[TraineeGain, ...]
    detection: tuple[Detection, ...]
    respondents: int
    relevance_high: int
    share_relevance_high: float | None
    mean_overall: float | None
    relevance_counts: tuple[int, int, int, int, int]
    overall_counts: tuple[int, int, int, int, int]
    topics: tuple[TopicResult, ...]
    weakest_topics: tuple[str, ...]
    weakest_basis: str
    comments: tuple[str, ...]
    #: attempts brought by unverified imports: kept apart, not in any figure above
    unverified_attempts: int = 0
    #: per test form: (form, KR-20 or None below MIN_SITTINGS complete sittings, complete sittings)
    reliability: tuple[tuple[str, float | None, int], ...] = ()
    #: checkpoint drills and detection thresholds (:mod:`.drill_report`)
    drills: drill_report.DrillResults | None = None


# ------------------------------------------------------------------- figures

def _mean(values) -> float | None:
    values = list(values)
    return statistics.fmean(values) if values else None


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else 100.0 * fraction


def _counts(values) -> tuple[tuple[str, int], ...]:
    # most first, then alphabetical: the order a reader scans a bar chart in
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0].casefold())))


def key_results(record: Store, ref: int | str) -> KeyResults:
    """Compute the Key Results of workshop ``ref`` (id or code)."""
    # imported here: docexam.assessment loads numpy and OpenCV, which the
    # rest of the training record does not need
    from ..assessment import metrics

    t, e, a, sv = s.trainees, s.enrolments, s.attempts, s.surveys
    with record.snapshot() as conn:
        workshop = get_workshop(conn, ref)
        people = conn.execute(sa.select(t.c.id, t.c.department, t.c.province, t.c.rank)
                              .join(e, e.c.trainee_id == t.c.id).where(e.c.workshop_id == workshop.id)
                              .order_by(t.c.id)).all()
        answers = conn.execute(sa.select(a.c.trainee_id, a.c.item_id, a.c.topic, a.c.form, a.c.score,
                                         a.c.correct, a.c.specimen_genuine)
                               .where(a.c.workshop_id == workshop.id, counted(a, "attempt", verified_only=True))
                               .order_by(a.c.answered_at, a.c.id)).all()
        feedback = conn.execute(sa.select(sv.c.relevance, sv.c.overall, sv.c.comments)
                                .where(sv.c.workshop_id == workshop.id, counted(sv, "survey", verified_only=True))
                                .order_by(sv.c.submitted_at, sv.c.id)).all()
        unverified = unverified_count(conn, workshop.id)

    # two records of one officer (merged) count as one trainee: the record kept
    aliases = record.aliases()
    officers: dict[int, sa.Row] = {}
    for p in sorted(people, key=lambda p: (resolve(aliases, p.id) != p.id, p.id)):
        officers.setdefault(resolve(aliases, p.id), p)
    # first answer per trainee, form and item
    first: dict[tuple[int, str, str], sa.Row] = {}
    for row in answers:
        first.setdefault((resolve(aliases, row.trainee_id), row.form, row.item_id), row)
    people = list(officers.values())
    scores: dict[tuple[int, str], list[float]] = defaultdict(list)
    by_topic: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (tid, form, _item), row in first.items():
        scores[tid, form].append(float(row.score))
        by_topic[row.topic, "practice" if form == "refresher" else form].append(float(row.score))

    # the maths lives in docexam.assessment.metrics (fractions); the report shows percent
    gains, pairs = [], []
    for root, p in officers.items():
        pre = _mean(scores.get((root, "pre"), ()))
        post = _mean(scores.get((root, "post"), ()))
        both = pre is not None and post is not None
        normalised = metrics.normalized_gain(pre, post) if both else None
        gains.append(TraineeGain(trainee_id=root, department=p.department, province=p.province,
                                 pre=_percent(pre), post=_percent(post),
                                 gain=100.0 * metrics.raw_gain(pre, post) if both else None,
                                 normalised_gain=normalised))
        if both:
            pairs.append((pre, post))
    summary = metrics.gain_summary(pairs)

    detection = []
    for form in ("pre", "post"):
        decided = [r for r in first.values() if r.form == form and r.specimen_genuine is not None]
        # (is forged, said forged): a correct answer on a forgery says "forged"
        d = metrics.signal_detection([(not r.specimen_genuine, bool(r.correct) != bool(r.specimen_genuine))
                                      for r in decided])
        detection.append(Detection(form=form, forged=d.hits + d.misses, genuine=d.false_alarms + d.correct_rejections,
                                   hits=d.hits, false_alarms=d.false_alarms, hit_rate=d.hit_rate,
                                   false_alarm_rate=d.false_alarm_rate, d_prime=d.d_prime, criterion=d.criterion))

    topics = []
    for topic in sorted({topic for topic, _form in by_topic}, key=str.casefold):
        cell = {form: by_topic.get((topic, form), []) for form in ("pre", "post", "practice")}
        pct = {form: (100.0 * statistics.fmean(v) if v else None) for form, v in cell.items()}
        topics.append(TopicResult(topic=topic, pre=pct["pre"], post=pct["post"], practice=pct["practice"],
                                  n_pre=len(cell["pre"]), n_post=len(cell["post"]),
                                  n_practice=len(cell["practice"])))
    basis = next((form for form in ("post", "pre") if any(getattr(tr, form) is not None for tr in topics)), "all")
    if basis == "all":
        pooled: dict[str, list[float]] = defaultdict(list)
        for (topic, _form), values in by_topic.items():
            pooled[topic].extend(values)
        topic_means = {topic: statistics.fmean(values) for topic, values in pooled.items()}
    else:
        topic_means = {tr.topic: getattr(tr, basis) / 100.0 for tr in topics if getattr(tr, basis) is not None}
    weakest = tuple(topic for topic, _score in metrics.weakest_topics(topic_means, count=N_WEAKEST))

    relevance = [int(f.relevance) for f in feedback]
    overall = [int(f.overall) for f in feedback]
    high = sum(r >= 4 for r in relevance)
    return KeyResults(
        workshop=workshop, generated_at=dt.datetime.now(dt.timezone.utc), trained=len(people),
        by_department=_counts(p.department for p in people), by_province=_counts(p.province for p in people),
        by_rank=_counts(p.rank or "(not given)" for p in people),
        assessed=summary.n, improved=sum(g.gain > 0 for g in gains if g.gain is not None),
        share_improved=summary.share_improved,
        mean_pre=_percent(summary.mean_pre), mean_post=_percent(summary.mean_post),
        mean_gain=_percent(summary.mean_raw_gain),
        hake_class=summary.class_gain, hake_individual=summary.mean_individual_gain,
        hake_individual_n=summary.gain_n,
        trainees=tuple(gains), detection=tuple(detection),
        respondents=len(feedback), relevance_high=high,
        share_relevance_high=high / len(relevance) if relevance else None,
        mean_overall=_mean(overall),
        relevance_counts=tuple(relevance.count(k) for k in range(1, 6)),
        overall_counts=tuple(overall.count(k) for k in range(1, 6)),
        topics=tuple(topics), weakest_topics=weakest, weakest_basis=basis,
        comments=tuple(f.comments for f in feedback if f.comments.strip()),
        unverified_attempts=unverified, reliability=_reliability(record, workshop.id),
        drills=drill_report.drill_results(record, workshop.id) if hasattr(record, "drill_sessions") else None)


def _reliability(record, workshop_id: int) -> tuple:
    """KR-20 of the workshop's frozen pre- and post-test over its complete sittings."""
    # NumPy (as in key_results): only when a report is computed
    from ..assessment.itemstats import form_reliability

    forms = record.frozen_forms(workshop_id) if hasattr(record, "frozen_forms") else None
    if not forms:
        return ()
    sittings = record.sittings(workshop_id=workshop_id)
    out = []
    for form in ("pre", "post"):
        ids = [key[0] for key in forms.get(form, [])]
        value, n = form_reliability([x for x in sittings if x["form"] == form], ids)
        out.append((form, value, n))
    return tuple(out)


def to_text(kr: KeyResults) -> str:
    """The Key Results as plain text (a README example, a terminal)."""
    # the lessons package loads its item builders (NumPy): only for a text report
    from ..lessons.vocabulary import topic_label

    def pct(v):
        return "–" if v is None else f"{v:.0f} %"

    lines = [f"Key Results: {kr.workshop.title} ({kr.workshop.code}), {kr.workshop.place}",
             f"officers trained: {kr.trained}; assessed (pre- and post-test): {kr.assessed}",
             f"improved: {kr.improved} of {kr.assessed} ({pct(None if kr.share_improved is None else 100 * kr.share_improved)})"
             f"; mean score {pct(kr.mean_pre)} -> {pct(kr.mean_post)}"
             f" ({'–' if kr.mean_gain is None else f'{kr.mean_gain:+.1f}'} points)"
             f"; normalised gain (class) {'–' if kr.hake_class is None else f'{kr.hake_class:.2f}'}"]
    for d in kr.detection:
        lines.append(f"{d.form}-test genuine-or-forged: {d.hits}/{d.forged} forgeries caught, "
                     f"{d.false_alarms}/{d.genuine} genuine documents refused, "
                     f"d′ {'–' if d.d_prime is None else f'{d.d_prime:.2f}'}, "
                     f"criterion c {'–' if d.criterion is None else f'{d.criterion:+.2f}'}")
    for form, value, n in kr.reliability:
        lines.append(f"{form}-test reliability (KR-20, {n} complete sittings): "
                     + ("–" if value is None else f"{value:.2f}"))
    lines.append("score by topic (pre -> post):")
    for tr in kr.topics:
        lines.append(f"  {topic_label(tr.topic):<42} {pct(tr.pre):>6} -> {pct(tr.post):>6}")
    lines.append("weakest topics: " + ", ".join(topic_label(t) for t in kr.weakest_topics))
    lines.append(f"survey: {kr.respondents} answers, relevance 4 or 5: "
                 f"{pct(None if kr.share_relevance_high is None else 100 * kr.share_relevance_high)}, "
                 f"overall {'–' if kr.mean_overall is None else f'{kr.mean_overall:.1f}'} / 5")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------- CSV

def _num(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _pct(share: float | None) -> str:
    return _num(None if share is None else 100.0 * share)


def csv_rows(kr: KeyResults) -> list[tuple[str, str, str, str, str]]:
    """The Key Results as ``(section, indicator, group, value, unit)`` rows."""
    w = kr.workshop
    rows = [
        ("workshop", "code", "", w.code, ""),
        ("workshop", "title", "", w.title, ""),
        ("workshop", "place", "", f"{w.place}, {w.province}", ""),
        ("workshop", "dates", "", f"{w.start_date.isoformat()} to {w.end_date.isoformat()}", ""),
        ("workshop", "trainers", "", "; ".join(w.trainers), ""),
        ("participants", "trained", "all", str(kr.trained), "people"),
    ]
    for label, pairs in (("department", kr.by_department), ("province", kr.by_province), ("rank", kr.by_rank)):
        rows += [("participants", "trained", f"{label}={name}", str(n), "people") for name, n in pairs]
    rows += [
        ("knowledge", "assessed (pre- and post-test)", "all", str(kr.assessed), "people"),
        ("knowledge", "improved", "all", str(kr.improved), "people"),
        ("knowledge", "share improved", "all", _pct(kr.share_improved), "%"),
        ("knowledge", "mean pre-test score", "all", _num(kr.mean_pre), "%"),
        ("knowledge", "mean post-test score", "all", _num(kr.mean_post), "%"),
        ("knowledge", "average improvement", "all", _num(kr.mean_gain), "percentage points"),
        ("knowledge", "normalised gain (class average)", "all", _num(kr.hake_class, 3), ""),
        ("knowledge", "normalised gain (mean of individual gains)", "all", _num(kr.hake_individual, 3), ""),
    ]
    for d in kr.detection:
        rows += [
            ("detection", "forged specimens shown", d.form, str(d.forged), "decisions"),
            ("detection", "genuine specimens shown", d.form, str(d.genuine), "decisions"),
            ("detection", "hit rate (forgeries caught)", d.form, _pct(d.hit_rate), "%"),
            ("detection", "false alarm rate (genuine refused)", d.form, _pct(d.false_alarm_rate), "%"),
            ("detection", "d-prime", d.form, _num(d.d_prime, 2), ""),
            ("detection", "criterion c (negative: says forged readily)", d.form, _num(d.criterion, 2), ""),
        ]
    rows += [
        ("records", "answers from unverified imports (not counted)", "all", str(kr.unverified_attempts), "answers"),
        ("feedback", "respondents", "all", str(kr.respondents), "people"),
        ("feedback", "share rating relevance 4 or 5", "all", _pct(kr.share_relevance_high), "%"),
        ("feedback", "average overall rating", "all", _num(kr.mean_overall, 2), "out of 5"),
    ]
    rows += [("feedback", "relevance rating", f"rating={k}", str(n), "people")
             for k, n in enumerate(kr.relevance_counts, 1)]
    rows += [("feedback", "overall rating", f"rating={k}", str(n), "people")
             for k, n in enumerate(kr.overall_counts, 1)]
    for tr in kr.topics:
        rows += [("topics", "pre-test score", f"topic={tr.topic}", _num(tr.pre), "%"),
                 ("topics", "post-test score", f"topic={tr.topic}", _num(tr.post), "%")]
    rows += [("topics", f"weakest topic ({kr.weakest_basis})", f"rank={i}", topic, "")
             for i, topic in enumerate(kr.weakest_topics, 1)]
    if kr.drills is not None:
        rows += drill_report.csv_rows(kr.drills)
    return rows


#: a cell beginning with one of these is a formula to a spreadsheet (OWASP "CSV injection")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never run it.

    A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading ``'`` (OWASP's advice), so a name or title typed by
    a trainee cannot become a formula when the trainer opens the CSV; a plain
    number (``-0.35``) is left as it is.

    >>> spreadsheet_safe("=SUM(A1:A9)"), spreadsheet_safe("-0.35"), spreadsheet_safe("Kampot")
    ("'=SUM(A1:A9)", '-0.35', 'Kampot')
    """
    if cell.startswith(_FORMULA_STARTS) and not _NUMBER_RE.fullmatch(cell):
        return "'" + cell
    return cell


def to_csv(kr: KeyResults) -> str:
    """The Key Results as CSV text (header ``section,indicator,group,value,unit``), spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "indicator", "group", "value", "unit"))
    writer.writerows(tuple(spreadsheet_safe(str(cell)) for cell in row) for row in csv_rows(kr))
    return out.getvalue()


# ---------------------------------------------------------------------- HTML

_BLUE, _GREY, _GREEN, _ORANGE = "#1f5fa8", "#9aa5b1", "#2e7d32", "#c25e00"
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Khmer","Khmer OS",Arial,sans-serif;
margin:0;background:#f4f6f8;color:#1c2530;line-height:1.45}
main{max-width:960px;margin:0 auto;padding:24px}
header{border-bottom:4px solid #1f5fa8;margin-bottom:20px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;color:#1f5fa8}
.meta{color:#4a5866;margin:.3em 0 1em}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px}
.tile{background:#fff;border-radius:8px;padding:14px;box-shadow:0 1px 2px rgba(0,0,0,.12)}
.tile b{display:block;font-size:1.9em;color:#1f5fa8}.tile span{color:#4a5866;font-size:.9em}
section{background:#fff;border-radius:8px;padding:4px 18px 16px;margin-top:16px;box-shadow:0 1px 2px rgba(0,0,0,.12)}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{padding:4px 10px;border-bottom:1px solid #dde3e8;text-align:left}td.n{text-align:right}
svg{max-width:100%;height:auto;display:block;margin:.4em 0}
.note{color:#4a5866;font-size:.85em}blockquote{margin:.4em 0;padding:.3em .8em;border-left:3px solid #9aa5b1}
@media print{body{background:#fff}section,.tile{box-shadow:none;border:1px solid #ccc}}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _bars(rows: list[tuple[str, list[float | None]]], series: list[tuple[str, str]], *, max_value: float,
          unit: str = "", digits: int = 0, title: str, no_data: str = "no data") -> str:
    """A horizontal (grouped) bar chart as inline SVG."""
    label_w, bar_w, bar_h, gap = 210, 430, 16, 10
    legend_h = 24 if len(series) > 1 else 0
    group_h = bar_h * len(series) + gap
    height = legend_h + group_h * max(len(rows), 1) + 6
    width = label_w + bar_w + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>']
    x = label_w
    for name, colour in series if legend_h else []:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="15" font-size="12">{_e(name)}</text>')
        x += 40 + 7 * len(name)  # about 7 px a character at 12 px
    for r, (label, values) in enumerate(rows):
        y0 = legend_h + r * group_h
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y0 + group_h / 2 + 1:.0f}" font-size="13" text-anchor="end">'
                     f'<title>{_e(label)}</title>{_e(short)}</text>')
        for k, (value, (_name, colour)) in enumerate(zip(values, series)):
            y = y0 + k * bar_h
            if value is None:
                parts.append(f'<text x="{label_w + 4}" y="{y + bar_h - 4}" font-size="11" fill="#4a5866">'
                             f'{_e(no_data)}</text>')
                continue
            w = 0 if max_value <= 0 else bar_w * max(0.0, min(value, max_value)) / max_value
            parts.append(f'<rect x="{label_w}" y="{y + 1}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}"/>'
                         f'<text x="{label_w + w + 5:.1f}" y="{y + bar_h - 4}" font-size="11">'
                         f'{value:.{digits}f}{_e(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(header: tuple[str, ...], rows) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if i else f"<td>{_e(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _tile(value: str, label: str) -> str:
    return f'<div class="tile"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _or_dash(text: str, unit: str = "") -> str:
    return f"{text}{unit}" if text else "–"


def to_html(kr: KeyResults, *, lang: str = "en") -> str:
    """The Key Results as one self-contained HTML page with SVG charts, in language ``lang``."""
    tr = translator(lang)
    _ = tr.gettext
    w = kr.workshop
    gain = "" if kr.mean_gain is None else f"{kr.mean_gain:+.1f}"
    tiles = "".join((
        _tile(str(kr.trained), _("officers trained")),
        _tile(_or_dash(_pct(kr.share_improved), " %"),
              _("improved their score ({improved} of {assessed})", improved=kr.improved, assessed=kr.assessed)),
        _tile(_or_dash(gain, " pts"), _("average improvement, pre- to post-test")),
        _tile(_or_dash(_pct(kr.share_relevance_high), " %"), _("rate the training relevant (4 or 5 of 5)")),
        _tile(_or_dash(_num(kr.mean_overall, 1), " / 5"),
              _("average overall rating ({n} answers)", n=kr.respondents)),
    ))
    people = []
    for title, pairs in ((_("By department"), kr.by_department), (_("By province"), kr.by_province),
                         (_("By rank"), kr.by_rank)):
        top = max((n for _name, n in pairs), default=0)
        people.append(f"<h3>{_e(title)}</h3>" + _bars([(name, [n]) for name, n in pairs], [(_("trained"), _BLUE)],
                                                      max_value=top, no_data=_("no data"),
                                                      title=_("Officers trained, {group}", group=title)))
    knowledge = _table((_("Indicator"), _("Value")), [
        (_("Trainees with pre- and post-test"), kr.assessed),
        (_("Improved (post above pre)"), f"{kr.improved} ({_or_dash(_pct(kr.share_improved), ' %')})"),
        (_("Mean pre-test score"), _or_dash(_num(kr.mean_pre), " %")),
        (_("Mean post-test score"), _or_dash(_num(kr.mean_post), " %")),
        (_("Average improvement (percentage points)"), _or_dash(gain)),
        (_("Normalised gain, class average"), _or_dash(_num(kr.hake_class, 2))),
        (_("Normalised gain, mean of individual gains (n = {n})", n=kr.hake_individual_n),
         _or_dash(_num(kr.hake_individual, 2))),
    ])
    if kr.assessed:
        knowledge += _bars([(_("Pre-test"), [kr.mean_pre]), (_("Post-test"), [kr.mean_post])],
                           [(_("score"), _BLUE)], max_value=100, unit=" %", no_data=_("no data"),
                           title=_("Mean score before and after the workshop"))
    detection = _table((_("Genuine-or-forged decisions"), _("Pre-test"), _("Post-test")), [
        (_("Forged specimens shown"), *(d.forged for d in kr.detection)),
        (_("Forgeries caught (hit rate)"), *(_or_dash(_pct(d.hit_rate), " %") for d in kr.detection)),
        (_("Genuine specimens shown"), *(d.genuine for d in kr.detection)),
        (_("Genuine documents refused (false alarm rate)"),
         *(_or_dash(_pct(d.false_alarm_rate), " %") for d in kr.detection)),
        (_("Sensitivity d′"), *(_or_dash(_num(d.d_prime, 2)) for d in kr.detection)),
    ])
    tested = [t for t in kr.topics if t.pre is not None or t.post is not None]
    topic_chart = _bars([(t.topic, [t.pre, t.post]) for t in tested],
                        [(_("Pre-test"), _GREY), (_("Post-test"), _BLUE)], max_value=100, unit=" %",
                        no_data=_("no data"), title=_("Mean score by topic, pre- and post-test")
                        ) if tested else f"<p>{_e(_('No test answers yet.'))}</p>"
    basis = {"post": _("post-test"), "pre": _("pre-test"), "all": _("all answers")}[kr.weakest_basis]
    weakest = ("<ol>" + "".join(f"<li>{_e(topic)}</li>" for topic in kr.weakest_topics) + "</ol>"
               f'<p class="note">{_e(_("Lowest mean scores on the {basis}: where the next refresher should start.", basis=basis))}</p>'
               ) if kr.weakest_topics else f"<p>{_e(_('No answers yet.'))}</p>"
    ratings = _bars([(_("{k} of 5", k=k), [kr.relevance_counts[k - 1], kr.overall_counts[k - 1]])
                     for k in range(5, 0, -1)],
                    [(_("Relevance to daily work"), _GREEN), (_("Overall rating"), _ORANGE)],
                    max_value=max((*kr.relevance_counts, *kr.overall_counts, 1)), no_data=_("no data"),
                    title=_("Survey answers: relevance and overall rating"))
    comments = "".join(f"<blockquote>{_e(c)}</blockquote>" for c in kr.comments) or f"<p>{_e(_('No comments.'))}</p>"
    unverified = (" " + _("{n} answers came in unverified imports (files not signed by a key trusted here); they are "
                          "not counted in any figure.", n=kr.unverified_attempts) if kr.unverified_attempts else "")
    topic_rows = [(t.topic, _or_dash(_num(t.pre), " %"), _or_dash(_num(t.post), " %"), _or_dash(_num(t.practice), " %"))
                  for t in kr.topics]
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(_("Key Results: {title} ({code})", title=w.title, code=w.code))}</title>
<style>{_CSS}</style></head>
<body><main>
<header><p class="meta">{_e(_("Key Results · travel document examination training"))}</p>
<h1>{_e(w.title)}</h1>
<p class="meta">{_e(w.place)}, {_e(w.province)} · {_e(_("{start} to {end}", start=w.start_date.isoformat(), end=w.end_date.isoformat()))}
 · {_e(_("workshop {code}", code=w.code))} · {_e(_("trainers: {names}", names=", ".join(w.trainers) or "–"))}</p></header>
<div class="tiles">{tiles}</div>
<section><h2>{_e(_("Officers trained"))}</h2>{"".join(people)}</section>
<section><h2>{_e(_("Knowledge gain"))}</h2>{knowledge}
<p class="note">{_e(_("A trainee's score is the mean item score of the first answer to each item. Normalised gain "
                     "(Hake) is (post − pre) / (100 − pre); the mean of individual gains leaves out trainees who "
                     "had a full score on the pre-test."))}</p></section>
<section><h2>{_e(_("Spotting forgeries: genuine or forged?"))}</h2>{detection}
<p class="note">{_e(_("Missing a forgery and refusing a genuine traveller are different errors, so both rates are "
                     "shown. d′ measures how well forgeries are told from genuine documents (0 = guessing; "
                     "log-linear correction)."))}</p></section>
<section><h2>{_e(_("Scores by topic"))}</h2>{topic_chart}{_table(
        (_("Topic"), _("Pre-test"), _("Post-test"), _("Practice")), topic_rows)}
<h3>{_e(_("Weakest topics"))}</h3>{weakest}</section>
{drill_report.html_section(kr.drills, lang=lang) if kr.drills is not None else ""}
<section><h2>{_e(_("Trainees' feedback"))}</h2>{ratings}{_table((_("Indicator"), _("Value")), [
        (_("Respondents"), kr.respondents),
        (_("Rate relevance to daily work 4 or 5"),
         f"{kr.relevance_high} ({_or_dash(_pct(kr.share_relevance_high), ' %')})"),
        (_("Average overall rating"), _or_dash(_num(kr.mean_overall, 2), " / 5"))])}
<h3>{_e(_("Comments"))}</h3>{comments}</section>
<p class="note">{_e(_("Generated by docexam on {date}. Aggregates only; no trainee is named.",
                     date=kr.generated_at.strftime("%Y-%m-%d %H:%M UTC")))}{_e(unverified)}</p>
</main></body></html>
"""
