"""The checkpoint drill end to end in a real headless Chromium: alone, and as a team of two officers
in two browser contexts (a phone and a laptop): a referral with its note reaches the second line, which
decides; the decisions are in the training record.

The documents are small pictures already in the drill's cache (``fake_material``): the pages and the
team's shared state are under test here, the renderer in ``test_drill_material.py`` and the load
benchmark. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder: shared helpers

from test_drill_support import fake_material  # noqa: E402
from test_lessons_support import build_library  # noqa: E402
from test_ui_browser import (ARTIFACTS, FIRST_DRAW_S, REPO, _free_port, running_app,  # noqa: E402,F401
                             browser, wait_idle)  # browser: a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: a phone's viewport (the second-line officer checks referrals on a phone)
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``docexam app`` on a free port; every shipped scenario's travellers already in the drill's cache.

    The background preparation is "running" but never encodes a picture (this process holds its lock), as
    when the room's browsers keep the cores busy and the low-priority preparation gets no CPU: the pages
    must show their pictures all the same (issue 16: the counter's document never came).
    """
    from docexam.cli.app import streamlit_command
    from docexam.drill.material import document_kinds, technique_fits
    from docexam.drill.scenario import load_scenarios
    from docexam.drill.travellers import plan_queue
    from docexam.ui import prepare

    home = tmp_path_factory.mktemp("e2e-drill-home")
    lib = build_library(home, home / "lib")
    old = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(home)
    try:
        for s in load_scenarios():
            fake_material(plan_queue(s, kinds=document_kinds(), fits=technique_fits))
        stalled = prepare.claim()
        assert stalled is not None and prepare.running()
    finally:
        if old is None:
            os.environ.pop("DOCEXAM_HOME", None)
        else:
            os.environ["DOCEXAM_HOME"] = old
    port = _free_port()
    env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_SPECIMENS_DIR=str(lib), DOCEXAM_RENDER_WORKERS="0")
    env.pop("DOCEXAM_DATABASE_URL", None)
    try:  # a shared, busy machine may take minutes to start Python
        with running_app(streamlit_command(host="127.0.0.1", port=port), port=port, cwd=REPO, env=env,
                         log_path=home / "server.log", timeout=180) as url:
            yield url, home
    finally:
        stalled.close()


def _page(browser, viewport=None):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Department or unit").fill("Immigration")
    page.get_by_label("Province").fill("Koh Kong")
    page.get_by_label("PIN (4 to 12 digits)").fill("4821")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=f"Welcome, {name}").wait_for()
    wait_idle(page)


def open_drill(page, scenario: str, mode: str) -> None:
    link = page.get_by_role("link", name="Checkpoint drill")
    phone = not link.is_visible() or not link.bounding_box() or link.bounding_box()["x"] < 0
    if phone:
        page.get_by_test_id("stExpandSidebarButton").click()  # a phone: the sidebar is folded away
    link.click()
    if phone:  # and folds it again, as a person would, to reach the page under it
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click(force=True)
    page.get_by_role("heading", name="Checkpoint drill").wait_for()
    wait_idle(page)
    if scenario:
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=scenario).click()
        wait_idle(page)
    page.get_by_text(mode, exact=True).click()
    wait_idle(page)


def document_shown(page) -> None:
    """The document's picture is on screen (loaded by the browser, not just its frame)."""
    img = page.locator(".dx-stage img").first
    img.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                           timeout=30_000)


def record_state(home: Path, name: str):
    from docexam.training import TrainingRecord

    old = os.environ.get("DOCEXAM_HOME")
    os.environ["DOCEXAM_HOME"] = str(home)
    try:
        with TrainingRecord.open() as record:
            me = next(t for t in record.trainees() if t.name == name)
            session = record.drill_sessions(trainee_id=me.id)[0]
            return record.drill_state(session.id), me
    finally:
        if old is None:
            os.environ.pop("DOCEXAM_HOME", None)
        else:
            os.environ["DOCEXAM_HOME"] = old


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_a_solo_drill_in_the_browser(browser, server):
    url, home = server
    context, page = _page(browser)
    try:
        sign_in(page, url, "Sok Chea")
        open_drill(page, "Quiet night shift with one impostor", "Alone")
        page.get_by_role("button", name="Go").click()
        call = page.get_by_role("button", name="Call the next traveller")
        call.wait_for()
        wait_idle(page)
        # alone, the shift's clock runs in the browser: it moves on between the server's runs
        clock = page.get_by_test_id("stMetricValue").first
        before = clock.inner_text()
        page.wait_for_function("([el, before]) => el.innerText !== before", arg=[clock.element_handle(), before],
                               timeout=5_000)
        call.click()
        document_shown(page)
        page.get_by_role("button", name="MRZ check (reader) · 20 s").click()
        page.get_by_text("Check digit of the date of birth").wait_for()
        page.get_by_role("button", name="UV lamp · 15 s").click()
        page.get_by_role("button", name="✓ UV lamp · 15 s").wait_for()
        wait_idle(page)
        _shot(page, "e2e-drill-1-counter.png")
        page.get_by_role("button", name="Admit", exact=True).click()
        page.get_by_role("button", name="Call the next traveller").wait_for()
        wait_idle(page)
        page.get_by_role("button", name="End the drill now").click()
        page.get_by_text("The drill is over. Here is your debrief.").wait_for()
        page.get_by_text("Frauds stopped").first.wait_for()
        wait_idle(page)
        _shot(page, "e2e-drill-2-debrief.png")
    except Exception:
        _shot(page, "e2e-drill-failure.png")
        raise
    finally:
        context.close()
    state, me = record_state(home, "Sok Chea")
    assert state.cases[0].decision == "admit" and state.cases[0].called_by == me.id
    assert [u.tool for u in state.cases[0].uses] == ["mrz", "uv"]
    assert state.ended_at is not None


def test_a_team_drill_referral_reaches_the_second_line(browser, server):
    url, home = server
    first_ctx, first = _page(browser)
    second_ctx, second = _page(browser, PHONE)
    try:
        sign_in(first, url, "Dara First")
        open_drill(first, "Land crossing at rush hour", "Start a team drill")
        first.get_by_role("button", name="Go").click()
        first.get_by_text("Tell your team this code").wait_for()
        wait_idle(first)
        code = first.locator(".dx-drill-code").text_content().strip()
        assert len(code) == 6, code

        sign_in(second, url, "Srey Second")
        open_drill(second, "", "Join a team drill")
        second.get_by_label("Drill code").fill(code)
        second.get_by_test_id("stSelectbox").nth(1).click()
        second.get_by_role("option", name="Second line (referrals)").click()
        wait_idle(second)
        second.get_by_role("button", name="Go").click()
        second.get_by_text("Dara First").wait_for()  # the lobby, until the shift starts

        # the first line sees the second officer join (polled), starts the shift and refers a traveller
        first.get_by_text("Srey Second").wait_for()
        first.get_by_role("button", name="Start the shift").click()
        second.get_by_text("No referral is waiting").wait_for(timeout=20_000)  # the phone sees the start
        first.get_by_role("button", name="Call the next traveller").click()
        document_shown(first)
        first.get_by_role("button", name="Ask the traveller · 20 s").click()
        first.get_by_text("Traveller:").first.wait_for()
        wait_idle(first)
        first.get_by_label("Note (for the second line and the debrief)").fill("face looks older than the photo")
        first.get_by_label("Note (for the second line and the debrief)").press("Enter")
        wait_idle(first)
        first.get_by_role("button", name="Refer to second line").click()
        first.get_by_role("button", name="Call the next traveller").wait_for()
        _shot(first, "e2e-drill-3-first-line.png")

        # the referral reaches the phone by itself, with the first-line note
        second.get_by_text("face looks older than the photo").wait_for(timeout=20_000)
        _shot(second, "e2e-drill-4-second-line-referral.png")
        second.get_by_role("button", name="Take this referral").click()
        second.get_by_text("First line: Refer to second line. Note: face looks older than the photo").wait_for()
        document_shown(second)
        second.get_by_role("button", name="Refuse entry").click()
        second.get_by_text("No referral is waiting").wait_for()
        _shot(second, "e2e-drill-5-second-line-decided.png")
    except Exception:
        _shot(first, "e2e-drill-team-failure-first.png")
        _shot(second, "e2e-drill-team-failure-second.png")
        raise
    finally:
        first_ctx.close()
        second_ctx.close()
    state, me = record_state(home, "Dara First")
    case = state.cases[0]
    assert case.called_by == me.id and case.decision == "refer"
    assert case.note == "face looks older than the photo"
    assert case.resolution == "refuse" and case.taken_by != me.id
    assert [u.question for u in case.uses if u.question] == ["purpose"]
