"""Evaluation sets made by the independent forgery generator (:mod:`independent_forgeries`).

:func:`make_set` plans ``count`` documents from a seed (half genuine; every
technique of the generator in turn, severities spread, flat / scan / phone
captures from :mod:`independent_capture`), forges genuine docexam renders of
the shipped templates, and writes each document as a specimen folder entry
(``NAME.png`` + ``NAME.json``). A TD1 card captured by a scanner or phone is
one picture of one side (the side with the anomaly), as devices take them.

Genuine base documents are rendered once per seed (``render_specimen``, flat)
and cached in ``OUT/base``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

import independent_capture as icap
import independent_forgeries as ifo

CAPTURES = ("flat", "scan", "phone")


def plan(count: int, seed: int, *, templates=("uto-td3", "mrd-td1"), genuine_share: float = 0.5) -> list[dict]:
    rng = np.random.default_rng([seed, 0x1D])
    techs = list(ifo.TECHNIQUES)
    n_gen = int(round(count * genuine_share))
    kinds = [None] * n_gen + [techs[i % len(techs)] for i in range(count - n_gen)]
    # a base document is reused by a few documents (rendering is the slow part)
    bases = [int(rng.integers(2 ** 22, 2 ** 30)) for _ in range(max(1, count // 3))]
    out = []
    for i, tech in enumerate(kinds):
        out.append({
            "name": f"i{seed}-{i:04d}-{tech or 'genuine'}",
            "template": templates[int(rng.integers(len(templates)))],
            "base": bases[int(rng.integers(len(bases)))],
            "technique": tech,
            "severity": round(float(rng.uniform(0.05, 1.0)), 2),
            "capture": CAPTURES[int(rng.integers(len(CAPTURES)))],
            "seed": int(rng.integers(2 ** 31)),
        })
    return out


def base_document(template_id: str, seed: int, folder: Path):
    """(flat uint8 RGB, sidecar) of a genuine render, cached."""
    from docexam.imaging import load_rgb

    png, js = folder / f"{template_id}-{seed}.png", folder / f"{template_id}-{seed}.json"
    if not js.is_file():
        from docexam.synth.render import render_specimen

        r = render_specimen(template_id, seed=seed, capture="flat")
        folder.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(png), cv2.cvtColor(r.images["visible"], cv2.COLOR_RGB2BGR))
        js.write_text(json.dumps(r.sidecar))
    return load_rgb(png), json.loads(js.read_text())


def field_texts(template, holder: dict) -> dict:
    """Zone name -> the text printed there (what a retyped field changes)."""
    out = {}
    for z in template.zones_of("field"):
        v = holder.get(z.extra.get("holder_field", ""), "")
        if isinstance(v, str) and v:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):  # ISO date: printed as DD MON YYYY (not YONG-CHOON)
                d = dt.date.fromisoformat(v)
                v = f"{d.day:02d} {d.strftime('%b').upper()} {d.year}"
            out[z.name] = v
    return out


def portrait_crop(template, rgb: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = template.zones_of("portrait")[0].bbox
    return rgb[y0:y1, x0:x1].copy()


def capture_document(master: np.ndarray, template, kind: str, seed, *, dpi: float, side_box=None):
    """(image, template -> image homography, params); a side of a card alone when ``side_box`` is given."""
    if side_box is None or kind == "flat":
        img, hm, params = icap.capture(master, kind, seed, dpi=dpi)
        return img, hm, params
    x0, y0, x1, y1 = side_box
    img, hm, params = icap.capture(master[y0:y1, x0:x1], kind, seed, dpi=dpi)
    return img, hm @ np.array([[1.0, 0, -x0], [0, 1.0, -y0], [0, 0, 1]]), params


def write_document(out: Path, name: str, image: np.ndarray, sidecar: dict) -> Path:
    cv2.imwrite(str(out / f"{name}.png"), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    path = out / f"{name}.json"
    path.write_text(json.dumps(sidecar, indent=1))
    return path


def _side_of(template, anomalies, rng):
    sides = template.extra.get("sides_px") or []
    if len(sides) < 2:
        return None, None
    names = [z.name for z in template.zones_of("background")]
    if anomalies:
        box = anomalies[0]["bbox"]
        cx = (box[0] + box[2]) / 2
        k = int(np.argmin([abs(cx - (s[0] + s[2]) / 2) for s in sides]))
    else:
        k = int(rng.integers(len(sides)))
    return k, names[k] if k < len(names) else f"side-{k}"


_FACES: list = []


def _init(faces) -> None:
    _FACES[:] = list(faces)


def make_one(args) -> str:
    recipe, out = args
    faces = _FACES
    from docexam.specimens.registry import find_template

    out = Path(out)
    if (out / f"{recipe['name']}.json").is_file():
        return str(out / f"{recipe['name']}.json")
    tpl = find_template(recipe["template"])
    rgb, sidecar = base_document(recipe["template"], recipe["base"], out / "base")
    master = rgb.astype(np.float32) / 255
    doc = ifo.Document(master, tpl, float(tpl.dpi), mrz=list(sidecar.get("mrz", [])),
                       field_texts=field_texts(tpl, sidecar.get("holder", {})), faces=faces)
    anomalies, tech = [], recipe["technique"]
    if tech is not None:
        forged = ifo.forge(doc, tech, seed=recipe["seed"], severity=recipe["severity"])
        master, anomalies = forged.image, forged.anomalies
    image_u8 = np.clip(master * 255 + 0.5, 0, 255).astype(np.uint8)
    rng = np.random.default_rng(recipe["seed"] + 1)
    k, side_name = _side_of(tpl, anomalies, rng)
    side_box = tpl.extra["sides_px"][k] if k is not None and recipe["capture"] != "flat" else None
    img, hm, params = capture_document(image_u8, tpl, recipe["capture"], recipe["seed"] + 2, dpi=tpl.dpi,
                                       side_box=side_box)
    if side_box is not None:  # what is not in the picture cannot be examined
        sx0, _, sx1, _ = side_box
        anomalies = [a for a in anomalies if sx0 <= (a["bbox"][0] + a["bbox"][2]) / 2 < sx1]
    car = {
        "template": tpl.id, "authentic": tech is None, "generator": "independent",
        "generator_technique": tech, "severity": recipe["severity"] if tech else None,
        "capture": {"kind": recipe["capture"], **params, "homography": np.asarray(hm).round(8).tolist()},
        "side": side_name if side_box is not None else None,
        "holder": sidecar.get("holder", {}), "mrz": sidecar.get("mrz", []),
        "anomalies": [{k2: v for k2, v in a.items() if k2 != "generator_technique"} for a in anomalies],
    }
    return str(write_document(out, recipe["name"], img, car))


def face_bank(n: int = 12, *, real=()) -> list:
    """Replacement photographs: procedural portraits of other people (photos, no document print), plus real ones."""
    from docexam.synth.portrait import render_portrait

    faces = [np.asarray(f) for f in real]
    for seed in range(7_000_001, 7_000_001 + n):
        faces.append(render_portrait(seed, size=(600, 760), sex="FM"[seed % 2]))
    return faces


def make_set(count: int, seed: int, out: Path, *, workers: int = 2, real_faces=(), progress: bool = True) -> list[Path]:
    from tqdm import tqdm

    out.mkdir(parents=True, exist_ok=True)
    recipes = plan(count, seed)
    faces = face_bank(real=real_faces)
    jobs = [(r, str(out)) for r in recipes]
    paths = []
    bar = tqdm(total=len(jobs), desc="independent forgeries", unit="doc", disable=not progress)
    if workers <= 1:
        _init(faces)
        for j in jobs:
            paths.append(Path(make_one(j)))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(faces,)) as pool:
            for p in pool.map(make_one, jobs):
                paths.append(Path(p))
                bar.update()
    bar.close()
    return paths


if __name__ == "__main__":  # a quick look: python benchmarks/independent_set.py COUNT SEED OUT
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    n, s, o = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    make_set(n, s, o, workers=min(2, os.cpu_count() or 1))
