"""How long the renderer takes per specimen, and what it writes: median CPU and wall
seconds and megabytes on disk per capture kind (the techniques of the template's
substrate taking turns).

    python benchmarks/render.py [--count N] [--template uto-td3] [--opencv-threads 1]
    python benchmarks/render.py --library

Rendering and writing are timed apart, writing in both storages
(``docexam.synth.storage``): ``lossless`` (every light in PNG, what
``docexam synth render`` writes) and ``library`` (the library cache's codecs,
mostly JPEG). Figures, not a test: the shipped library and the evaluation
sets are rendered with this code. Note the machine's load beside the figures.

``--library`` prints instead what the shipped library takes on disk, per
specimen and per kind of file, in the cache folder ``docexam synth library``
uses (rendering it first if this code has not rendered it yet: minutes).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import cv2

from docexam.formats.specimen import STORAGES
from docexam.specimens.techniques import TECHNIQUES
from docexam.synth.designs import design
from docexam.synth.library import library_folder
from docexam.synth.render import render_specimen, write_specimen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=0,
                        help="specimens per capture kind (default: the genuine document and each technique once)")
    parser.add_argument("--template", default="uto-td3")
    parser.add_argument("--library", action="store_true", help="MB per specimen of the rendered shipped library")
    parser.add_argument("--opencv-threads", type=int, default=1,
                        help="OpenCV's threads (default 1; 0: OpenCV's "
                             "default, which on a quiet machine adds their waiting to the CPU figure)")
    args = parser.parse_args()
    if args.opencv_threads:
        cv2.setNumThreads(args.opencv_threads)
    if args.library:
        library_size()
        return
    render_specimen(args.template, seed=0)  # warm the reference caches
    d = design(args.template)
    techniques = [None] + [t for t in TECHNIQUES if TECHNIQUES[t].applies_to(d.substrate, d.has)]
    # every technique in the median: their costs differ fourfold (a counterfeit on another paper renders the
    # whole design again), and the first few alone are no sample of the library
    count = args.count or len(techniques)
    print(f"template {args.template}, load average {os.getloadavg()[0]:.1f}, OpenCV threads {cv2.getNumThreads()}")
    print(f"{'capture':8} {'render cpu s':>13} {'render wall s':>14} "
          + " ".join(f"{st + ' write cpu s':>23} {st + ' MB':>12}" for st in STORAGES))
    with tempfile.TemporaryDirectory() as out:
        for capture in ("flat", "scan", "phone"):
            rows = []
            for i in range(count):
                forge = techniques[i % len(techniques)]
                c0, w0 = time.process_time(), time.perf_counter()
                rendered = render_specimen(args.template, seed=500 + i, capture=capture, forge=forge)
                row = [time.process_time() - c0, time.perf_counter() - w0]
                for storage in STORAGES:
                    c1 = time.process_time()
                    write_specimen(rendered, Path(out) / storage, f"{capture}-{i}", storage=storage)
                    written = sum(p.stat().st_size for p in (Path(out) / storage).glob(f"{capture}-{i}.*"))
                    row += [time.process_time() - c1, written / 1e6]
                rows.append(row)
            med = [statistics.median(col) for col in zip(*rows)]
            slowest = max(range(count), key=lambda i: rows[i][0])
            print(f"{capture:8} {med[0]:13.2f} {med[1]:14.2f} "
                  + " ".join(f"{med[2 + 2 * k]:23.2f} {med[3 + 2 * k]:12.1f}" for k in range(len(STORAGES)))
                  + f"   slowest {rows[slowest][0]:.2f} s ({techniques[slowest % len(techniques)] or 'genuine'})")


def library_size() -> None:
    """Megabytes per specimen of the cached shipped library, in all and per kind of file."""
    folder = library_folder(progress=True)
    count = len(list(folder.glob("*.json")))
    kinds: dict[str, int] = {}
    for f in folder.iterdir():
        # NAME.jpg, NAME.uv.jpg, NAME.back.ir.jpg, NAME.mask.png, NAME.tilt.kinegram.+15.jpg, ... -> kind of file
        kind = re.sub(r"^[^.]+\.", "", f.name)
        kind = re.sub(r"^(tilt\.[^.]+)\.[-+]\d+", r"\1.*", kind)
        kinds[kind] = kinds.get(kind, 0) + f.stat().st_size
    total = sum(kinds.values())
    print(f"shipped library {folder}: {count} specimens, {total / 1e6:.0f} MB, "
          f"{total / 1e6 / count:.1f} MB per specimen")
    for kind, size in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:28} {size / 1e6 / count:6.2f} MB per specimen")
    by_capture: dict[str, list[int]] = {}
    for sidecar in folder.glob("*.json"):
        files = folder.glob(glob.escape(sidecar.name[:-5]) + ".*")
        by_capture.setdefault(json.loads(sidecar.read_text())["capture"]["kind"], []).append(
            sum(f.stat().st_size for f in files))
    for capture, sizes in sorted(by_capture.items()):
        print(f"  {capture + ' capture':28} {sum(sizes) / 1e6 / len(sizes):6.2f} MB per specimen "
              f"({len(sizes)} specimens)")


if __name__ == "__main__":
    main()
