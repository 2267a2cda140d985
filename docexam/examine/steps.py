"""The named steps of the examination pipeline.

Each step is a plain function of named inputs that returns a dict of named
outputs; :func:`step` records what it takes and provides, so
:class:`~docexam.examine.pipeline.Pipeline` can check the chain and time each
step, and a test can run any step alone on hand-made inputs. A step that
finds the document cannot be examined raises :class:`Inconclusive` with a
plain reason; the pipeline turns that into an ``inconclusive`` report.

Order: ``load`` -> ``prepare`` -> ``register`` -> ``mrz`` / (``warp`` ->
``compare`` -> ``context`` -> ``substrate`` / ``printing``) ->
``personalization`` -> ``decide``. Steps on either side of a ``/`` need
nothing from each other, so the pipeline runs them at the same time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import DocexamError
from ..imaging import as_rgb, load_rgb
from .report import Evidence, Note

__all__ = ["Step", "step", "Inconclusive", "STEPS", "SUSPECT_THRESHOLD"]

#: a finding needs at least this score
SUSPECT_THRESHOLD = 0.5
#: the pre-printed design must correlate at least this much with the reference
#: (below it the image is not this document type, or far too blurred)
MIN_MATCH = 0.12


class Inconclusive(Exception):
    """The document cannot be examined reliably; ``str(exc)`` says why in plain words."""


@dataclass(frozen=True)
class Step:
    name: str
    func: object
    takes: tuple
    provides: tuple

    def __call__(self, **kwargs):
        return self.func(**kwargs)


STEPS: dict[str, Step] = {}


def step(name: str, *, takes: tuple, provides: tuple):
    """Declare a pipeline step: ``takes`` are its keyword inputs, ``provides`` its outputs."""
    def wrap(func):
        STEPS[name] = Step(name, func, tuple(takes), tuple(provides))
        func.step = STEPS[name]
        return func
    return wrap


@step("load", takes=("sources",), provides=("images", "names"))
def load(sources: dict):
    """Decode each light's image (path or array); arrays are used as given (never modified)."""
    images, names = {}, {}
    for light, src in sources.items():
        if src is None:
            continue
        if isinstance(src, (str, os.PathLike)):
            images[light] = load_rgb(src, fast=True)
            names[light] = str(src)
        elif isinstance(src, (bytes, bytearray)):
            images[light] = load_rgb(bytes(src), name=f"<{light} upload>")
            names[light] = f"<{light} upload>"
        else:
            images[light] = as_rgb(src, name="images" if light == "visible" else light)
            names[light] = f"<{light} array>"
    if "visible" not in images:
        raise ValueError("images: a visible-light image is required")
    return {"images": images, "names": names}


@step("prepare", takes=("template",), provides=("model",))
def prepare(template):
    """The template's cached reference model."""
    from .model import reference_model

    return {"model": reference_model(template)}


@step("register", takes=("images", "model"), provides=("registration",))
def register_step(images: dict, model):
    """Align the visible image to the reference; refuse what cannot be aligned."""
    from .register import register

    img = images["visible"]
    h, w = img.shape[:2]
    tw, th = model.template.size_px
    # a capture must show the document with at least ~100 dpi worth of pixels
    if max(h, w) < 0.25 * max(tw, th) * (model.template.dpi / 600) or min(h, w) < 200:
        raise Inconclusive(f"the image is too small ({w}x{h} pixels) to examine the document in detail")
    reg = register(img, model.full["visible"])
    if not reg.ok:
        exc = Inconclusive(f"the image could not be aligned with the {model.template.name}: {reg.reason}")
        exc.registration = reg
        raise exc
    return {"registration": reg}


@step("warp", takes=("images", "registration", "model"), provides=("views",))
def warp(images: dict, registration, model):
    """Every light resampled into the template's working geometry."""
    from .compare import warp_views

    return {"views": warp_views(images, registration.homography, model)}


@step("compare", takes=("views", "model"), provides=("maps",))
def compare(views, model):
    """Conformity maps of the visible image with the reference; refuse foreign or unusable images."""
    from .compare import conformity_maps

    if views.covered[model.document].mean() < 0.9:
        raise Inconclusive("part of the document is outside the image: photograph the whole page")
    maps = conformity_maps(views.work["visible"], model)
    if maps.match < MIN_MATCH:
        raise Inconclusive("the image does not show the printed design of this document type "
                           "(or is far too blurred to examine)")
    if maps.sigma >= 3.2:
        raise Inconclusive("the image is too blurred to examine the fine print")
    return {"maps": maps}


@step("mrz", takes=("images", "registration", "model"), provides=("mrz_reading",))
def mrz(images: dict, registration, model):
    """Read the MRZ at the template's MRZ zone of the original capture (needs only the alignment)."""
    from .analyzers.personalization import read_mrz_at_layout

    return {"mrz_reading": read_mrz_at_layout(images["visible"], registration.homography, model.template)}


@step("context", takes=("model", "images", "views", "maps"), provides=("context",))
def context(model, images, views, maps):
    """The measurements the analyzers share (read-only)."""
    from .analyzers.common import Context

    return {"context": Context(model, images, views, maps)}


@step("substrate", takes=("context",), provides=("substrate",))
def substrate(context):
    """Paper: UV glow, fibres, disturbance under the fields."""
    from .analyzers import substrate as analyzer

    return {"substrate": analyzer.analyze(context)}


@step("printing", takes=("context",), provides=("printing",))
def printing(context):
    """Security printing: line work, screens, reproduction."""
    from .analyzers import printing as analyzer

    return {"printing": analyzer.analyze(context)}


@step("personalization", takes=("context", "mrz_reading"), provides=("personalization",))
def personalization(context, mrz_reading):
    """Portrait, ghost image, fields and the MRZ."""
    from .analyzers import personalization as analyzer

    return {"personalization": analyzer.analyze(context, mrz_reading=mrz_reading)}


@step("decide", takes=("substrate", "printing", "personalization", "model", "maps"),
      provides=("findings", "score", "evidence", "notes", "heatmap"))
def decide(substrate, printing, personalization, model, maps):
    """Fuse the analyzers' evidence: explain overlaps, keep findings, score the document, draw the heatmap."""
    evidence: list[Evidence] = []
    notes: list[Note] = []
    for ev, nt in (substrate, printing, personalization):
        evidence += ev
        notes += nt
    hits = [e for e in evidence if e.score >= SUSPECT_THRESHOLD]
    # a whole-page reproduction explains local print differences everywhere
    if any(e.check == "reproduction" for e in hits):
        hits = [e for e in hits if e.check in ("reproduction", "uv-paper", "mrz-check-digits")
                or e.family == "personalization" and e.check not in ("field-geometry", "portrait-overprint", "ghost")]
    # an altered value explains the disturbed background under it
    altered = {e.zone for e in hits if e.check == "field-geometry"}
    hits = [e for e in hits if not (e.check == "field-background" and e.zone in altered)
            and not (e.check.startswith("mrz-vs-fields:") and e.check.split(":", 1)[1] in altered)]
    # a pasted photo also breaks the likeness with the ghost image
    if any(e.check == "portrait-overprint" for e in hits):
        hits = [e for e in hits if e.check != "ghost"]
    # wrong paper: fibres missing everywhere explain weak local background checks
    hits.sort(key=lambda e: -e.score)
    # a finding's box lies inside its zone (docs/formats.md: template coordinates)
    for e in hits:
        try:
            zb = model.template.zone(e.zone).bbox
        except DocexamError:
            continue
        x0, y0, x1, y1 = (int(v) for v in e.bbox)
        box = [max(x0, zb[0]), max(y0, zb[1]), min(x1, zb[2]), min(y1, zb[3])]
        e.bbox = box if box[2] > box[0] and box[3] > box[1] else list(zb)
    findings = [e.finding() for e in hits]
    score = max((e.score for e in evidence), default=0.0)
    from .heatmap import anomaly_map

    heat = anomaly_map(maps, model, hits)
    return {"findings": findings, "score": score, "evidence": evidence, "notes": notes, "heatmap": heat}
