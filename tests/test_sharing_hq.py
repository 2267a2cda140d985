"""The headquarters' configuration and routes, and a laptop's sync when the server is away."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess

import pytest

from docexam.signing import installation_key, sign_document, trust_key
from docexam.signing.keys import InstallationKey
from docexam.sharing import hq
from docexam.sharing.sync import SyncError, sync
from docexam.training import TrainingRecord

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_config_is_one_folder_nginx_accepts(tmp_path):
    files = hq.write_config(tmp_path / "hq", instances=3, first_port=8701, listen="127.0.0.1:8080",
                            database_url="postgresql+psycopg://docexam@db/docexam")
    names = sorted(p.name for p in files)
    assert names == ["README.txt", "docexam-app@.service", "docexam-hq-nginx.service", "docexam.env",
                     "nginx.conf", "start.sh"]
    conf = (tmp_path / "hq" / "nginx.conf").read_text()
    assert conf.count("server 127.0.0.1:87") == 3 and "hash $docexam_node consistent" in conf
    assert "proxy_set_header Upgrade $http_upgrade" in conf and "listen 127.0.0.1:8080;" in conf
    assert (tmp_path / "hq" / "docexam.env").stat().st_mode & 0o077 == 0
    if shutil.which("nginx") is None and not (tmp_path / NGINX).exists():
        pytest.skip("nginx is not installed (scripts/test installs Debian's nginx)")
    check = subprocess.run([NGINX, "-t", "-c", str(tmp_path / "hq" / "nginx.conf"), "-p", f"{tmp_path}/hq/"],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_config_refuses_sqlite(tmp_path):
    with pytest.raises(Exception, match="headquarters needs PostgreSQL"):
        hq.write_config(tmp_path, database_url="sqlite:///x.db")


def _laptop_export(tmp_path):
    record = TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    ws = record.create_workshop(title="Level 1", place="Koh Kong", province="Koh Kong",
                                start_date=dt.date(2026, 3, 3),
                                end_date=dt.date(2026, 3, 5), code="KK-01")
    me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
    record.join_workshop(me.id, ws.code)
    return record


def test_the_route_imports_only_what_a_trusted_key_signed(tmp_path, monkeypatch):
    from docexam.training.exchange import export_data

    monkeypatch.setenv("DOCEXAM_DATABASE_URL", f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    with _laptop_export(tmp_path) as laptop:
        data = export_data(laptop, "KK-01", with_pins=True)
    stranger = InstallationKey.generate()
    status, answer = hq.receive_records(json.dumps(sign_document(data, stranger)).encode(), source="push")
    assert status == 403 and "not trusted here" in answer["error"]
    trust_key(stranger.public_text, "Koh Kong laptop")
    status, answer = hq.receive_records(json.dumps(sign_document(data, stranger)).encode(), source="push")
    assert status == 200 and answer["added"]["trainees"] == 1
    status, answer = hq.receive_records(b"{not json", source="push")
    assert status == 400 and "line 1: JSON: Expecting property name" in answer["error"]


def test_an_offline_laptop_is_told_in_one_line_and_keeps_everything(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with _laptop_export(tmp_path) as laptop:
        with pytest.raises(SyncError) as info:
            sync(laptop, f"http://127.0.0.1:{port}", timeout=5)
        assert "\n" not in str(info.value) and "run docexam sync again when it is online" in str(info.value)
        assert laptop.workshop("KK-01").code == "KK-01"
    with pytest.raises(SyncError, match="expected an address"):
        sync(laptop, "hq.example")
    assert installation_key().public_text.startswith("ed25519:")


def test_self_study_records_and_refresher_schedules_reach_headquarters(tmp_path, monkeypatch):
    from docexam.assessment.refresher import new_card, record_review
    from docexam.training import self_study

    t0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.timezone.utc)
    laptop_key = InstallationKey.generate()
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as laptop:
        # an officer who studies alone: no workshop
        me = laptop.register_trainee(name="Chan Dara", department="Border police", province="Banteay Meanchey",
                                     pin="7305")
        for i, score in enumerate((1.0, 0.0, 1.0)):
            laptop.record_attempt(uuid=f"00000000-0000-4000-8000-00000000000{i}", trainee_id=me.id,
                                  item_id=f"stamp:{i}", item_type="verdict", topic="stamps", form="refresher",
                                  score=score, correct=score >= 0.5, answer={"choice": "genuine"},
                                  answered_at=t0 + dt.timedelta(minutes=i))
        card = record_review(new_card("stamp:1", now=t0), correct=False, now=t0)
        laptop.record_review(me.id, "stamp:1", card=card, topic="stamps")
        assert self_study.export_data(laptop)["attempts"][0]["form"] == "refresher"
        doc = sign_document(self_study.export_data(laptop, with_pins=True), laptop_key)

    monkeypatch.setenv("DOCEXAM_DATABASE_URL", f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    status, answer = hq.receive_records(json.dumps(doc).encode(), source="push")
    assert status == 403 and "not trusted here" in answer["error"]
    trust_key(laptop_key.public_text, "Banteay Meanchey laptop")
    status, answer = hq.receive_records(json.dumps(doc).encode(), source="push")
    assert status == 200, answer
    assert answer["added"] == {"trainees": 1, "attempts": 3, "reviews": 1}
    assert answer["summary"].startswith("self-study records, signed by")

    with TrainingRecord.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}") as hq_record:
        there = hq_record.find_trainee(name="Chan Dara", department="Border police", province="Banteay Meanchey")
        assert hq_record.authenticate(there.id, "7305").id == there.id  # the PIN chosen on the laptop
        history = hq_record.attempts_for(trainee_id=there.id)
        assert [(a.item_id, a.workshop_id, a.correct) for a in history] == [
            ("stamp:0", None, True), ("stamp:1", None, False), ("stamp:2", None, True)]
        assert [r.item_id for r in hq_record.due_items(there.id, now=t0 + dt.timedelta(days=1))] == ["stamp:1"]
        # the officer reviews the item at headquarters: that newer card is kept when the old one comes again
        newer = record_review(card, correct=True, now=t0 + dt.timedelta(days=1))
        hq_record.record_review(there.id, "stamp:1", card=newer, topic="stamps")

    status, answer = hq.receive_records(json.dumps(doc).encode(), source="push again")
    assert status == 200 and answer["import_id"] is None
    assert answer["added"] == {"trainees": 0, "attempts": 0, "reviews": 0}
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}") as hq_record:
        [state] = hq_record.review_states(there.id)
        assert state.card == newer
        first = [b for b in hq_record.imports() if b.kind == "self-study"]
        assert len(first) == 1
        hq_record.undo_import(first[0].id, note="pushed by mistake")
        assert hq_record.attempts_for(trainee_id=there.id) == []

    tampered = json.loads(json.dumps(doc))
    tampered["attempts"][0]["score"] = 0.0
    status, answer = hq.receive_records(json.dumps(tampered).encode(), source="push")
    assert status == 403 and "changed after" in answer["error"]
