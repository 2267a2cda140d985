"""Threshold trials cut ahead: after ``prepare`` a staircase's answers render nothing.

Renders are counted (:func:`docexam.drill.material.renders_made`), not
timed. The renderer is a stand-in that makes small pages in milliseconds
(``test_drill_support.fake_render_specimen``); the real renderer's trial is
``test_drill_material.py``'s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from test_drill_support import install_fake_renderer

from docexam.drill.ahead import ahead_jobs, first_asked, measurable_techniques, staircase_forgeries
from docexam.drill.material import renders_made
from docexam.drill.measure import VARIANTS, choose_recipe, next_recipes
from docexam.drill.prepare import run_jobs
from docexam.drill.staircase import LEVELS, TRIALS, Staircase, p_correct
from docexam.drill.trials import (GENUINE_POOL, TRIAL_CROPS, CropsJob, TrialRecipe, _read, cached_crops, cached_trial,
                                  fitting_templates, render_trial)

TECHNIQUE = "erasure"  # made on two templates (uto-td3, uto-visa): the variants alternate between them
RUN = "6f1c8d3e-0000-4000-8000-00000000abcd"


def _staircase_run(technique: str, *, threshold: float, seed: int, answers: int = TRIALS):
    """A simulated officer of known ``threshold`` answers ``answers`` trials as the app does: each trial is
    picked among those made, and the two that may follow it are made before the answer. Returns the
    recipes shown."""
    rng = np.random.default_rng(seed)
    staircase, shown = Staircase(), []
    for n in range(answers):
        recipe = choose_recipe(staircase, technique, RUN, n, ready=lambda r: cached_trial(r) is not None)
        trial = render_trial(recipe)
        for following in next_recipes(staircase, recipe, technique, RUN, n):  # prefetched while the officer looks
            render_trial(following)
        assert trial.position == recipe.position % TRIAL_CROPS
        correct = bool(rng.random() < p_correct(recipe.severity, threshold, 12.0))
        staircase = staircase.updated(recipe.severity, correct)
        shown.append(recipe)
    return shown


def test_the_staircase_asks_for_levels_of_its_grid_soonest_first():
    asked = first_asked()
    assert asked[(0.5, 0)] == 0 and {lv for (lv, v), d in asked.items() if d == 1} == {0.4, 0.7}
    # every level is reached within the walked depth, each with every variant
    assert {lv for lv, _ in asked} == set(LEVELS) and {v for _, v in asked} == set(range(VARIANTS))
    forgeries = staircase_forgeries([TECHNIQUE])
    assert len(forgeries) == len(set(forgeries)) == len(LEVELS) * VARIANTS
    assert (forgeries[0].severity, forgeries[0].variant) == (0.5, 0)
    depths = [asked.get((f.severity, f.variant), 99) for f in forgeries]
    assert depths == sorted(depths)


def test_prepare_lists_travellers_first_trials_pool_then_every_forgery():
    from docexam.drill.travellers import Document, Traveller
    from docexam.drill.material import TravellerJob
    from docexam.drill.trials import DocumentJob, TrialJob

    def queue(n, seed):
        return [Traveller(i, 0.0, Document("passport", "uto-td3", seed + i), (), "s", None, seed + i) for i in range(n)]
    a, b = queue(6, 100), queue(3, 200)
    jobs = ahead_jobs([a, b], first=2)
    travellers = [j.traveller.document.seed for j in jobs if isinstance(j, TravellerJob)]
    assert travellers == [100, 200, 101, 201, 102, 202, 103, 104, 105]
    kinds = "".join({TravellerJob: "t", TrialJob: "x", DocumentJob: "g", CropsJob: "c"}[type(j)] for j in jobs)
    techniques = measurable_techniques()
    templates = {t for name in techniques for t in fitting_templates(name)}
    # the first trial's forgery is cut by the first trials; six more are asked for in a staircase's first 3 trials
    # ((0.4, 0.7) as variant 1, (0.3, 0.6, 0.65, 0.85) as variant 2)
    early, late = 6 * len(techniques), (len(LEVELS) * VARIANTS - 7) * len(techniques)
    assert kinds == ("t" * 4 + "x" * TRIAL_CROPS * len(techniques) + "g" * len(templates) * GENUINE_POOL
                     + "c" * early + "t" * 5 + "c" * late)
    assert {j.recipe.severity for j in jobs if isinstance(j, TrialJob)} == {0.5}
    # every technique at every level, every variant, once
    cut = [j.forgery for j in jobs if isinstance(j, CropsJob)]
    assert len(set(cut)) == len(cut) and len(cut) + len(techniques) == len(techniques) * len(LEVELS) * VARIANTS


def test_after_prepare_a_staircase_renders_nothing_and_the_cache_serves_another_process(docexam_home):
    # `prepare` for one technique, in another process (its own counter, its own memory)
    script = ("import sys; from test_drill_support import install_fake_renderer; install_fake_renderer()\n"
              "from docexam.drill.ahead import ahead_jobs; from docexam.drill.prepare import run_jobs\n"
              "from docexam.drill.material import renders_made\n"
              f"assert run_jobs(ahead_jobs([], techniques=[{TECHNIQUE!r}]), workers=1) == []\n"
              "print(renders_made())\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # each forgery rendered once (21 levels x 3 variants), each genuine document of the two templates' pools once
    assert int(done.stdout.split()[-1]) == len(LEVELS) * VARIANTS + 2 * GENUINE_POOL
    assert all(cached_crops(f) is not None for f in staircase_forgeries([TECHNIQUE]))
    before = renders_made()
    shown = []
    for seed, threshold in enumerate((0.15, 0.45, 0.8)):
        shown += _staircase_run(TECHNIQUE, threshold=threshold, seed=seed)
    assert renders_made() == before  # 120 answers, every trial and both next trials put together: no render
    assert len({r.severity for r in shown}) >= 8 and {r.variant for r in shown} == set(range(VARIANTS))
    # the mosaic has the forgery where the recipe says: the dark patch of the stand-in's forged page
    recipe = max(shown, key=lambda r: r.severity)
    trial = cached_trial(recipe)
    mosaic = _read(trial.images["visible"]).mean(axis=2)
    cols = 2
    h, w = mosaic.shape
    cells = [mosaic[r * (h // 2):(r + 1) * (h // 2), c * (w // cols):(c + 1) * (w // cols)]
             for r in range(2) for c in range(cols)]
    assert int(np.argmin([c.mean() for c in cells])) == recipe.position % TRIAL_CROPS


def test_without_prepare_a_trial_is_rendered_when_asked(docexam_home, monkeypatch):
    install_fake_renderer(monkeypatch)
    recipe = TrialRecipe(TECHNIQUE, 0.55, 1, 3)
    assert cached_crops(recipe.forgery) is None and cached_trial(recipe) is None
    before = renders_made()
    trial = render_trial(recipe)
    assert renders_made() - before == TRIAL_CROPS  # the forged document and three genuine ones
    assert trial.position == 3 and trial.lights == ("visible", "uv")  # erasure is seen in visible and UV light
    # another position of the same forgery is put together from the same crops; another level is cut anew
    render_trial(TrialRecipe(TECHNIQUE, 0.55, 1, 0))
    assert renders_made() - before == TRIAL_CROPS
    render_trial(TrialRecipe(TECHNIQUE, 0.6, 1, 0))
    assert renders_made() - before == TRIAL_CROPS + 1  # the genuine documents are kept whole and reused
    # a job that fails is one line; the others go on
    bad = CropsJob(type(recipe.forgery)("no-such-technique", 0.5, 0))
    problems = run_jobs([bad, CropsJob(recipe.forgery)], workers=1)
    assert len(problems) == 1 and "no-such-technique" in problems[0] and "InputFileError" in problems[0]


@pytest.mark.slow
def test_the_prepare_command_cuts_every_trial_of_a_technique(docexam_home, monkeypatch, tmp_path, capsys):
    from test_drill_support import SCENARIO

    from docexam.cli import main
    from docexam.drill.ahead import ahead_jobs as listed

    install_fake_renderer(monkeypatch)
    folder = tmp_path / "drills"
    folder.mkdir()
    text = SCENARIO.format(pattern="all-at-once", extra="").replace("queue = 20", "queue = 10")
    (folder / "test-counter.toml").write_text(text, encoding="utf-8")
    assert main(["drills", "prepare", "--drills", str(folder), "--technique", TECHNIQUE, "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "every threshold trial of 1 technique(s)" in out
    assert all(cached_crops(f) is not None for f in staircase_forgeries([TECHNIQUE]))
    assert all(job.ready() for job in listed([], techniques=[TECHNIQUE]))
    # an unknown technique: one line, exit status 2, nothing rendered
    before = renders_made()
    assert main(["drills", "prepare", "--drills", str(folder), "--technique", "no-such-technique"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-technique" in err[0] and renders_made() == before


@dataclass(frozen=True)
class Touch:
    """A job: create ``path`` (fails when ``path`` names no folder) and say which process did it."""

    path: str

    @property
    def key(self) -> str:
        return self.path

    def __call__(self):
        Path(self.path).write_text(str(os.getpid()))
        return []


def test_prepare_runs_jobs_in_fresh_processes_batch_by_batch(tmp_path, monkeypatch):
    import docexam.drill.prepare as prepare

    monkeypatch.setattr(prepare, "JOBS_PER_PROCESS", 2)  # 2 processes x 2 jobs: a new pair for every 4 jobs
    jobs = [Touch(str(tmp_path / f"job{n}")) for n in range(9)] + [Touch(str(tmp_path / "missing" / "job"))]
    problems = run_jobs(jobs, workers=2)
    assert len(problems) == 1 and problems[0].startswith(str(tmp_path / "missing" / "job"))
    pids = [int((tmp_path / f"job{n}").read_text()) for n in range(9)]
    assert os.getpid() not in pids and not set(pids[:4]) & set(pids[4:8])  # each batch of 4 in fresh processes
