"""A drill's render as the browser needs it: rendered *and* its screen copies encoded.

A traveller or a trial rendered ahead by ``docexam drills prepare`` (or
by the background preparation, which reaches it only after the first
trials) exists on disk but may not be encoded for the browser yet. The
drill's renderer counted such a job as done, so the page had to ask the
preparation process for the picture and wait behind whatever it was
rendering (8-20 s under load). :class:`OnScreen` is done only when
every picture the page may show is encoded too (:func:`missing`: each
light at screen size and for the loupe, the traveller's photo); running
it renders what is missing (nothing when cached) and the prefetcher's
``then`` hook (:func:`media.warm`) encodes.
This module does not import Streamlit (a job is unpickled in the
renderer's worker process).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..drill.ahead import ahead_jobs
from ..drill.material import TravellerJob, document_kinds, photo_path, technique_fits
from ..drill.scenario import find_scenario, load_scenarios
from ..drill.travellers import plan_queue
from ..drill.trials import TrialJob
from ..errors import DocexamError
from ..formats.lights import LIGHTS
from ..specimens import find_template
from . import media


@dataclass(frozen=True)
class OnScreen:
    """``job`` (a :class:`~docexam.drill.material.TravellerJob` or a :class:`~docexam.drill.trials.TrialJob`) with its pictures encoded."""

    job: object

    @property
    def key(self) -> str:
        return f"screen:{self.job.key}"

    def ready(self) -> bool:
        photo = [photo_path(self.job.traveller)] if isinstance(self.job, TravellerJob) else []
        return not missing(self.job, screen=photo)

    def __call__(self):
        return self.job()


def reference_images(template_id: str) -> dict:
    """light -> picture of the genuine blank of ``template_id`` (the drill's reference tool shows it)."""
    tpl = find_template(template_id)
    return {light: tpl.image_path(light) for light in LIGHTS if light in tpl.images}


def missing(job, *, screen=(), loupe=()) -> list[str]:
    """What of ``job``'s pictures a page would have to make before showing them (empty: all ready).

    ``render`` when the job is not rendered yet; otherwise each picture
    whose screen copy or full-resolution copy (the loupe's) is not encoded
    yet, as ``name@width``. ``screen`` names further pictures the page shows
    at screen size only (the traveller's photo at the counter), ``loupe``
    further pictures shown with a zoom as well (the reference's genuine blank).

    >>> class Nothing:
    ...     def ready(self): return False
    >>> missing(Nothing())
    ['render']
    """
    if not job.ready():
        return ["render"]
    out = []
    for picture in [*job.pictures(), *loupe]:
        for width in (media.DISPLAY_WIDTH, media.ZOOM_WIDTH):
            if media.encoded_image_url(picture, width=width) is None:
                out.append(f"{Path(picture).stem}@{width}")
    for picture in screen:
        if media.encoded_image_url(picture) is None:
            out.append(f"{Path(picture).stem}@{media.DISPLAY_WIDTH}")
    return out


def traveller_missing(traveller, scenario) -> list[str]:
    """What the counter would have to make to show ``traveller`` (see :func:`missing`): the document in
    every light, the photo, and the genuine blank when the post has the reference tool."""
    reference = []
    if "reference" in scenario.tools:
        reference = list(reference_images(traveller.document.template).values())
    return missing(TravellerJob(traveller), screen=[photo_path(traveller)], loupe=reference)


def encode_ahead(scenarios, queues, *, progress=None) -> int:
    """Encode the screen and loupe copies of everything the drills show, rendered ahead; pictures looked at.

    For ``docexam drills prepare`` (after it rendered them) and the
    background preparation: every traveller's document and photo, the
    genuine blanks of the posts with the reference tool, and the threshold
    trials :func:`~docexam.drill.ahead.ahead_jobs` lists. Only what is
    rendered already; nothing encoded twice (the files are kept).
    """
    pictures: list = []
    for job in ahead_jobs(queues):
        if isinstance(job, (TravellerJob, TrialJob)) and job.ready():
            pictures += job.pictures()
            if isinstance(job, TravellerJob):
                pictures.append(photo_path(job.traveller))
    for scenario, queue in zip(scenarios, queues):
        if "reference" in scenario.tools:
            for template in sorted({t.document.template for t in queue}):
                pictures += reference_images(template).values()
    pictures = list(dict.fromkeys(map(str, pictures)))
    for n, picture in enumerate(pictures, 1):
        media.warm([picture])
        if progress is not None:
            progress(n, len(pictures))
    return len(pictures)


def encode_command(ids, folder) -> int:
    """``docexam drills prepare``'s second half: the browser's copies of the drills' pictures (no lock:
    encoding is idempotent and each file is written atomically, beside a running app's preparation too)."""
    try:
        scenarios = load_scenarios(folder)
        chosen = [find_scenario(i, scenarios) for i in ids] if ids else scenarios
    except DocexamError as exc:
        print(f"docexam: {exc}", file=sys.stderr)
        return 2
    queues = [plan_queue(s, kinds=document_kinds(), fits=technique_fits) for s in chosen]

    def progress(done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            print(f"encoding drill pictures for the browser: {done} / {total}", flush=True)

    n = encode_ahead(chosen, queues, progress=progress)
    print(f"{n} pictures encoded for the browser (screen and loupe copies) or found encoded", flush=True)
    return 0
