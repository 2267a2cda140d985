"""Hair and glasses of a portrait: the cap, its hair line, curtains of long hair, frames."""

from __future__ import annotations

import math

import numpy as np

from .face_canvas import Region, blur, ellipse, line, over, poly, smoothstep
from .face_parts import Frame, Look, half_width


def hair_geometry(look: Look, f: Frame):
    """(side, flare, end): how far the hair stands out at the sides and where long hair ends."""
    h, L = look.person.hair, f.L
    side = h.side * L
    if look.style in ("long", "bob"):  # long hair hides the ears
        side = max(side, (0.06 + 0.03 * look.person.ears.protrusion) * L * look.person.ears.size)
    flare = h.flare * L
    end = f.sy(0.92 + 0.15 * h.length) if look.style == "bob" else f.sy(1.08 + 0.45 * h.length)
    return side, flare, end


def draw_long_back(img, look: Look, f: Frame, hair_img, hreg, side, flare, end):
    """Long hair behind the neck (seen between the neck and the curtains)."""
    t = np.linspace(-1, 1, 40)
    back = np.stack([f.cx + t * (f.Wh + side + 0.6 * flare), end - 0.02 * f.L * (1 - t * t)], 1)
    back = np.concatenate([[(f.cx - f.Wh - side, f.sy(0.45))], back, [(f.cx + f.Wh + side, f.sy(0.45))]])
    m = blur(poly(hreg, back), 1.0)
    over(img, m, hair_img * 0.6, hreg)


def draw_hair(img, look: Look, f: Frame, hair_img, hreg: Region, face, side, flare, end):
    p, L, cx, yt, Wh = look.person, f.L, f.cx + 0.04 * f.Wh * f.yaw_s, f.yt, f.Wh
    h = p.hair
    style = look.style
    X = np.arange(hreg.ox, hreg.ox + hreg.shape[1], dtype=np.float32)[None, :]
    Y = np.arange(hreg.oy, hreg.oy + hreg.shape[0], dtype=np.float32)[:, None]
    if style == "bald":
        # a horseshoe of short hair low on the sides and back of the head
        ring = ellipse(hreg, (cx, yt + 0.47 * L), (Wh + 0.012 * L, 0.5 * L))
        band = smoothstep(yt + 0.33 * L, yt + 0.40 * L, Y) * (1 - smoothstep(yt + 0.52 * L, yt + 0.58 * L, Y))
        edge = smoothstep(0.86, 0.97, np.abs(X - cx) / Wh)
        m = np.maximum(ring * (1 - face), edge * face) * band
        over(img, blur(m, 0.008 * L) * 0.55, hair_img, hreg)
        return
    thick = h.thickness * L
    side_w = side
    low_s = 0.56 if style in ("long", "bob", "fringe") else 0.51
    if style == "buzz":
        thick, side_w, low_s = 0.006 * L, 0.006 * L, 0.50
    elif style in ("tied", "bun"):
        thick, side_w, low_s = 0.02 * L, 0.012 * L, 0.50
    elif style == "receding":
        thick, side_w = thick * 0.5, side_w * 0.6
    # outer silhouette: the skull outline pushed out by the hair's volume
    n = p.head.skull
    a = np.linspace(0, math.pi, 60)
    c, s_ = np.cos(a), np.sin(a)
    rx, ry = Wh + side_w, 0.47 * L + thick
    top = np.stack([cx + np.sign(c) * np.abs(c) ** (2 / (n + 0.5)) * rx,
                    yt + 0.47 * L - np.abs(s_) ** (2 / (n + 0.5)) * ry], 1)
    top[:, 0] += h.part * 0.02 * L * np.abs(s_) ** 4          # volume leans to one side
    # tufts: the outline of real hair is never a clean curve
    ph = h.part * 7
    bump = 1 + (0.012 * np.sin(5 * a + ph) + 0.008 * np.sin(11 * a + 2 * ph)) * (0.5 + h.wave)
    top = np.stack([cx + (top[:, 0] - cx) * bump, yt + 0.47 * L + (top[:, 1] - yt - 0.47 * L) * bump], 1)
    ss = np.linspace(0.47, low_s, 6)
    hwid = half_width(p.head, look.jaw, ss) * L + side_w * np.linspace(1, 0.3, 6)
    right = np.stack([cx + hwid, yt + ss * L], 1)
    left = np.stack([cx - hwid, yt + ss * L], 1)
    cap = poly(hreg, np.concatenate([right[::-1], top, left]))

    # the hair line (identity: its height, curve and peak), receding with age
    hl = h.line + 0.10 * look.recession + (0.02 if style in ("tied", "bun") else 0)
    rel = (X - cx) / Wh
    if style == "fringe":
        wav = 0.010 * np.sin(rel * 11 + h.part * 3) + 0.006 * np.sin(rel * 29 + 1.3)
        hl_y = yt + (0.31 + 0.05 * h.length + wav) * L + 0.10 * L * np.abs(rel) ** 3
    else:
        hl_y = yt + (hl + h.line_curve * np.abs(rel) ** 1.5) * L
        hl_y = hl_y + h.peak * L * (np.exp(-(rel / 0.12) ** 2) - 0.5 * np.exp(-((np.abs(rel) - 0.35) / 0.15) ** 2))
        if style == "side-part":
            hl_y = hl_y + 0.05 * L * np.clip(h.part * rel, 0, None)
        # temples recede first
        hl_y = hl_y + (0.02 + 0.08 * look.recession) * L * np.exp(-((np.abs(rel) - 0.5) / 0.25) ** 2) \
            * (style == "receding" or look.recession > 0)
    if style != "buzz":
        # temples: the hair comes down the sides of the forehead to the ears
        temple = 0.78 if style in ("long", "bob", "fringe") else 0.86
        hl_y = hl_y + 0.5 * L * smoothstep(temple, 1.02, np.abs(rel))
    window = face * smoothstep(hl_y - 0.004 * L, hl_y + 0.012 * L, Y)
    m = cap * (1 - window)
    # shadow of the hair on the forehead
    img[hreg.box] *= (1 - 0.28 * blur(m, 0.02 * L) * window)[..., None]
    alpha = 0.6 if style == "buzz" else 1.0
    over(img, blur(m, 0.004 * L) * alpha, hair_img, hreg)
    if style in ("side-part", "long", "bob") and abs(h.part) > 0.25:
        # the parting: a thin darker line from the hair line back to the crown
        px = cx + h.part * 0.45 * Wh
        part = blur(line(hreg, [(px, yt + (hl + 0.02) * L), (px * 0.8 + cx * 0.2, yt - 0.5 * thick)],
                         max(1, 0.006 * L)), 0.004 * L) * cap
        over(img, part * 0.5, look.hair * 0.5, hreg)

    if style == "bun":
        bun = blur(ellipse(hreg, (cx + 0.03 * h.part * L, yt - 0.06 * L), (0.13 * L, 0.09 * L)), 0.004 * L)
        over(img, bun * (1 - cap), hair_img * 0.92, hreg)
    if style in ("long", "bob"):
        _curtains(img, look, f, hair_img, hreg, cx, side, flare, end, rx, ry, n)


def _curtains(img, look, f, hair_img, hreg, cx, side, flare, end, rx, ry, n):
    """Long hair falls from the temples over the ears and onto the shoulders."""
    p, L, yt, Wh = look.person, f.L, f.yt, f.Wh
    h = p.hair
    ss = np.linspace(0.40, 1.0, 25)
    hwf = half_width(p.head, look.jaw, ss) * L
    s_end = (end - yt) / L
    for sgn in (-1, 1):
        cover = 0.10 + 0.06 * (h.part * sgn > 0.3)
        inner = [(cx + sgn * hw * (1 - cover), yt + s * L) for hw, s in zip(hwf, ss) if s < s_end - 0.02]
        x_in = cx + sgn * p.head.neck * Wh * 1.1
        inner.append((x_in, min(end, yt + 1.1 * L)))
        x_out = cx + sgn * (Wh + side + flare)
        tt = np.linspace(0, 1, 12)
        bottom = [(x_in + (x_out - x_in) * t, end - 0.02 * L * math.sin(math.pi * t)
                   + 0.005 * L * math.sin(17 * t + h.part)) for t in tt]
        # the outer edge leaves the cap outline smoothly at the temple
        ne = n + 0.5
        x_top = rx * max(0.0, 1 - ((0.47 - 0.30) * L / ry) ** ne) ** (1 / ne)
        outer = [(cx + sgn * (x_top + (Wh + side - x_top) * min(1.0, 3 * k) + flare * k ** 0.7),
                  yt + (0.30 + (s_end - 0.32) * k) * L) for k in np.linspace(1, 0, 12)]
        pts = np.concatenate([inner, bottom, outer])
        over(img, blur(poly(hreg, pts), 0.004 * L), hair_img, hreg)


def draw_glasses(img, look: Look, f: Frame, eyes, ew, edx):
    g, L = look.person.glasses, f.L
    col = {"dark": (0.06, 0.05, 0.05), "metal": (0.55, 0.50, 0.40), "light": (0.45, 0.30, 0.22)}[g.style]
    thick = max(1.0, (0.010 if g.style == "dark" else 0.005 if g.style == "metal" else 0.008) * L)
    gw, gh = ew * g.width, ew * g.height
    eye_y = eyes[0][1]
    Wh = look.person.head.width * L
    reg = Region(f.H, f.W, eye_y - gh * 1.5, eye_y + gh * 1.5, f.cx - Wh - 0.03 * L, f.cx + Wh + 0.03 * L)
    t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    fx = np.sign(c) * np.abs(c) ** (2 / g.squareness)
    fy = np.sign(s) * np.abs(s) ** (2 / g.squareness)
    frames = np.zeros(reg.shape, np.uint8)
    lens = np.zeros(reg.shape, np.float32)
    for ex, _, sgn in eyes:
        gx, gy = ex + sgn * 0.02 * edx, eye_y + 0.012 * L
        ring = np.stack([gx + gw * fx, gy + gh * fy * (1 - 0.12 * (fy > 0))], 1)
        line(reg, ring, thick, out=frames, closed=True)
        lens += poly(reg, ring)
        # temple arm towards the ear
        line(reg, [(gx + sgn * gw, gy - gh * 0.55), (f.cx + sgn * (Wh + 0.01 * L), gy - gh * 0.45)],
             thick * 0.8, out=frames)
    (lx, _, _), (rx_, _, _) = eyes
    bridge = [(lx + gw * 0.96, eye_y - 0.01 * L), ((lx + rx_) / 2, eye_y - 0.025 * L),
              (rx_ - gw * 0.96, eye_y - 0.01 * L)]
    line(reg, bridge, thick * 0.8, out=frames)
    # lenses: a faint tint and a soft diagonal reflection; frames on top
    over(img, lens * 0.06, (0.5, 0.55, 0.6), reg)
    xs = np.arange(reg.ox, reg.ox + reg.shape[1], dtype=np.float32)[None, :]
    ys = np.arange(reg.oy, reg.oy + reg.shape[0], dtype=np.float32)[:, None]
    diag = np.abs(xs - ys * 0.6 - (f.cx - eye_y * 0.6)) / (0.6 * ew)
    over(img, lens * smoothstep(0.3, 0.0, diag) * 0.07, (1, 1, 1), reg)
    over(img, frames.astype(np.float32) / 255, col, reg)
