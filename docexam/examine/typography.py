"""What the printed text of a field looks like, without knowing its font.

An issuer personalises every document on one printer, in one typeface, at
one size and in one ink, on a fixed baseline grid. A field washed and
retyped by a forger (another typeface, size, ink or printer) differs from
the other fields of the *same* document in some of these, whatever the
fonts are. :func:`measure` describes the text of one field by quantities
that do not depend on what the text says:

* ``cap``: median height of the character-sized glyphs (px), and
  ``baseline``: their median bottom (px);
* ``stroke``: the stroke width (twice the ink area over its outline) over ``cap``;
* ``contrast``: the thickness of horizontal strokes over vertical ones (a
  serif typeface has thin horizontals: well below 1; a sans-serif about 1);
* ``width``: median glyph width over ``cap``, and ``spread``: the spread of
  glyph widths over their median (a monospaced typeface has almost none);
* ``gap``: median space between neighbouring glyphs over ``cap``;
* ``colour``: the ink's colour where it is solid (RGB, 0..1), and its
  ``hue`` (:func:`ink_hue`): what the ink absorbs, whatever its coverage.

:func:`deviations` compares each field with the others of the same
document (median and spread over fields), and :func:`compare_with` with a
reference profile (the genuine fields of the template's reference).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

__all__ = ["Typography", "measure", "ink_coverage", "ink_peak", "ink_components", "deviations", "glyphs_of", "GlyphBank", "FEATURE_FLOORS",
           "GLYPH_FLOOR_COUNT", "MIN_GLYPHS", "TOUCHING"]

#: genuine spread of an ink's hue (:func:`ink_hue`) between the fields of one document. Measured on the seven real
#: specimens as trainer's templates (benchmarks/real_specimens.py, seed 11): on their registration images, genuine
#: scans and phone photos (35) every field's hue within 2.8 of its own genuine spreads at this floor (threshold 6);
#: the independent generator's retyped values, whose ink is the old one's moved at random, up to 7.5
HUE_FLOOR = 0.005
#: fewest glyphs for a field's typography to be measured
MIN_GLYPHS = 3
#: genuine spread that is always allowed between two fields, per feature (relative for sizes)
FEATURE_FLOORS = {"glyph": 0.02, "stroke": 0.14, "colour": 0.05, "hue": HUE_FLOOR}
#: a field of this many glyphs is held to the glyph floor; one of fewer glyphs, whose likeness is a mean over
#: fewer of them, to a floor wider by sqrt(this / its glyphs)
GLYPH_FLOOR_COUNT = 8
#: faint, uneven ink (a soft phone photo's small type) breaks a glyph apart above half the ink's peak, so its blobs
#: come out shorter (10 px capitals measured 7.5 to 8); grown into the ink down to this share of the peak, each is
#: one glyph again and keeps its height, and a typeface set smaller stays smaller. Measured on the seven real
#: specimens' fields (benchmarks/real_specimens.py, seeds 5, 11, 23): genuine phone photos whose blob heights were
#: 20 to 42 per cent short of the reference's were -16 to +17 per cent from it grown
GROWN_SHARE = 0.3
#: normalised glyph images: height and width (pixels)
GLYPH_SIZE = (20, 24)


def _glyph_image(dark: np.ndarray, box) -> np.ndarray:
    """One glyph (a component's box of ink coverage) scaled to the normalised height, centred, unit norm."""
    x, y, w, h = box
    g = dark[y:y + h, x:x + w].astype(np.float32)
    gw, gh = GLYPH_SIZE
    scale = gh / max(h, 1)
    nw = max(1, min(gw, int(round(w * scale))))
    g = cv2.resize(g, (nw, gh), interpolation=cv2.INTER_AREA)
    out = np.zeros((gh, gw), np.float32)
    x0 = (gw - nw) // 2
    out[:, x0:x0 + nw] = g
    out = cv2.GaussianBlur(out, (0, 0), 0.8)  # the capture's and the print's blur alike
    out -= out.mean()
    return out / (np.linalg.norm(out) + 1e-6)


def ink_peak(dark: np.ndarray) -> float:
    """The solid ink's coverage in a field: the 99.7th percentile, by selection on every other pixel.

    (np.percentile would sort a copy of the whole crop; a quarter of the
    pixels holds as many strokes' cores, a stroke being several pixels wide.)
    """
    flat = np.ascontiguousarray(dark[::2, ::2]).ravel()
    k = min(int(0.997 * (flat.size - 1) + 0.5), flat.size - 1)
    return float(np.partition(flat, k)[k])


def ink_components(dark: np.ndarray, *, min_peak: float = 0.2):
    """``(peak, labels, stats)`` of the ink's blobs (8-connected, above half the solid ink's coverage), or None.

    None when the field has no solid ink (:func:`ink_peak` below ``min_peak``).
    The same blobs serve :func:`measure` and the fields' baseline check, so
    a caller measuring both computes them once and passes them on.
    """
    peak = ink_peak(dark)
    if peak < min_peak:
        return None
    _, lab, st, _ = cv2.connectedComponentsWithStats((dark > 0.5 * peak).astype(np.uint8), connectivity=8)
    return peak, lab, st


def glyphs_of(dark: np.ndarray, *, min_peak: float = 0.2) -> np.ndarray:
    """Normalised images (n, h*w) of the character-sized glyphs of a field's ink coverage."""
    peak = ink_peak(dark)
    if peak < min_peak:
        return np.zeros((0, GLYPH_SIZE[0] * GLYPH_SIZE[1]), np.float32)
    n, _, st, _ = cv2.connectedComponentsWithStats((dark > 0.5 * peak).astype(np.uint8), connectivity=8)
    st = st[1:]
    if not len(st):
        return np.zeros((0, GLYPH_SIZE[0] * GLYPH_SIZE[1]), np.float32)
    hmax = float(np.percentile(st[:, cv2.CC_STAT_HEIGHT], 95))
    keep = st[(st[:, cv2.CC_STAT_HEIGHT] >= 0.6 * hmax) & (st[:, cv2.CC_STAT_AREA] >= 12)]
    if not len(keep):
        return np.zeros((0, GLYPH_SIZE[0] * GLYPH_SIZE[1]), np.float32)
    return np.stack([_glyph_image(dark, b[:4]) for b in keep]).reshape(len(keep), -1)


#: a blob of ink wider than this times the widest single character of the issuer's typeface (its outline's box,
#: width over height) is characters that touch. DejaVu Sans: W's box 1.36, its blob 1.26 (blur only brings a wide
#: blob's ratio nearer 1); the touching pairs K-A and R-A 1.53 to 1.69 (1.51 in the condensed cut)
TOUCHING = 1.05


class GlyphBank:
    """The issuer's glyphs (normalised images), to tell whether a field's glyphs are of the same typeface.

    Built from the reference's own fields (a trainer's template: whatever
    characters its holder's data contain) or from the issuer's font
    typeset (a shipped template). :meth:`likeness` is, over a field's
    glyphs, the median of each glyph's best correlation with a glyph of
    the bank at small shifts: about 0.9 for the issuer's typeface, lower for another.
    ``widest`` (keyword-only) is the width over the height of the
    typeface's widest single character, when known: a field's blob wider
    than :data:`TOUCHING` times that is two or more characters that touch
    (the issuer's own tight letter pairs, such as ``KA``), which the bank
    of single characters cannot judge, and it is left out.
    """

    SHIFTS = (-1, 0, 1)

    def __init__(self, glyphs: np.ndarray, *, widest: float | None = None):
        gh, gw = GLYPH_SIZE[1], GLYPH_SIZE[0]
        imgs = glyphs.reshape(-1, gh, gw) if glyphs.size else np.zeros((0, gh, gw), np.float32)
        self.count = len(imgs)
        self.widest = widest
        shifted = [np.roll(np.roll(imgs, dy, axis=1), dx, axis=2) for dy in self.SHIFTS for dx in self.SHIFTS]
        self.bank = np.concatenate(shifted).reshape(-1, gh * gw) if len(imgs) else np.zeros((0, gh * gw), np.float32)

    def __len__(self) -> int:
        return len(self.bank)

    def likeness(self, glyphs: np.ndarray, *, aspects: np.ndarray | None = None) -> float | None:
        """Median best correlation of ``glyphs`` with the bank (None: fewer than :data:`MIN_GLYPHS` judged).

        ``aspects`` (width over height of each glyph's blob) leaves out the
        blobs of touching characters (see the class docstring).
        """
        if aspects is not None and self.widest:
            glyphs = glyphs[np.asarray(aspects) <= TOUCHING * self.widest]
        if len(glyphs) < MIN_GLYPHS or not len(self.bank):
            return None
        return float(np.median((glyphs @ self.bank.T).max(axis=1)))


@dataclass(frozen=True)
class Typography:
    glyphs: int
    cap: float
    baseline: float
    stroke: float
    contrast: float
    width: float
    spread: float
    gap: float
    colour: tuple
    glyph: float = 1.0  # likeness to the issuer's glyphs (:class:`GlyphBank`), 1 when unknown
    grown_cap: float = 0.0  # the glyphs' height grown down to :data:`GROWN_SHARE` of the ink (0: not measured)

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else round(float(v), 4)) for k, v in asdict(self).items()}


def ink_coverage(lum: np.ndarray, *, cap_px: float) -> np.ndarray:
    """Ink coverage (0 paper .. 1 solid ink) of text in a grey crop, against its own local background.

    The background is a grey closing wider than a stroke (about half a
    capital height), so any design around the text is treated like paper
    as long as it is much lighter than the ink.
    """
    k = max(5, int(round(0.5 * cap_px)) | 1)
    background = cv2.morphologyEx(lum, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return np.clip(1.0 - lum / np.maximum(background, 0.05), 0, 1)


def _runs(binary: np.ndarray) -> np.ndarray:
    """Lengths of the runs of True along each row."""
    # each row padded with a False on either side, so no run continues from one row into the next
    d = np.diff(np.pad(binary.view(np.uint8) if binary.dtype == bool else binary.astype(np.uint8),
                       ((0, 0), (1, 1))).astype(np.int8).ravel())
    return (np.flatnonzero(d == -1) - np.flatnonzero(d == 1)).astype(np.float32)


def measure(dark: np.ndarray, colour: np.ndarray | None = None, *, bank: GlyphBank | None = None,
            min_peak: float = 0.2, components=None) -> Typography | None:
    """The typography of the text in one field (``dark``: ink coverage, 0..1, in template pixels).

    ``colour`` is the same crop in (lighting-normalised) RGB, 0..1, for the
    ink colour. ``components`` is :func:`ink_components` of ``dark`` when the
    caller has it already. None when there is no text of at least :data:`MIN_GLYPHS` glyphs.
    """
    if components is None:
        components = ink_components(dark, min_peak=min_peak)
    if components is None:
        return None
    peak, lab, st = components
    st = st[1:]
    if len(st) < MIN_GLYPHS:
        return None
    hmax = float(np.percentile(st[:, cv2.CC_STAT_HEIGHT], 95))
    sel = (st[:, cv2.CC_STAT_HEIGHT] >= 0.6 * hmax) & (st[:, cv2.CC_STAT_AREA] >= 12)
    big = st[sel]
    if len(big) < MIN_GLYPHS:
        return None
    heights = big[:, cv2.CC_STAT_HEIGHT].astype(np.float32)
    cap = float(np.median(heights))
    bottoms = (big[:, cv2.CC_STAT_TOP] + big[:, cv2.CC_STAT_HEIGHT]).astype(np.float32)
    glyphs = np.r_[False, sel][lab]  # the labels of the kept components, by lookup
    area = float(glyphs.sum())
    outline = float((glyphs & ~cv2.erode(glyphs.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool)).sum())
    stroke = 2.0 * area / max(outline, 1.0)
    across = _runs(glyphs)  # horizontal runs: the thickness of vertical strokes
    down = _runs(glyphs.T)  # vertical runs: the thickness of horizontal strokes
    # runs longer than a few strokes go along a stroke, not across it
    across = across[across <= 3 * stroke]
    down = down[down <= 3 * stroke]
    contrast = float(np.median(down) / max(np.median(across), 1e-3)) if len(across) and len(down) else 1.0
    widths = big[:, cv2.CC_STAT_WIDTH].astype(np.float32)
    order = np.argsort(big[:, cv2.CC_STAT_LEFT])
    left = big[order, cv2.CC_STAT_LEFT].astype(np.float32)
    right = left + widths[order]
    gaps = left[1:] - right[:-1]
    gaps = gaps[gaps < 1.5 * cap]  # spaces between words are not letter spacing
    med_w = float(np.median(widths))
    spread = float((np.percentile(widths, 75) - np.percentile(widths, 25)) / max(med_w, 1e-3))
    rgb = (0.0, 0.0, 0.0)
    if colour is not None:
        solid = colour[dark > 0.8 * peak]
        if len(solid):
            rgb = tuple(float(v) for v in np.median(solid.reshape(-1, 3), axis=0))
    grown = _grown_heights(dark, lab, glyphs, peak)
    like = bank.likeness(np.stack([_glyph_image(dark, b[:4]) for b in big]).reshape(len(big), -1),
                         aspects=widths / heights) if bank is not None else None
    return Typography(int(len(big)), cap, float(np.median(bottoms)), stroke / cap, contrast, med_w / cap, spread,
                      float(np.median(gaps)) / cap if len(gaps) else 0.1, rgb, 1.0 if like is None else like,
                      float(np.median(grown)) if len(grown) else 0.0)


def _grown_heights(dark: np.ndarray, lab: np.ndarray, glyphs: np.ndarray, peak: float) -> np.ndarray:
    """Per glyph (``lab``'s components under ``glyphs``), the height of the blob above :data:`GROWN_SHARE` of
    ``peak`` that holds it (touching letters share one)."""
    n, low, st, _ = cv2.connectedComponentsWithStats((dark > GROWN_SHARE * peak).view(np.uint8), connectivity=8)
    # each glyph lies inside one grown blob: the pairs (glyph, blob) name it
    pairs = np.unique(lab[glyphs].astype(np.int64) * n + low[glyphs])
    return st[pairs % n, cv2.CC_STAT_HEIGHT].astype(np.float32)


def ink_hue(rgb) -> np.ndarray:
    """What an ink absorbs, as two chromaticity coordinates of its absorbance (``1 - rgb``, paper = 1).

    A capture's blur and a thinner stroke mix the ink with the paper: the
    measured colour moves toward white, but every channel's absorbance
    shrinks by the same share, so their proportions (the ink's hue) stay.
    Another ink has other proportions, whatever its density.

    >>> np.round(ink_hue((0.2, 0.2, 0.2)), 3), np.round(ink_hue((0.6, 0.6, 0.6)), 3)   # one grey ink, dense and thin
    (array([0., 0.]), array([0., 0.]))
    >>> np.round(ink_hue((0.1, 0.2, 0.4)), 3), np.round(ink_hue((0.55, 0.6, 0.7)), 3)  # one blue ink, dense and thin
    (array([0.031, 0.089]), array([0.031, 0.089]))
    """
    a = np.maximum(1.0 - np.asarray(rgb, np.float64), 1e-3)
    h = a / a.sum()
    return np.array([(h[0] - h[1]) / np.sqrt(2), (h[0] + h[1] - 2 * h[2]) / np.sqrt(6)])


def _values(t: Typography) -> dict:
    return {"cap": np.log(t.cap), "stroke": np.log(t.stroke), "contrast": np.log(t.contrast),
            "width": np.log(t.width), "spread": t.spread, "gap": t.gap, "colour": np.asarray(t.colour),
            "hue": ink_hue(t.colour), "glyph": t.glyph}


def deviations(fields: dict, *, floors=None, glyph_floor_count: int | None = None) -> dict:
    """Per field, per feature, how far it is from the other fields of the document (robust z).

    ``fields`` maps a field name to its :class:`Typography`. The centre of
    each feature is the median over the *other* fields; the spread is their
    median absolute deviation, at least the feature's floor
    (:data:`FEATURE_FLOORS`). The likeness to the issuer's glyphs is a mean
    over a field's glyphs: with ``glyph_floor_count`` (e.g.
    :data:`GLYPH_FLOOR_COUNT`) its floor holds for a field of that many
    glyphs and widens as ``1 / sqrt(glyphs)`` for fewer (a sex or a
    document type of one or two letters); without it, every field is held
    to the one floor (a trainer's template learns each field's own spread).
    Needs three fields or more.
    """
    floors = {**FEATURE_FLOORS, **(floors or {})}
    names = [n for n, t in fields.items() if t is not None]
    if len(names) < 3:
        return {}
    vals = {n: _values(fields[n]) for n in names}
    out = {}
    for n in names:
        others = [vals[o] for o in names if o != n]
        z = {}
        for key, floor in floors.items():
            if key not in vals[n]:
                continue
            mine = vals[n][key]
            theirs = np.array([o[key] for o in others])
            centre = np.median(theirs, axis=0)
            if key == "glyph" and glyph_floor_count:
                floor = floor * np.sqrt(glyph_floor_count / max(fields[n].glyphs, 1))
            spread = np.maximum(1.4826 * np.median(np.abs(theirs - centre), axis=0), floor)
            d = (mine - centre) / spread
            z[key] = float(np.linalg.norm(d) / np.sqrt(d.size)) * (1 if np.ndim(d) else np.sign(d))
        out[n] = z
    return out
