"""Key Results of a seeded cohort (known answers), and the training CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import statistics
import uuid

import pytest

from docexam.cli import main
from docexam.training import TrainingRecord, kdf
from docexam.training.report import key_results, to_csv, to_html

T0 = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone.utc)

# The cohort. Pre- and post-test have 4 items each, in two topics:
#   1 mrz verdict (forged)  2 mrz verdict (genuine)  3 printing locate  4 printing verdict (forged)
ITEMS = [("mrz", "verdict", False), ("mrz", "verdict", True), ("printing", "locate", None),
         ("printing", "verdict", False)]
COHORT = [
    # name, department, province, pre scores, post scores, survey (relevance, overall) or None
    ("Chea", "Immigration", "Banteay Meanchey", [1, 0, 0, 0], [1, 1, 1, 0], (5, 4)),   # 25 -> 75
    ("Dara", "Immigration", "Banteay Meanchey", [1, 1, 0, 0], [1, 1, 1, 1], (4, 5)),   # 50 -> 100
    ("Kosal", "Immigration", "Koh Kong", [1, 1, 1, 1], [1, 1, 1, 0], (3, 3)),          # 100 -> 75: worse
    ("Mealea", "Maritime Police", "Koh Kong", [0, 0, 0, 0], [0, 0, 1, 0], (5, 4)),     # 0 -> 25
    ("Rith", "Maritime Police", "Banteay Meanchey", [1, 0, 1, 0], [1, 0, 1, 0], (2, 4)),  # 50 -> 50
    ("Sophea", "Border Patrol", "Banteay Meanchey", [1, 1, 0, 0], None, None),          # left before the post-test
]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    # PIN hashing is not under test here; the real cost is tested elsewhere
    monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)


def _answer(record, trainee, workshop, item, form, score, when):
    topic, item_type, genuine = ITEMS[int(item[-1]) - 1]
    return record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=workshop.id,
                                 lesson_id=f"lesson-{topic}", item_id=item, item_type=item_type, topic=topic,
                                 form=form, score=score, correct=score >= 0.5, specimen_genuine=genuine,
                                 answer={"given": score}, answered_at=when)


def seed_cohort(record: TrainingRecord):
    ws = record.create_workshop(title="Detecting fraudulent travel documents", place="Poipet",
                                province="Banteay Meanchey", start_date=dt.date(2025, 3, 3),
                                end_date=dt.date(2025, 3, 5), trainers=["Sok Pisey", "Jane Roe"], code="BMC-25-01")
    # registered, never joined: not counted as trained
    record.register_trainee(name="Visitor", department="Customs", province="Koh Kong", pin="1234")
    people = {}
    for k, (name, dept, prov, pre, post, survey) in enumerate(COHORT):
        me = record.register_trainee(name=name, department=dept, province=prov, rank="Lieutenant" if k % 2 else "",
                                     pin="1234")
        record.join_workshop(me.id, ws.code)
        people[name] = me
        for i, score in enumerate(pre, 1):
            _answer(record, me, ws, f"pre-{i}", "pre", score, T0 + dt.timedelta(minutes=i))
        for i, score in enumerate(post or [], 1):
            _answer(record, me, ws, f"post-{i}", "post", score, T0 + dt.timedelta(days=2, minutes=i))
        if survey:
            record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=survey[0], overall=survey[1],
                                 comments=f"Comment from {dept} <b>" if k == 0 else "")
    # a second answer to a pre-test item does not count (the first one does)
    _answer(record, people["Chea"], ws, "pre-1", "pre", 0.0, T0 + dt.timedelta(hours=1))
    # practice in a third topic: not a test score, not in the post-test ranking
    me = people["Dara"]
    record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id="uv-1",
                          item_type="light", topic="uv-ir", form="practice", score=0.0, correct=False,
                          answered_at=T0 + dt.timedelta(days=1))
    return ws


@pytest.fixture
def cohort(tmp_path):
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'cohort.sqlite3'}") as record:
        ws = seed_cohort(record)
        yield record, ws


def test_key_results_known_answers(cohort):
    record, ws = cohort
    kr = key_results(record, ws.code)
    assert kr.trained == 6
    assert kr.by_department == (("Immigration", 3), ("Maritime Police", 2), ("Border Patrol", 1))
    assert kr.by_province == (("Banteay Meanchey", 4), ("Koh Kong", 2))
    assert kr.by_rank == (("(not given)", 3), ("Lieutenant", 3))
    # knowledge: five trainees took both tests
    assert kr.assessed == 5 and kr.improved == 3 and kr.share_improved == pytest.approx(0.6)
    assert kr.mean_pre == pytest.approx(45.0) and kr.mean_post == pytest.approx(65.0)
    assert kr.mean_gain == pytest.approx(20.0)
    assert kr.hake_class == pytest.approx(20 / 55)
    # individual gains: 50/75, 50/50, (Kosal at 100 % left out), 25/100, 0/50
    assert kr.hake_individual_n == 4
    assert kr.hake_individual == pytest.approx((50 / 75 + 1.0 + 0.25 + 0.0) / 4)
    kosal = next(g for g in kr.trainees if g.pre == 100.0)
    assert kosal.gain == -25.0 and kosal.normalised_gain is None
    # detection: pre 6 of 12 forgeries caught, 3 of 6 genuine refused; post 5 of 10, 2 of 5
    pre, post = kr.detection
    assert (pre.forged, pre.hits, pre.genuine, pre.false_alarms) == (12, 6, 6, 3)
    assert (post.forged, post.hits, post.genuine, post.false_alarms) == (10, 5, 5, 2)
    assert pre.d_prime == pytest.approx(0.0, abs=1e-12)
    z = statistics.NormalDist().inv_cdf
    assert post.d_prime == pytest.approx(z(5.5 / 11) - z(2.5 / 6))
    assert post.hit_rate == 0.5 and post.false_alarm_rate == pytest.approx(0.4)
    # topics: pre mrz 8/12, printing 3/12; post mrz 7/10, printing 6/10
    topics = {t.topic: t for t in kr.topics}
    assert set(topics) == {"mrz", "printing", "uv-ir"}
    assert topics["mrz"].pre == pytest.approx(200 / 3) and topics["mrz"].post == pytest.approx(70.0)
    assert topics["printing"].pre == pytest.approx(25.0) and topics["printing"].post == pytest.approx(60.0)
    assert topics["uv-ir"].practice == 0.0 and topics["uv-ir"].post is None
    assert kr.weakest_topics == ("printing", "mrz") and kr.weakest_basis == "post"
    # survey
    assert kr.respondents == 5 and kr.relevance_high == 3 and kr.share_relevance_high == pytest.approx(0.6)
    assert kr.mean_overall == pytest.approx(4.0)
    assert kr.relevance_counts == (0, 1, 1, 1, 2) and kr.overall_counts == (0, 0, 1, 3, 1)
    assert kr.comments == ("Comment from Immigration <b>",)


def _csv(text):
    return {(r["section"], r["indicator"], r["group"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


def test_csv_report(cohort):
    record, ws = cohort
    rows = _csv(to_csv(key_results(record, ws.code)))
    assert rows["workshop", "code", ""] == "BMC-25-01"
    assert rows["participants", "trained", "all"] == "6"
    assert rows["participants", "trained", "department=Immigration"] == "3"
    assert rows["participants", "trained", "province=Koh Kong"] == "2"
    assert rows["knowledge", "share improved", "all"] == "60.0"
    assert rows["knowledge", "average improvement", "all"] == "20.0"
    assert rows["knowledge", "normalised gain (class average)", "all"] == "0.364"
    assert rows["feedback", "share rating relevance 4 or 5", "all"] == "60.0"
    assert rows["feedback", "average overall rating", "all"] == "4.00"
    assert rows["topics", "weakest topic (post)", "rank=1"] == "printing"
    assert rows["detection", "d-prime", "post"] == "0.21"


def test_html_report_is_self_contained(cohort):
    record, ws = cohort
    page = to_html(key_results(record, ws.code))
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 5
    lowered = page.lower()
    for external in ("<script", "src=", "href=", "@import", "url(", "<link"):
        assert external not in lowered
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert "Comment from Immigration &lt;b&gt;" in page  # trainee text is escaped
    for name, *_ in COHORT:
        assert name not in page  # aggregates only
    assert "60.0 %" in page and "+20.0 pts" in page and "4.0 / 5" in page


def test_empty_workshop_report(tmp_path):
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}") as record:
        ws = record.create_workshop(title="Empty", place="Koh Kong", province="Koh Kong",
                                    start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 1))
        kr = key_results(record, ws.id)
        assert kr.trained == 0 and kr.share_improved is None and kr.weakest_topics == ()
        assert "<svg" in to_html(kr) and to_csv(kr).startswith("section,indicator,group,value,unit\n")


# ---------------------------------------------------------------------- CLI

def test_cli_workshop_and_report(cohort, tmp_path, capsys, monkeypatch):
    record, ws = cohort
    monkeypatch.setenv("DOCEXAM_DATABASE_URL", record.url)
    assert main(["workshop", "create", "--title", "Refresher", "--place", "Sihanoukville", "--province",
                 "Preah Sihanouk", "--start", "2025-06-02", "--end", "2025-06-03", "--trainer", "Jane Roe"]) == 0
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert main(["workshop", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(w["code"], w["trainees"]) for w in listed] == [(code, 0), ("BMC-25-01", 6)]

    assert main(["report", "workshop", "bmc-25-01", "--format", "csv"]) == 0
    assert _csv(capsys.readouterr().out)["knowledge", "improved", "all"] == "3"
    out = tmp_path / "reports" / "bmc.html"
    assert main(["report", "workshop", str(ws.id), "--format", "html", "--out", str(out)]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")

    export = tmp_path / "bmc.json"
    assert main(["workshop", "export", "BMC-25-01", "--out", str(export)]) == 0
    hq = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    capsys.readouterr()
    assert main(["workshop", "import", str(export), "--database", hq]) == 0
    # the visitor never joined, so is not exported
    assert "added 1 workshops, 6 trainees, 6 enrolments, 46 attempts, 5 surveys" in capsys.readouterr().out
    assert main(["workshop", "import", str(export), "--database", hq]) == 0
    assert "duplicates skipped: 1 workshops, 6 trainees, 6 enrolments, 46 attempts, 5 surveys" in \
        capsys.readouterr().out


@pytest.mark.parametrize("argv, problem", [
    (["report", "workshop", "NOPE", "--format", "csv"], "unknown workshop 'NOPE'"),
    (["workshop", "import", "{missing}"], "missing.json: file not found"),
    (["workshop", "import", "{garbage}"], "garbage.json: line 1: JSON: "),
    (["workshop", "list", "--database", "nosuchdb://x"], "training database URL"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, argv, problem):
    (tmp_path / "garbage.json").write_text("{{{", encoding="utf-8")
    argv = [a.format(missing=tmp_path / "missing.json", garbage=tmp_path / "garbage.json") for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err


def test_html_report_in_khmer(cohort):
    record, ws = cohort
    kr = key_results(record, ws.code)
    page = to_html(kr, lang="km")
    assert '<html lang="km">' in page
    for words in ("ការកើនឡើងនៃចំណេះដឹង", "មន្ត្រីដែលបានបណ្តុះបណ្តាល", "ប្រធានបទខ្សោយបំផុត", "តាមខេត្ត"):
        assert words in page
    for english in ("Knowledge gain", "Officers trained", "Weakest topics", "By province", "officers trained"):
        assert english not in page  # every heading and label through the catalogue
    assert "60.0 %" in page and "4.0 / 5" in page  # the same figures as in English
    assert "Knowledge gain" in to_html(kr)  # English stays the default
