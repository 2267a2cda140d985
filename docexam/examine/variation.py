"""Genuine variation of the design's measurements, learned per template.

A genuine document never matches its reference exactly: the capture's
resolution and its resampling onto the template, blur, noise, JPEG, uneven
light, glare on a laminate and a sub-pixel residue of the alignment all
move the measurements of :mod:`docexam.examine.deviation`, and by how much
depends on the design under each cell (fine line work reacts to a tenth of
a pixel of misalignment or to aliasing, bare paper does not). :func:`learn`
measures it: the reference itself is *captured* (seen in perspective at a
resolution drawn around the template's, blurred, lit, with sensor noise
and JPEG, over the ranges real scanners and phones show: device physics
only, no forgery model), put through the pipeline's own warp and
comparison exactly as a capture is, and the squared deviation of every
cell is kept with the blur the pipeline measured on that capture. A
capture is then held to the simulated captures of about its own blur
(:meth:`Variation.variance`).

Genuine images of the document given to ``docexam template add`` (several
``--visible``) add their measured differences (:func:`from_images`), which
include print-to-print variation of real copies; the template keeps them in
its folder (:data:`VARIATION_FILE`).

The simulated part is cached per template in ``$DOCEXAM_HOME/cache/variation``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..i18n import Message
from ..paths import cache_dir
from .compare import ALIGNMENT_RESIDUE_PX, conformity_maps, warp_views
from .deviation import CELL, TREND_MM, cell_features, detrend, to_cells
from .model import ReferenceModel
from .register import register
from .simulate import genuine_capture

__all__ = ["Variation", "learn", "variation_for", "from_images", "SIMULATED_CAPTURES", "VARIATION_FILE"]

#: simulated genuine captures per template
SIMULATED_CAPTURES = 16
#: a trainer's template keeps the variation measured from its genuine images in this file
VARIATION_FILE = "variation.npz"
#: the stored maps are this many cells to a side coarser than the deviation grid (they are smooth)
STORE_STEP = 2
#: how close (working px of measured blur) a simulated capture must be to count fully for a capture
BLUR_KERNEL = 0.35
#: variance maps kept per template (one per capture size and blur step, a few MB each)
VARIANCE_MAPS = 8
#: bump when the simulation or the measurements change (invalidates the disk cache)
_VERSION = 15


@dataclass
class Variation:
    """Squared deviations of simulated genuine captures, and the blur the pipeline measured on each.

    ``sq`` is (captures, measurements, rows, columns) on a grid
    :data:`STORE_STEP` times coarser than the deviation cells; ``blur`` is
    (captures,). ``measured`` is the variance measured on genuine images
    of the document, if any (measurements, rows, columns), added whatever
    the blur.
    """

    sq: np.ndarray
    blur: np.ndarray
    measured: np.ndarray | None = None
    match: np.ndarray | None = None  # (captures,): the page-wide correlation of the fine print (Maps.match)
    _maps: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def variance(self, shape, blur: float) -> np.ndarray:
        """Variance maps (F, h, w) for a capture of measured ``blur``: simulated captures of about that blur."""
        # captures of about the same blur share one map (a twentieth of the kernel apart is no difference)
        key = (tuple(shape), round(float(blur) / (BLUR_KERNEL / 20)))
        with self._lock:
            hit = self._maps.get(key)
        if hit is None:
            hit = self._variance(shape, key[1] * BLUR_KERNEL / 20)
            hit.flags.writeable = False
            with self._lock:
                self._maps[key] = hit
                while len(self._maps) > VARIANCE_MAPS:
                    self._maps.pop(next(iter(self._maps)))
        return hit

    def _variance(self, shape, blur: float) -> np.ndarray:
        h, w = shape
        wts = np.exp(-0.5 * ((self.blur - blur) / BLUR_KERNEL) ** 2) + 1e-3
        var = np.tensordot(wts / wts.sum(), self.sq.astype(np.float32), axes=1)
        if self.measured is not None:
            var = var + self.measured.astype(np.float32)
        var = np.stack([cv2.resize(v, (w, h), interpolation=cv2.INTER_LINEAR) for v in var])
        return var

    def with_measured(self, measured: "np.ndarray | None") -> "Variation":
        return Variation(self.sq, self.blur, measured, self.match)

    def expected_match(self, blur: float) -> tuple[float, float]:
        """(mean, spread) of the page-wide fine-print correlation of genuine captures of about this ``blur``."""
        if self.match is None or not len(self.match):
            return 0.97, 0.02
        wts = np.exp(-0.5 * ((self.blur - blur) / BLUR_KERNEL) ** 2) + 1e-3
        wts = wts / wts.sum()
        mean = float(wts @ self.match)
        return mean, float(np.sqrt(wts @ (self.match - mean) ** 2))


def _spread(sq: np.ndarray) -> np.ndarray:
    """A squared-deviation map spread to neighbouring cells and stored coarser (smooth by nature)."""
    out = []
    for j in range(sq.shape[0]):
        m = cv2.dilate(sq[j], np.ones((3, 3), np.uint8))
        m = cv2.GaussianBlur(m, (0, 0), 1.0)
        out.append(to_cells(m, STORE_STEP))
    return np.stack(out).astype(np.float16)


def _capture(model: ReferenceModel, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A genuine capture of the reference: (uint8 RGB image, image -> template homography with a residue)."""
    capture, hm = genuine_capture(model.full["visible"], rng, dpi=model.template.dpi)
    # the alignment's own residue: the true pose, slightly off
    jitter = np.eye(3)
    jitter[:2, 2] = rng.normal(0, ALIGNMENT_RESIDUE_PX, 2)
    return capture, jitter @ np.linalg.inv(hm)


def _raw(maps, model: ReferenceModel) -> np.ndarray:
    f = cell_features(maps, model)
    sigma_cells = model.mm(TREND_MM) / CELL
    raw = np.stack([detrend(v, w, sigma_cells=sigma_cells) for v, w in zip(f.values, f.weights)])
    return raw * (f.weights > 0.3)


def learn(model: ReferenceModel, *, samples: int = SIMULATED_CAPTURES, seed: int = 0) -> Variation:
    """The genuine spread of every cell's measurements, from ``samples`` simulated genuine captures of the reference."""
    rng = np.random.default_rng([seed, 0x6E])
    sqs, blurs, matches = [], [], []
    for _ in range(samples):
        capture, hm = _capture(model, rng)
        views = warp_views({"visible": capture}, hm, model)
        maps = conformity_maps(views.work["visible"], model)
        sqs.append(_spread(_raw(maps, model) ** 2))
        blurs.append(maps.sigma)
        matches.append(maps.match)
    return Variation(np.stack(sqs), np.asarray(blurs, np.float64), None, np.asarray(matches, np.float64))


def from_images(model: ReferenceModel, images) -> tuple[np.ndarray | None, list[str]]:
    """The variance measured over further genuine images of the document (uint8 RGB arrays).

    Returns the variance maps (None when no image could be used) and, per
    image that could not be aligned, a note saying so.
    """
    total, n, notes = None, 0, []
    for i, img in enumerate(images):
        reg = register(img, model.full["visible"])
        if not reg.ok:
            notes.append(Message("genuine image {n} could not be aligned ({reason}); it was not used", n=i + 2,
                                 reason=reg.reason))
            continue
        views = warp_views({"visible": img}, reg.homography, model)
        sq = _spread(_raw(conformity_maps(views.work["visible"], model), model) ** 2).astype(np.float32)
        total = sq if total is None else total + sq
        n += 1
    return (total / n if n else None), notes


def _stamp(model: ReferenceModel) -> str:
    t = model.template
    h = hashlib.sha256()
    h.update(json.dumps(t.as_dict(), sort_keys=True, default=str).encode())
    for light in t.lights:
        try:
            h.update(str(t.image_path(light).stat().st_mtime_ns).encode())
        except OSError:
            pass
    h.update(f"v{_VERSION}-{SIMULATED_CAPTURES}-{model.size}".encode())
    return h.hexdigest()[:20]


def load_npz(path: Path, *keys: str):
    """The arrays ``keys`` of an ``.npz`` file, or None when it is missing or unreadable."""
    try:
        with np.load(path) as data:
            return tuple(data[k] for k in keys)
    except (OSError, KeyError, ValueError):
        return None


def save_npz(path: Path, **arrays) -> None:
    """Written atomically; a cache that cannot be written is simply recomputed next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".variation-", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass


def _simulated(model: ReferenceModel, path: Path) -> Variation:
    """The simulated variation kept in ``path``, learnt and written there first if it is not."""
    loaded = _load_simulated(path)
    if loaded is None:
        # learnt by one process at a time: the app's preparation and its server, or two test workers,
        # asking for the same template at once would each spend a minute of CPU on the same maps
        with _learning_lock(path):
            loaded = _load_simulated(path)
            if loaded is None:
                loaded = learn(model)
                save_npz(path, sq=loaded.sq, blur=loaded.blur, match=loaded.match)
    return loaded


def _load_simulated(path: Path) -> Variation | None:
    loaded = load_npz(path, "sq", "blur", "match")
    if loaded is None or loaded[0].ndim != 4:
        return None
    return Variation(loaded[0], loaded[1], None, loaded[2])


@contextlib.contextmanager
def _learning_lock(path: Path):
    """Held while one process learns the maps of ``path``; without a writable folder, no lock (nothing shared)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_name(f".{path.stem}.lock"), "a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def variation_for(model: ReferenceModel) -> Variation:
    """The template's genuine variation: simulated (cached on disk), plus what its own genuine images showed.

    One side of a card shares its sheet's (the same cells, the same design).
    """
    if model.sheet is not None:
        return variation_for(model.sheet)

    def build():
        simulated = _simulated(model, cache_dir() / "variation" / f"{model.template.id}-{_stamp(model)}.npz")
        measured = None
        if not model.template.synthetic:
            found = load_npz(model.template.folder / VARIATION_FILE, "variance")
            measured = found[0] if found is not None else None
        return simulated.with_measured(measured)

    return model.cached("variation", build)
