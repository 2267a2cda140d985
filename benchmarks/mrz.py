"""Benchmark the MRZ reader on the PassportEye test images.

Reads every image listed in ``<repo>/../shared/external/passporteye-testdata/expected.json``
(37 images; 7 with known MRZ lines) in one process and prints:

* how many were read with every check digit of their format valid,
* how many of the images with known lines were read exactly,
* the median milliseconds per image (``read_mrz`` on the decoded image; the
  glyph bank is built once before timing, as in a long-running process).

For comparison, PassportEye + Tesseract 5 reads 10 of the 37 fully valid at
about 4 s per image. Exits 0 with a message when the shared data is absent.

Usage::

    .venv/bin/python benchmarks/mrz.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "external" / "passporteye-testdata"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per image")
    args = parser.parse_args(argv)
    expected = DATA / "expected.json"
    if not expected.is_file():
        print(f"skipped: {DATA} is not on this machine")
        return 0
    sys.path.insert(0, str(REPO))
    from docexam.imaging import load_image
    from docexam.mrz.glyphs import glyph_bank
    from docexam.mrz.reader import read_mrz

    records = json.loads(expected.read_text())["records"]
    glyph_bank()  # built once per process; not part of any image's time
    n_valid = n_known = n_exact = 0
    times, totals = [], []
    for rec in records:
        t0 = time.perf_counter()
        rgb = load_image(DATA / rec["file"]).rgb
        t1 = time.perf_counter()
        reading = read_mrz(rgb)
        t2 = time.perf_counter()
        times.append((t2 - t1) * 1000)
        totals.append((t2 - t0) * 1000)
        n_valid += reading.valid
        known = rec.get("mrz_lines")
        exact = None
        if known:
            n_known += 1
            exact = reading.lines == known
            n_exact += exact
        if args.verbose:
            mark = "valid" if reading.valid else ("found" if reading.found else "-----")
            ex = "" if exact is None else (" exact" if exact else " WRONG")
            print(f"{Path(rec['file']).name:24s} {mark} {reading.format or '':5s} {times[-1]:6.0f} ms{ex}")
            for line in reading.lines:
                print(f"    {line}")
    print(f"images: {len(records)}")
    print(f"fully valid (every check digit): {n_valid} of {len(records)}")
    print(f"exact line matches: {n_exact} of {n_known} with known lines")
    print(f"median ms per image: {statistics.median(times):.0f} (read_mrz), "
          f"{statistics.median(totals):.0f} (with decoding the file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
