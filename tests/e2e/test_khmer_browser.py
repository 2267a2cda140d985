"""Every page in Khmer, in a real headless Chromium, offline, as a trainee on a phone and as a trainer.

For each page the test asks Chromium which fonts it actually drew each
piece of Khmer text with (DevTools ``CSS.getPlatformFontsForNode``): every
glyph must come from the Noto Sans Khmer faces the app serves
(``static/``, declared in ``.streamlit/config.toml``). A weight without its
face, a font-family that skips the app's fonts, or a character missing from
them shows up as a system font here (this machine has no Khmer font, so that
is what a workshop laptop would show as boxes). Screenshots of every page go
to ``tests/artifacts/khmer/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the browser tests' helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_lessons_support import build_library  # noqa: E402
from test_ui_browser import (  # noqa: E402,F401  (browser: a fixture)
    ARTIFACTS, FIRST_DRAW_S, REPO, _free_port, browser, running_app, wait_idle)

from docexam.i18n import translator  # noqa: E402
from docexam.ui import session  # noqa: E402
from docexam.ui.nav import PAGES, TRAINER_PAGES  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KM = translator("km")
SHOTS = ARTIFACTS / "khmer"
PASSPHRASE = "correct horse battery"
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
TRAINEE_TOUR = ("home", "alerts", "lessons", "practice", "refresher", "pre_test", "post_test", "survey", "results",
                "drill", "thresholds", "desk", "reference")
TRAINER_TOUR = tuple(TRAINER_PAGES)
#: trainer pages whose own text is still English (their strings move to the catalogue next, as
#: tests/test_i18n.py's NOT_YET says); this list only shrinks
STILL_ENGLISH: set[str] = set()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free port, the small test folder, a trainer passphrase set."""
    from docexam.cli.app import streamlit_command

    home = tmp_path_factory.mktemp("khmer-home")
    lib = build_library(home, home / "lib")
    env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_SPECIMENS_DIR=str(lib))
    env.pop("DOCEXAM_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "docexam", "trainer-passphrase", "--stdin"], input=PASSPHRASE + "\n",
                   text=True, env=env, check=True, capture_output=True)
    port = _free_port()
    with running_app(streamlit_command(host="127.0.0.1", port=port), port=port, cwd=REPO, env=env,
                     log_path=home / "server.log") as url:
        yield url


def wrong_fonts(page, attempts: int = 3) -> list[str]:
    """Each visible piece of Khmer text drawn (partly) with a font the app does not serve, with that font.

    A rerun that redraws part of the page between the DOM snapshot and the font query removes the
    nodes asked about; the page is then looked at again once it has settled.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        try:
            return _wrong_fonts_once(page)
        except PlaywrightError as exc:
            if "Could not find node" not in str(exc) or attempt == attempts - 1:
                raise
            _settle(page)
    return []


def _wrong_fonts_once(page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        holders: list[tuple[int, str]] = []

        def walk(node):
            if node.get("nodeName") in ("SCRIPT", "STYLE", "TITLE", "HEAD"):
                return
            texts = [c.get("nodeValue", "") for c in node.get("children", ()) if c.get("nodeType") == 3]
            # as drawn: each run of white space one space (one at each end may be drawn too)
            text = re.sub(r"\s+", " ", "".join(texts))
            if KHMER.search(text):
                # a line break (<br>) is drawn as one glyph of the theme's font
                breaks = sum(c.get("nodeName") == "BR" for c in node.get("children", ()))
                holders.append((node["nodeId"], text + " " * breaks))
            for child in node.get("children", ()):
                walk(child)
            for child in node.get("shadowRoots", ()):
                walk(child)

        walk(root)
        problems = []
        for node_id, text in holders:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            if not fonts:
                continue  # nothing drawn: hidden (a folded sidebar, a closed menu), seen by no one
            # Latin, digits, spaces and punctuation are drawn in the theme's font, the system's sans-serif
            # (.streamlit/config.toml); the served Khmer faces cover the Khmer code points only. So every
            # glyph beyond the text's non-Khmer characters must come from a served (web) font: a Khmer
            # letter in a system font is a box on a laptop without one
            system = sum(f["glyphCount"] for f in fonts if not f["isCustomFont"])
            served_khmer = any(f["isCustomFont"] and "Khmer" in f["familyName"] for f in fonts)
            if system > len(KHMER.sub("", text)) or not served_khmer:
                problems.append(f"{text.strip()[:40]!r}: " + ", ".join(
                    f"{f['familyName']}{' (served)' if f['isCustomFont'] else ''} {f['glyphCount']} glyphs"
                    for f in fonts))
        return problems
    finally:
        cdp.detach()


def _settle(page) -> None:
    wait_idle(page)
    # an element whose code is still loading is drawn as an empty placeholder: its text is not there to check
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)


def tour(page, server, names, role: str, english: list[str]) -> dict[str, list[str]]:
    """Open each page by its address; a screenshot and the wrong fonts of each (a page without Khmer: ``english``)."""
    found = {}
    for name in names:
        page.goto(f"{server}/{name}")
        # every page has a title: drawn once the page's run has begun
        title = page.get_by_test_id("stMain").locator("h1").first
        title.wait_for(timeout=FIRST_DRAW_S * 1000)
        _settle(page)
        # the page itself, not the passphrase page drawn in its place (a tour of locked pages passed once)
        assert role != "trainer" or title.inner_text().strip() != KM.gettext("Trainer sign in"), name
        page.screenshot(path=str(SHOTS / f"{role}-{name}.png"), full_page=True)
        if not KHMER.search(page.get_by_test_id("stMain").inner_text()):
            english.append(name)
        found[name] = wrong_fonts(page)
    return found


def test_every_page_in_khmer_draws_with_the_served_fonts(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    # the trainee on a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True)
    phone.on("request", lambda r: requested.append(r.url))
    page = phone.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server)
        page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
        page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stSidebar").get_by_text("ខ្មែរ", exact=True).click()
        page.get_by_role("heading", name=KM.gettext("Sign in")).wait_for()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click(force=True)  # fold it again
        _settle(page)
        # the language survives a reload before anyone signs in (a cookie of its own)
        page.reload()
        page.get_by_role("heading", name=KM.gettext("Sign in")).wait_for(timeout=FIRST_DRAW_S * 1000)
        _settle(page)
        page.screenshot(path=str(SHOTS / "trainee-sign_in.png"), full_page=True)
        sign_in = wrong_fonts(page)
        page.get_by_label(KM.gettext("Full name")).fill("សុខ ជា")
        page.get_by_label(KM.gettext("Department or unit")).fill("អន្តោប្រវេសន៍")
        page.get_by_label(KM.gettext("Province")).fill("កោះកុង")
        page.get_by_label(KM.gettext("PIN (4 to 12 digits)")).fill("4821")
        page.get_by_role("button", name=KM.gettext("Sign in")).click()
        page.get_by_role("heading", name=KM.gettext("Welcome, {name}", name="សុខ ជា")).wait_for()
        _settle(page)
        # the language survives a reload (kept in the browser's session on the server)
        page.reload()
        page.get_by_role("heading", name=KM.gettext("Welcome, {name}", name="សុខ ជា")).wait_for(
            timeout=FIRST_DRAW_S * 1000)
        english: list[str] = []
        trainee = {"sign_in": sign_in, **tour(page, server, TRAINEE_TOUR, "trainee", english)}
        assert english == [], f"trainee pages without Khmer: {english}"
        # the examination desk's file uploader: Streamlit's own "Upload" and "40MB per file" are shown in Khmer
        page.goto(f"{server}/desk")
        _settle(page)
        zone = page.get_by_test_id("stFileUploaderDropzone").first
        parts = ("button [data-testid=stMarkdownContainer] p", "[data-testid=stFileUploaderDropzoneInstructions] span")
        shown = [zone.locator(css).first.evaluate("e => [getComputedStyle(e).fontSize, "
                                                  "getComputedStyle(e, '::after').content]") for css in parts]
        assert shown == [["0px", f'"{KM.gettext("Upload")}"'],
                         ["0px", f'"{KM.gettext("Up to {size} MB per file", size=40)}"']], shown

        # the check is not blind: a Khmer heading forced to a font the app does not serve is caught
        page.get_by_test_id("stMain").locator("h1").first.evaluate(
            "e => e.style.fontFamily = 'NoSuchFont, monospace'")
        forced = wrong_fonts(page)
    except Exception:
        page.screenshot(path=str(SHOTS / "failure-trainee.png"), full_page=True)
        raise
    finally:
        phone.close()
    assert forced, "a heading drawn in a system font was not noticed"

    # the trainer on a laptop
    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    laptop.on("request", lambda r: requested.append(r.url))
    page = laptop.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server)
        page.get_by_role("heading", name="Sign in").wait_for(timeout=FIRST_DRAW_S * 1000)
        page.get_by_test_id("stSidebar").get_by_text("ខ្មែរ", exact=True).click()
        page.get_by_role("heading", name=KM.gettext("Sign in")).wait_for()
        _settle(page)
        page.goto(f"{server}/trainer_sign_in")  # a typed address: a new session, the language kept
        page.get_by_label(KM.gettext("Trainer passphrase")).fill(PASSPHRASE)
        page.get_by_role("button", name=KM.gettext("Unlock")).click()
        page.get_by_text(KM.gettext("Trainer pages unlocked.")).wait_for()
        # the session's cookie is written by the page once drawn: a typed address before it opens a locked session
        page.wait_for_function(f"() => document.cookie.includes('{session.COOKIE}=')")
        trainer = tour(page, server, TRAINER_TOUR, "trainer", english)
        assert set(english) <= STILL_ENGLISH, f"trainer pages without Khmer: {sorted(set(english) - STILL_ENGLISH)}"
    except Exception:
        page.screenshot(path=str(SHOTS / "failure-trainer.png"), full_page=True)
        raise
    finally:
        laptop.close()

    problems = [f"{role} {name}: {p}" for role, found in (("trainee", trainee), ("trainer", trainer))
                for name, ps in found.items() for p in ps]
    assert not problems, f"{len(problems)} Khmer texts drawn with a font the app does not serve:\n" + \
        "\n".join(problems[:30])
    # offline: nothing fetched from anywhere but the app
    assert [u for u in requested if not u.startswith((server, f"blob:{server}", "data:"))] == []
    assert len(list(SHOTS.glob("*.png"))) >= 1 + len(TRAINEE_TOUR) + len(TRAINER_TOUR)
    assert PAGES and all(name in PAGES or name in TRAINER_PAGES for name in TRAINEE_TOUR + TRAINER_TOUR)
