"""A headquarters on this machine: PostgreSQL, two app processes and Debian's nginx in front.

A provincial laptop (its own DOCEXAM_HOME and SQLite record) records a
trainee's answers, pushes them signed through nginx (``docexam sync``) and
pulls headquarters' pack; then the trainee signs in at headquarters, through
the proxy in headless Chromium, with the PIN chosen on the laptop, and finds
the laptop's answers in the history and headquarters' alert on the home page.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from docexam.assessment.refresher import new_card, record_review

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder: shared helpers

from conftest import PG_ENV  # noqa: E402
from sharing_fixtures import make_alert, make_specimen, make_template  # noqa: E402
from test_lessons_support import build_library  # noqa: E402
from test_ui_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, FIRST_DRAW_S, _free_port, wait_idle  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _wait(url: str, procs, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"{p.args[:3]} exited with status {p.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s")


@pytest.fixture(scope="module")
def headquarters(tmp_path_factory):
    """PostgreSQL (a schema of its own), two app processes and nginx, all on free ports."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server (bash scripts/test starts one)")
    if not Path(NGINX).is_file():
        pytest.skip(f"nginx is not installed ({NGINX}); scripts/test installs Debian's nginx with apt")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM})")
    from docexam.cli.app import streamlit_command
    from docexam.sharing.hq import write_config
    from docexam.signing import installation_key

    home = tmp_path_factory.mktemp("hq-home")
    lib = build_library(home, home / "lib")
    make_template(home)
    make_specimen("hq-photo-swap", home=home)
    make_alert("hq-photo-swap-alert", specimen="hq-photo-swap", home=home, title="Photo swapped, seen at HQ")
    schema = f"docexam_hq_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)
    old_home = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(home)
    try:
        hq_key = installation_key().public_text
    finally:
        os.environ["DOCEXAM_HOME"] = old_home or ""
    ports, listen = [_free_port(), _free_port()], _free_port()
    out = home / "hq-config"
    write_config(out, ports=ports, listen=f"127.0.0.1:{listen}", database_url=url, home=home)
    env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_SPECIMENS_DIR=str(lib), DOCEXAM_DATABASE_URL=url)
    logs, procs = [], []
    try:
        for port in ports:
            logs.append(open(home / f"app-{port}.log", "wb"))
            procs.append(subprocess.Popen(streamlit_command(host="127.0.0.1", port=port), env=env,
                                          stdout=logs[-1], stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen([NGINX, "-c", str(out / "nginx.conf"), "-p", f"{out}/", "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            _wait(f"http://127.0.0.1:{port}/_stcore/health", procs)
        base = f"http://127.0.0.1:{listen}"
        _wait(f"{base}/_stcore/health", procs)
        yield {"url": base, "home": home, "db": url, "key": hq_key, "ports": ports, "config": out}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _laptop(tmp_path):
    from docexam.training import TrainingRecord

    record = TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    ws = record.create_workshop(title="Document examination, level 1", place="Koh Kong", province="Koh Kong",
                                start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code="KK-07")
    me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
    record.join_workshop(me.id, ws.code)
    for i, score in enumerate((0.0, 1.0, 1.0, 0.0)):
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id=f"f-photo:{i}",
                              item_type="verdict", topic="personalization", form="pre", score=score,
                              correct=score >= 0.5, answer={"choice": "forged"}, specimen_genuine=False)
    # a refresher answered alone on the laptop after the course (no workshop), with its schedule
    record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, item_id="f-photo:9", item_type="verdict",
                          topic="personalization", form="refresher", score=1.0, correct=True,
                          answer={"choice": "forged"}, specimen_genuine=False)
    now = dt.datetime.now(dt.timezone.utc)
    record.record_review(me.id, "f-photo:9", card=record_review(new_card("f-photo:9", now=now), correct=True, now=now),
                         topic="personalization")
    return record


def test_a_laptops_records_reach_the_trainee_at_headquarters(headquarters, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    from docexam.sharing.alerts import list_alerts
    from docexam.sharing.sync import SyncError, sync
    from docexam.signing import installation_key, trust_key
    from docexam.signing.keys import keys_dir

    # each side trusts the other's key (their trainers read the fingerprints to each other)
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "laptop-home"))
    laptop_key = installation_key().public_text
    trust_key(headquarters["key"], "Headquarters")
    monkeypatch.setenv("DOCEXAM_HOME", str(headquarters["home"]))
    trust_key(laptop_key, "Koh Kong laptop")
    assert (keys_dir() / "trusted.json").is_file()

    # a stranger's push is refused by the server, through the proxy
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "stranger-home"))
    (tmp_path / "stranger").mkdir()
    with _laptop(tmp_path / "stranger") as stranger:
        with pytest.raises(SyncError, match=r"refused it \(403\): .*not trusted here"):
            sync(stranger, headquarters["url"], pull_pack=False)

    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "laptop-home"))
    with _laptop(tmp_path) as laptop:
        lines = sync(laptop, headquarters["url"])
        assert "workshop KK-07" in lines[0] and "added 1 workshops, 1 trainees, 1 enrolments, 4 attempts" in lines[0]
        assert lines[1].startswith("self-study records: ") and "added 0 trainees, 1 attempts, 1 reviews" in lines[1]
        assert "headquarters' pack: added 4" in lines[2]  # 2 templates, a specimen, the alert
        assert [a.id for a in list_alerts()] == ["hq-photo-swap-alert"]  # pulled, verified, imported
        again = sync(laptop, headquarters["url"])
        assert again == ["workshop KK-07: unchanged since the last push",
                         "self-study records: unchanged since the last push",
                         "headquarters' pack: unchanged since the last sync"]

    engine = sa.create_engine(headquarters["db"], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM attempts a JOIN trainees t ON t.id = a.trainee_id "
                                   "WHERE t.name = 'Sok Chea'")) == 5
        assert conn.scalar(sa.text("SELECT count(*) FROM reviews r JOIN trainees t ON t.id = r.trainee_id "
                                   "WHERE t.name = 'Sok Chea'")) == 1
    engine.dispose()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        try:
            page.goto(headquarters["url"])
            assert "docexam_node" in [c["name"] for c in page.context.cookies()]  # the sticky session
            page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
            page.get_by_label("Full name").fill("Sok Chea")
            page.get_by_label("Department or unit").fill("Immigration")
            page.get_by_label("Province").fill("Koh Kong")
            page.get_by_label("PIN (4 to 12 digits)").fill("4821")  # chosen on the laptop
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Welcome, Sok Chea").wait_for()
            wait_idle(page)
            page.get_by_text("New alert: Photo swapped, seen at HQ").wait_for()
            page.get_by_role("link", name="My results").click()
            page.get_by_role("heading", name="Your training history").wait_for()
            row = page.get_by_role("row").filter(has_text="KK-07")
            row.wait_for()
            cells = [c.strip() for c in row.inner_text().split("\t")]
            # course, place, answers, correct: the laptop's four answers, two of them right
            assert cells[:4] == ["KK-07: Document examination, level 1", "Koh Kong, Koh Kong", "4", "2"]
            alone = [c.strip() for c in page.get_by_role("row").filter(has_text="Self-study").inner_text().split("\t")]
            assert alone[0] == "Self-study" and alone[2:4] == ["1", "1"]  # the refresher answered on the laptop
            page.screenshot(path=str(ARTIFACTS / "hq-history.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "hq-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
