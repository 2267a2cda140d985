"""The features of a portrait: eyes, brows, nose, mouth, ears, marks, lines of age, beard.

Each drawer paints onto a float RGB canvas in place, given the
:class:`Frame` (where the head is, how it is turned) and the :class:`Look`
(the person's features with their age applied). Lengths are in units of the
head height ``L`` so one person is one face at every output size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .face_canvas import Region, arc, blur, ellipse, line, over, poly, smoothstep, texture
from .person import GREY_HAIR, Person

#: depth of features in front of the face outline (fraction of the head half-width), for turned heads
DEPTH = {"eyes": 0.55, "brows": 0.62, "bridge": 0.8, "nose": 1.0, "mouth": 0.78, "chin": 0.7, "ears": -0.15}


@dataclass
class Frame:
    """Where the head sits on an ``H x W`` canvas and how far it is turned."""

    H: int
    W: int
    L: float          #: head height in pixels (crown to chin)
    cx: float         #: centre line of the face
    yt: float         #: crown row
    Wh: float         #: head half-width in pixels
    yaw_s: float      #: sine of the head's turn
    yaw_c: float

    def sy(self, s):
        """Head-height fraction -> canvas row."""
        return self.yt + s * self.L

    def x(self, u, depth: str | float = 0.0):
        """Canvas column of a point ``u`` pixels right of the face's centre line (frontal),
        at ``depth`` (a :data:`DEPTH` name or a fraction of the half-width) in front of the outline."""
        z = (DEPTH[depth] if isinstance(depth, str) else depth) * self.Wh
        return self.cx + u * self.yaw_c + z * self.yaw_s

    def region(self, pts, pad) -> Region:
        return Region.around(self.H, self.W, pts, pad)


@dataclass
class Look:
    """A person's features as this photo shows them (age applied)."""

    person: Person
    wrinkles: float
    grey: float
    sag: float
    recession: float
    style: str                 #: hair style as drawn (a receding line may make it ``bald``)
    hair: np.ndarray           #: hair colour after greying
    brow: np.ndarray           #: brow colour
    beard: np.ndarray          #: beard colour
    eye_open: float
    brow_gap: float
    lip_upper: float
    lip_lower: float
    jaw: float


def resolve(person: Person, cues: dict) -> Look:
    """The :class:`Look` of ``person`` given its :func:`~docexam.synth.person.ageing_cues`."""
    grey, sag = cues["grey"], cues["sag"]
    base = np.asarray(person.hair.colour, np.float32)
    hair = base + grey * (np.asarray(GREY_HAIR, np.float32) * (0.75 + 0.25 * grey) - base)
    brow_grey = 0.6 * grey
    pale = person.hair.colour_name in ("blonde", "light-brown") or grey > 0.6
    brow = (base + brow_grey * (np.asarray(GREY_HAIR, np.float32) - base)) * (0.6 if pale else 1.0) * 0.9
    style = person.hair.style
    if person.male and style in ("short", "side-part", "fringe", "buzz"):
        if cues["recession"] > 0.8:
            style = "bald"
        elif cues["recession"] > 0.3:
            style = "receding"
    return Look(person, cues["wrinkles"], grey, sag, cues["recession"], style, np.clip(hair, 0, 1),
                np.clip(brow, 0, 1), np.clip(hair * 0.9, 0, 1),
                person.eyes.opening * (1 - 0.18 * sag), person.brows.gap - 0.012 * sag,
                person.mouth.upper * (1 - 0.35 * sag), person.mouth.lower * (1 - 0.25 * sag),
                person.head.jaw - 0.35 * sag)


def half_width(head, jaw: float, s):
    """Half-width of the head (in L) at height fraction ``s`` (0 skull top, 1 chin)."""
    s = np.clip(np.asarray(s, np.float64), 0.0, 1.0)
    W = head.width
    sm = 0.47
    up = np.clip((sm - s) / sm, 0, 1)
    w_up = W * (1 - up ** head.skull) ** (1 / head.skull)
    t = np.clip((s - sm) / (1 - sm), 0, 1)
    taper = head.taper * (1.2 - 0.4 * head.chin_width)
    w_lo = W * (1 - t ** jaw) ** (1 / jaw) * (1 - taper * t ** 2)
    # a broad chin stays wide to the bottom; a pointed one closes early
    w_lo = w_lo * (1 + 0.35 * head.chin_width * smoothstep(0.55, 0.95, t) * (1 - t) ** 0.3)
    w = np.where(s < sm, w_up, w_lo)
    return w * (1 + head.cheek * np.exp(-((s - 0.56) / 0.07) ** 2))


def face_outline(look: Look, f: Frame, n=90):
    s = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, n))   # dense near top and chin
    w = half_width(look.person.head, look.jaw, s) * f.L
    y = f.sy(s)
    shift = 0.06 * f.Wh * f.yaw_s          # the turned head's silhouette shifts a little
    right = np.stack([f.cx + shift + w, y], 1)
    left = np.stack([f.cx + shift - w, y], 1)[::-1]
    return np.concatenate([right, left])


# --------------------------------------------------------------------------
# ears

def draw_ears(img, look: Look, f: Frame, skin):
    p, L = look.person, f.L
    es = p.ears.size
    for sgn in (-1, 1):
        hw = half_width(p.head, look.jaw, 0.56) * L
        # the ear on the side turned away hides behind the head
        vis = 1.0 - max(0.0, -sgn * f.yaw_s) * 2.5
        if vis <= 0.05:
            continue
        ex = f.cx + sgn * (hw + (0.004 + 0.025 * p.ears.protrusion) * L * vis) + 0.06 * f.Wh * f.yaw_s
        ey = f.sy(0.565 + p.ears.height)
        reg = f.region([(ex, ey)], 0.18 * es * L)
        width = 0.05 * es * L * (0.6 + 0.4 * vis) * (0.85 + 0.4 * p.ears.protrusion)
        ear = ellipse(reg, (ex, ey - 0.01 * L), (width, 0.11 * es * L), sgn * 8)
        if p.ears.lobe_free:
            ear = np.maximum(ear, ellipse(reg, (ex - sgn * 0.004 * L, ey + 0.085 * es * L),
                                          (width * 0.72, 0.035 * es * L)))
        inner = blur(ellipse(reg, (ex + sgn * 0.008 * L, ey - 0.01 * L), (0.025 * es * L, 0.075 * es * L),
                             sgn * 8), 0.012 * L)
        over(img, ear * vis, skin * 0.86, reg)
        over(img, inner * 0.45 * vis, skin * 0.62, reg)
        if p.clothes.earrings:
            over(img, ellipse(reg, (ex, ey + 0.10 * es * L), (0.008 * L, 0.008 * L)), (0.85, 0.78, 0.55), reg)


# --------------------------------------------------------------------------
# eyes and brows

def eye_centres(look: Look, f: Frame):
    p = look.person
    ew = p.eyes.width * f.L
    edx = ew * p.eyes.spacing
    y = f.sy(p.eyes.y)
    return [(f.x(sgn * edx, "eyes"), y, sgn) for sgn in (-1, 1)], ew, edx


def draw_eye(img, look: Look, f: Frame, ex, ey, ew, sgn, skin):
    p, L = look.person, f.L
    eh = look.eye_open * ew
    reg = f.region([(ex, ey)], ew * 0.8)
    t = np.linspace(-1, 1, 25)                  # -1 inner corner, +1 outer corner
    lift = -p.eyes.tilt * t * ew / 2          # outer corner higher for positive tilt
    xs = ex + sgn * t * ew / 2 * (1 - 0.25 * sgn * f.yaw_s)
    up = ey - eh * 0.62 * (1 - t ** 2) ** 0.75 * (1 - 0.12 * t) + lift
    lo = ey + eh * 0.38 * (1 - t ** 2) ** 0.9 * (1 + 0.15 * t) + lift
    upper = np.stack([xs, up], 1)
    lower = np.stack([xs, lo], 1)
    sclera = poly(reg, np.concatenate([upper, lower[::-1]]))
    over(img, sclera, np.array([0.84, 0.82, 0.80], np.float32), reg)
    ri = eh * p.eyes.iris_size
    ix, iy = ex + (p.photo.gaze + 0.3 * f.yaw_s) * ew, ey + 0.04 * eh
    iris = ellipse(reg, (ix, iy), (ri, ri)) * sclera
    over(img, iris, p.eyes.iris, reg)
    ring = ellipse(reg, (ix, iy), (ri * 0.72, ri * 0.72))
    over(img, (1 - ring) * iris * 0.5, np.asarray(p.eyes.iris, np.float32) * 0.45, reg)
    over(img, ellipse(reg, (ix, iy), (ri * 0.42, ri * 0.42)) * sclera, (0.03, 0.02, 0.02), reg)
    lid_shadow = blur(line(reg, upper, max(1, eh * 0.45)), eh * 0.15) * sclera
    over(img, lid_shadow * 0.45, (0.15, 0.10, 0.08), reg)
    hl = ellipse(reg, (ix - 0.35 * ri, iy - 0.4 * ri), (ri * 0.17, ri * 0.17)) * sclera
    over(img, hl * 0.9, (0.97, 0.97, 0.97), reg)
    lash = eh * (0.2 if not p.male else 0.15)
    over(img, line(reg, upper, max(1, lash)), (0.08, 0.06, 0.05), reg)
    over(img, line(reg, lower, max(1, eh * 0.06)) * 0.45, skin * 0.55, reg)
    if p.eyes.crease:
        crease = upper.copy()
        crease[:, 1] -= eh * p.eyes.crease_offset * (1 - t ** 2) ** 0.5 + eh * 0.05
        over(img, blur(line(reg, crease[3:-2], max(1, eh * 0.08)), eh * 0.06) * 0.45, skin * 0.55, reg)
    bags = look.wrinkles * p.eyes.bags
    if bags > 0.08:
        bag = lower.copy()
        bag[:, 1] += eh * (0.4 + 0.2 * bags)
        over(img, blur(line(reg, bag[4:-4], max(1, eh * 0.06)), eh * 0.1) * min(0.5, 0.4 * bags), skin * 0.6, reg)
    if look.wrinkles > 0.35:
        # crow's feet at the outer corner
        ox = xs[-1]
        for k in (-1, 0, 1):
            pts = [(ox + sgn * 0.01 * L, ey + lift[-1] + k * 0.008 * L),
                   (ox + sgn * 0.035 * L, ey + lift[-1] + k * 0.016 * L)]
            reg2 = f.region(pts, 0.01 * L + 2)
            over(img, blur(line(reg2, pts, max(1, 0.003 * L)), 0.002 * L) * 0.3 * (look.wrinkles - 0.3),
                 skin * 0.6, reg2)


def draw_brow(img, look: Look, f: Frame, sgn, edx, ew):
    p, L = look.person, f.L
    b = p.brows
    brow_y = f.sy(p.eyes.y - look.brow_gap)
    t = np.linspace(0, 1, 20)
    x0 = sgn * (edx - ew * 0.58)
    length = ew * 1.3 * b.length
    us = x0 + sgn * t * length
    xs = np.array([f.x(u, "brows") for u in us])
    # the arch rises from the inner end to its peak, then falls to the tail
    rise = np.sin(0.5 * math.pi * np.clip(t / b.arch_at, 0, 1))
    fall = np.cos(0.5 * math.pi * np.clip((t - b.arch_at) / (1.15 - b.arch_at), 0, 1))
    mid = brow_y - b.arch * L * np.where(t < b.arch_at, rise, fall) - b.slant * L * t + 0.008 * L * t * t
    thick = b.thickness * L * (1.0 - 0.55 * t ** 1.5)
    top = np.stack([xs, mid - thick * 0.5], 1)
    bot = np.stack([xs, mid + thick * 0.5], 1)
    pts = np.concatenate([top, bot[::-1]])
    reg = f.region(pts, 0.02 * L + 3)
    m = blur(poly(reg, pts), 0.004 * L)
    # brow hairs lie along the brow, so the texture is smeared sideways
    hairs = texture(p.seed, 4 + (sgn > 0), f.H, f.W, (300, 300), (0.6, 2.5))[reg.box]
    a = m * np.clip(0.8 + 0.25 * hairs, 0, 1) * b.density
    over(img, a, look.brow, reg)


# --------------------------------------------------------------------------
# nose and mouth

def draw_nose(img, look: Look, f: Frame, skin):
    p, L = look.person, f.L
    n = p.nose
    nose_y = f.sy(n.y)
    nwid = n.width * L
    for sgn in (-1, 1):
        c = (f.x(sgn * nwid * 0.42, "nose"), nose_y - 0.004 * L)
        reg = f.region([c], 0.04 * L)
        nos = cv2.GaussianBlur(ellipse(reg, c, (0.02 * L, (0.006 + 0.004 * n.nostrils) * L), sgn * 20), (0, 0),
                               max(0.3, 0.004 * L))
        over(img, (0.45 + 0.35 * n.nostrils) * nos, skin * 0.35, reg)


def nose_shading(look: Look, f: Frame, soft, dark, bright):
    """Soft modelling of the nose and the face around it, added to the shading maps."""
    p, L = look.person, f.L
    n = p.nose
    nose_y = f.sy(n.y)
    nwid = n.width * L
    brow_y = f.sy(p.eyes.y - look.brow_gap)
    for sgn in (-1, 1):
        # the sides of the nose and its wings
        soft(dark, "ellipse", ((f.x(sgn * (n.bridge * L + 0.03 * L), "bridge"), (brow_y + nose_y) / 2 + 0.02 * L),
                               (0.012 * L, (nose_y - brow_y) * 0.42)), 0.02 * L, 0.14)
        soft(dark, "line", (arc(f.x(sgn * nwid * 0.78, "nose"), nose_y - 0.014 * L, nwid * 0.3, 0.026 * L, sgn),
                            0.007 * L), 0.006 * L, 0.22)
    bx = f.x(0, "bridge")
    soft(bright, "line", ([(bx, brow_y + 0.03 * L), (f.x(0, "nose"), nose_y - 0.05 * L)], n.bridge * L),
         0.014 * L, 0.08)
    soft(bright, "ellipse", ((f.x(0, "nose"), nose_y - 0.03 * L), (nwid * (0.3 + 0.3 * n.tip), 0.025 * L)),
         0.012 * L, 0.14)
    soft(dark, "ellipse", ((f.x(0, "nose"), nose_y + 0.012 * L), (nwid * 0.8, 0.012 * L)), 0.008 * L, 0.28)


def draw_mouth(img, look: Look, f: Frame, skin):
    p, L = look.person, f.L
    m = p.mouth
    my = f.sy(p.nose.y + m.gap)
    mw = m.width * L
    cxm = f.x(0, "mouth")
    reg = f.region([(cxm - mw, my - 0.05 * L), (cxm + mw, my + 0.06 * L)], 0.03 * L + 3)
    t = np.linspace(-1, 1, 31)
    xs = cxm + t * mw * (1 - 0.2 * np.sign(t) * f.yaw_s)
    tint = m.colour + p.clothes.lip_tint
    lip = np.asarray(skin) * (1 - tint) + np.array([0.62, 0.26, 0.28], np.float32) * tint
    lip = lip * 0.86
    up_h, lo_h = look.lip_upper * L, look.lip_lower * L
    corner = -m.corners * L * t ** 4
    bow = m.bow * up_h * np.exp(-(t / 0.12) ** 2)
    top = my - up_h * (1 - t ** 2) ** 0.6 + bow + corner
    mid = my + 0.002 * L * (t ** 2) + corner
    bottom = my + lo_h * (1 - t ** 2) ** 0.55 + corner
    upper = poly(reg, np.concatenate([np.stack([xs, top], 1), np.stack([xs, mid], 1)[::-1]]))
    lower = poly(reg, np.concatenate([np.stack([xs, mid], 1), np.stack([xs, bottom], 1)[::-1]]))
    over(img, blur(upper, 0.003 * L), lip * 0.88, reg)
    over(img, blur(lower, 0.003 * L), lip, reg)
    hl = blur(ellipse(reg, (cxm, my + lo_h * 0.45), (mw * 0.35, lo_h * 0.22)), 0.006 * L)
    over(img, hl * 0.18, (1, 0.95, 0.92), reg)
    over(img, line(reg, np.stack([xs, mid], 1)[2:-2], max(1, 0.005 * L)) * 0.8, lip * 0.45, reg)
    return my, mw


# --------------------------------------------------------------------------
# marks and lines of age

def draw_marks(img, look: Look, f: Frame, skin):
    """Moles, freckles and (with age) a few spots: small, but what tells twins apart."""
    p, L = look.person, f.L
    for mole in p.moles:
        hw = half_width(p.head, look.jaw, mole.y) * L
        c = (f.x(mole.x * hw, 0.5 * (1 - mole.x ** 2)), f.sy(mole.y))
        r = max(0.8, mole.size * L)
        reg = f.region([c], r * 3 + 2)
        m = blur(ellipse(reg, c, (r, r * 0.9)), r * 0.3)
        over(img, m * mole.darkness, np.asarray(skin, np.float32) * 0.35 + np.float32([0.05, 0.02, 0.0]), reg)
    rng = np.random.default_rng([p.seed, 0x9077_00F0])
    n_freckles = int(40 * p.skin.freckles)
    spots = int(max(0.0, look.wrinkles - 0.6) * 12)
    for i in range(n_freckles + spots):
        freckle = i < n_freckles
        u, v = rng.uniform(-0.7, 0.7), rng.uniform(0.5, 0.68) if freckle else rng.uniform(0.2, 0.8)
        hw = half_width(p.head, look.jaw, v) * L
        c = (f.x(u * hw, 0.5), f.sy(v))
        r = max(0.6, (0.003 if freckle else 0.006) * L * rng.uniform(0.7, 1.3))
        reg = f.region([c], r * 3 + 2)
        over(img, blur(ellipse(reg, c, (r, r)), r * 0.5) * (0.25 if freckle else 0.18),
             np.asarray(skin, np.float32) * np.float32([0.75, 0.6, 0.5]), reg)


def age_lines(look: Look, f: Frame, soft, dark, mouth_y, mw):
    """Folds and lines that come with age, added to the face's shading map."""
    p, L = look.person, f.L
    w = look.wrinkles
    if w <= 0:
        return
    nose_y = f.sy(p.nose.y)
    nwid = p.nose.width * L
    for sgn in (-1, 1):
        fold = [(f.x(sgn * nwid * 1.05, "nose"), nose_y - 0.02 * L),
                (f.x(sgn * (nwid * 1.3 + 0.02 * L), "mouth"), nose_y + 0.04 * L),
                (f.x(sgn * (mw * 1.15), "mouth"), mouth_y + 0.02 * L + 0.03 * L * look.sag)]
        soft(dark, "line", (fold, 0.008 * L), 0.008 * L, 0.3 * min(w, 1.1))
        if look.sag > 0.3:  # marionette lines and jowls
            mar = [(f.x(sgn * mw * 1.1, "mouth"), mouth_y + 0.01 * L),
                   (f.x(sgn * mw * 1.25, "chin"), mouth_y + 0.09 * L)]
            soft(dark, "line", (mar, 0.006 * L), 0.007 * L, 0.25 * (look.sag - 0.2))
    if w > 0.25:  # forehead lines
        brow_y = f.sy(p.eyes.y - look.brow_gap)
        for k in range(3):
            y = brow_y - (0.045 + 0.03 * k) * L
            xs = np.linspace(-0.18, 0.18, 9) * L
            pts = [(f.x(x, 0.7), y + 0.004 * L * math.sin(3 * x / L + k)) for x in xs]
            soft(dark, "line", (pts, 0.004 * L), 0.004 * L, 0.12 * (w - 0.2))
    if w > 0.4:  # the frown line between the brows
        gx = f.x(0, "brows")
        y = f.sy(p.eyes.y - look.brow_gap)
        soft(dark, "line", ([(gx - 0.008 * L, y - 0.015 * L), (gx - 0.006 * L, y + 0.02 * L)], 0.003 * L),
             0.003 * L, 0.15 * (w - 0.3))


# --------------------------------------------------------------------------
# facial hair

def beard_mask(freg, look: Look, f: Frame, mouth_y, mw, face):
    p, L = look.person, f.L
    style = p.beard.style
    nose_y = f.sy(p.nose.y)
    cx = f.x(0, "mouth")
    lips = ellipse(freg, (cx, mouth_y + 0.003 * L), (mw * 1.02, 0.03 * L))
    moustache = poly(freg, [(cx - mw * 1.1, mouth_y - 0.005 * L), (cx - mw * 0.5, mouth_y - 0.045 * L),
                            (cx, (nose_y + mouth_y) / 2 - 0.01 * L), (cx + mw * 0.5, mouth_y - 0.045 * L),
                            (cx + mw * 1.1, mouth_y - 0.005 * L), (cx, mouth_y - 0.012 * L)])
    if style == "moustache":
        m = moustache
    elif style == "goatee":
        chin = ellipse(freg, (cx, mouth_y + 0.11 * L), (mw * 0.9, 0.12 * L))
        m = np.maximum(moustache, chin * face)
    else:
        xs = np.arange(freg.ox, freg.ox + freg.shape[1], dtype=np.float32)[None, :]
        ys = np.arange(freg.oy, freg.oy + freg.shape[0], dtype=np.float32)[:, None]
        u = np.abs(xs - f.cx) / (p.head.width * L)
        s = (ys - f.yt) / L
        ms = (mouth_y - f.yt) / L
        edge = ms - 0.02 - 0.13 * np.clip(u, 0, 1) ** 2
        jaw = smoothstep(edge, edge + 0.04, s)
        if style == "stubble":
            jaw = np.maximum(jaw, smoothstep(0.86, 1.0, u) * (s > 0.45))
        m = np.maximum(jaw * face, moustache)
    m = blur(m, 0.008 * L)
    return m * (1 - blur(lips, 0.004 * L))
