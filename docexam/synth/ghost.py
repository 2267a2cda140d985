"""The ghost portrait as printed, and the same-person descriptor of a portrait crop.

:func:`ghost_image` makes the secondary ("ghost") portrait of a document
from its main portrait; :func:`portrait_signature` and
:func:`same_person_score` compare a main portrait with a ghost image (or
two portrait crops of one document) to notice a ghost that shows another
face (photo substitution). For two *photographs* of a person taken apart
(a document photo and a photo at the counter), see
:mod:`docexam.synth.face_identity`.

Examples
--------
>>> img = render_portrait(4, size=(260, 330))
>>> ghost = ghost_image(img, size=(150, 190))
>>> other = render_portrait(5, size=(260, 330))
>>> a = portrait_signature(img)
>>> same_person_score(a, portrait_signature(ghost, coverage=True)) > same_person_score(
...     a, portrait_signature(other))
True
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .face_canvas import check_size
from .face_canvas import smoothstep as _smoothstep
from .face_render import render_portrait

__all__ = ["ghost_image", "portrait_signature", "same_person_score", "check_size"]


_check_size = check_size

def ghost_image(portrait: np.ndarray, *, size, contrast: float = 0.45, line_period: float = 6.0,
                line_angle: float = 0.0) -> np.ndarray:
    """The secondary ("ghost") portrait as printed: monochrome, faint, line-screened.

    Parameters
    ----------
    portrait : ndarray, shape (H, W, 3) or (H, W)
        The main portrait (uint8, or float in [0, 1]); not modified.
    size : (int, int)
        Output ``(width, height)``; a ghost of 15x19 mm at 600 dpi is about
        ``(354, 449)``.
    contrast : float, optional
        Maximum ink coverage, in (0, 1]. Ghost images are printed light so
        that they cannot simply be photocopied over the main portrait.
    line_period : float, optional
        Period in output pixels of the line screen (6 px = 100 lines per inch
        at 600 dpi). ``0`` gives a continuous-tone ghost.
    line_angle : float, optional
        Angle of the screen lines in degrees (0 = horizontal).

    Returns
    -------
    coverage : ndarray of float32, shape (height, width)
        Ink coverage in [0, 1] (1 = full ink). The background fades to zero.

    Raises
    ------
    ValueError
        Naming ``portrait``, ``size``, ``contrast`` or ``line_period``.

    Examples
    --------
    >>> g = ghost_image(render_portrait(2, size=(240, 300)), size=(120, 150))
    >>> g.shape, g.dtype, bool(g.min() >= 0 and g.max() <= 0.45 + 1e-6)
    ((150, 120), dtype('float32'), True)
    """
    gray = _gray(portrait, "portrait")
    w, h = _check_size(size)
    if isinstance(contrast, bool) or not (isinstance(contrast, (int, float)) and 0 < contrast <= 1):
        raise ValueError(f"contrast: expected a number in (0, 1], got {contrast!r}")
    if isinstance(line_period, bool) or not (isinstance(line_period, (int, float))
                                             and (line_period == 0 or line_period >= 2)):
        raise ValueError(f"line_period: expected 0 or a number >= 2, got {line_period!r}")
    if isinstance(line_angle, bool) or not isinstance(line_angle, (int, float)):
        raise ValueError(f"line_angle: expected a number of degrees, got {line_angle!r}")
    rgb = np.asarray(portrait)
    rgb = rgb[..., :3].astype(np.float32) / (255.0 if rgb.dtype == np.uint8 else 1.0) \
        if rgb.ndim == 3 else gray[..., None]
    interp = cv2.INTER_AREA if gray.shape[0] > h else cv2.INTER_LINEAR
    g = cv2.resize(gray, (w, h), interpolation=interp)
    c = cv2.resize(rgb, (w, h), interpolation=interp).reshape(h, w, -1)
    # Ghost images drop the photo's background and keep the person. The
    # background is modelled as a smooth (quadratic) colour field fitted to
    # the top and side borders, so a lit backdrop with a gradient goes too;
    # what differs from it in colour, not only in lightness (light skin on a
    # grey backdrop must survive), is the person.
    bw, bh = max(1, w // 16), max(1, h // 16)
    ys_, xs_ = np.mgrid[0:h:2, 0:w:2]
    on_border = (ys_ < bh) | (((xs_ < bw) | (xs_ >= w - bw)) & (ys_ < 0.7 * h))
    py, px = ys_[on_border] / h - 0.5, xs_[on_border] / w - 0.5
    A = np.stack([np.ones_like(px), px, py, px * px, py * py, px * py], 1)
    coef = np.linalg.lstsq(A, c[ys_[on_border], xs_[on_border]], rcond=None)[0].astype(np.float32)
    yy = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None, None]
    xx = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :, None]
    bg = (coef[0] + coef[1] * xx + coef[3] * xx * xx) + (coef[2] * yy + coef[4] * yy * yy) + \
        coef[5] * (xx * yy)
    dist = np.sqrt(((c - bg) ** 2).sum(axis=2))
    person = _smoothstep(0.04, 0.12, cv2.GaussianBlur(dist, (0, 0), max(0.8, w / 200)))
    tone = np.clip((1.0 - g) * 1.15, 0, 1) ** 0.9 * person
    if line_period:
        # Line screen: each line is as thick as the tone asks (amplitude-
        # modulated lines), anti-aliased over one pixel.
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        a = math.radians(line_angle)
        d = (-xx * math.sin(a) + yy * math.cos(a)) / line_period
        dist_px = np.abs(d - np.floor(d) - 0.5) * line_period      # px from the line's centre
        cov = contrast * np.clip(tone * line_period * 0.5 - dist_px + 0.5, 0, 1) * (tone > 0.02)
    else:
        cov = contrast * tone
    return cov.astype(np.float32)


def _gray(img, name) -> np.ndarray:
    a = np.asarray(img)
    if a.ndim == 3 and a.shape[2] in (3, 4):
        a = a[..., :3]
    elif a.ndim != 2:
        raise ValueError(f"{name}: expected an HxW or HxWx3 image, got shape {a.shape}")
    if a.shape[0] < 8 or a.shape[1] < 8:
        raise ValueError(f"{name}: image {a.shape[1]}x{a.shape[0]} is too small")
    if a.dtype == np.uint8:
        a = a.astype(np.float32) / 255
    elif np.issubdtype(a.dtype, np.floating):
        a = np.clip(a.astype(np.float32), 0, 1)
    else:
        raise ValueError(f"{name}: expected uint8 or float values, got {a.dtype}")
    if a.ndim == 3:
        a = a @ np.array([0.299, 0.587, 0.114], np.float32)
    return np.ascontiguousarray(a)


def portrait_signature(portrait: np.ndarray, *, coverage: bool = False) -> np.ndarray:
    """A small descriptor of the face in a portrait, for same-person checks.

    The central face region is low-pass filtered (line screens, guilloches
    and sensor noise go), reduced to a coarse grid, band-pass filtered and
    locally contrast-normalised (so a faint ghost and a full-contrast photo
    compare alike), and what every ICAO portrait has in common -- a light
    background, a head in the middle, eyes at half height -- is projected
    out, so that what remains tells one face from another.

    Parameters
    ----------
    portrait : ndarray, shape (H, W, 3) or (H, W)
        A portrait crop (uint8, or float in [0, 1]); not modified. The crop
        should frame the head as the document does (the portrait or ghost
        zone); a few percent of misregistration is tolerated.
    coverage : bool, optional
        True when ``portrait`` is ink coverage (as from :func:`ghost_image`,
        1 = ink) rather than light intensity.

    Returns
    -------
    signature : ndarray of float32, shape (1280,)
        Unit length (or all zero for a blank image).

    Raises
    ------
    ValueError
        Naming ``portrait`` when it is not an image.

    Examples
    --------
    >>> sig = portrait_signature(render_portrait(3, size=(200, 256)))
    >>> sig.shape, round(float(np.linalg.norm(sig)), 3)
    ((1280,), 1.0)
    """
    v = _raw_signature(portrait, coverage)
    mean = _mean_signature()
    v = v - float(np.dot(v, mean)) * mean
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 1e-9 else v.astype(np.float32)


_SIG_W, _SIG_H = 32, 40


def _raw_signature(portrait, coverage=False) -> np.ndarray:
    g = _gray(portrait, "portrait")
    if coverage:
        g = 1.0 - g
    h, w = g.shape
    # the face from brows to chin, between the temples: hair and clothes are
    # the easiest things to change and the least telling
    crop = g[int(0.30 * h): int(0.86 * h), int(0.22 * w): int(0.78 * w)]
    cw = crop.shape[1]
    sigma = 0.5 * cw / _SIG_W        # low-pass before decimating: kills screens and guilloches
    crop = cv2.GaussianBlur(crop, (0, 0), sigma)
    small = cv2.resize(crop, (_SIG_W, _SIG_H), interpolation=cv2.INTER_AREA)
    band = small - cv2.GaussianBlur(small, (0, 0), 3.0)
    band /= np.sqrt(cv2.GaussianBlur(band * band, (0, 0), 5.0)) + 0.01
    v = band.ravel().astype(np.float64)
    v -= v.mean()
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


_MEAN_SIG = None


def _mean_signature() -> np.ndarray:
    """The average raw signature of many portraits: the layout all faces share.

    Computed once per process from small portraits of fixed seeds (a few
    hundred milliseconds), so it is exactly reproducible.
    """
    global _MEAN_SIG
    if _MEAN_SIG is None:
        acc = np.zeros(_SIG_W * _SIG_H)
        for seed in range(9_000_000, 9_000_048):
            acc += _raw_signature(render_portrait(seed, size=(150, 192)))
        _MEAN_SIG = acc / np.linalg.norm(acc)
    return _MEAN_SIG


def same_person_score(a: np.ndarray, b: np.ndarray, *, max_shift: int = 2) -> float:
    """Likeness of two :func:`portrait_signature` descriptors, in [0, 1].

    Normalised correlation of the two face maps, taking the best of small
    relative shifts (up to ``max_shift`` grid cells, about 2% of the crop
    width each) so that a slightly misregistered crop of a document still
    matches. Near 1 for one portrait and its ghost; low for two people.

    Parameters
    ----------
    a, b : ndarray
        Signatures from :func:`portrait_signature`.
    max_shift : int, optional
        Largest shift tried, in grid cells (0 = aligned only).

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        Naming ``b`` when the signatures differ in length, or ``max_shift``.

    Examples
    --------
    >>> s = portrait_signature(render_portrait(8, size=(200, 256)))
    >>> same_person_score(s, s)
    1.0
    """
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"b: signature of length {b.size} does not match a ({a.size})")
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or not 0 <= max_shift <= 8:
        raise ValueError(f"max_shift: expected an integer in 0..8, got {max_shift!r}")
    if a.size != _SIG_W * _SIG_H:
        max_shift = 0
        A, B = a[None, :], b[None, :]
    else:
        A, B = a.reshape(_SIG_H, _SIG_W), b.reshape(_SIG_H, _SIG_W)
    h, w = A.shape
    best = 0.0
    for dy in range(-max_shift, max_shift + 1):
        for dx in range(-max_shift, max_shift + 1):
            pa = A[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)]
            pb = B[max(0, -dy):h + min(0, -dy), max(0, -dx):w + min(0, -dx)]
            den = math.sqrt(float((pa * pa).sum()) * float((pb * pb).sum()))
            if den < 1e-12:
                continue
            # a small penalty per cell keeps the aligned reading preferred
            r = float((pa * pb).sum()) / den * (1 - 0.02 * (abs(dx) + abs(dy)))
            best = max(best, r)
    return float(round(min(1.0, max(0.0, best)), 6))
