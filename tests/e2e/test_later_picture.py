"""The picture the background process is still making (a heatmap), in a real headless Chromium.

The page asks for the file until it is there; once the trainee has moved on
(the element is gone from the page) it must stop asking: thirty phones each
polling for every heatmap they ever waited for load the laptop for nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_ui_browser import CHROMIUM, CHROMIUM_FLAGS, REPO, _free_port, running_app  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: a page with the later picture of a file that never appears, and a button that moves on from it
PAGE = """
import streamlit as st
from docexam.ui import docview

st.session_state.setdefault("shown", True)
if st.session_state["shown"]:
    docview.later_picture("/app/static/never-made.jpg", key="later", waiting="Still making it",
                          caption="Made", none="None: {reason}")
    if st.button("Next question"):
        st.session_state["shown"] = False
        st.rerun()
else:
    st.markdown("Moved on")
"""


@pytest.fixture
def page_server(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM})")
    (tmp_path / "page.py").write_text(PAGE, encoding="utf-8")
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(tmp_path / "page.py"), "--server.port", str(port),
               "--server.headless", "true", "--server.enableStaticServing", "true"]
    with running_app(command, port=port, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(REPO)),
                     log_path=tmp_path / "server.log") as url:
        yield playwright, url


def test_a_later_picture_stops_asking_once_the_trainee_moves_on(page_server):
    playwright, url = page_server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url) if "never-made" in request.url else None)
        page.goto(url)
        page.get_by_text("Still making it").wait_for(timeout=60_000)
        page.wait_for_timeout(4500)
        while_shown = len(asked)
        assert while_shown >= 2, asked  # it asks again while the picture is awaited (every 2 s)
        page.get_by_role("button", name="Next question").click()
        page.get_by_text("Moved on").wait_for()
        page.wait_for_timeout(500)
        gone = len(asked)
        page.wait_for_timeout(5000)
        browser.close()
    assert len(asked) == gone, asked[gone:]  # nothing asked after the element left the page
