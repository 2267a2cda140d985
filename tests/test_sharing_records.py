"""Trusted training records: signed workshop exports, refused tampering, imports undone as one unit."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import sqlalchemy as sa

from docexam.errors import InputFileError
from docexam.signing import installation_key, trust_key
from docexam.training import TrainingRecord, schema
from docexam.training.imports import AlreadyUndoneError, UnknownImportError
from docexam.training.report import to_html


def _answer(record, trainee, ws, form, scores):
    for i, score in enumerate(scores):
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=ws.id,
                              item_id=f"item-{i}", item_type="verdict", topic="mrz", form=form, score=score,
                              correct=score >= 0.5, answer={"verdict": "forged"}, specimen_genuine=False)


def _counts(record) -> dict:
    with record.engine.connect() as conn:
        return {t.name: conn.scalar(sa.select(sa.func.count()).select_from(t))
                for t in schema.metadata.sorted_tables}


def _figures(record, code):
    kr = record.key_results(code)
    return (kr.trained, kr.assessed, kr.improved, kr.mean_pre, kr.mean_post, kr.mean_gain, kr.respondents)


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    """A provincial laptop (its own DOCEXAM_HOME, so its own key) with a workshop of two officers.

    Known figures: Sok scores 25 % on the pre-test and 100 % on the post-test; Dara 50 % on the
    pre-test and, in a later export, 75 % on the post-test.
    """
    home = tmp_path / "laptop-home"
    monkeypatch.setenv("DOCEXAM_HOME", str(home))
    record = TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    ws = record.create_workshop(title="Level 1", place="Koh Kong", province="Koh Kong",
                                start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code="KK-01")
    sok = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
    dara = record.register_trainee(name="Chan Dara", department="Immigration", province="Koh Kong", pin="1357")
    for me in (sok, dara):
        record.join_workshop(me.id, ws.code)
    _answer(record, sok, ws, "pre", [0, 0, 0, 1])
    _answer(record, sok, ws, "post", [1, 1, 1, 1])
    _answer(record, dara, ws, "pre", [0, 1, 0, 1])
    first = record.export_workshop(ws.code, tmp_path / "first.json")
    _answer(record, dara, ws, "post", [1, 1, 0, 1])
    second = record.export_workshop(ws.code, tmp_path / "second.json")
    key = installation_key().public_text
    record.close()
    return {"first": first, "second": second, "key": key, "home": home}


@pytest.fixture
def hq(tmp_path, monkeypatch, db_url):
    """Headquarters: another DOCEXAM_HOME (another key) and its own database."""
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "hq-home"))
    with TrainingRecord.open(db_url) as record:
        yield record


def test_a_signed_export_from_a_trusted_laptop_is_imported_and_undone_as_a_unit(laptop, hq):
    trust_key(laptop["key"], "Koh Kong laptop")
    first = hq.import_workshop(laptop["first"])
    assert first.verified and first.signer.name == "Koh Kong laptop" and first.import_id is not None
    assert first.added == {"workshops": 1, "trainees": 2, "enrolments": 2, "attempts": 12, "surveys": 0,
                           "course": 0, "merges": 0}
    # Sok: 25 -> 100; Dara: pre-test only
    after_first = (2, 1, 1, 25.0, 100.0, 75.0, 0)
    assert _figures(hq, "KK-01") == after_first

    second = hq.import_workshop(laptop["second"])
    assert second.added["attempts"] == 4 and second.duplicates["attempts"] == 12
    # Dara: 50 -> 75; means over both officers
    assert _figures(hq, "KK-01") == (2, 2, 2, 37.5, 87.5, 50.0, 0)
    rows_before_undo = _counts(hq)

    undone = hq.undo_import(second.import_id, note="sent twice by mistake")
    assert undone.undone and undone.undo_note == "sent twice by mistake"
    assert _figures(hq, "KK-01") == after_first  # the Key Results return to what they were
    assert _counts(hq)["attempts"] == rows_before_undo["attempts"]  # nothing deleted: append-only
    assert len(hq.attempts_for(workshop_id=hq.workshop("KK-01").id)) == 12
    with pytest.raises(AlreadyUndoneError):
        hq.undo_import(second.import_id)

    # the rollback is recorded, and the same file may be imported again
    batches = {b.id: b for b in hq.imports()}
    assert batches[second.import_id].undone_at is not None and batches[first.import_id].undone_at is None
    again = hq.import_workshop(laptop["second"])
    assert again.added["attempts"] == 4 and again.import_id not in (first.import_id, second.import_id)
    assert _figures(hq, "KK-01") == (2, 2, 2, 37.5, 87.5, 50.0, 0)

    # undoing everything leaves an empty workshop, not a broken one
    hq.undo_import(again.import_id)
    hq.undo_import(first.import_id)
    kr = hq.key_results("KK-01")
    assert (kr.trained, kr.assessed, kr.mean_pre) == (0, 0, None)
    with pytest.raises(UnknownImportError):
        hq.undo_import(9999)


def test_a_second_import_of_the_same_file_records_nothing(laptop, hq):
    trust_key(laptop["key"], "Koh Kong laptop")
    hq.import_workshop(laptop["first"])
    before = _counts(hq)
    again = hq.import_workshop(laptop["first"])
    assert again.import_id is None and set(again.added.values()) == {0}
    assert _counts(hq) == before


def test_a_tampered_export_is_refused_with_one_line_and_nothing_written(laptop, hq, tmp_path):
    trust_key(laptop["key"], "Koh Kong laptop")
    data = json.loads(laptop["first"].read_text(encoding="utf-8"))
    pre = next(a for a in data["attempts"] if a["form"] == "pre" and a["score"] == 0)
    pre["score"], pre["correct"] = 1.0, True  # a perfect answer where there was none
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, indent=1), encoding="utf-8")
    before = _counts(hq)
    with pytest.raises(InputFileError) as info:
        hq.import_workshop(tampered)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(tampered))
    assert "changed after it was signed; nothing imported" in message
    assert _counts(hq) == before

    # unsigned: refused too
    data.pop("signature")
    tampered.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputFileError, match="not signed.*nothing imported"):
        hq.import_workshop(tampered)
    assert _counts(hq) == before


def test_an_untrusted_export_is_refused_or_taken_unverified_and_kept_apart(laptop, hq):
    before = _counts(hq)
    with pytest.raises(InputFileError, match=r"key not trusted here \(.*\); .*docexam keys trust"):
        hq.import_workshop(laptop["first"])
    assert _counts(hq) == before

    # the trainer's explicit override: imported, but no Key Results figure counts it
    result = hq.import_workshop(laptop["first"], allow_unverified=True)
    assert not result.verified and result.signer.name is None and "UNVERIFIED" in result.summary()
    kr = hq.key_results("KK-01")
    assert (kr.assessed, kr.mean_pre, kr.unverified_attempts) == (0, None, 12)
    assert "12 answers came in unverified imports" in to_html(kr)
    # ... while the officers' own history shows them
    sok = hq.find_trainee(name="Sok Chea", department="Immigration", province="Koh Kong")
    assert len(hq.attempts_for(trainee_id=sok.id)) == 8
    # and PIN hashes never come from an unverified file
    assert not [b for b in hq.imports() if b.verified]


def test_pins_travel_only_in_a_trusted_push(laptop, hq, monkeypatch):
    from docexam.signing import sign_document
    from docexam.training.exchange import export_data, import_document

    monkeypatch.setenv("DOCEXAM_HOME", str(laptop["home"]))
    with TrainingRecord.open(f"sqlite:///{laptop['first'].parent / 'laptop.sqlite3'}") as record:
        doc = sign_document(export_data(record, "KK-01", with_pins=True), installation_key())
    assert len(doc["pins"]) == 2
    monkeypatch.setenv("DOCEXAM_HOME", str(laptop["home"].parent / "hq-home"))
    trust_key(laptop["key"], "Koh Kong laptop")
    import_document(hq, doc, source="push")
    sok = hq.find_trainee(name="Sok Chea", department="Immigration", province="Koh Kong")
    assert hq.authenticate(sok.id, "4821") == sok  # the PIN chosen on the laptop
