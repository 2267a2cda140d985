"""Speed of the examination pipeline in batch mode (one process, template cached).

For a 600 dpi TD3 flatbed scan and phone photos of 5 and 12 megapixels
(JPEG files, as they come from devices), prints the median milliseconds per document of
:func:`docexam.examine.examine` and two *floors*, the same process's time
just to decode the image and warp it, with the homography already known
(the pipeline's own decoding, :func:`docexam.examine.steps.load`):

* ``floor`` (the issue's): decode and warp into the template, i.e. onto the
  template's own pixel grid (600 dpi; :func:`docexam.examine.register.warp_to_template`);
* ``work floor`` (stricter): decode and warp onto the half-resolution grid
  the pipeline compares at (:func:`docexam.examine.compare.warp_views`),
  which is what the pipeline itself warps, and about three times cheaper.

Wall-clock and CPU time (``time.process_time``, all threads) are printed.
Goals: <= 250 ms per document on a 2-core machine, <= 5x the floor.

Usage::

    .venv/bin/python benchmarks/speed.py [--repeat 12] [--out DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _scan_seed_at(dpi: int) -> int:
    """A seed whose simulated scan is at ``dpi`` (found on a small demo page: cheap)."""
    from docexam.synth.capture import demo_document, simulate_capture

    doc = demo_document(size=(120, 84))
    for seed in range(2000):
        if simulate_capture({"visible": doc}, kind="scan", seed=seed).params["dpi"] >= dpi:
            return seed
    raise RuntimeError(f"no seed gives a {dpi} dpi scan")


def _phone_seed_at(megapixels: float) -> int:
    """A seed whose simulated phone photo of a TD3 page has about ``megapixels`` (+-5 %)."""
    from docexam.synth.capture import demo_document, simulate_capture

    doc = demo_document(size=(2953, 2079))  # the frame size follows the page size
    for seed in range(2000):
        w, h = simulate_capture({"visible": doc}, kind="phone", seed=seed).params["size_px"]
        if abs(w * h / 1e6 - megapixels) <= 0.05 * megapixels:
            return seed
    raise RuntimeError(f"no seed gives a {megapixels} Mpx phone photo")


def make_inputs(folder: Path) -> dict:
    """Write a 600 dpi TD3 scan and two phone photos (5 and 12 Mpx, JPEG) into ``folder``; returns name -> path.

    Phones today take 12 Mpx photos; the 5 Mpx one is a smaller or cropped
    photo (its decoding, and so the floor, is cheaper).
    """
    from PIL import Image

    from docexam.synth.render import render_specimen

    out = {}
    for name, capture, seed in (("td3-scan-600dpi", "scan", _scan_seed_at(600)), ("td3-phone-5mp", "phone", 7),
                                ("td3-phone-12mp", "phone", _phone_seed_at(12.0))):
        path = folder / f"{name}.jpg"
        if not path.is_file():
            r = render_specimen("uto-td3", seed=seed, capture=capture)
            Image.fromarray(r.images["visible"]).save(path, quality=90)
        out[name] = path
    return out


def floor_ms(path: Path, homography: np.ndarray, model, *, grid: str) -> float:
    """Wall ms to decode the file and warp it, homography known: onto the template's grid or the working grid."""
    from docexam.examine.compare import warp_views
    from docexam.examine.register import warp_to_template
    from docexam.examine.steps import load

    t0 = time.perf_counter()
    images = load({"visible": path})["images"]
    if grid == "template":
        warp_to_template(images["visible"], homography, model.template.size_px)
    else:
        warp_views(images, homography, model)
    return (time.perf_counter() - t0) * 1e3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=12, help="documents per capture kind")
    ap.add_argument("--out", help="folder for the input images (default: a temporary folder)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat: at least 1")
    from docexam.examine import examine
    from docexam.examine.model import reference_model
    from docexam.specimens.registry import find_template

    tpl = find_template("uto-td3")
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="docexam-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    inputs = make_inputs(folder)
    examine(inputs["td3-phone-5mp"], tpl)  # warm-up: template model, glyph bank, caches (as in a batch)
    model = reference_model(tpl)
    print(f"{'capture':16} {'ms/doc':>7} {'CPU ms':>7} {'floor':>6} {'ratio':>6} {'work floor':>11} {'ratio':>6}"
          "  per step (median wall ms; steps overlap)")
    for name, path in inputs.items():
        totals, cpus, floors, wfloors, steps = [], [], [], [], {}
        h = _homography(path, tpl)
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            rep = examine(path, tpl)
            totals.append((time.perf_counter() - t0) * 1e3)
            cpus.append((time.process_time() - c0) * 1e3)
            for k, v in rep.timings_ms.items():
                steps.setdefault(k, []).append(v)
            floors.append(floor_ms(path, h, model, grid="template"))
            wfloors.append(floor_ms(path, h, model, grid="work"))
        med, fl, wfl = statistics.median(totals), statistics.median(floors), statistics.median(wfloors)
        per = ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in steps.items() if k != "total")
        print(f"{name:16} {med:7.0f} {statistics.median(cpus):7.0f} {fl:6.0f} {med / fl:6.1f} {wfl:11.0f} "
              f"{med / wfl:6.1f}  {per}  [{rep.verdict}]")
    print("\n(wall = time.perf_counter; CPU = time.process_time of this process, all threads. Steps that need "
          "nothing from each other run at the same time on two threads, so CPU exceeds wall.)")
    return 0


_H = {}


def _homography(path, tpl):
    """The capture's homography (registered once per file; the floor assumes it known)."""
    if path not in _H:
        from docexam.examine.model import reference_model
        from docexam.examine.register import register
        from docexam.imaging import load_rgb

        _H[path] = register(load_rgb(path), reference_model(tpl).full["visible"]).homography
    return _H[path]


if __name__ == "__main__":
    sys.exit(main())
