"""Take the README screenshots (``docs/screenshots/*.png``) in headless Chromium.

    .venv/bin/python tests/e2e/make_screenshots.py [--specimens DIR]

Same set-up as the end-to-end test (Debian's chromium driven by Playwright,
the app started with ``docexam app``'s command on a free port, a temporary
DOCEXAM_HOME), but with real rendered specimens: the shipped library by
default (rendered on first use, a few minutes), or ``--specimens DIR``. Each
screenshot is reduced to a 256-colour PNG so it stays under 300 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from test_ui_browser import (CHROMIUM, CHROMIUM_FLAGS, REPO, _free_port, _wait_healthy,  # noqa: E402
                             choose_first_option, wait_idle)

OUT = REPO / "docs" / "screenshots"
FRAME = 'iframe[title="streamlit_image_coordinates.streamlit_image_coordinates"]'
PASSPHRASE = "screenshots-only"
LIMIT = 300_000


def shrink(path: Path) -> None:
    """A 256-colour PNG of the screenshot (text and charts stay sharp, the file small)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    if path.stat().st_size > LIMIT:
        with Image.open(path) as im:
            w, h = im.size
            im.convert("RGB").resize((w * 3 // 4, h * 3 // 4), Image.Resampling.LANCZOS).quantize(
                colors=128, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")


def shot(page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    shrink(path)


def pick_option(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def sign_in(page) -> None:
    page.get_by_label("Full name").fill("Sok Chea")
    page.get_by_label("Department or unit").fill("Immigration police")
    page.get_by_label("Province").fill("Banteay Meanchey")
    page.get_by_label("PIN (4 to 12 digits)").fill("4821")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Sok Chea").wait_for()


def quiz(page) -> None:
    sign_in(page)
    page.get_by_role("link", name="Practice").click()
    page.get_by_role("heading", name="Practice").wait_for()
    pick_option(page, "Lesson", "Personalization and photo substitution")
    for n in range(1, 11):
        page.get_by_text(f"Question {n} of").wait_for()
        page.locator(f'{FRAME}, [data-testid="stRadioOption"]').first.wait_for()
        if page.locator(FRAME).count():
            break
        choose_first_option(page)
        page.get_by_role("button", name="Check my answer").click()
        wait_idle(page)
        page.get_by_role("button", name="Next question").click()
        wait_idle(page)
    image = page.frame_locator(FRAME).locator("img")
    image.wait_for()
    box = image.bounding_box()
    # the portrait of both shipped designs is on the left, a third of the way down
    image.click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.45})
    page.get_by_text("Your mark is drawn in blue").wait_for()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("What was there").wait_for()
    page.get_by_text("What the examination machine sees").wait_for(timeout=240_000)
    page.get_by_test_id("stSelectbox").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1000)
    shot(page, "trainee-quiz")


def lesson(page) -> None:
    """The lessons page (a check of the figures; saved to tests/artifacts, not the README)."""
    page.get_by_role("link", name="Lessons").click()
    page.get_by_role("heading", name="Substrates: the paper and card itself").wait_for()
    wait_idle(page)
    page.get_by_test_id("stImage").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1000)
    (REPO / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPO / "tests" / "artifacts" / "lesson.png"))


def studio(page, specimen: Path, sidecar: dict) -> None:
    page.get_by_role("link", name="Trainer sign in").click()
    page.get_by_label("Trainer passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("link", name="Specimen studio").click()
    page.get_by_role("heading", name="Specimen studio").wait_for()
    page.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(specimen))
    anomaly = sidecar["anomalies"][0]
    page.get_by_text("Technique of the next box").wait_for()
    pick_option(page, "Technique of the next box", anomaly["technique"])
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for(timeout=120_000)
    cbox = canvas.bounding_box()
    from docexam.specimens import find_template

    scale = cbox["width"] / find_template(sidecar["template"]).width
    x0, y0, x1, y1 = anomaly["bbox"]
    canvas.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    cbox = canvas.bounding_box()
    page.mouse.move(cbox["x"] + x0 * scale, cbox["y"] + y0 * scale)
    page.mouse.down()
    for k in range(1, 11):  # a slow drag, as a hand draws it
        page.mouse.move(cbox["x"] + (x0 + (x1 - x0) * k / 10) * scale, cbox["y"] + (y0 + (y1 - y0) * k / 10) * scale)
        page.wait_for_timeout(50)
    page.mouse.up()
    page.get_by_text("#1").first.wait_for()
    page.get_by_label("What an examiner should look for").first.fill(anomaly["note"][:120])
    page.get_by_role("button", name="Examine this image").click()
    page.get_by_text("Verdict:").wait_for(timeout=240_000)
    page.get_by_role("heading", name="Forgery traces").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)
    shot(page, "trainer-studio")


def desk(page, capture: Path, template: str, uv: Path | None = None) -> None:
    page.get_by_role("link", name="Examination desk").click()
    page.get_by_role("heading", name="Examination desk").wait_for()
    page.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(capture))
    page.get_by_test_id("stFileUploader").first.get_by_text("MB").wait_for()  # the uploaded file is listed
    if uv is not None and uv.is_file():
        page.get_by_text("Same document under UV light").first.click()
        page.locator('[data-testid="stFileUploader"] input[type=file]').nth(1).set_input_files(str(uv))
        page.get_by_test_id("stFileUploader").nth(1).get_by_text("MB").wait_for()
    box = page.get_by_test_id("stSelectbox").filter(has_text="Document type").first
    box.click()
    page.get_by_role("option").filter(has_text=f"({template})").first.click()
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Examine").click()
    page.get_by_text("Suspicion score").wait_for(timeout=300_000)
    page.get_by_test_id("stAlert").last.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)
    shot(page, "examination-desk")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specimens", help="a folder of specimens instead of the shipped library")
    parser.add_argument("--only", nargs="*", choices=("quiz", "lesson", "studio", "desk"), help="take only these")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from docexam.cli.app import streamlit_command
    from docexam.lessons import load_specimen_folder

    OUT.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="docexam-shots-"))
    env = dict(os.environ, DOCEXAM_HOME=str(home))
    env.pop("DOCEXAM_DATABASE_URL", None)
    if args.specimens:
        env["DOCEXAM_SPECIMENS_DIR"] = str(Path(args.specimens).resolve())
        folder = Path(args.specimens)
    else:
        os.environ["DOCEXAM_HOME"] = str(home)
        from docexam.synth.library import library_folder

        folder = library_folder()
    specimens = load_specimen_folder(folder)
    studio_spec = next(s for s in specimens if s.capture_kind == "flat" and s.techniques & {"photo-substitution"})
    desk_spec = next(s for s in specimens if s.capture_kind in ("scan", "phone") and s.template == "uto-td3"
                     and s.techniques & {"photo-substitution", "halftone-reproduction", "data-alteration"})
    subprocess.run([sys.executable, "-m", "docexam", "trainer-passphrase", "--stdin"], input=PASSPHRASE + "\n",
                   text=True, env=env, check=True)
    port = _free_port()
    proc = subprocess.Popen(streamlit_command(host="127.0.0.1", port=port), cwd=REPO, env=env,
                            stdout=open(home / "server.log", "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, 90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1366, "height": 1000})
            page.set_default_timeout(120_000)
            page.goto(url)
            page.get_by_role("heading", name="Sign in").wait_for(timeout=180_000)
            started = time.monotonic()
            steps = {"quiz": lambda: quiz(page), "lesson": lambda: lesson(page),
                     "studio": lambda: studio(page, studio_spec.image_path(),
                                              json.loads((folder / f"{studio_spec.name}.json").read_text())),
                     "desk": lambda: desk(page, desk_spec.image_path(), desk_spec.template, desk_spec.image_path("uv"))}
            for name in args.only or ["quiz", "studio", "desk"]:
                if name in ("studio", "lesson") and "quiz" not in (args.only or ["quiz"]):
                    sign_in(page)
                try:
                    steps[name]()
                except Exception:
                    page.screenshot(path=str(home / f"failed-{name}.png"), full_page=True)
                    print(f"{name} failed; see {home / f'failed-{name}.png'}", file=sys.stderr)
                    raise
            print(f"done in {time.monotonic() - started:.0f} s")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
