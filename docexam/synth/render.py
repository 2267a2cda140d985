"""Render one specimen: a holder, a genuine document, optionally forged, then captured.

:func:`render_specimen` is pure (same arguments, same pixels); :func:`write_specimen`
writes ``NAME.png``, ``NAME.uv.png``, ``NAME.ir.png``, ``NAME.mask.png`` and the
``NAME.json`` sidecar of ``docs/formats.md`` atomically, sidecar last, so a reader
never finds a sidecar without its images (the library cache stores most of them
as JPEG: :mod:`.storage`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ..i18n import Message
from ..atomic import ensure_dir, write_bytes, write_json
from ..errors import ImpossibleForgeryError, UnknownNameError
from ..formats.lights import LIGHTS, MONOCHROME, REFLECTED, image_name
from ..formats.specimen import screen_copy_name
from ..imaging import load_rgb
from ..memory import keep_freed_memory
from ..specimens.model import CAPTURE_KINDS, check_specimen_name
from ..specimens.registry import find_template
from ..specimens.techniques import TECHNIQUES
from .capture import simulate_capture
from .designs import DESIGNS, design as get_design
from .extras import feature_layers_of, holder_for, personalised_zones, transmitted_of, traveller_of, views_of
from .forge import FORGERS, Draft
from .inks import apply_layer, to_float, to_uint8
from .people import make_holder
from .personalize import mrz_lines_for, personalization_layers
from .face_render import render_person
from .person import holder_person
from .reference import render_reference, sheet_grain
from .storage import codec_for, encode, screen_copy

SEVERITY_WORDS = {"subtle": 0.2, "moderate": 0.5, "blatant": 0.9}


@dataclass
class RenderedSpecimen:
    """Images (uint8 RGB per light, capture geometry), mask (template geometry) and sidecar.

    ``images`` is the whole sheet for a flat capture, else the first side's
    picture; a scan or phone photo of a two-sided card has one picture per
    side in ``side_images`` (side name -> light -> image), the first side's
    being ``images``.
    """

    images: dict
    mask: np.ndarray | None
    sidecar: dict
    side_images: dict = field(default_factory=dict)
    #: other pictures: file suffix (after ``NAME.``) -> uint8 RGB (tilt and raking views, the traveller)
    extras: dict = field(default_factory=dict)


def parse_severity(value) -> float:
    """``'subtle'``, ``'moderate'``, ``'blatant'`` or a number in [0, 1]."""
    if isinstance(value, str) and value in SEVERITY_WORDS:
        return SEVERITY_WORDS[value]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"severity: {value!r} is not subtle, moderate, blatant or a number from 0 to 1") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"severity: {value!r} is not between 0 and 1")
    return number


def _rng(seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed] + [zlib.crc32(p.encode()) for p in parts])


@lru_cache(maxsize=4)
def _shipped_reference(template_id: str) -> dict:
    """The committed reference images, decoded once (specimens are printed on exactly these)."""
    tpl = find_template(template_id)
    out = {}
    for light in REFLECTED:
        arr = to_float(load_rgb(tpl.image_path(light)))
        arr.flags.writeable = False
        out[light] = arr
    return out


def blank_images(template_id: str, substrate_kind: str, *, seed: int) -> dict:
    """The blank document this specimen is printed on, with its own sheet's grain."""
    if substrate_kind == "security":
        reference = _shipped_reference(template_id)
    else:
        reference = render_reference(template_id, substrate_kind=substrate_kind).images
    grain = sheet_grain(get_design(template_id), substrate_kind=substrate_kind, seed=seed)
    if grain is None:
        return {k: v.copy() for k, v in reference.items()}
    # the grain's product is the sheet's own copy: one pass over each page-sized image, not two
    factors = {"visible": 1 + grain, "ir": 1 + grain * np.float32(1 / 3)}
    return {k: v * factors[k][..., None] if k in factors else v.copy() for k, v in reference.items()}


def render_specimen(template_id: str, *, seed: int, capture: str = "flat", forge: str | None = None,
                    severity: float | str | None = None, traveller: bool = False) -> RenderedSpecimen:
    """Render a specimen of a shipped synthetic template.

    Parameters
    ----------
    template_id : str
        A synthetic template (``uto-td3``, ``mrd-td1``).
    seed : int, keyword-only
        Chooses the holder, portrait, the forger's choices and the capture.
    capture : {"flat", "scan", "phone"}, keyword-only
    forge : str, optional
        A technique name (``docexam techniques``); None renders a genuine document.
    severity : float or {"subtle", "moderate", "blatant"}, optional
        How careful the forger was (0 subtle .. 1 blatant); by default drawn from the seed.
    traveller : bool, keyword-only
        Also photograph the person presenting the document at the counter (the
        holder; an ``impostor`` specimen always has the impostor's photo).
    """
    if template_id not in DESIGNS:
        raise UnknownNameError(Message("synthetic template"), template_id, tuple(DESIGNS))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed: {seed!r} must be an integer from 0 to 4294967295")
    seed = int(seed)
    if capture not in CAPTURE_KINDS:
        raise ValueError(f"capture: {capture!r} is not one of {', '.join(CAPTURE_KINDS)}")
    if forge is not None and forge not in TECHNIQUES:
        raise UnknownNameError(Message("technique"), forge, tuple(TECHNIQUES))
    keep_freed_memory()  # a specimen is a few dozen page-sized arrays: reuse their memory
    d = get_design(template_id)
    if forge is not None and not TECHNIQUES[forge].applies_to(d.substrate, d.has):
        raise ImpossibleForgeryError(forge, template_id, d.substrate, TECHNIQUES[forge].substrates)
    rng = _rng(seed, template_id, forge or "genuine")
    sev = parse_severity(severity) if severity is not None else round(float(rng.uniform(0.1, 1.0)), 2)
    holder = make_holder(seed, nationality=d.holder_state or d.state_code, issuing_state=d.state_code)
    holder["authority"] = d.authority
    if d.places and "place_of_birth" in holder:
        holder["place_of_birth"] = d.places[seed % len(d.places)]
    x0, y0, x1, y1 = d.zone_px("portrait")
    # the portrait shows the holder as they were when the document was issued
    portrait = render_person(holder_person(holder, seed), size=(x1 - x0, y1 - y0))
    holder = holder_for(d, holder, seed=seed)

    forger = FORGERS[forge]() if forge else None
    substrate_kind = forger.substrate_for(d, rng, sev) if forger else "security"
    draft = Draft(d, blank_images(template_id, substrate_kind, seed=seed), holder, portrait, rng,
                  sev if forger else 0.0, seed)
    if substrate_kind != "security":  # bought paper or plastic: no watermark, no thread inside it
        draft.overrides.features["paper"] = {"watermark": False}
    if forger:
        forger.prepare(draft)
        forger.before_personalization(draft)
    before = personalised_zones(d, draft.images)
    layers = personalization_layers(d, draft.holder, draft.portrait, draft.overrides)
    layers += feature_layers_of(d, draft.holder, draft.overrides, seed=seed)
    for layer in layers:
        for light in REFLECTED:
            apply_layer(draft.images[light], layer, light)
    if forger:
        forger.after_personalization(draft)
    transmitted = transmitted_of(d, draft.images["visible"], draft.overrides)
    if transmitted is not None:
        draft.images["transmitted"] = transmitted
    views = views_of(d, draft.images["visible"], draft.overrides, before)
    images = {light: to_uint8(draft.images[light]) for light in LIGHTS if light in draft.images}
    met = None
    if forge == "impostor" or traveller:
        met = traveller_of(d, draft.holder, seed=seed, impostor=forge == "impostor", severity=sev)

    shots = capture_sides(d, images, capture=capture, seed=seed)
    capture_info = shots[0]["capture"]
    images = shots[0]["images"]
    printed_mrz = draft.overrides.mrz_lines or mrz_lines_for(d, draft.holder)
    holder_out = {k: draft.holder[k] for k in ("surname", "given_names", "document_number", "nationality",
                                                "date_of_birth", "sex", "date_of_expiry")}
    holder_out.update({k: v for k, v in draft.holder.items() if k not in holder_out})
    sidecar = {
        "template": template_id,
        "authentic": forger is None,
        "capture": capture_info,
        "holder": holder_out,
        "mrz": list(printed_mrz),
        "anomalies": draft.anomalies,
        "recipe": {"template": template_id, "seed": seed, "capture": capture, "forge": forge,
                   "severity": sev if forger else None},
    }
    if len(d.sides) > 1:
        sidecar["sides"] = [{"name": s["name"], "bbox": s["bbox"],
                             "homography": s["capture"].get("homography", np.eye(3).tolist())} for s in shots]
        if len(shots) > 1 and capture != "flat":
            sidecar["capture"]["sides"] = {s["name"]: {k: v for k, v in s["capture"].items() if k != "homography"}
                                           for s in shots[1:]}
    side_images = {s["name"]: s["images"] for s in shots} if len(shots) > 1 and capture != "flat" else {}
    if traveller:
        sidecar["recipe"]["traveller"] = True
    extras = {}
    for kind, items in views.items():
        for v in items:
            suffix = f"{kind}.{v['zone']}" + (f".{int(v['angle']):+d}" if "angle" in v else "")
            extras[f"{suffix}.jpg"] = to_uint8(v.pop("image"))
            v["image"] = suffix + ".jpg"
    if views:
        sidecar["views"] = views
    if met is not None:
        extras["traveller.jpg"] = met.image
        sidecar["traveller"] = met.record("traveller.jpg")
    return RenderedSpecimen(images, draft.mask if forger else None, sidecar, side_images, extras)


def _side_seed(seed: int, index: int) -> int:
    # the first side keeps the specimen's seed; another side is turned over and shot again
    return seed if index == 0 else int(np.random.default_rng([seed, index, 0x51DE]).integers(0, 2**32))


def capture_sides(design, images: dict, *, capture: str, seed: int) -> list[dict]:
    """Capture a document the way its kind is: one picture of a page, one per side of a card.

    A flat capture is the whole sheet in template geometry (both sides of a
    card side by side, exactly the template's pixels). A scan or phone photo
    of a two-sided card is one picture per side, each with its own pose; a
    side's homography maps sheet (template) pixels to that picture's pixels.

    Returns ``[{"name", "bbox", "images", "capture"}]``, first side first;
    ``capture`` holds the sidecar's capture record with its ``homography``.
    """
    if capture == "flat":
        return [{"name": name, "bbox": list(box), "images": images, "capture": {"kind": "flat"}}
                for name, box in design.sides]
    if len(design.sides) == 1:
        cap = simulate_capture(images, kind=capture, seed=seed, dpi=design.dpi)
        name, box = design.sides[0]
        return [{"name": name, "bbox": list(box), "images": cap.images,
                 "capture": {**cap.params, "homography": np.asarray(cap.homography, float).round(8).tolist()}}]
    shots = []
    for i, (name, (x0, y0, x1, y1)) in enumerate(design.sides):
        crop = {light: np.ascontiguousarray(img[y0:y1, x0:x1]) for light, img in images.items()}
        cap = simulate_capture(crop, kind=capture, seed=_side_seed(seed, i), dpi=design.dpi)
        to_side = np.array([[1.0, 0, -x0], [0, 1.0, -y0], [0, 0, 1.0]])
        hom = cap.homography @ to_side
        hom = hom / hom[2, 2]
        params = {k: v for k, v in cap.params.items() if k != "homography"}
        shots.append({"name": name, "bbox": [x0, y0, x1, y1], "images": cap.images,
                      "capture": {**params, "side": name, "homography": hom.round(8).tolist()}})
    return shots


def write_specimen(rendered: RenderedSpecimen, out_dir: str | Path, name: str, *, storage: str = "lossless",
                   screen_copies: bool = False) -> Path:
    """Write a rendered specimen's files into ``out_dir``; returns the sidecar path.

    ``storage`` picks the codecs (:mod:`.storage`): ``lossless`` is every
    light in PNG under its plain name (``docexam synth render``'s contract);
    ``library`` is the library cache's table, the sidecar then naming each
    picture (``images``). ``screen_copies`` also writes each picture's screen
    copy (:func:`~docexam.formats.specimen.screen_copy_name`) from the pixels
    in memory: for a library the app shows (a page then never shrinks the
    full-size file while trainees wait).
    """
    check_specimen_name(name)
    out = ensure_dir(out_dir)
    sidecar = dict(rendered.sidecar)
    pictures = rendered.side_images or {None: rendered.images}
    named: dict = {}  # side -> light -> file name
    for side, images in pictures.items():
        capture = {**sidecar["capture"], **((sidecar["capture"].get("sides") or {}).get(side) or {})}
        for light in LIGHTS:
            if light in images:
                codec = codec_for(light, capture, storage=storage)
                file = image_name(name, light, side, suffix=codec.suffix)
                pixels = stored_pixels(images[light], light)
                write_bytes(out / file, encode(pixels, light, codec, capture))
                if screen_copies:
                    _write_screen_copy(out / file, screen_copy(pixels, light, codec, capture))
                named.setdefault(side, {})[light] = file
    first = next(iter(named.values()))
    if storage != "lossless":  # the plain PNG names need no list (and the contract's sidecar stays as it was)
        sidecar["images"] = dict(first)
    if "sides" in sidecar:  # each side's pictures by name: its own, or the flat sheet for every side
        sidecar["sides"] = [{**s, "images": dict(named[s["name"]] if rendered.side_images else first)}
                            for s in sidecar["sides"]]
    for suffix, picture in rendered.extras.items():
        kind = "traveller" if suffix.startswith("traveller.") else "view"
        codec = codec_for(kind, sidecar["capture"], storage=storage)
        write_bytes(out / f"{name}.{suffix}", encode(picture, kind, codec, sidecar["capture"]))
        if screen_copies:
            _write_screen_copy(out / f"{name}.{suffix}", screen_copy(picture, kind, codec, sidecar["capture"]))
    sidecar = _named(sidecar, name)
    if rendered.mask is not None:
        codec = codec_for("mask", sidecar["capture"], storage=storage)
        write_bytes(out / f"{name}.mask{codec.suffix}", encode(rendered.mask, "mask", codec, sidecar["capture"]))
        sidecar["mask"] = f"{name}.mask{codec.suffix}"
    return write_json(out / f"{name}.json", sidecar)


def _write_screen_copy(picture: Path, copy: bytes | None) -> None:
    """Write ``picture``'s screen copy (none for a picture no wider than a screen: cheap to show as it is)."""
    if copy is not None:
        write_bytes(picture.with_name(screen_copy_name(picture.name)), copy)


def stored_pixels(image: np.ndarray, light: str) -> np.ndarray:
    """The pixels written for ``light``: one channel for a monochrome light (its grey), else as they are.

    An IR camera sees no colour: a flat IR page is grey already, and the
    colour a scanner's or phone's noise leaves in it is not information
    (one channel also takes a third of the bytes).
    """
    if light in MONOCHROME and image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return image


def _named(sidecar: dict, name: str) -> dict:
    """The sidecar with its extra pictures' file names (``NAME.<suffix>``)."""
    out = dict(sidecar)
    if "views" in out:
        out["views"] = {kind: [{**v, "image": f"{name}.{v['image']}"} for v in items]
                        for kind, items in out["views"].items()}
    if "traveller" in out:
        out["traveller"] = {**out["traveller"], "image": f"{name}.{out['traveller']['image']}"}
    return out


def default_name(template_id: str, seed: int, forge: str | None, capture: str) -> str:
    return f"{template_id}-{forge or 'genuine'}-{capture}-{seed}"
