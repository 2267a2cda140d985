"""Real specimens as templates: genuine captures must pass, forgeries made on them must be caught and placed.

For each specimen of ``benchmarks/real_specimens/specimens.json`` (images of
the PassportEye test data in ``../shared/external/passporteye-testdata``,
zones drawn by hand), the image is registered with ``docexam template add``
(:func:`docexam.authoring.add_template`) into a throwaway ``DOCEXAM_HOME``,
then examined:

* the registration image itself, and genuine scans and phone photos of it
  (:mod:`independent_capture`): all must be ``consistent``;
* forgeries of it made by the independent generator
  (:mod:`independent_forgeries`): another holder's photograph glued over
  the portrait (real faces: the other specimens' portraits), a field
  retyped in another font, one MRZ digit changed, a security zone reprinted
  locally (halftone, inkjet, toner or a low-resolution copy); each must be
  ``suspect`` with a finding of the right family overlapping the forged place.

The images are for tests and benchmarks only (never shipped as course
material); without ``../shared`` the script says so and stops.

Usage::

    .venv/bin/python benchmarks/real_specimens.py [--captures 2] [--seed 5] [--only real-cze-td3 ...]
"""

from __future__ import annotations

import argparse
import zlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import independent_capture as icap  # noqa: E402
import independent_forgeries as ifo  # noqa: E402

SPECIMENS = HERE / "real_specimens" / "specimens.json"
DATA = ROOT.parent / "shared" / "external" / "passporteye-testdata"
#: forgeries made on every real specimen (the generator's techniques)
FORGERIES = ("photo-swap", "retyped-field", "mrz-digit-swap", "reprint-local")
REPRINTS = ("halftone-local", "inkjet-local", "toner-local", "lowres-local")


def specimens(only=()) -> list[dict]:
    items = json.loads(SPECIMENS.read_text())["specimens"]
    return [s for s in items if not only or s["id"] in only]


def register(spec: dict, home: Path):
    """The specimen as a user template (zones from the JSON file); returns the loaded template."""
    from docexam.authoring import add_template

    added = add_template(template_id=spec["id"], name=spec["id"], fmt=spec["format"], visible=DATA / spec["image"],
                         zones=spec["zones"], home=home, replace=True)
    return added


def portraits(items: list[dict]) -> dict:
    """Portrait crops of every specimen (uint8 RGB), the replacement photographs of a photo swap."""
    from docexam.imaging import load_rgb

    out = {}
    for s in items:
        x0, y0, x1, y1 = next(z["bbox"] for z in s["zones"] if z["kind"] == "portrait")
        out[s["id"]] = load_rgb(DATA / s["image"])[y0:y1, x0:x1].copy()
    return out


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def run_one(spec: dict, faces: dict, *, captures: int, seed: int) -> list[dict]:
    from docexam.examine import examine
    from docexam.imaging import load_rgb

    home = Path(os.environ["DOCEXAM_HOME"])
    added = register(spec, home)
    tpl = added.template
    rgb = load_rgb(DATA / spec["image"])
    rows = []

    def check(label, image, truth, kind):
        t0 = time.perf_counter()
        rep = examine(image, tpl, name=label)
        ms = (time.perf_counter() - t0) * 1e3
        fams = [(f.family, list(f.bbox)) for f in rep.findings]
        ok_place = bool(truth) and any(f == truth["family"] and overlaps(b, truth["bbox"]) for f, b in fams)
        rows.append({"template": tpl.id, "case": label, "kind": kind, "verdict": rep.verdict, "score": rep.score,
                     "caught": rep.verdict == "suspect", "placed": ok_place, "ms": ms,
                     "findings": [(f.family, f.technique, f.zone) for f in rep.findings][:3], "reason": rep.reason})

    check("registration image", rgb, None, "genuine")
    for i in range(captures):
        for kind in ("scan", "phone"):
            img, _, _ = icap.capture(rgb, kind, [seed, i, 1 if kind == "scan" else 2], dpi=tpl.dpi)
            check(f"genuine {kind} {i + 1}", img, None, "genuine")
    others = [f for k, f in faces.items() if k != spec["id"]]
    doc = ifo.Document(rgb.astype(np.float32) / 255, tpl, float(tpl.dpi), mrz=list(tpl.extra.get("reference_mrz", [])),
                       faces=others)
    rng = np.random.default_rng([seed, 7])
    for i in range(captures):
        for name in FORGERIES:
            technique = REPRINTS[int(rng.integers(len(REPRINTS)))] if name == "reprint-local" else name
            if not ifo.applicable(doc, technique):
                continue
            forged = ifo.forge(doc, technique, seed=[seed, i, zlib.crc32(technique.encode())], severity=float(rng.uniform(0.3, 1.0)))
            master = np.clip(forged.image * 255 + 0.5, 0, 255).astype(np.uint8)
            kind = ("flat", "scan", "phone")[i % 3]
            img, hm, _ = icap.capture(master, kind, [seed, i, 3], dpi=tpl.dpi)
            check(f"{technique} ({kind})", img, forged.anomalies[0], "forged")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--captures", type=int, default=2, help="genuine scans and phone photos (each), and forgery rounds")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--only", nargs="*", default=(), help="specimen ids")
    ap.add_argument("--results", help="write per-case results as JSON here")
    args = ap.parse_args(argv)
    if not (DATA / "expected.json").is_file():
        print(f"{DATA} is not on this machine: nothing to measure")
        return 0
    items = specimens(args.only)
    faces = portraits(specimens())
    rows = []
    with tempfile.TemporaryDirectory(prefix="docexam-real-") as home:
        os.environ["DOCEXAM_HOME"] = home
        for spec in items:
            rows += run_one(spec, faces, captures=args.captures, seed=args.seed)
            done = [r for r in rows if r["template"] == spec["id"]]
            print(f"{spec['id']}: " + ", ".join(f"{r['case']} {r['verdict']}" for r in done), file=sys.stderr)
    if args.results:
        Path(args.results).write_text(json.dumps(rows, indent=1))
    print(f"\nreal specimens as templates (command: python benchmarks/real_specimens.py --captures {args.captures} "
          f"--seed {args.seed}); load: {os.getloadavg()[0]:.1f}\n")
    print(f"{'template':14} {'genuine consistent':>19} {'registration image':>19} {'forgeries caught':>17} "
          f"{'caught and placed':>18}")
    for tid in dict.fromkeys(r["template"] for r in rows):
        g = [r for r in rows if r["template"] == tid and r["kind"] == "genuine"]
        f = [r for r in rows if r["template"] == tid and r["kind"] == "forged"]
        reg = next(r for r in g if r["case"] == "registration image")
        print(f"{tid:14} {sum(r['verdict'] == 'consistent' for r in g):>12}/{len(g):<6} {reg['verdict']:>19} "
              f"{sum(r['caught'] for r in f):>10}/{len(f):<6} {sum(r['placed'] for r in f):>11}/{len(f):<6}")
    g = [r for r in rows if r["kind"] == "genuine"]
    f = [r for r in rows if r["kind"] == "forged"]
    print(f"{'all':14} {sum(r['verdict'] == 'consistent' for r in g):>12}/{len(g):<6} {'':>19} "
          f"{sum(r['caught'] for r in f):>10}/{len(f):<6} {sum(r['placed'] for r in f):>11}/{len(f):<6}")
    print("\nper technique (caught and placed / cases):")
    for tech in sorted({r["case"].split(" (")[0] for r in f}):
        rs = [r for r in f if r["case"].startswith(tech + " (")]
        print(f"  {tech:16} {sum(r['placed'] for r in rs)}/{len(rs)}")
    bad = [r for r in g if r["verdict"] != "consistent"] + [r for r in f if not r["placed"]]
    if bad:
        print("\nnot as expected:")
        for r in bad:
            print(f"  {r['template']:14} {r['case']:24} {r['verdict']:12} {r['score']:.2f} {r['findings']} {r['reason'][:60]}")
    print(f"\nmedian ms per examination: {np.median([r['ms'] for r in rows]):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
