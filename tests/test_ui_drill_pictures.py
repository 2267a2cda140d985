"""A drill render counts as done for the drill's renderer only once the browser's copies are encoded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from docexam.atomic import write_png
from docexam.drill.prefetch import Prefetcher
from docexam.ui import media
from docexam.ui.drill_pictures import OnScreen


@dataclass(frozen=True)
class Rendered:
    """A job whose picture is on disk already (rendered by ``docexam drills prepare``)."""

    picture: str

    @property
    def key(self) -> str:
        return f"rendered:{self.picture}"

    def ready(self) -> bool:
        return Path(self.picture).is_file()

    def pictures(self) -> list[Path]:
        return [Path(self.picture)] if self.ready() else []

    def __call__(self) -> list[Path]:
        return self.pictures()


def test_a_rendered_but_unencoded_job_is_not_done_until_encoded(tmp_path):
    picture = tmp_path / "visible.png"
    write_png(picture, np.full((60, 90, 3), 200, np.uint8))
    job = OnScreen(Rendered(str(picture)))
    assert job.job.ready() and not job.ready() and job.key == f"screen:rendered:{picture}"
    p = Prefetcher(workers=0, then=media.warm)
    assert not p.done(job)          # the old rule (rendered = done) left the browser waiting
    assert p.wait(job)               # running it renders nothing and encodes the screen copy
    assert media.encoded_image_url(picture) is not None and job.ready()
    # a job not rendered yet is not ready, and has no pictures to ask about
    assert not OnScreen(Rendered(str(tmp_path / "missing.png"))).ready()


def test_a_picture_just_made_is_encoded_from_memory_and_is_its_own_zoom_copy(docexam_home):
    import cv2

    from docexam.drill.material import jpeg_bytes
    from docexam.ui.drill_pictures import missing

    rgb = np.zeros((500, 2400, 3), np.uint8)
    rgb[:, 1200:] = (200, 30, 30)                                  # right half red: the colours' order checked
    picture = docexam_home / "mosaic.jpg"
    picture.write_bytes(jpeg_bytes(rgb))
    assert missing(Rendered(str(picture))) == ["mosaic@1100", "mosaic@3000"]
    media.warm_picture(picture, rgb)
    assert missing(Rendered(str(picture))) == []                   # the files the pages and `warm` name
    zoom = media.media_dir() / Path(media.encoded_image_url(picture, width=media.ZOOM_WIDTH)).name
    assert zoom.read_bytes() == picture.read_bytes()               # linked, not encoded again
    screen = cv2.imread(str(media.media_dir() / Path(media.encoded_image_url(picture)).name))
    assert screen.shape == (229, 1100, 3)                          # 500 x 2400 shrunk to 1100 wide
    assert abs(screen[100, 1000].astype(int) - (30, 30, 200)).max() < 12 and screen[100, 100].max() < 12
