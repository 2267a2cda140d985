"""The background preparation: heatmaps and pictures made outside the request path, asked-for ones first."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from docexam.lessons.source import load_specimen_folder
from docexam.ui import media, prepare
from test_ui_support import make_folder


def test_prepare_once_makes_every_heatmap_and_picture(docexam_home, monkeypatch):
    lib = make_folder(docexam_home, monkeypatch)
    specimens = load_specimen_folder(lib)
    assert all(prepare.ready_heatmap(s) is None for s in specimens)
    zoom = media.ZOOM_WIDTH
    assert media.encoded_image_url(specimens[0].image_path("visible"), width=zoom) is None

    assert prepare.main(["--once"]) == 0

    for spec in specimens:
        done = prepare.ready_heatmap(spec)
        # a heatmap file where it was announced, or the reason there is none
        if isinstance(done, prepare.NoHeatmap):
            assert done.reason
        else:
            assert done == prepare.heatmap_address(spec)
            assert (media.media_dir() / done.rsplit("/", 1)[1]).stat().st_size > 1000
        for light in spec.lights:  # the pictures a question shows are encoded already
            name = media.image_url(spec.image_path(light)).rsplit("/", 1)[1]
            assert (media.media_dir() / name).is_file()
            # and the zoom copy a page offers without encoding it
            assert media.encoded_image_url(spec.image_path(light), width=zoom) == media.image_url(
                spec.image_path(light), width=zoom)
    assert prepare.status()["phase"] == "ready"
    assert not prepare.running()  # the lock is let go with the process
    # the tinted forged areas of the feedback are made too: a request finds them without decoding a mask
    media._tint_url.cache_clear()
    monkeypatch.setattr(media.Image, "open", lambda *a, **k: pytest.fail("a request decoded a mask"))
    tinted = [(s.mask_path, a.mask_label) for s in specimens for a in s.anomalies
              if s.mask_path is not None and a.mask_label is not None]
    assert tinted
    for mask, label in tinted:
        url = media.tint_url(mask, label)
        assert url is None or (media.media_dir() / url.rsplit("/", 1)[1]).is_file()


def test_a_waiting_trainee_asks_instead_of_examining(docexam_home, monkeypatch):
    lib = make_folder(docexam_home, monkeypatch)
    spec = load_specimen_folder(lib)[0]
    # a preparation process is "running" (this test process holds its lock): the request path must not examine
    lock = prepare.claim()
    from docexam.ui import state

    assert state.heatmap_url(spec) is None
    assert prepare.ready_heatmap(spec) is None
    wanted = list((prepare.prepare_dir() / "wanted").iterdir())
    assert [p.read_text() for p in wanted] == [spec.name]
    # the preparer takes the asked-for specimen before the others
    preparer = prepare._Preparer(None)
    assert [s.name for s in preparer.wanted({spec.name: spec})] == [spec.name]
    assert not list((prepare.prepare_dir() / "wanted").iterdir())
    lock.close()


def test_a_picture_asked_for_during_an_examination_is_encoded_without_waiting_for_it(docexam_home, monkeypatch):
    """The examinations run in a thread of their own, below the pictures' niceness: a long one (a template's
    first, on a busy laptop) must not hold back the pictures every question shows."""
    import threading

    lib = make_folder(docexam_home, monkeypatch)
    specimens = load_specimen_folder(lib)
    examining, release, examined, niceness = threading.Event(), threading.Event(), [], []
    ours = os.getpriority(os.PRIO_PROCESS, 0)

    def slow_examination(spec):
        examined.append(spec.name)
        niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        examining.set()
        release.wait(60)
        raise RuntimeError("no heatmap in this test")  # kept as a reason: the examiner moves on

    monkeypatch.setattr(prepare, "make_heatmap", slow_examination)
    preparer = prepare._Preparer(None)
    preparer.library_ready.set()
    prepare.want(specimens[-1])  # a trainee waits for this one's heatmap: examined first
    examiner = threading.Thread(target=preparer.examine, kwargs={"until_done": True}, daemon=True)
    examiner.start()
    try:
        assert examining.wait(30)
        path = specimens[0].image_path("visible")
        assert media.encoded_image_url(path, width=media.DISPLAY_WIDTH) is None
        preparer.run_once()  # the pictures, while the examination has not ended
        assert media.encoded_image_url(path, width=media.DISPLAY_WIDTH) is not None
        assert examiner.is_alive() and examined == [specimens[-1].name]
        # the examiner yields to the pictures: its thread alone is lowered, this one keeps its niceness
        assert niceness == [max(prepare.EXAMINER_NICENESS, ours)] and os.getpriority(os.PRIO_PROCESS, 0) == ours
    finally:
        release.set()
    examiner.join(60)
    assert not examiner.is_alive()
    assert sorted(examined) == sorted(s.name for s in specimens)  # then every other, once each
    assert all(isinstance(prepare.ready_heatmap(s), prepare.NoHeatmap) for s in specimens)


def test_without_a_preparation_process_the_app_examines_itself(docexam_home, monkeypatch):
    lib = make_folder(docexam_home, monkeypatch)
    spec = load_specimen_folder(lib)[0]
    from docexam.ui import state

    url = state.heatmap_url(spec)
    assert url is not None and prepare.ready_heatmap(spec) == url


def test_a_page_shows_a_picture_the_preparation_has_not_reached(docexam_home, monkeypatch):
    """Issue 16: the low-priority preparation starved by busy cores left the counter's document a 404 for minutes."""
    import threading

    lib = make_folder(docexam_home, monkeypatch)
    path = load_specimen_folder(lib)[0].image_path("visible")
    lock = prepare.claim()  # a preparation process "runs" (and is too busy to encode anything)
    crop = (10, 20, 210, 120)
    encoded = []
    jpeg = media._jpeg
    monkeypatch.setattr(media, "_jpeg", lambda rgb, *a, **k: encoded.append(rgb.shape) or jpeg(rgb, *a, **k))

    # eight pages meet the picture at once: each gets the address of a file made, encoded once
    urls = []
    pages = [threading.Thread(target=lambda: urls.append(prepare.picture_url(path))) for _ in range(8)]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    assert set(urls) == {media.image_address(path)} and len(urls) == 8
    assert media.encoded_image_url(path) == urls[0] and len(encoded) == 1
    cropped = prepare.picture_url(path, crop=crop)
    from PIL import Image

    with Image.open(media.media_dir() / cropped.rsplit("/", 1)[1]) as im:
        assert im.size == (200, 100)
    assert len(encoded) == 2 and prepare.picture_url(path) == urls[0] and len(encoded) == 2

    # the zoom copy of a lesson's crop is left to the preparation (the page enlarges the screen copy meanwhile)
    prepare.want_picture(path, crop=crop, width=media.ZOOM_WIDTH)
    assert media.encoded_image_url(path, crop=crop, width=media.ZOOM_WIDTH) is None
    assert prepare.encode_wanted_pictures() == 1  # what the preparation process does next
    assert media.encoded_image_url(path, crop=crop, width=media.ZOOM_WIDTH) is not None
    assert not list((prepare.prepare_dir() / "wanted-pictures").iterdir())
    lock.close()


def test_app_processes_sharing_a_home_run_one_preparation(docexam_home, monkeypatch):
    """A headquarters server: three app processes on one DOCEXAM_HOME start three preparations at once."""
    make_folder(docexam_home, monkeypatch)
    starts = [subprocess.Popen([sys.executable, "-m", "docexam.ui.prepare", "--parent", str(os.getpid())],
                               env=dict(os.environ), stderr=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        # two see the lock taken and stop at once, saying so; one works on
        deadline = time.monotonic() + 60
        while sum(c.poll() is not None for c in starts) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [c for c in starts if c.poll() is not None]
        assert len(left) == 2 and all(c.returncode == 0 for c in left)
        assert all("another preparation process" in c.stderr.read() for c in left)
        worker = next(c for c in starts if c not in left)
        assert worker.poll() is None and prepare.running()
        assert prepare.claim() is None  # nor may a fourth
    finally:
        for child in starts:
            child.kill()
            child.wait()
            child.stderr.close()
    assert not prepare.running()  # the lock died with its process: the next app process starts another



def test_the_preparation_ends_with_its_app(docexam_home, monkeypatch):
    """An app killed outright (kill -9) does not leave its preparation running on."""
    make_folder(docexam_home, monkeypatch)
    app = subprocess.Popen([sys.executable, "-c", "import time\nfrom docexam.ui import prepare\n"
                            "print(prepare.start().pid, flush=True)\ntime.sleep(600)"],
                           stdout=subprocess.PIPE, text=True)
    try:
        child = int(app.stdout.readline())
        deadline = time.monotonic() + 60
        while not prepare.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert prepare.running()
    finally:
        app.kill()
        app.wait()
        app.stdout.close()
    deadline = time.monotonic() + 10
    while prepare.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not prepare.running(), f"preparation {child} outlived its app"


def test_a_large_jpeg_is_decoded_reduced_and_its_crop_shows_the_same_place(docexam_home, tmp_path):
    # a screen copy needs a quarter of a 600 dpi page's pixels: the JPEG decoder reduces it while decoding
    from PIL import Image

    rng = np.random.default_rng(3)
    page = np.full((1600, 4000, 3), 235, np.uint8)
    page[400:800, 1000:1400] = (20, 40, 200)  # a blue square, 400 px, at a known place
    page += rng.integers(0, 8, page.shape, dtype=np.uint8)
    path = tmp_path / "page.jpg"
    Image.fromarray(page).save(path, quality=92)

    rgb, crop = media._reduced(str(path), 1000, None)
    assert rgb.shape[1] == 1000  # a quarter: 4000 px shown 1000 wide
    rgb, crop = media._reduced(str(path), 400, (800, 200, 1600, 1000))
    assert crop == (400, 100, 800, 500)  # a half: an 800 px crop shown 400 wide; the crop scaled with it
    url = media.image_url(path, width=400, crop=(800, 200, 1600, 1000))
    with Image.open(media.media_dir() / url.rsplit("/", 1)[1]) as im:
        shown = np.asarray(im.convert("RGB")).astype(int)
    assert shown.shape[:2] == (400, 400)
    # the square fills the crop's middle (file pixels 1000-1400 of 800-1600, 200-600 of the 400 shown)
    assert np.abs(shown[110:190, 110:290] - (20, 40, 200)).mean() < 12
    assert np.abs(shown[10:80, 10:80] - 238).mean() < 12


def test_a_screen_copy_written_with_its_picture_is_served_without_decoding_the_picture(docexam_home, tmp_path,
                                                                                      monkeypatch):
    from PIL import Image

    from docexam.formats.specimen import screen_copy_name

    path = tmp_path / "page.jpg"
    Image.fromarray(np.full((1600, 4000, 3), 200, np.uint8)).save(path, quality=90)
    copy = tmp_path / screen_copy_name(path.name)
    Image.fromarray(np.full((440, 1100, 3), 90, np.uint8)).save(copy, quality=85)
    decoded = []
    real = media._reduced
    monkeypatch.setattr(media, "_reduced", lambda *a: decoded.append(a) or real(*a))
    served = media.media_dir() / media.image_url(path).rsplit("/", 1)[1]
    assert served.read_bytes() == copy.read_bytes() and os.path.samefile(served, copy) and not decoded
    # anything else of the picture (its zoom copy, a crop) is made from the picture itself
    media.image_url(path, width=media.ZOOM_WIDTH)
    media.image_url(path, crop=(0, 0, 800, 800))
    assert len(decoded) == 2
    # a screen copy older than its picture (the picture made again) is not the picture's: it is made anew
    os.utime(copy, ns=(path.stat().st_mtime_ns - 10**9,) * 2)
    os.utime(path)
    served = media.media_dir() / media.image_url(path).rsplit("/", 1)[1]
    assert len(decoded) == 3
    with Image.open(served) as im:
        assert im.size == (1100, 440) and abs(np.asarray(im).mean() - 200) < 2


def test_the_preparation_runs_in_a_session_of_its_own_niced_as_a_whole(docexam_home, monkeypatch):
    """Linux shares the CPU between sessions before niceness counts: a niced process in the server's
    session would take as much of the machine as the server and everything else in its session."""
    real = subprocess.Popen

    def popen(cmd, **options):  # the preparation's start, a sleeping stand-in for its work
        return real([sys.executable, "-c", "import time; time.sleep(60)"], **options)

    monkeypatch.setattr(prepare.subprocess, "Popen", popen)
    monkeypatch.setattr(prepare, "running", lambda: False)
    proc = prepare.start()
    try:
        assert os.getsid(proc.pid) == proc.pid != os.getsid(0)
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) >= prepare.NICENESS
        group = f"/proc/{proc.pid}/autogroup"
        if os.path.exists(group):  # a kernel with autogroups: the session itself is niced
            with open(group) as fh:
                assert fh.read().split()[-1] == str(prepare.NICENESS)
    finally:
        proc.kill()
        proc.wait()
