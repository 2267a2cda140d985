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
