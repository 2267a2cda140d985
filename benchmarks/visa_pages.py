"""The visa pages of a booklet: what the examination says about genuine and forged spreads.

Renders ``--count`` seeds of the ``uto-visa`` template per case (genuine, a
substituted page, a counterfeit stamp, contradicting stamp dates) in each
capture, examines each with its UV and IR images, and prints per case and
capture the verdicts and, for the substituted page, how many were found
(``suspect`` with a ``page-substitution`` finding on the left page), plus
the booklet step's median time. Seeds start at ``--seed`` (disjoint from
the tests' seeds by default). Each page is examined with its UV, IR and
transmitted-light pictures (``--views visible``: UV and IR only).

Usage::

    .venv/bin/python benchmarks/visa_pages.py [--count 6] [--seed 7100] [--captures flat,scan,phone]
                                              [--cases genuine,page-substitution,...] [--views all|visible]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = (None, "page-substitution", "counterfeit-stamp", "stamp-date-contradiction")


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def main(argv=None) -> int:
    from docexam.examine import examine
    from docexam.specimens.registry import find_template
    from docexam.synth.render import render_specimen

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=6, help="seeds per case and capture")
    ap.add_argument("--seed", type=int, default=7100)
    ap.add_argument("--captures", default="flat,scan,phone")
    ap.add_argument("--cases", default=",".join(c or "genuine" for c in CASES),
                    help="comma-separated: genuine and forgery techniques")
    ap.add_argument("--views", choices=("all", "visible"), default="all",
                    help="all: UV, IR and transmitted light; visible: UV and IR only")
    args = ap.parse_args(argv)
    cases = [None if c == "genuine" else c for c in args.cases.split(",")]
    left = find_template("uto-visa").zone("page-left").bbox
    times, rows = [], []
    for forge in cases:
        for capture in args.captures.split(","):
            verdicts, found, called = Counter(), 0, []
            for i in range(args.count):
                seed = args.seed + i
                r = render_specimen("uto-visa", seed=seed, capture=capture, forge=forge, severity=0.3 + 0.6 * (i % 3) / 2)
                rep = examine(r.images["visible"], "uto-visa", uv=r.images.get("uv"), ir=r.images.get("ir"),
                              transmitted=r.images.get("transmitted") if args.views == "all" else None)
                verdicts[rep.verdict] += 1
                if forge is None and rep.verdict == "suspect":
                    called.append(f"{seed} ({rep.findings[0].technique} in {rep.findings[0].zone})")
                times.append(rep.timings_ms.get("booklet", 0.0))
                found += rep.verdict == "suspect" and any(
                    f.technique == "page-substitution" and _overlaps(f.bbox, left) for f in rep.findings)
            what = forge or "genuine"
            line = f"{what:26s} {capture:6s} " + ", ".join(f"{v} {verdicts[v]}/{args.count}" for v in
                                                          ("consistent", "inconclusive", "suspect"))
            if forge == "page-substitution":
                line += f"; found on the left page {found}/{args.count}"
            if called:
                line += "; called suspect: " + ", ".join(called)
            rows.append(line)
            print(line, flush=True)
    print(f"booklet step: median {statistics.median(times):.0f} ms over {len(times)} documents (views: {args.views}; "
          f"load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
