"""First start on a fresh install: seconds from ``docexam app`` starting to a trainee's first quiz question.

    python benchmarks/first_start.py                 # a new, empty DOCEXAM_HOME
    python benchmarks/first_start.py --timeout 900
    python benchmarks/first_start.py --library ~/.local/share/docexam/cache/library/KEY   # as installed offline

Starts ``docexam app``'s server on a free port with an empty
``DOCEXAM_HOME`` (nothing rendered, nothing encoded) and, at once, one
trainee in Debian's Chromium (Playwright, ``/usr/bin/chromium``): the
sign-in page, signing in (self-study), the pre-test's first question.
Prints the seconds from the server's start to each step, which quiz came
first (on a fresh install, while the library renders, the warm-up round on
the two starter documents; with the library in place, the pre-test), and
what the background preparation was doing then. The issue's goal: the first
question within 30 s. A figure, not a test; note the machine's load.

With ``--library`` the fresh ``DOCEXAM_HOME`` starts with that rendered
library folder in it, as the offline installer (``scripts/bundle``) puts
it there before it starts the app: nothing else is prepared (pictures,
heatmaps, the database are made after the start, inside the timing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workshop_load import CHROMIUM, CHROMIUM_FLAGS, App, _uptime  # noqa: E402


async def first_quiz(url: str, t0: float, timeout_s: float, marks: dict) -> None:
    from playwright.async_api import async_playwright

    timeout = timeout_s * 1000
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        page = await browser.new_page(viewport={"width": 390, "height": 844})
        page.set_default_timeout(timeout)
        try:
            await page.goto(url)
            await page.get_by_role("heading", name="Sign in").wait_for(timeout=timeout)
            marks["sign-in page shown"] = time.monotonic() - t0
            await page.get_by_label("Full name").fill("First Trainee")
            await page.get_by_label("Department or unit").fill("Immigration")
            await page.get_by_label("Province").fill("Koh Kong")
            await page.get_by_label("PIN (4 to 12 digits)").fill("4821")
            await page.get_by_role("button", name="Sign in").click()
            await page.get_by_role("heading", name="Welcome, First Trainee").wait_for(timeout=timeout)
            marks["signed in"] = time.monotonic() - t0
            # a phone folds the sidebar away: the pre-test by its address (the sign-in survives it)
            await page.goto(f"{url}/pre_test")
            await page.get_by_text("Question 1 of", exact=False).first.wait_for(timeout=timeout)
            await page.locator('.dx-point, [data-testid="stRadioOption"]').first.wait_for(timeout=timeout)
            # while the library renders, the pre-test page offers the warm-up round on the starter documents
            warm_up = await page.get_by_text("Warm-up while you wait").count()
            marks["first quiz question"] = time.monotonic() - t0
            marks["first quiz"] = "the warm-up round (library still rendering)" if warm_up else "the pre-test"
            # the document's picture, served once the preparation has encoded it (the page asks again until then)
            try:
                # the document view draws in a shadow root: look inside every one
                await page.wait_for_function(
                    """() => { const found = [];
                               const walk = (root) => { root.querySelectorAll('img').forEach(i => found.push(i));
                                 root.querySelectorAll('*').forEach(e => e.shadowRoot && walk(e.shadowRoot)); };
                               walk(document);
                               return found.some(i => i.src.includes('/docexam-media/') && i.complete
                                                      && i.naturalWidth > 0); }""", timeout=60_000)
                marks["its picture shown"] = time.monotonic() - t0
            except Exception:  # noqa: BLE001 - a question without a picture (a machine-readable zone)
                marks["its picture shown"] = "not within 60 s after the question"
        finally:
            await browser.close()


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the DOCEXAM_HOME made for the run")
    parser.add_argument("--library", type=Path,
                        help="a rendered library folder (cache/library/KEY) put in the fresh home first, as the "
                             "offline installer does")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        print(f"Debian's chromium is not installed ({CHROMIUM}): apt-get install chromium", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="docexam-first-start-"))
    print(f"fresh DOCEXAM_HOME={home}", flush=True)
    if args.library:
        if not (args.library / "library.json").is_file() and not list(args.library.glob("*.json")):
            print(f"--library {args.library}: not a rendered library folder", file=sys.stderr)
            return 2
        # links where the file system allows (a 2 GB copy is the installer's time, not the start's)
        shutil.copytree(args.library, home / "cache" / "library" / args.library.name, copy_function=_link_or_copy)
        print(f"with the rendered library {args.library.name} (as installed by scripts/bundle's installer)",
              flush=True)
    uptime_before = _uptime()
    t0 = time.monotonic()
    app = App(home, warm=False)
    marks = {"server answers": time.monotonic() - t0}
    error = None
    try:
        asyncio.run(first_quiz(app.url, t0, args.timeout, marks))
    except Exception as exc:  # noqa: BLE001 - reported with the figures
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        from docexam.ui import prepare

        os.environ["DOCEXAM_HOME"] = str(home)
        status = prepare.status()
        app.close()
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    print()
    for what, seconds in marks.items():
        if isinstance(seconds, str):
            print(f"{what:22} {seconds}")
        else:
            print(f"{what:22} {seconds:6.1f} s after docexam app started")
    if error:
        print(f"{'error':22} {error}")
    print(f"background preparation then: {status.get('phase', '-')} {status.get('done', '-')}/{status.get('total', '-')}")
    print(f"uptime before: {uptime_before}")
    print(f"uptime after:  {_uptime()}")
    print("command: python benchmarks/first_start.py" + (f" --library {args.library}" if args.library else ""))
    return 1 if error or marks.get("first quiz question", 1e9) > 30 else 0


if __name__ == "__main__":
    sys.exit(main())
