"""Detection benchmark of the examination pipeline, against a naive baseline, on two forgery generators.

``--generator synth`` (default) renders (once, cached) an evaluation set with
:func:`docexam.synth.library.plan_set` from seeds disjoint from the shipped
library (half genuine; every technique, severity, capture and template) and
examines every document with every view it has: UV, IR and transmitted light
(same framing) and the tilt pictures of its optically variable devices
(``--views visible``: the straight-on visible, UV and IR pictures only, as
before these views existed). Forgeries that no picture can judge (a
counterfeit border stamp needs the post's specimen stamps, an impostor the
person at the counter) are reported on their own line, "left to the
officer", with whether the report said so; they are not counted as misses.

``--generator independent`` makes the set with the independent generator of
``benchmarks/independent_forgeries.py`` (other code, other parameters, its
own capture model; visible light only; a TD1 card scanned or photographed
one side per picture), so the figures are not those of the pipeline on its
own generator's forgeries.

Both print:

* AUROC of the document ``score`` (forged vs genuine; inconclusive = score 0),
* true-positive rate at 5 % false positives,
* per-technique detection rate (verdict ``suspect`` with a finding of the right family),
* family accuracy (flagged forgeries whose strongest finding has the right family),
* localisation rate (flagged forgeries with a finding box overlapping the annotated anomaly),
* genuine phone captures flagged, inconclusive documents, median ms per document,

side by side for the naive baseline: aligned absolute difference against the
reference (same registration), its score the mean difference outside the
personalization zones, its "finding" the box around the largest difference.

Usage::

    .venv/bin/python benchmarks/detection.py [--generator synth|independent] [--count 220] [--seed 31337]
                                             [--workers 2] [--out DIR] [--results FILE] [--storage library|lossless]
                                             [--views all|visible]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIBRARY_SEEDS = set(range(100, 115)) | set(range(1000, 1103))


def plan(count: int, seed: int) -> list[dict]:
    from docexam.synth.library import plan_set

    recipes = plan_set(count, seed=seed, genuine_share=0.5)
    clash = [r for r in recipes if r["seed"] in LIBRARY_SEEDS]
    for r in clash:  # keep the set disjoint from the shipped library
        r["seed"] += 2 ** 20
    return recipes


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _baseline(spec_path: str) -> dict:
    """Naive baseline: aligned absolute difference against the reference."""
    import cv2

    from docexam.examine.compare import warp_views
    from docexam.examine.model import reference_model
    from docexam.examine.register import register
    from docexam.imaging import load_rgb
    from docexam.specimens.registry import find_template

    t0 = time.perf_counter()
    path = Path(spec_path)
    tpl = find_template(json.loads(path.read_text())["template"])
    model = reference_model(tpl)
    img = load_rgb(_pictures(path, json.loads(path.read_text()))[0]["visible"])
    reg = register(img, model.full["visible"])
    if not reg.ok:
        return {"score": 0.0, "box": None, "zone_kind": None, "ms": (time.perf_counter() - t0) * 1e3}
    v = warp_views({"visible": img}, reg.homography, model)
    diff = np.abs(v.work["visible"] - model.work["visible"]).mean(axis=2)
    design = model.document & ~model.personal
    score = float(diff[design].mean())
    sm = cv2.GaussianBlur(diff * design, (0, 0), 8.0)
    y, x = np.unravel_index(int(np.argmax(sm)), sm.shape)
    r = 40
    box = model.to_template([max(x - r, 0), max(y - r, 0), x + r, y + r])
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    kinds = [z for z in tpl.zones if z.kind != "background" and z.bbox[0] <= cx < z.bbox[2] and z.bbox[1] <= cy < z.bbox[3]]
    kind = kinds[0].kind if kinds else "background"
    return {"score": score, "box": box, "zone_kind": kind, "ms": (time.perf_counter() - t0) * 1e3}


def _pictures(path: Path, car: dict) -> list[dict]:
    """Each distinct picture of the document, per light (a scanned or photographed card: one per side).

    The sidecar is read as JSON, not as a :class:`~docexam.specimens.model.Specimen` (the independent
    generator's sidecars need not pass its checks), in the same order as ``Specimen.image_path``: the
    side's ``images``, the sidecar's ``images`` (the library cache's JPEG), else ``NAME.png``, ``NAME.uv.png``.
    """
    name = path.name[:-5]
    sides = car.get("sides") or []
    listed = car.get("images") or {}
    sets = [{**listed, **side["images"]} for side in sides if side.get("images")] or [listed]
    out, seen = [], set()
    for images in sets:
        visible = images.get("visible", f"{name}.png")
        if visible in seen:
            continue
        seen.add(visible)
        stem = visible[:-4]
        pics = {"visible": path.with_name(visible)}
        for light in ("uv", "ir", "transmitted"):
            p = path.with_name(images.get(light, f"{stem}.{light}.png"))
            pics[light] = p if p.is_file() else None
        out.append(pics)
    return out


#: what examine never takes: the person at the counter, the border post's specimen stamps. A forgery whose
#: evidence needs one of them is left to the officer (``unexamined`` or ``inconclusive`` says so)
OFFICER_VIEWS = ("traveller", "reference")


def needs_officer(technique: str | None) -> bool:
    """Whether no picture of the document can judge ``technique`` (see :data:`OFFICER_VIEWS`)."""
    from docexam.specimens.techniques import TECHNIQUES

    t = TECHNIQUES.get(technique or "")
    if t is None:
        return False
    needs = set(t.views) | ({"reference"} if "stamps" in t.requires else set())
    return bool(needs & set(OFFICER_VIEWS))


def _examine_one(spec_path: str, views: str = "all") -> dict:
    from docexam.examine import examine

    path = Path(spec_path)
    car = json.loads(path.read_text())
    name = path.name[:-5]
    # every view the specimen has: each picture's lights, and the tilt pictures of its devices
    tilt = [path.with_name(v["image"]) for v in (car.get("views") or {}).get("tilt", [])] if views == "all" else []
    t0 = time.perf_counter()
    # a card scanned or photographed is one picture per side: the document is what its pictures show
    reports = [examine(p["visible"], car["template"], uv=p["uv"], ir=p["ir"],
                       transmitted=p["transmitted"] if views == "all" else None, tilt=tilt).as_dict()
               for p in _pictures(path, car)]
    ms = (time.perf_counter() - t0) * 1e3
    order = {"suspect": 2, "inconclusive": 1, "consistent": 0}
    d = max(reports, key=lambda r: (order.get(r["verdict"], 0), r["score"]))
    findings = sorted((f for r in reports for f in r["findings"]), key=lambda f: -f["score"])
    truth = car["anomalies"]
    return {
        "name": name, "authentic": car["authentic"], "capture": car["capture"]["kind"],
        "truth": truth, "technique": car.get("generator_technique") or (truth[0]["technique"] if truth else None),
        "severity": car.get("severity") or (car.get("recipe") or {}).get("severity"),
        "verdict": d["verdict"], "score": max(r["score"] for r in reports), "findings": findings, "ms": ms,
        "sides": len(reports), "reason": d.get("reason", ""), "baseline": _baseline(spec_path),
        "unexamined": [u for r in reports for u in r.get("unexamined", [])],
    }


def auroc(pos: list[float], neg: list[float]) -> float:
    """Probability that a forged document outranks a genuine one (ties count half)."""
    if not pos or not neg:
        return float("nan")
    p = np.asarray(pos)[:, None]
    n = np.asarray(neg)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def tpr_at_fpr(pos, neg, fpr=0.05) -> tuple[float, float]:
    neg = np.sort(np.asarray(neg))
    # the smallest threshold that flags at most `fpr` of the genuine documents
    k = int(np.floor(fpr * len(neg)))
    thr = neg[-k - 1] if k < len(neg) else -np.inf
    return float((np.asarray(pos) > thr).mean()), float(thr)


FAMILY_OF_KIND = {"field": "personalization", "portrait": "personalization", "ghost-portrait": "personalization",
                  "mrz": "personalization", "security-print": "printing", "microprint": "printing",
                  "emblem": "printing", "background": "substrate"}


def _officer_line(left: list[dict]) -> None:
    """The forgeries no picture given can judge, and whether the report said so (nothing hidden)."""
    def said(r):
        boxes = [u["bbox"] for u in r.get("unexamined", [])]
        return (r["verdict"] == "inconclusive" and bool(r["reason"])) or any(
            overlaps(b, a["bbox"]) for b in boxes for a in r["truth"])
    ok = [r for r in left if said(r)]
    kinds = ", ".join(f"{t} {sum(r['technique'] == t for r in left)}" for t in sorted({r["technique"] for r in left}))
    print(f"left to the officer (no picture given can judge them; not counted above): {len(left)} ({kinds}); "
          f"said so (inconclusive with a reason, or the feature listed unexamined): {len(ok)}/{len(left)}")
    for r in sorted(left, key=lambda r: r["name"]):
        print(f"  {r['name']}  {r['verdict']}  {r['score']:.2f}  {'said so' if said(r) else 'NOT said'}  "
              f"{r['reason'][:70]}")
    print()


def summarise(results: list[dict], *, split_officer: bool = True) -> None:
    left = [r for r in results if not r["authentic"] and split_officer and needs_officer(r["technique"])]
    results = [r for r in results if all(r is not x for x in left)]
    if left:
        _officer_line(left)
    forged = [r for r in results if not r["authentic"]]
    genuine = [r for r in results if r["authentic"]]
    print(f"\n{len(results)} documents: {len(genuine)} genuine, {len(forged)} forged "
          f"({sum(r['capture'] == 'flat' for r in results)} flat, {sum(r['capture'] == 'scan' for r in results)} scan, "
          f"{sum(r['capture'] == 'phone' for r in results)} phone)\n")
    # pipeline
    pos, neg = [r["score"] for r in forged], [r["score"] for r in genuine]
    a = auroc(pos, neg)
    tpr, thr = tpr_at_fpr(pos, neg)
    flagged = [r for r in forged if r["verdict"] == "suspect"]
    fam_ok = [r for r in flagged if r["findings"][0]["family"] == r["truth"][0]["family"]]
    loc_ok = [r for r in flagged if any(overlaps(f["bbox"], r["truth"][0]["bbox"]) for f in r["findings"])]
    gphone = [r for r in genuine if r["capture"] == "phone"]
    gphone_flag = [r for r in gphone if r["verdict"] == "suspect"]
    g_flag = [r for r in genuine if r["verdict"] == "suspect"]
    inconc = [r for r in results if r["verdict"] == "inconclusive"]
    # baseline: threshold at the genuine 95th percentile
    bpos, bneg = [r["baseline"]["score"] for r in forged], [r["baseline"]["score"] for r in genuine]
    ba = auroc(bpos, bneg)
    btpr, bthr = tpr_at_fpr(bpos, bneg)
    bflag = [r for r in forged if r["baseline"]["score"] > bthr]
    bfam = [r for r in bflag if FAMILY_OF_KIND.get(r["baseline"]["zone_kind"]) == r["truth"][0]["family"]]
    bloc = [r for r in bflag if r["baseline"]["box"] and overlaps(r["baseline"]["box"], r["truth"][0]["bbox"])]
    bphone = [r for r in gphone if r["baseline"]["score"] > bthr]

    def pct(n, d):
        return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "   n/a"

    rows = [
        ("AUROC of score", f"{a:.3f}", f"{ba:.3f}", ">= 0.97"),
        ("TPR at 5% FPR", f"{tpr:.3f}", f"{btpr:.3f}", ">= 0.90"),
        ("forgeries flagged (verdict suspect)", pct(len(flagged), len(forged)), pct(len(bflag), len(forged)), ""),
        ("family accuracy (of flagged)", pct(len(fam_ok), len(flagged)), pct(len(bfam), len(bflag)), ">= 0.90"),
        ("localisation (of flagged)", pct(len(loc_ok), len(flagged)), pct(len(bloc), len(bflag)), ">= 0.85"),
        ("genuine flagged (all captures)", pct(len(g_flag), len(genuine)), pct(sum(r['baseline']['score'] > bthr for r in genuine), len(genuine)), ""),
        ("genuine phone captures flagged", pct(len(gphone_flag), len(gphone)), pct(len(bphone), len(gphone)), "<= 5%"),
        ("inconclusive documents", pct(len(inconc), len(results)), "", ""),
        ("median ms per document", f"{statistics.median(r['ms'] for r in results):.0f}",
         f"{statistics.median(r['baseline']['ms'] for r in results):.0f}", ""),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'':{w}}  {'pipeline':>18}  {'naive baseline':>18}  goal")
    for name, p, b, g in rows:
        print(f"{name:{w}}  {p:>18}  {b:>18}  {g}")
    print("\n(baseline verdicts use its genuine 95th-percentile score as threshold; its family is the kind of the zone "
          "holding the largest difference)\n")
    print(f"{'technique':24} {'n':>3} {'detected':>9} {'right family':>13} {'right technique':>16} {'localised':>10}  baseline")
    for tech in sorted({r["technique"] for r in forged}):
        rs = [r for r in forged if r["technique"] == tech]
        det = [r for r in rs if r["verdict"] == "suspect"]
        fam = [r for r in det if any(f["family"] == r["truth"][0]["family"] for f in r["findings"])]
        tec = [r for r in det if any(f["technique"] == r["truth"][0]["technique"] for f in r["findings"])
               or r["truth"][0]["technique"] is None]
        loc = [r for r in det if any(overlaps(f["bbox"], r["truth"][0]["bbox"]) for f in r["findings"])]
        bd = [r for r in rs if r["baseline"]["score"] > bthr]
        print(f"{tech:24} {len(rs):3d} {len(det) / len(rs):9.2f} {len(fam) / len(rs):13.2f} "
              f"{len(tec) / len(rs):16.2f} {len(loc) / len(rs):10.2f}  {len(bd) / len(rs):.2f}")
    by_cap = {}
    for cap in ("flat", "scan", "phone"):
        p = [r["score"] for r in forged if r["capture"] == cap]
        n = [r["score"] for r in genuine if r["capture"] == cap]
        by_cap[cap] = auroc(p, n)
    print("\nAUROC per capture: " + ", ".join(f"{k} {v:.3f}" for k, v in by_cap.items()))
    missed = [r for r in forged if r["verdict"] != "suspect"]
    if missed:
        print("\nmissed forgeries (name, severity, verdict, score, reason):")
        for r in sorted(missed, key=lambda r: r["name"])[:40]:
            print(f"  {r['name']}  {r['severity']}  {r['verdict']}  {r['score']:.2f}  {r['reason'][:80]}")
    if g_flag:
        print("\nflagged genuine documents:")
        for r in g_flag:
            f = r["findings"][0]
            print(f"  {r['name']}  {r['score']:.2f}  {f['technique']} in {f['zone']}")


def main(argv=None) -> int:
    from docexam.formats.specimen import STORAGES

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--generator", choices=("synth", "independent"), default="synth",
                    help="who makes the forgeries: docexam's own generator or the independent one")
    ap.add_argument("--count", type=int, default=220, help="documents in the set (half genuine)")
    ap.add_argument("--seed", type=int, default=31337, help="seed of the set (plan_set)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--out", help="folder of the rendered set (default $DOCEXAM_HOME/cache/bench/SEED-COUNT)")
    ap.add_argument("--results", help="also write per-document results as JSON here")
    ap.add_argument("--views", choices=("all", "visible"), default="all",
                    help="all: every view a specimen has (UV, IR, transmitted light, tilt pictures), frauds only the "
                         "officer can judge reported apart; visible: the straight-on pictures in visible, UV and IR "
                         "only, every forgery counted (the figures before tilt and transmitted light)")
    ap.add_argument("--storage", choices=STORAGES, default="library",
                    help="how the synth set's pictures are stored: as the library cache (default; mostly JPEG) or "
                         "every light in PNG (to measure what the cache's codecs change)")
    args = ap.parse_args(argv)
    if args.count < 2:
        ap.error("--count: at least 2")
    from tqdm import tqdm

    from docexam.paths import cache_dir
    from docexam.synth.library import recipe_name, render_recipes

    if args.generator == "independent":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from independent_set import make_set

        out = Path(args.out) if args.out else cache_dir() / "bench" / f"independent-{args.seed}-{args.count}"
        print(f"evaluation set (independent generator): {out}", file=sys.stderr)
        paths = [str(p) for p in make_set(args.count, args.seed, out, workers=args.workers)]
    else:
        out = Path(args.out) if args.out else cache_dir() / "bench" / f"{args.seed}-{args.count}-{args.storage}"
        recipes = plan(args.count, args.seed)
        print(f"evaluation set: {out}", file=sys.stderr)
        render_recipes(recipes, out, workers=args.workers, skip_existing=True, storage=args.storage)
        paths = [str(out / f"{recipe_name(r)}.json") for r in recipes]
    results = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for res in tqdm(pool.map(_examine_one, paths, [args.views] * len(paths)), total=len(paths), desc="examining",
                        unit="doc",
                        file=sys.stderr):
            results.append(res)
    if args.results:
        Path(args.results).write_text(json.dumps(results, indent=1))
    print(f"\ngenerator: {args.generator}, seed {args.seed}, {args.count} documents "
          f"(command: python benchmarks/detection.py --generator {args.generator} --count {args.count} "
          f"--seed {args.seed}" + (f" --storage {args.storage}" if args.generator == "synth" else "")
          + f" --views {args.views}); load: {os.getloadavg()[0]:.1f}")
    summarise(results, split_officer=args.views == "all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
