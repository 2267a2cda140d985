"""The examination desk's limits (issue 15): picture size and decode memory, uploads per minute per session,
examinations at once; each refusal is one readable line on the page, never a traceback."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from docexam.errors import InputFileError
from docexam.ui import limits
from docexam.ui.limits import DeskLimitError, ExaminationSlots, UploadRate, read_desk_image

from test_ui_support import app, errors, goto, make_folder, png


def huge_png(width: int = 8000, height: int = 5200) -> bytes:
    """A 41.6-megapixel PNG that is small on disk (1 bit per pixel, one colour)."""
    buf = io.BytesIO()
    Image.new("1", (width, height), 1).save(buf, "PNG")
    return buf.getvalue()


def test_a_picture_over_the_desk_limit_is_refused_before_decoding():
    data = huge_png()
    assert len(data) < 200_000
    with pytest.raises(InputFileError) as caught:
        read_desk_image(data, "phone.png")
    assert str(caught.value) == ("phone.png: image is 8000x5200 pixels, more than the 40 megapixels allowed; the desk "
                                 "decodes at most 40 megapixels (about 120 MB in memory): take the photo at a lower "
                                 "resolution or scan at 600 dpi")
    assert read_desk_image(png(), "ok.png").shape[2] == 3


def test_uploads_per_minute_per_session():
    rate = UploadRate(per_minute=12)
    assert all(rate.allow("a", now=float(t)) for t in range(12))
    assert not rate.allow("a", now=30.0) and rate.allow("b", now=30.0)
    assert rate.allow("a", now=60.5)  # the first one is out of the window
    with pytest.raises(DeskLimitError, match="more than 1 picture in a minute from this browser: wait a minute"):
        one = UploadRate(per_minute=1)
        one.check("c")
        one.check("c")


def test_examinations_at_once_are_bounded():
    slots = ExaminationSlots(2, wait_s=0.2)
    inside, release = threading.Barrier(3), threading.Event()

    def examine():
        with slots.turn():
            inside.wait()
            release.wait(5)

    threads = [threading.Thread(target=examine) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()  # two examinations are running
    with pytest.raises(DeskLimitError, match=r"the desk is busy \(2 examinations running"):
        with slots.turn():
            pass
    release.set()
    for t in threads:
        t.join()
    with slots.turn():  # a turn frees when an examination ends
        pass


# ----------------------------------------------------------------- on the page

@pytest.fixture
def desk(docexam_home, monkeypatch):
    make_folder(docexam_home, monkeypatch)
    at = goto(app(), "desk")
    at.selectbox(key="desk-template").set_value("demo-td3")
    return at


def _examine(at, name: str, data: bytes):
    at.get("file_uploader")[0].set_value((name, data, "image/png"))
    at.run()
    [b for b in at.button if b.label == "Examine"][0].click().run()
    assert not at.exception, at.exception
    return errors(at)


def test_the_desk_page_says_a_picture_is_too_large(desk):
    (message,) = _examine(desk, "phone.png", huge_png())
    assert message.startswith("This file cannot be used: phone.png: image is 8000x5200 pixels") and "120 MB" in message


def test_the_desk_page_says_too_many_pictures_a_minute(desk, monkeypatch):
    monkeypatch.setattr(limits, "upload_rate", UploadRate(per_minute=1))
    assert _examine(desk, "doc.png", png()) == []
    (message,) = _examine(desk, "doc.png", png(value=120))
    assert message == "more than 1 picture in a minute from this browser: wait a minute, then examine again"


def test_the_desk_page_says_it_is_busy(desk, monkeypatch):
    busy = ExaminationSlots(1, wait_s=0.1)
    monkeypatch.setattr(limits, "examination_slots", busy)
    with busy.turn():  # another officer's examination holds the only slot
        (message,) = _examine(desk, "doc.png", png())
    assert message.startswith("the desk is busy (1 examination running")


# ------------------------------------------------- the trainer's workshop page

def test_workshop_page_shows_comments_as_text_and_names_a_bad_upload(docexam_home, monkeypatch):
    """A trainee's comment in Markdown is shown as typed (no image fetched, no link); a hostile export
    is one readable error naming the uploaded file, not the page's traceback."""
    import datetime as dt
    import json

    from docexam.training import TrainingRecord, kdf
    from docexam.training.exchange import export_data
    from test_ui_app import unlock_trainer

    monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)
    make_folder(docexam_home, monkeypatch)
    comment = "![x](http://evil.example/pixel.png) [click](http://evil.example/) **bold**"
    with TrainingRecord.open() as record:
        ws = record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                    start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5), code="KK-01")
        me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="1234")
        record.join_workshop(me.id, ws.code)
        record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4, comments=comment)
        hostile = export_data(record, ws.code)
    hostile["trainees"][0]["name"] = "Sok \ud800Chea"
    at = goto(unlock_trainer(app()), "workshops")
    assert comment in [t.value for t in at.text]
    assert not [m for m in at.markdown if "evil.example" in m.value]
    at.get("file_uploader")[0].set_value(("kk-01.json", json.dumps(hostile).encode(), "application/json"))
    at.run()
    [b for b in at.button if b.label == "Merge these records"][0].click().run()
    assert not at.exception, at.exception
    assert errors(at) == ["kk-01.json: trainees[0].name: contains a lone surrogate (not Unicode text)"]
