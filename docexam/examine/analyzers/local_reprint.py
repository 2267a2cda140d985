"""Local reprints, found tile by tile: a place of a security zone printed unlike the rest of the same zone.

A forger who reprints a patch of the security design (from a copier's or a
laser printer's screen, an inkjet's dither, a copy at low resolution) leaves
the rest of the page genuine. The design comparison
(:mod:`docexam.examine.analyzers.design`) works at the working resolution,
where a fine screen or dither averages out into the genuine colour; here
every security zone is cut into small tiles *at the capture's own
resolution*, and each tile's power spectrum is compared with the genuine
design's (the reference blurred like the capture, as in
:mod:`docexam.examine.analyzers.print_process`). Two numbers per tile, both
independent of a shift of the print (a spectrum does not change when the
line work moves by a fraction of a millimetre):

* ``sharpness``: the capture's fine-band energy over the design's, divided
  by the same in the mid band, both after the capture's own noise (the
  energy where the design has none) is taken off: the capture's resolution
  at that place, relative to the design. A reprint from a low-resolution
  copy lost its finest lines; a screen or a dither rebuilt them from dots,
  whose energy is not where the design's lines put theirs. Capture blur,
  lighting and ink density change both bands alike;
* ``excess``: the share of the fine-band energy the design's spectrum does
  not explain (:func:`~docexam.examine.analyzers.print_process.spectra_conformity`):
  the dots of a screen or dither, toner scatter;
* ``colour``: fine colour the tile's own lightness does not explain
  (:func:`colour_residual`), against the design's own: a security design
  is printed in solid inks, so at a fine scale a tile's colour follows its
  lightness (paper to ink; a capture's colour planes shifted by a fraction
  of a pixel follow its edges), while an inkjet or a colour copier builds
  the same colour from dots of cyan, magenta and yellow, speckled in colour
  even where their lightness averages out to the genuine line work.

A tile is *compared with the other tiles of the same zone on the same
capture*, not with an absolute norm: the capture's blur, noise, JPEG and
sharpening are the same there, the design's density is not the issue (both
numbers are relative to the design), and a genuinely different zone (a
photograph, a guilloche) is judged only against itself. A tile whose
sharpness fell, or whose excess rose, far beyond what the capture shows
elsewhere in the zone is a place printed by another process: ``printing``,
placed at the tiles' union.

The zones scanned are the security design (``security-print`` and
``emblem`` zones); tiles over personalization, off the document or over a
device that looks different in every capture (a thread, a watermark, an
optically variable device) are left out.
"""

from __future__ import annotations

import functools

import cv2
import numpy as np

from ...i18n import Message
from ..deviation import NOT_DESIGN_FEATURES
from ..model import highpass, luminance
from ..report import Evidence
from .common import Context, clip_box, zone_label
from .design import printing_technique
from .devices import DEVICE_VIEWS

__all__ = ["TileSpectra", "tile_origins", "tile_spectra", "colour_residual", "scan_zone", "detrended", "analyze"]

FAMILY = "printing"
#: zone kinds scanned tile by tile
SCAN_KINDS = ("security-print", "emblem")
#: tile side, capture pixels: the largest power of two up to TILE_MM on the document, within these bounds
TILE_PX = (32, 64)
TILE_MM = 6.0
#: fine and mid bands of the spectrum, cycles per capture pixel; the band whose excess is measured
FINE_BAND = (0.2, 0.45)
MID_BAND = (0.06, 0.2)
EXCESS_BAND = (0.1, 0.45)
#: share of a band's bins, the design's strongest, where the gain is measured (the rest: the capture's noise)
DESIGN_BINS = 0.1
#: a band's gain under this is no energy left at all (the log of the sharpness is bounded by it)
MIN_GAIN = 0.03
#: a tile counts when the design's energy in its strongest bins stands this far above the capture's noise (the
#: zone's median: the noise of one tile is what a reprint's dots raise). Below it the tile is mostly blank paper
#: or faint lines a capture can lose in its noise (a genuine phone photo of a card's pale background lines: 6,
#: paper texture beside a rosette's edge on a genuine visa page: 4 to 7)
MIN_RESOLVED = 12.0
#: fewest tiles of bare paper that measure the capture's own texture (fewer: none is taken off the excess)
MIN_PAPER_TILES = 3
#: a tile was reprinted when its log sharpness fell this far below the zone's median (a factor e = 2.7) ...
SHARPNESS_DROP = 1.0
#: ... or its excess share rose this far above the zone's median
EXCESS_RISE = 0.4
#: ... or its colour residual rose this far above the zone's median (log: a factor 1.65 over the capture's own
#: colour noise and the design's colour; the threshold is this or four spreads of the zone, the larger: on 20
#: genuine flat, scanned and photographed pages no tile reached 0.71 of it, in forged pages' untouched zones 0.77;
#: an inkjet's coloured dots 1.0 and 1.6)
COLOUR_RISE = 0.5
#: how fast the score rises past any of them (in units of the threshold)
WIDTH = 0.12
#: fewest counted tiles for a zone to be judged (its median is the norm: a zone with fewer is too small to
#: have one, and zones do not share theirs: how much fine detail the design leaves unexplained depends on its
#: density, which differs from zone to zone)
MIN_ZONE_TILES = 8
#: either threshold is at least this many robust spreads of the zone's own tiles (a noisy capture of a
#: low-resolution template varies more from tile to tile)
SPREADS = 4.0
#: most places reported per document
MAX_PLACES = 3
#: tiles keep this far from personalization (its zones, and this capture's ink) and from the varying devices: a
#: character's blurred, JPEG-rung edge is fine detail the design does not have
INK_MARGIN_MM = 1.0
#: tiles overlapping zones with these features are left out: they look different in every capture
VARYING_FEATURES = tuple(DEVICE_VIEWS) + tuple(NOT_DESIGN_FEATURES)


@functools.lru_cache(maxsize=8)
def _bands(n: int) -> tuple:
    """Bin indices of the fine, mid and excess bands of an ``n`` x ``n`` spectrum, one bin of each conjugate pair.

    A real tile's power spectrum is symmetric (the bins at ``f`` and ``-f`` are
    equal): half the plane holds all of it, at half the cost of every sum,
    ranking and median below.
    """
    fy = np.fft.fftfreq(n)[:, None]
    fx = np.fft.fftfreq(n)[None, :]
    r = np.hypot(fx, fy)
    half = (fx > 0) | ((fx == 0) & (fy > 0))
    return tuple(np.flatnonzero(((r > a) & (r < b) & half).ravel()) for a, b in (FINE_BAND, MID_BAND, EXCESS_BAND))


@functools.lru_cache(maxsize=8)
def _window(n: int) -> np.ndarray:
    return np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)


def _powers(tiles: np.ndarray) -> np.ndarray:
    """Power spectra of a stack of square tiles (N, T, T), flattened to (N, T*T)."""
    n = tiles.shape[1]
    windowed = tiles * _window(n)
    out = np.empty((len(tiles), n * n), np.float32)
    for i, t in enumerate(windowed):
        f = cv2.dft(t, flags=cv2.DFT_COMPLEX_OUTPUT)
        out[i] = cv2.magnitude(f[..., 0], f[..., 1]).ravel()
    return np.square(out, out=out)


def _strongest(pr: np.ndarray, k: int) -> np.ndarray:
    """Per row, the ``k`` largest of ``pr`` (a mask; a partition, not a sort)."""
    n = pr.shape[1]
    return pr >= np.partition(pr, n - k, axis=1)[:, n - k:n - k + 1]


def _band_gain(pi: np.ndarray, pr: np.ndarray):
    """Per tile: (gain of the design's strongest bins after the noise, noise per bin, design energy there)."""
    n = pr.shape[1]
    k = max(1, int(round(n * DESIGN_BINS)))
    m = n // 2
    part = np.partition(pr, (m, n - k), axis=1)
    strong = pr >= part[:, n - k:n - k + 1]
    # the capture's noise: its median where the design is weakest (the lower half of the design's bins)
    weak = np.where(pr < part[:, m:m + 1], pi, np.inf)
    lo, hi = (m - 1) // 2, m // 2
    mids = np.partition(weak, (lo, hi), axis=1)
    noise = 0.5 * (mids[:, lo] + mids[:, hi])
    ps = np.where(strong, pr, 0).sum(axis=1)
    signal = np.where(strong, pi, 0).sum(axis=1) - noise * k
    return signal / np.maximum(ps, 1e-12), noise, ps / k


class TileSpectra:
    """Per tile of a zone: its template box, ``sharpness`` (log), ``excess``, whether it counts, ``colour`` (log).

    ``resolved``: the design's energy over the capture's typical noise in the zone (a tile of blank paper has
    nothing to compare, and does not count).
    """

    __slots__ = ("boxes", "sharpness", "excess", "resolved", "counts", "colour")

    def __init__(self, boxes, sharpness, excess, resolved, counts, colour=None):
        self.boxes, self.sharpness, self.excess, self.resolved, self.counts = boxes, sharpness, excess, resolved, counts
        self.colour = np.zeros(len(boxes)) if colour is None else colour


def tile_origins(shape, tile: int) -> list[tuple[int, int]]:
    """Top-left corners ``(x, y)`` of the tiles of an image of ``shape``, at half-tile steps."""
    h, w = shape[:2]
    step = tile // 2
    return [(x, y) for y in range(0, h - tile + 1, step) for x in range(0, w - tile + 1, step)]


def tile_spectra(image: np.ndarray, reference: np.ndarray, *, tile: int, origins=None) -> tuple:
    """Tiles of two same-size luminance images (float, 0..1): ``(origins, sharpness, excess, design, noise)``.

    Tiles of ``tile`` pixels at ``origins`` (default: :func:`tile_origins`, half-tile steps); ``sharpness`` is the log of
    the fine band's gain over the mid band's (after noise), ``design`` the
    reference's fine-band energy per strongest bin, ``noise`` the capture's
    per bin where the design has little.

    Examples
    --------
    A design of fine lines, and the same lines blurred in one half (a
    reprint from a low-resolution copy):

    >>> x = np.arange(128, dtype=np.float32)
    >>> lines = 0.5 + 0.2 * np.sin(x * 2.2)[None, :] * np.ones((64, 1), np.float32) \\
    ...     + 0.2 * np.sin(x * 0.7)[None, :]
    >>> copy = lines.copy()
    >>> copy[:, 64:] = cv2.GaussianBlur(lines, (0, 0), 1.5)[:, 64:]
    >>> origins, sharp, excess, design, noise = tile_spectra(copy, lines, tile=64)
    >>> origins
    [(0, 0), (32, 0), (64, 0)]
    >>> [round(float(s), 1) + 0.0 for s in sharp]
    [0.0, -0.3, -2.4]
    """
    origins = tile_origins(image.shape, tile) if origins is None else list(origins)
    if not origins:
        return [], np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
    hp_i = image - cv2.GaussianBlur(image, (0, 0), 3.0)
    hp_r = reference - cv2.GaussianBlur(reference, (0, 0), 3.0)
    xs, ys = (np.array(v, np.intp) for v in zip(*origins))
    rows = (ys[:, None] + np.arange(tile))[:, :, None]
    cols = (xs[:, None] + np.arange(tile))[:, None, :]
    pi, pr = _powers(hp_i[rows, cols]), _powers(hp_r[rows, cols])
    fine, mid, exc = _bands(tile)
    g_fine, noise, design = _band_gain(pi[:, fine], pr[:, fine])
    g_mid, _, _ = _band_gain(pi[:, mid], pr[:, mid])
    sharp = np.log(np.maximum(g_fine, MIN_GAIN) / np.maximum(g_mid, MIN_GAIN))
    # the excess share of the band's energy (as print_process.spectra_conformity, per tile)
    a, b = pi[:, exc], pr[:, exc]
    strong = _strongest(b, max(1, int(round(b.shape[1] * DESIGN_BINS))))
    gain = np.where(strong, a, 0).sum(axis=1) / np.maximum(np.where(strong, b, 0).sum(axis=1), 1e-12)
    total = np.maximum(a.sum(axis=1), 1e-12)
    # the capture's own texture (the paper's grain, the sensor's noise) is genuine, not dots: its spectrum, where
    # the tiles show bare paper (no design resolved above the noise), is taken off first. Where the design is
    # sparse (a rosette's outer ring on bare paper) that texture is most of a tile's energy
    paper = design < MIN_RESOLVED * float(np.median(noise))
    floor = np.median(a[paper], axis=0) if paper.sum() >= MIN_PAPER_TILES else 0.0
    excess = np.maximum(a - gain[:, None] * b - floor, 0).sum(axis=1) / total
    return origins, sharp, excess, design, noise


def colour_residual(rgb: np.ndarray, origins, *, tile: int) -> np.ndarray:
    """Per tile: the mean square of the fine colour that the tile's own lightness does not explain.

    In two opponent colour channels (red-green, yellow-blue), high-passed
    like the luminance, each tile's colour is fitted by its lightness and its
    lightness gradient (colour planes shifted by a fraction of a pixel: a
    scanner's or a lens's colour fringes); what is left is colour of its
    own at a fine scale: two inks meeting, or dots of several colours
    making one.

    Parameters
    ----------
    rgb : ndarray
        Float RGB, 0..1, (H, W, 3); not modified.
    origins : sequence of (x, y)
        Top-left corners of the tiles, on the grid of :func:`tile_origins` (multiples of half a tile).
    tile : int, keyword-only
        Tile side, pixels (even).

    Examples
    --------
    One brown ink on cream paper, and the same lightness made of cyan, magenta
    and yellow dots in the right half:

    >>> rng = np.random.default_rng(0)
    >>> ink = (rng.random((64, 128)) < 0.5)[..., None]
    >>> page = np.where(ink, np.float32([0.45, 0.3, 0.15]), np.float32([0.95, 0.93, 0.85])).astype(np.float32)
    >>> dots = np.float32([[0.1, 0.6, 0.6], [0.6, 0.1, 0.6], [0.6, 0.6, 0.1]])[rng.integers(3, size=(64, 64))]
    >>> lum = lambda c: c @ np.float32([0.299, 0.587, 0.114])
    >>> page[:, 64:] = dots * (lum(page[:, 64:]) / lum(dots))[..., None]
    >>> r = colour_residual(page, [(0, 0), (64, 0)], tile=64)
    >>> bool(r[1] > 0.5 > 0.001 > r[0])  # the left tile: only what the dots' edge blurs into it
    True
    """
    if not len(origins):
        return np.zeros(0)
    step = tile // 2
    rgb = np.asarray(rgb, np.float32)
    y = luminance(rgb)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grad = np.float32(1 / 8)  # Sobel's weights sum to 8: a gradient per pixel
    x = (highpass(y, 3.0), cv2.Sobel(y, cv2.CV_32F, 1, 0, ksize=3) * grad, cv2.Sobel(y, cv2.CV_32F, 0, 1, ksize=3) * grad)
    c = (highpass(r - g, 3.0), highpass(0.5 * (r + g) - b, 3.0))
    # every sum the least squares need, per tile, from sums over half-tile blocks (tiles overlap by half a tile)
    nby, nbx = y.shape[0] // step, y.shape[1] // step
    o = np.asarray(origins, np.intp) // step
    bx, by = o[:, 0], o[:, 1]

    def tiles(p):
        s = p[:nby * step, :nbx * step].reshape(nby, step, nbx, step).sum(axis=(1, 3), dtype=np.float64)
        return s[by, bx] + s[by, bx + 1] + s[by + 1, bx] + s[by + 1, bx + 1]

    ata = np.empty((len(o), 3, 3))
    for i in range(3):
        for j in range(i, 3):
            ata[:, i, j] = ata[:, j, i] = tiles(x[i] * x[j])
    atc = np.stack([np.stack([tiles(xi * ck) for ck in c], axis=1) for xi in x], axis=1)
    explained = np.einsum("nij,nij->n", np.linalg.solve(ata + 1e-12 * np.eye(3), atc), atc)
    return np.maximum(tiles(c[0] * c[0]) + tiles(c[1] * c[1]) - explained, 0) / (tile * tile)


def _colour_departure(rc: np.ndarray, rr: np.ndarray) -> np.ndarray:
    """Log of the capture's colour residual per tile over what the design's own explains.

    The capture keeps a share of the design's colour residual (its colour
    rendering: the ratio of the sums over the half of the tiles where the
    design has most of it) on top of its own colour noise (the zone's
    median, a floor: a tile of plain ink has neither).
    """
    floor = float(np.median(rc)) + 1e-12
    big = rr >= np.median(rr)
    gain = float(rc[big].sum() / max(float(rr[big].sum()), 1e-12))
    return np.log((rc + floor) / (gain * rr + floor))


def _tile_px(ctx: Context, s: float) -> int:
    px = TILE_MM / 25.4 * ctx.template.dpi * s
    lo, hi = TILE_PX
    return int(hi if px >= hi else lo)


def _blocked(ctx: Context) -> np.ndarray:
    """Working pixels a tile must not touch: off the document, near personalization, devices that vary."""
    model = ctx.model
    r = max(1, int(round(model.mm(INK_MARGIN_MM))))
    kernel = np.ones((2 * r + 1, 2 * r + 1), np.uint8)

    def build():
        near = model.personal.copy()
        for z in ctx.template.zones:
            if z.extra.get("feature") in VARYING_FEATURES:
                x0, y0, x1, y1 = model.to_work(z.bbox)
                near[y0:y1, x0:x1] = True
        return ~model.document | cv2.dilate(near.view(np.uint8), kernel).view(bool)

    fixed = model.cached(("local-reprint-blocked", r), build)
    return fixed | cv2.dilate(ctx.maps.ink.view(np.uint8), kernel).view(bool)


def _clear_tiles(ctx: Context, x0: int, y0: int, origins, tile: int, s: float) -> np.ndarray:
    """Which tiles (crop ``origins``, ``tile`` crop pixels, crop at ``(x0, y0)`` and scale ``s``) are clear of :func:`_blocked`.

    One summed-area table of the blocked pixels answers every tile at once.
    """
    table = ctx.cache.get("local-reprint-blocked")
    if table is None:
        table = ctx.cache["local-reprint-blocked"] = cv2.integral(_blocked(ctx).view(np.uint8))
    if not origins:
        return np.zeros(0, bool)
    h, w = ctx.model.document.shape  # the working grid
    W, H = ctx.template.size_px
    sx, sy = w / W, h / H
    o = np.asarray(origins, np.float64)
    # the tiles' template boxes in working pixels, as ReferenceModel.to_work rounds them
    tx0, ty0 = x0 + o[:, 0] / s, y0 + o[:, 1] / s
    tx1, ty1 = x0 + (o[:, 0] + tile) / s, y0 + (o[:, 1] + tile) / s
    a = np.clip(np.floor(tx0 * sx).astype(np.intp), 0, w - 1)
    b = np.clip(np.floor(ty0 * sy).astype(np.intp), 0, h - 1)
    c = np.maximum(np.minimum(np.ceil(tx1 * sx).astype(np.intp), w), a + 1)
    d = np.maximum(np.minimum(np.ceil(ty1 * sy).astype(np.intp), h), b + 1)
    return (table[d, c] - table[b, c] - table[d, a] + table[b, a]) == 0


def scan_zone(ctx: Context, zone) -> TileSpectra | None:
    """The tiles of ``zone`` at the capture's resolution (None when the zone is too small to tile)."""
    model, t = ctx.model, ctx.template
    s = min(1.0, ctx.views.capture_scale)
    W, H = t.size_px
    x0, y0, x1, y1 = (int(v) for v in zone.bbox)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
    tile = _tile_px(ctx, s)
    if min(x1 - x0, y1 - y0) * s < tile:
        return None
    size = (max(1, int(round((y1 - y0) * s))), max(1, int(round((x1 - x0) * s))))
    every = tile_origins(size, tile)
    origins = [o for o, ok in zip(every, _clear_tiles(ctx, x0, y0, every, tile, s)) if ok]
    boxes = [[x0 + tx / s, y0 + ty / s, x0 + (tx + tile) / s, y0 + (ty + tile) / s] for tx, ty in origins]
    if len(origins) < MIN_ZONE_TILES:
        return TileSpectra(boxes, np.zeros(len(boxes)), np.zeros(len(boxes)), np.zeros(len(boxes)),
                           np.zeros(len(boxes), bool))
    img = ctx.crop([x0, y0, x1, y1], scale=s).astype(np.float32) * np.float32(1 / 255)
    ref = model.full["visible"][y0:y1, x0:x1].astype(np.float32) * np.float32(1 / 255)
    ref = cv2.resize(ref, img.shape[1::-1], interpolation=cv2.INTER_AREA)
    blur = ctx.maps.sigma / max(model.scale, 1e-6) * s  # the capture's blur, in crop pixels
    if blur > 0.3:
        ref = cv2.GaussianBlur(ref, (0, 0), blur)
    _, sharp, excess, design, noise = tile_spectra(luminance(img), luminance(ref), tile=tile, origins=origins)
    resolved = design / max(float(np.median(noise)), 1e-12)
    counts = resolved >= MIN_RESOLVED
    colour = np.zeros(len(origins))
    if img.ndim == 3 and ref.ndim == 3 and counts.sum() >= MIN_ZONE_TILES:
        colour[counts] = _colour_departure(colour_residual(img, [o for o, k in zip(origins, counts) if k], tile=tile),
                                           colour_residual(ref, [o for o, k in zip(origins, counts) if k], tile=tile))
    return TileSpectra(boxes, sharp, excess, resolved, counts, colour)


def detrended(values: np.ndarray, centres: np.ndarray, counts: np.ndarray, *, rounds: int = 2) -> np.ndarray:
    """``values`` minus their robust plane over the zone (fitted on the counted tiles; outliers left out).

    A phone photo's focus, and so its sharpness, changes across a tilted
    page: over a zone several centimetres wide that is a slope, which a
    plane follows and a patch of a few millimetres does not.

    >>> c = np.array([[x, y] for y in range(5) for x in range(5)], float)
    >>> v = 0.1 * c[:, 0]
    >>> v[12] -= 2.0  # one tile departs
    >>> r = detrended(v, c, np.ones(25, bool))
    >>> round(float(r[12]), 2), round(float(np.abs(np.delete(r, 12)).max()), 2)
    (-2.0, 0.0)
    """
    a = np.c_[np.ones(len(values)), centres - centres[counts].mean(axis=0)]
    keep = counts.copy()
    if keep.sum() < 3 * a.shape[1]:
        return values - float(np.median(values[counts]))
    for _ in range(rounds):
        coef, *_ = np.linalg.lstsq(a[keep], values[keep], rcond=None)
        res = values - a @ coef
        spread = 1.4826 * float(np.median(np.abs(res[counts]))) + 1e-6
        keep = counts & (np.abs(res) < 2.5 * spread)
        if keep.sum() < 3 * a.shape[1]:
            break
    return res


def _groups(boxes: list, fired: np.ndarray) -> list[list[int]]:
    """Fired tiles grouped by overlap (indices)."""
    idx = [i for i in np.flatnonzero(fired)]
    groups: list[list[int]] = []
    for i in idx:
        a = boxes[i]
        joined = [g for g in groups if any(a[0] < boxes[j][2] and boxes[j][0] < a[2] and a[1] < boxes[j][3]
                                               and boxes[j][1] < a[3] for j in g)]
        merged = [i] + [j for g in joined for j in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def analyze(ctx: Context, *, known=()):
    """Evidence of local reprints in the security zones; ``known``: evidence already placing some (not repeated).

    Parameters
    ----------
    ctx : Context
    known : sequence of Evidence, keyword-only
        Findings of the other printing checks: a place they already report
        (score at least 0.5, same zone, overlapping) is not reported twice.
    """
    evidence: list = []
    scans = []
    for z in ctx.template.zones:
        if z.kind in SCAN_KINDS and z.extra.get("feature") not in VARYING_FEATURES:
            sc = scan_zone(ctx, z)
            if sc is not None and sc.counts.sum() >= MIN_ZONE_TILES:
                scans.append((z, sc))
    if not scans:
        return evidence, []
    places = []
    for z, sc in scans:
        # each tile against the zone's others, a slope across the zone (focus, light) taken off
        centres = np.array([((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in sc.boxes]) / ctx.template.dpi * 25.4
        d_sharp = detrended(sc.sharpness, centres, sc.counts)
        d_excess = detrended(sc.excess, centres, sc.counts)
        d_colour = detrended(sc.colour, centres, sc.counts)
        drop = max(SHARPNESS_DROP, SPREADS * 1.4826 * float(np.median(np.abs(d_sharp[sc.counts]))))
        rise = max(EXCESS_RISE, SPREADS * 1.4826 * float(np.median(np.abs(d_excess[sc.counts]))))
        colour_rise = max(COLOUR_RISE, SPREADS * 1.4826 * float(np.median(np.abs(d_colour[sc.counts]))))
        value = np.maximum.reduce([-d_sharp / drop, d_excess / rise, d_colour / colour_rise])
        value = np.where(sc.counts, value, 0.0)
        # the places beyond the threshold; else the zone's most departing tile (weak evidence: it ranks the document)
        groups = _groups(sc.boxes, value >= 1.0) or [[int(np.argmax(value))]]
        for g in groups:
            box = [min(sc.boxes[i][0] for i in g), min(sc.boxes[i][1] for i in g),
                   max(sc.boxes[i][2] for i in g), max(sc.boxes[i][3] for i in g)]
            box = clip_box([int(round(v)) for v in box], z.bbox)
            j = max(g, key=lambda i: value[i])
            places.append((float(value[j]), z, box, float(-d_sharp[j]) / drop, float(d_excess[j]),
                           float(d_excess[j]) / rise, float(d_colour[j]) / colour_rise))
    places.sort(key=lambda p: -p[0])
    for v, z, box, sharp_part, rise, excess_part, colour_part in places[:MAX_PLACES]:
        if any(e.score >= 0.5 and e.zone == z.name and e.bbox[0] < box[2] and box[0] < e.bbox[2]
               and e.bbox[1] < box[3] and box[1] < e.bbox[3] for e in known):
            continue
        technique, how = printing_technique(ctx, box)
        if colour_part > max(sharp_part, excess_part):
            msg = Message("Under magnification this part of the {label} is made of coloured dots the genuine ink does "
                          "not have, while the rest of it is printed like the genuine design: it was {how}.",
                          label=zone_label(z), how=how)
        elif sharp_part >= excess_part:
            msg = Message("Under magnification this part of the {label} has lost the finest line work that the rest "
                          "of it keeps on this same picture: it was {how}.", label=zone_label(z), how=how)
        else:
            msg = Message("Under magnification this part of the {label} is made of dots the genuine line work does "
                          "not have ({share} per cent of its fine detail), while the rest of it is printed like the "
                          "genuine design: it was {how}.", label=zone_label(z), share=int(round(100 * rise)), how=how)
        evidence.append(Evidence(FAMILY, technique, z.name, box, v, 1.0, WIDTH, msg, check="local-reprint"))
    return evidence, []
