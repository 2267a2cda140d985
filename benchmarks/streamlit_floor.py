"""What one answer costs a browser on a bare Streamlit page: the floor under docexam's own question pages.

    python benchmarks/streamlit_floor.py                 # 20 answers, docexam's Streamlit settings
    python benchmarks/streamlit_floor.py --answers 40 --lines 2 10 30

Starts ``streamlit run`` on a page with no docexam code: a heading, some
lines of markdown and a form (a radio and a submit button) in a fragment,
as a test question is; answers it ``--answers`` times in Debian's Chromium
(Playwright) and prints Chromium's main-thread time per answer (tasks,
scripts, style, layout: the DevTools protocol's ``Performance.getMetrics``).
It runs from a copy of docexam's ``.streamlit`` folder (the same theme,
fonts and settings) unless ``--bare-config``.

``benchmarks/workshop_load.py`` prints the same measure for trainee 0's page
over a workshop day: where the two agree, a trainee's browser spends what
Streamlit's front end spends on any rerun, not what docexam's pages add.
A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workshop_load import CHROMIUM_FLAGS, PAGE_METRICS, browser_executable  # noqa: E402

PAGE = '''
import os
import streamlit as st

st.set_page_config(layout="wide")
LINES = int(os.environ["FLOOR_LINES"])
if int(os.environ["FLOOR_SIDEBAR"]):  # a sidebar as docexam's: the language, a list of pages, who is signed in
    with st.sidebar:
        st.segmented_control("Language", ["English", "Khmer"], default="English", key="lang")
        for i in range(int(os.environ["FLOOR_SIDEBAR"])):
            st.caption(f"Page {i}")


@st.fragment
def question():
    n = st.session_state.setdefault("n", 0)
    st.markdown(f"#### Question {n}")
    for i in range(LINES):
        st.markdown(f"Line {i} of question {n}: **what the document shows**")
    with st.form(f"form-{n}", border=False):
        st.radio("Your answer", ["Genuine", "Forged", "Cannot tell"], index=None, key=f"answer-{n}")
        if st.form_submit_button("Submit answer"):
            st.session_state["n"] = n + 1
            st.rerun(scope="fragment")


question()
'''


#: seconds the page is watched doing nothing, for its idle cost
IDLE_S = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(folder: Path, lines: int, answers: int, sidebar: int = 0) -> dict[str, float]:
    """Mean main-thread seconds per answer over ``answers`` answers on the page with ``lines`` markdown lines."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(folder / "page.py"), "--server.port",
                             str(port), "--server.headless", "true"], cwd=folder,
                            env=dict(os.environ, FLOOR_LINES=str(lines), FLOOR_SIDEBAR=str(sidebar)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("streamlit_floor: the bare page's server did not start")
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_executable(folder), headless=True,
                                        args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            def metrics():
                return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                        if m["name"] in PAGE_METRICS}

            page.goto(f"http://127.0.0.1:{port}")
            page.get_by_role("heading", name="Question 0", exact=True).wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
            idle0 = metrics()
            page.wait_for_timeout(1000 * IDLE_S)  # what the page spends doing nothing (timers, the connection)
            idle1 = metrics()
            before = idle1
            for i in range(answers):
                page.get_by_test_id("stRadioOption").first.click()
                page.get_by_role("button", name="Submit answer").click()
                page.get_by_role("heading", name=f"Question {i + 1}", exact=True).wait_for()
                page.wait_for_timeout(1000)  # the rerun's tail (its elements' last updates) inside the answer
            after = metrics()
            browser.close()
        out = {k: (after[k] - before[k]) / answers for k in PAGE_METRICS}
        out["idle per s"] = (idle1["TaskDuration"] - idle0["TaskDuration"]) / IDLE_S
        return out
    finally:
        proc.terminate()
        proc.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--lines", type=int, nargs="+", default=[10], help="markdown lines on the question")
    parser.add_argument("--sidebar", type=int, nargs="+", default=[0],
                        help="lines in a sidebar beside the question (0: no sidebar)")
    parser.add_argument("--bare-config", action="store_true", help="Streamlit's defaults, not docexam's settings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="streamlit-floor-") as tmp:
        folder = Path(tmp)
        (folder / "page.py").write_text(PAGE, encoding="utf-8")
        if not args.bare_config:
            shutil.copytree(REPO / ".streamlit", folder / ".streamlit")
            if (REPO / "static").is_dir():  # the theme's fonts
                shutil.copytree(REPO / "static", folder / "static")
        for sidebar, lines in ((b, n) for b in args.sidebar for n in args.lines):
            m = measure(folder, lines, args.answers, sidebar)
            print(f"bare Streamlit form, {lines} markdown lines, sidebar {sidebar}, {args.answers} answers: per answer "
                  f"{1000 * m['TaskDuration']:.0f} ms of main-thread tasks (scripts {1000 * m['ScriptDuration']:.0f}, "
                  f"style {1000 * m['RecalcStyleDuration']:.0f}, layout {1000 * m['LayoutDuration']:.0f} ms; idle "
                  f"{1000 * m['idle per s']:.0f} ms a second, 1 s of it within each answer)"
                  + (" with Streamlit's default settings" if args.bare_config else " with docexam's settings"),
                  flush=True)
    print("command: python benchmarks/streamlit_floor.py --answers {} --lines {} --sidebar {}{}".format(
        args.answers, " ".join(map(str, args.lines)), " ".join(map(str, args.sidebar)),
        " --bare-config" if args.bare_config else ""))


if __name__ == "__main__":
    main()
