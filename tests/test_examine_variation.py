"""The simulated genuine variation's disk cache (docexam.examine.variation)."""

from __future__ import annotations

import threading
import time

import numpy as np

from docexam.examine import variation


def _small_variation(seed: int) -> variation.Variation:
    rng = np.random.default_rng(seed)
    return variation.Variation(rng.random((2, 3, 4, 5)).astype(np.float16), rng.random(2), None, rng.random(2))


def test_two_askers_at_once_learn_the_maps_once_and_both_get_them(tmp_path, monkeypatch):
    learnt = []

    def slow_learn(model):
        learnt.append(model)
        time.sleep(0.5)  # long enough for the second asker to arrive while the first learns
        return _small_variation(len(learnt))

    monkeypatch.setattr(variation, "learn", slow_learn)
    path = tmp_path / "variation" / "uto-td3-abc.npz"
    got = [None, None]

    def ask(i):
        got[i] = variation._simulated(f"model {i}", path)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(learnt) == 1
    assert all(np.array_equal(g.sq, _small_variation(1).sq) for g in got)
    assert np.array_equal(got[0].blur, got[1].blur) and np.array_equal(got[0].match, got[1].match)
    # kept: a later asker reads the file and learns nothing
    assert np.array_equal(variation._simulated("model 3", path).sq, got[0].sq) and len(learnt) == 1


def test_an_unwritable_cache_folder_still_gives_the_maps(tmp_path, monkeypatch):
    monkeypatch.setattr(variation, "learn", lambda model: _small_variation(7))
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    got = variation._simulated("model", blocker / "variation" / "uto-td3-abc.npz")
    assert np.array_equal(got.sq, _small_variation(7).sq)
