"""End to end in a real headless Chromium: start the app, sign in, answer a quiz item by clicking
on the document, see the feedback. Screenshots go to ``tests/artifacts/``.

Debian's ``chromium`` is driven by the Python ``playwright`` package through
``executable_path`` (never ``playwright install``, which downloads). The
test skips, saying why, only where one of the two is missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder: shared helpers

from test_lessons_support import SIZE, build_library  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
#: the app draws nothing until a browser connects; the first run imports a lot on a loaded machine
FIRST_DRAW_S = 90


def wait_idle(page, timeout_ms: int = 240_000) -> None:
    """Wait until the app has finished its current run (Streamlit's "running" indicator is gone).

    A click during a run may land on an element of the previous run, so
    every click that starts a run is followed by this.
    """
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=timeout_ms)


def choose_first_option(page) -> None:
    """Tick a question's first option: the tick makes no rerun, so it stays ticked (no retry)."""
    option = page.get_by_test_id("stRadioOption").first
    option.click()
    assert option.locator("input").is_checked(), "the tick was lost"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the app exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the app did not answer on {url}/_stcore/health within {timeout:.0f} s")


def stop_app(proc: subprocess.Popen, log) -> None:
    """Stop an app started by a test (killed if it does not end within 10 s) and close its log."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@contextlib.contextmanager
def running_app(command: list[str], *, port: int, cwd, env: dict, log_path, timeout: float = 60):
    """An app a test starts (``command`` serving on ``port``): yields its URL once it answers its health
    check; stopped, and its output (``log_path``) closed, when the block ends, however it ends."""
    log = open(log_path, "wb")
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, timeout)
        yield url
    finally:
        stop_app(proc, log)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                     "(pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM}); scripts/test installs it with apt")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``docexam app``'s command on a free port, a temporary DOCEXAM_HOME and the small test folder."""
    from docexam.cli.app import streamlit_command

    home = tmp_path_factory.mktemp("e2e-home")
    lib = build_library(home, home / "lib")
    port = _free_port()
    env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_SPECIMENS_DIR=str(lib))
    env.pop("DOCEXAM_DATABASE_URL", None)
    with running_app(streamlit_command(host="127.0.0.1", port=port), port=port, cwd=REPO, env=env,
                     log_path=home / "server.log") as url:
        yield url


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30_000)
    yield page
    page.close()


def test_sign_in_and_answer_by_clicking_on_the_document(page, server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        _sign_in_and_answer(page, server)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "e2e-failure.png"), full_page=True)
        (ARTIFACTS / "e2e-failure.html").write_text(page.content())
        raise
    # the workshop laptop is offline: nothing may be fetched from anywhere but the app
    assert [url for url in requested if not url.startswith((server, f"blob:{server}"))] == []


def _sign_in_and_answer(page, server):
    page.goto(server)
    page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
    page.get_by_label("Full name").fill("Sok Chea")
    page.get_by_label("Department or unit").fill("Immigration")
    page.get_by_label("Province").fill("Koh Kong")
    page.get_by_label("PIN (4 to 12 digits)").fill("4821")
    # phones open the number pad for the PIN
    page.wait_for_function("() => document.querySelector('input[aria-label=\"PIN (4 to 12 digits)\"]')"
                           "?.getAttribute('inputmode') === 'numeric'", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "e2e-1-sign-in.png"))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Sok Chea").wait_for()
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "e2e-2-home.png"))

    go_to_locate_item(page)
    stage = page.locator(".dx-stage").first
    box = stage.bounding_box()
    assert box and box["width"] > 100
    x, y = inside_forged_area(page)
    stage.click(position={"x": box["width"] * x / SIZE[0], "y": box["height"] * y / SIZE[1]})
    page.get_by_text("Your mark is drawn in blue").wait_for()
    page.screenshot(path=str(ARTIFACTS / "e2e-3-clicked.png"), full_page=True)
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("Correct.").wait_for()
    page.get_by_text("What was there").wait_for()
    # the heatmap comes from the background preparation process: shown once its file is there, no rerun
    page.get_by_text(re.compile("What the examination machine sees|could not examine")).first.wait_for(
        timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "e2e-4-feedback.png"), full_page=True)


#: the test folder's forged documents of the photo-substitution lesson: a template pixel (of 300x200) inside
#: the first forged area of each (the pasted photo at x 30..80, y 50..130; the washed surname)
INSIDE = {"f-photo": (55, 90), "f-multi": (160, 47)}


def inside_forged_area(page, lesson_id: str = "photo-substitution") -> tuple[int, int]:
    """A point inside the forged area of the document the round asks to mark.

    The question's container key is made from the item id (opaque to the trainee, known to the test).
    """
    from docexam.ui.course import opaque_key

    for name, point in INSIDE.items():
        for round_no in range(ROUNDS):
            key = opaque_key(f"practice:{lesson_id}:{round_no}", f"{name}:locate")
            if page.locator(f".st-key-q-{key}").count():
                return point
    raise AssertionError("the document to mark is none of the test folder's forged portraits")


def new_question(page, previous: str | None):
    """The question on screen once a new one is fully drawn: (its container, its key)."""
    containers = page.locator('[class*="st-key-q-"]')
    for _ in range(600):
        if page.get_by_text("You have answered every question of this test").count():
            return None, None  # a test's end: no question follows
        for i in reversed(range(containers.count())):
            match = re.search(r"st-key-q-[\w-]+", containers.nth(i).get_attribute("class") or "")
            if not match or match.group(0) == previous:
                continue
            question = page.locator(f".{match.group(0)}")
            if (question.locator('.dx-point, [data-testid="stRadioOption"]').count()
                    and not question.locator('[data-stale="true"]').count()):
                return question, match.group(0)
        page.wait_for_timeout(100)
    raise AssertionError(f"no new question after {previous}")


def open_page(page, name: str, path: str, server: str | None) -> None:
    """Open a page by its link in the sidebar or, on a phone (sidebar folded away), by typing its address."""
    if server:
        page.goto(f"{server}/{path}")
    else:
        page.get_by_role("link", name=name).click()


def sit_pre_test(page, server: str | None = None) -> None:
    """Answer the whole pre-test (the practice opens after it): first option, or the document's centre."""
    open_page(page, "Pre-test", "pre_test", server)
    page.get_by_role("heading", name="Pre-test").wait_for()
    wait_idle(page)
    done, key = page.get_by_text("You have answered every question of this test"), None
    for _ in range(60):
        if done.count():
            return
        question, key = new_question(page, key)
        if question is None:
            return
        stage = question.locator(".dx-point")
        if stage.count():
            stage.first.click()
            question.get_by_text("Your mark is drawn in blue").wait_for()
        else:
            option = question.get_by_test_id("stRadioOption").first
            option.click()
            assert option.locator("input").is_checked(), "the tick was lost"
        page.get_by_role("button", name="Submit answer").click()
        wait_idle(page)
        page.wait_for_timeout(300)
    pytest.fail("the pre-test did not end")


def go_to_locate_item(page, lesson: str = "Personalization and photo substitution", server: str | None = None) -> None:
    """Open a practice round of ``lesson`` and answer its choice questions until one asks to mark the document.

    A round shows each document once, so on the test folder it is five questions, and the round drawn
    for a trainee (seeded by their id, which depends on the tests run before) may have no document to
    mark: then the trainee starts a new round, as a person would.
    """
    sit_pre_test(page, server)
    open_page(page, "Practice", "practice", server)
    page.get_by_role("heading", name="Practice").wait_for()
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=lesson).click()
    wait_idle(page)
    for _ in range(ROUNDS):
        n, total = 1, None
        while total is None or n <= total:
            progress = page.get_by_text(re.compile(rf"Question {n} of \d+"))
            progress.wait_for()
            total = int(re.search(r"of (\d+)", progress.inner_text()).group(1))
            # a question is drawn either as a document to mark or with options
            page.locator('.dx-point, [data-testid="stRadioOption"]').first.wait_for()
            if page.locator(".dx-point").count():
                return
            choose_first_option(page)
            page.get_by_role("button", name="Check my answer").click()
            wait_idle(page)
            page.get_by_role("button", name="Next question").click()
            wait_idle(page)
            n += 1
        page.get_by_role("button", name="Start again with new questions").click()
        wait_idle(page)
    pytest.fail(f"no question asked to mark the document in {ROUNDS} rounds")


#: practice rounds a test tries before it gives up finding a document to mark (the test folder needs 3 at most
#: for trainees 1 to 29)
ROUNDS = 4


def _sign_in(page, server, name: str) -> None:
    page.goto(server)
    page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Department or unit").fill("Immigration")
    page.get_by_label("Province").fill("Koh Kong")
    page.get_by_label("PIN (4 to 12 digits)").fill("4821")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=f"Welcome, {name}").wait_for()
    wait_idle(page)


def test_a_reload_keeps_the_trainee_and_sign_out_ends_every_tab(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _sign_in(page, server, "Reload Trainee")
        page.get_by_role("link", name="Pre-test").click()
        page.get_by_role("heading", name="Pre-test").wait_for()
        wait_idle(page)
        question, _ = new_question(page, None)
        page.get_by_text("Question 1 of").wait_for()
        stage = question.locator(".dx-point")
        if stage.count():
            stage.first.click()
            question.get_by_text("Your mark is drawn in blue").wait_for()
        else:
            question.get_by_test_id("stRadioOption").first.click()
        page.get_by_role("button", name="Submit answer").click()
        page.get_by_text("Question 2 of").wait_for()
        wait_idle(page)

        page.reload()
        # still signed in, on the same page, at the same question: the first answer is kept
        page.get_by_role("heading", name="Pre-test").wait_for(timeout=FIRST_DRAW_S * 1000)
        page.get_by_text("Question 2 of").wait_for()
        page.get_by_text("Signed in: Reload Trainee").wait_for()
        assert "/pre_test" in page.url

        # a second tab of the same browser is signed in too; signing out in the first ends it there
        other = context.new_page()
        other.goto(server)
        other.get_by_role("heading", name="Welcome, Reload Trainee").wait_for(timeout=FIRST_DRAW_S * 1000)
        wait_idle(other)
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("heading", name="Sign in").wait_for()
        other.get_by_role("link", name="Lessons").click()  # its next run
        other.get_by_role("heading", name="Sign in").wait_for()
        # and a reload does not bring the session back
        page.reload()
        page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
        assert not page.get_by_text("Signed in: Reload Trainee").count()
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "e2e-reload-failure.png"), full_page=True)
        raise
    finally:
        context.close()


def test_a_phone_answers_a_locate_item_by_touch(browser, server):
    """390 x 844, a touch screen: the trainee taps the forged area with a finger."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        # a typed address of a page that needs a sign-in shows the sign-in, not "Page not found"
        page.goto(f"{server}/practice")
        page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
        _sign_in(page, server, "Phone Trainee")
        page.goto(f"{server}/home")  # home is served at "/", and at its own address too
        page.get_by_role("heading", name="Welcome, Phone Trainee").wait_for()
        wait_idle(page)
        assert not page.get_by_text("Page not found").count()
        go_to_locate_item(page, server=server)  # typed addresses: the session survives them
        stage = page.locator(".dx-stage").first
        stage.scroll_into_view_if_needed()
        box = stage.bounding_box()
        assert box and box["width"] >= 300, box  # the document fills the phone's width
        # whichever forged document the round asks about (the round's order is the trainee's own)
        x, y = inside_forged_area(page)
        page.touchscreen.tap(box["x"] + box["width"] * x / SIZE[0], box["y"] + box["height"] * y / SIZE[1])
        page.get_by_text("Your mark is drawn in blue").wait_for()
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_text("Correct.").wait_for()
        # nothing runs off the phone's screen sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "e2e-phone-touch.png"), full_page=True)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "e2e-phone-failure.png"), full_page=True)
        raise
    finally:
        context.close()


#: what a 360 px phone must show without sideways scrolling: the trainee's pages, once they have answers
PHONE_PAGES = ("home", "lessons", "practice", "results", "refresher", "thresholds", "drill", "desk", "reference")


def test_every_trainee_page_fits_a_360_px_phone(browser, server):
    """At 360 x 740 nothing runs off the screen sideways: tables and MRZ lines fit or scroll in their own box."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _sign_in(page, server, "Narrow Phone")
        sit_pre_test(page, server)  # the results page then has a table
        for name in PHONE_PAGES:
            page.goto(f"{server}/{name}")
            page.locator("h1").first.wait_for(timeout=FIRST_DRAW_S * 1000)
            wait_idle(page)
            assert not page.get_by_text("Page not found").count(), name
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name}: the page is {width} px wide"
            # an MRZ line is read whole, never cut off under a button: its box is as wide as its text
            for cut in page.evaluate("[...document.querySelectorAll('pre.dx-mrz')]"
                                     ".map(p => p.scrollWidth - p.clientWidth)"):
                assert cut <= 0, f"{name}: an MRZ line is cut off by {cut} px"
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "e2e-narrow-failure.png"), full_page=True)
        raise
    finally:
        context.close()
