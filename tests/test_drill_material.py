"""Documents rendered on demand and cached by recipe; trials as mosaics; the background renderer.

The renderer's queue is tested with small jobs (files written in a folder);
one real document and one real trial are rendered (``slow``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from docexam.drill.material import (TravellerJob, cached_document, document_kinds, photo_path, technique_fits,
                                    traveller_ready)
from docexam.drill.trials import TRIAL_CROPS, TrialRecipe, cached_trial, render_trial
from docexam.drill.prefetch import Prefetcher
from docexam.drill.travellers import Document, Traveller
from docexam.synth.designs import DESIGNS


@dataclass(frozen=True)
class Note:
    """A job: wait for ``gate`` (if given), then append ``name`` to ``log`` (picklable: runs in a worker)."""

    name: str
    log: str
    gate: str = ""
    fail: bool = False

    @property
    def key(self) -> str:
        return f"note:{self.name}"

    def ready(self) -> bool:
        log = Path(self.log)
        return log.is_file() and self.name in log.read_text().split()

    def __call__(self):
        deadline = time.monotonic() + 60
        while self.gate and not Path(self.gate).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if self.fail:
            raise ValueError(f"{self.name} cannot be made")
        with open(self.log, "a") as fh:
            fh.write(self.name + "\n")
        return [self.name]


def test_the_most_urgent_job_runs_first_and_each_once(tmp_path):
    log, gate = str(tmp_path / "log"), str(tmp_path / "gate")
    timed = []
    p = Prefetcher(workers=1, log=timed.append)
    try:
        p.request(Note("first", log, gate), priority=5)       # holds the only worker until the gate opens
        time.sleep(1.0)
        for name, priority in (("later", 9), ("soon", 1), ("middle", 4), ("soon", 1), ("later", 2)):
            p.request(Note(name, log), priority=priority)     # "later" asked again, more urgently
        assert p.queued() == 4
        # where each job is: what an officer waiting for it would be waiting on
        assert p.whereabouts(Note("first", log)).startswith("running:")
        assert p.whereabouts(Note("soon", log)).endswith(":1")      # queued, behind the running one only
        assert p.whereabouts(Note("middle", log)).endswith(":3")    # behind the running one, "soon" and "later"
        assert p.whereabouts(Note("never", log)) == "unasked"
        time.sleep(1.0)  # the queued jobs wait a known second behind the gated one (not only on a slow machine)
        Path(gate).touch()
        deadline = time.monotonic() + 60
        while p.queued() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        p.close()
    assert Path(log).read_text().split() == ["first", "soon", "later", "middle"]
    assert p.stats.done == 4 and p.stats.failed == 0
    assert p.whereabouts(Note("soon", log)) == "done"
    # each job's seconds queued and running, logged as it finished: "middle" queued behind the gated one
    by_key = {t.key: t for t in timed}
    assert list(by_key) == ["note:first", "note:soon", "note:later", "note:middle"] and all(t.ok for t in timed)
    assert by_key["note:first"].running >= 1.0 > by_key["note:first"].queued
    assert by_key["note:middle"].queued >= 1.0 and by_key["note:middle"].running < by_key["note:middle"].queued
    # waiting for a job asks for it most urgently, ahead of everything queued
    p = Prefetcher(workers=1)
    try:
        p.request(Note("blocker", log, gate + "2"), priority=5)
        time.sleep(1.0)
        p.request(Note("queued", log), priority=1)
        Path(gate + "2").touch()
        assert p.wait(Note("waited", log), timeout=60)
    finally:
        p.close()
    assert Path(log).read_text().split()[4:6] == ["blocker", "waited"]


def test_a_failing_job_is_reported_not_raised(tmp_path):
    p = Prefetcher(workers=1)
    try:
        job = Note("bad", str(tmp_path / "log"), fail=True)
        assert p.wait(job, timeout=60) is False
        assert p.failed(job) == "ValueError: bad cannot be made"
    finally:
        p.close()


def test_without_workers_nothing_runs_ahead_and_a_wait_runs_the_job(tmp_path):
    log = str(tmp_path / "log")
    p = Prefetcher(workers=0)
    p.request(Note("ahead", log), priority=1)
    assert not Path(log).exists() and p.queued() == 1
    assert p.wait(Note("now", log))
    assert Path(log).read_text().split() == ["now"] and p.done(Note("now", log))
    # a result already on disk counts as done: nothing to render
    assert p.done(Note("now", log)) and not p.done(Note("ahead", log))


def test_document_kinds_follow_the_templates():
    kinds = document_kinds()
    # every synthetic design renders for the drill, by its format (TD3 and visa pages: passport; TD1/TD2: id-card)
    assert "uto-td3" in kinds["passport"] and "mrd-td1" in kinds["id-card"] and "uto-td2" in kinds["id-card"]
    assert sorted(t for ts in kinds.values() for t in ts) == sorted(DESIGNS)
    # the technique catalogue's substrates decide: paper attacks on the passport, card attacks on the card
    assert technique_fits("photo-substitution", "uto-td3") and not technique_fits("photo-substitution", "mrd-td1")
    assert technique_fits("re-engraving", "mrd-td1") and not technique_fits("re-engraving", "uto-td3")
    assert technique_fits("mrz-inconsistency", "mrd-td1") and technique_fits("mrz-inconsistency", "uto-td3")
    assert not technique_fits("no-such-technique", "uto-td3")
    # a flat foil replaces an optically variable device: only designs that have one (mrd-td3, uto-td2)
    assert technique_fits("flat-foil", "mrd-td3") and not technique_fits("flat-foil", "mrd-td1")


@pytest.mark.slow
def test_a_traveller_is_rendered_once_and_kept_by_recipe():
    # a polycarbonate card: its photo is re-engraved, not glued in (synth refuses photo substitution on it)
    traveller = Traveller(0, 0.0, Document("id-card", "mrd-td1", 4242, "flat", "re-engraving", 0.8), (),
                          "visitor", "re-engraving", 4242)
    assert cached_document(traveller.document) is None and not traveller_ready(traveller)
    pictures = TravellerJob(traveller)()
    material = cached_document(traveller.document)
    assert traveller_ready(traveller) and photo_path(traveller) in pictures
    assert material.lights == ("visible", "uv", "ir") and material.template == "mrd-td1"
    assert material.anomalies[0]["technique"] == "re-engraving" and material.mask is not None
    meta = json.loads((material.folder / "doc.json").read_text())
    assert meta["recipe"] == traveller.document.recipe()
    before = material.image("visible").stat().st_mtime_ns
    TravellerJob(traveller)()  # cached: nothing is written again
    assert material.image("visible").stat().st_mtime_ns == before
    # another severity is another recipe, another folder
    other = Document("id-card", "mrd-td1", 4242, "flat", "re-engraving", 0.3)
    assert cached_document(other) is None


@pytest.mark.slow
def test_a_trial_is_four_crops_of_one_zone_with_the_forgery_where_it_says():
    import cv2

    recipe = TrialRecipe("mrz-inconsistency", 0.9, 0, 2)
    assert cached_trial(recipe) is None
    trial = render_trial(recipe)
    assert trial.position == 2 and trial.lights[0] == "visible" and "ir" in trial.lights
    mosaic = cv2.imread(str(trial.images["visible"]))
    assert mosaic.shape[1::-1] == tuple(trial.size)
    meta = json.loads((trial.folder / "trial.json").read_text())
    assert meta["documents"][0]["forge"] == "mrz-inconsistency" and len(meta["documents"]) == TRIAL_CROPS
    # the MRZ is a long strip: the four crops are stacked, one per row
    rows = np.array_split(np.arange(mosaic.shape[0]), TRIAL_CROPS)
    assert len(rows) == TRIAL_CROPS and mosaic.shape[1] > mosaic.shape[0] / TRIAL_CROPS
    assert cached_trial(recipe) == trial
