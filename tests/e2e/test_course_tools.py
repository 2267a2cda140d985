"""The course tools in a real headless Chromium, as a person clicks through them: an officer on a phone
reads the reference of genuine documents (English, then Khmer); a trainer merges two records of one
officer and undoes it, and changes the workshop's course order."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder: shared helpers
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_lessons_support import build_library  # noqa: E402
from test_ui_browser import (ARTIFACTS, FIRST_DRAW_S, REPO, _free_port, browser, running_app,  # noqa: E402,F401
                             wait_idle)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSPHRASE = "poipet-border-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free port, with a workshop, two records of one officer and the trainer passphrase set."""
    import datetime as dt

    from docexam.cli.app import streamlit_command
    from docexam.training import TrainingRecord

    home = tmp_path_factory.mktemp("e2e-course-home")
    lib = build_library(home, home / "lib")
    with TrainingRecord.open(f"sqlite:///{home / 'training.sqlite3'}") as record:
        record.set_trainer_passphrase(PASSPHRASE)
        record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                               start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code="PP-1")
        for department in ("Immigration Poipet", "Immigration - Poipet checkpoint"):
            me = record.register_trainee(name="Sok Chea", department=department, province="Banteay Meanchey",
                                         pin="4821")
            record.join_workshop(me.id, "PP-1")
    port = _free_port()
    env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_SPECIMENS_DIR=str(lib),
               DOCEXAM_DATABASE_URL=f"sqlite:///{home / 'training.sqlite3'}")
    with running_app(streamlit_command(host="127.0.0.1", port=port), port=port, cwd=REPO, env=env,
                     log_path=home / "server.log") as url:
        yield url, home


def _open(browser, url, *, width, height):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
    wait_idle(page)
    return page


def _failing(page, name):
    page.screenshot(path=str(ARTIFACTS / f"e2e-{name}-failure.png"), full_page=True)


def _nav(page, name):
    """A page of the sidebar."""
    page.get_by_role("link", name=name).click()
    wait_idle(page)


def test_an_officer_reads_the_reference_on_a_phone(browser, server):
    url, _home = server
    page = _open(browser, url, width=360, height=780)
    try:
        page.goto(f"{url}/reference")  # an officer's bookmark; the sidebar is folded away on a phone
        page.get_by_role("heading", name="Genuine documents and their security features").wait_for(
            timeout=FIRST_DRAW_S * 1000)
        wait_idle(page)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="Demo passport (test)").click()
        wait_idle(page)
        # the document itself, its features numbered on it
        page.locator(".dx-stage").first.wait_for()
        page.get_by_test_id("stSelectbox").nth(1).click()
        page.get_by_role("option", name="3. Microprint").click()
        wait_idle(page)
        page.get_by_role("heading", name="3. Microprint").wait_for()
        page.get_by_text("With a magnifier you").wait_for()
        # one close-up per light, each with its marks drawn by the browser
        assert page.locator(".dx-stage").count() >= 3
        assert page.locator(".dx-marks text").count() >= 1  # the numbers on the whole document
        # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
        page.screenshot(path=str(ARTIFACTS / "e2e-reference-phone.png"), full_page=True)
        page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stSidebar").get_by_text("ខ្មែរ", exact=True).click()
        wait_idle(page)
        page.get_by_role("heading", name="ឯកសារពិត និងលក្ខណៈសុវត្ថិភាពរបស់វា").wait_for()
    except Exception:
        _failing(page, "reference")
        raise
    finally:
        page.close()


def test_a_trainer_merges_two_records_undoes_it_and_sets_the_course(browser, server):
    from docexam.assessment.course import CourseSettings
    from docexam.training import TrainingRecord

    url, home = server
    page = _open(browser, url, width=1280, height=900)
    try:
        _nav(page, "Trainer sign in")
        page.get_by_label("Trainer passphrase").fill(PASSPHRASE)
        page.get_by_role("button", name="Unlock").click()
        page.get_by_text("Trainer pages unlocked.").wait_for()
        wait_idle(page)

        _nav(page, "Trainees")
        page.get_by_role("tab", name="Merge two records").click()
        page.get_by_role("button", name="Compare: Sok Chea (Immigration Poipet").click()
        wait_idle(page)
        page.get_by_text("Immigration - Poipet checkpoint").first.wait_for()
        page.get_by_label("Why (kept with the merge)").fill("typed his unit twice")
        page.get_by_text("I have checked: these two records are the same officer.").click()
        page.get_by_role("button", name="Merge the two records").click()
        wait_idle(page)
        page.get_by_text("Every answer is kept; the merge can be undone below.").wait_for()
        page.screenshot(path=str(ARTIFACTS / "e2e-trainer-merged.png"), full_page=True)
        with TrainingRecord.open(f"sqlite:///{home / 'training.sqlite3'}") as record:
            (merge,) = record.merges()
            assert merge.active and merge.note == "typed his unit twice"
        page.get_by_role("tab", name="Merge two records").click()
        page.get_by_role("button", name="Undo").click()
        # the run the click starts may not have begun when the page first looks idle: wait for its answer
        page.get_by_text("Undone: the two records count apart again.").wait_for()
        with TrainingRecord.open(f"sqlite:///{home / 'training.sqlite3'}") as record:
            assert not record.merges()[0].active

        _nav(page, "Course settings")
        page.get_by_role("heading", name="Course settings").wait_for()
        # drop the survey (the last step) from this workshop's course: a backspace in the steps' box removes it
        page.get_by_test_id("stMultiSelect").first.locator("input").click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        wait_idle(page)
        page.get_by_role("button", name="Save the course settings").click()
        page.get_by_text("Saved: trainees follow the new settings").wait_for()
        with TrainingRecord.open(f"sqlite:///{home / 'training.sqlite3'}") as record:
            ws = record.workshop("PP-1")
            assert record.course_settings(ws.id) == CourseSettings(order=("pre-test", "lessons", "post-test"))
    except Exception:
        _failing(page, "trainer")
        raise
    finally:
        page.close()
