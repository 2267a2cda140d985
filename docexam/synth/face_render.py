"""Draw one photograph of a :class:`~docexam.synth.person.Person`.

Plain background, shoulders and clothing, neck, ears, face with its
shading, eyes, brows, nose, mouth, marks and lines of age, beard, hair,
glasses; then the photo's light (side and overhead light, exposure, white
balance), a little blur and sensor noise so that it reads as a photograph
rather than a cartoon, and the head's tilt. All geometry is in units of the
head height, so the same person is the same face at any output size (the
main portrait and the ghost portrait of one document show one face).

Examples
--------
>>> img = render_portrait(4, size=(260, 330))
>>> img.shape, img.dtype
((330, 260, 3), dtype('uint8'))
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from . import face_hair, face_parts
from .face_canvas import Region, blur, check_size, ellipse, line, over, poly, smoothstep, texture
from .face_parts import Frame, Look
from .person import Person, ageing_cues, make_person

__all__ = ["render_portrait", "render_person"]

# The face is drawn at most this many rows high and then upscaled: a
# photograph is smooth at this scale anyway, and it keeps a TD3 portrait
# (830x1060) well inside the time budget.
_DRAW_ROWS = 470


def render_portrait(seed: int, *, size=(830, 1060), sex: str | None = None,
                    age: int | None = None) -> np.ndarray:
    """Draw the ICAO-style head-and-shoulders photograph of an invented person.

    Parameters
    ----------
    seed : int
        The person. The same seed gives identical bytes; different seeds give
        clearly different people (face shape, eyes, nose, mouth, ears, brows,
        moles, hair line, skin tone, hair, clothes).
    size : (int, int), optional
        Output ``(width, height)`` in pixels; TD3 at 600 dpi is about
        ``(830, 1060)``, TD1 about ``(520, 660)``. The person is drawn in
        units of the image height, so one seed is one face at every size.
    sex : {'F', 'M', 'X'}, optional
        Drawn from the seed when omitted (``X`` too: either presentation).
    age : int, optional
        18-100 at the time of the photo; drawn from the seed when omitted.
        Lines the face, greys the hair, recedes a man's hair line.

    Returns
    -------
    portrait : ndarray of uint8, shape (height, width, 3)
        RGB.

    Raises
    ------
    ValueError
        Naming ``seed``, ``size``, ``sex`` or ``age`` when it is malformed.

    Examples
    --------
    >>> a = render_portrait(1, size=(200, 256))
    >>> b = render_portrait(1, size=(200, 256))
    >>> a.shape, bool((a == b).all())
    ((256, 200, 3), True)
    """
    check_size(size)
    return render_person(make_person(seed, sex=sex, age=age), size=size)


def render_person(person: Person, *, size=(830, 1060)) -> np.ndarray:
    """Draw ``person`` as its :class:`~docexam.synth.person.Photo` says (uint8 RGB, ``size`` = (w, h)).

    >>> from docexam.synth.person import make_person
    >>> render_person(make_person(2), size=(120, 150)).shape
    (150, 120, 3)
    """
    w, h = check_size(size)
    scale = min(1.0, _DRAW_ROWS / h)
    dw, dh = max(16, round(w * scale)), max(16, round(h * scale))
    img = _draw(person, dw, dh)
    ph = person.photo
    # Sensor noise is added before upscaling: the interpolation turns it
    # into grain a couple of pixels wide, as in a real (demosaiced) photo.
    nrng = np.random.default_rng([person.seed, 0x9077_0003, dw, dh])
    lum = nrng.standard_normal((dh, dw), dtype=np.float32) * (ph.noise / max(1.0, 1 / scale) ** 0.5)
    chroma = nrng.standard_normal((max(2, dh // 3), max(2, dw // 3), 3), dtype=np.float32)
    img += lum[..., None]
    img += cv2.resize(chroma, (dw, dh), interpolation=cv2.INTER_LINEAR) * (0.5 * ph.noise)
    out = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    if (dw, dh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)
    return out


def _frame(person: Person, W: int, H: int) -> Frame:
    hd, ph = person.head, person.photo
    L = (hd.chin - hd.top) * H * ph.scale
    centre_y = H * (hd.top + hd.chin) / 2
    yt = centre_y - L / 2 + (hd.top - 0.142) * H * (ph.scale - 1)
    yaw = math.radians(ph.yaw)
    return Frame(H, W, L, W * (0.5 + ph.cx), yt, hd.width * L, math.sin(yaw), math.cos(yaw))


def _background(person: Person, f: Frame) -> np.ndarray:
    ph = person.photo
    W, H, L = f.W, f.H, f.L
    ys = np.arange(H, dtype=np.float32)[:, None]
    xs = np.arange(W, dtype=np.float32)[None, :]
    gy, gx = ys / H - 0.5, xs / W - 0.5
    g = (1 + ph.bg_gy * gy - 0.06 * gy * gy) + (ph.bg_gx * gx - 0.06 * gx * gx)
    sw_, sh_ = max(4, W // 8), max(4, H // 8)
    k = sw_ / W
    small = np.zeros((sh_, sw_), np.float32)
    cv2.ellipse(small, (int((f.cx + ph.shadow_dx * W) * k), int((f.yt + 0.45 * L) * k)),
                (max(1, int((f.Wh + 0.1 * L) * k)), max(1, int(0.6 * L * k))), 0, 0, 360, 1.0, -1)
    small[int((f.yt + 1.12 * L) * k):] = 1
    small = cv2.GaussianBlur(small, (0, 0), max(1.0, 0.08 * L * k))
    g = g * (1 - ph.shadow * cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR))
    return g[..., None] * np.asarray(ph.background, np.float32)


def _neck_and_clothes(img, person: Person, look: Look, f: Frame, skin):
    L, cx, W, H = f.L, f.cx, f.W, f.H
    xs = np.arange(W, dtype=np.float32)[None, :]
    ys = np.arange(H, dtype=np.float32)[:, None]
    nw = person.head.neck * f.Wh
    yc = f.sy(1.0)
    y_nb = yc + 0.07 * L
    kreg = Region(H, W, f.sy(0.69), H, cx - nw * 1.6 - 2, cx + nw * 1.6 + 2)
    neck = poly(kreg, [(cx - nw, f.sy(0.70)), (cx + nw, f.sy(0.70)), (cx + nw * 1.06, y_nb),
                       (cx + nw * 1.5, y_nb + 0.3 * L), (cx + nw * 1.5, H + 2),
                       (cx - nw * 1.5, H + 2), (cx - nw * 1.5, y_nb + 0.3 * L), (cx - nw * 1.06, y_nb)])
    ky = ys[kreg.box[0]]
    neck_shade = (0.66 + 0.17 * smoothstep(yc - 0.02 * L, yc + 0.16 * L, ky)
                  - 0.06 * smoothstep(y_nb, y_nb + 0.2 * L, ky)) * \
        (1 - 0.12 * np.minimum(1.0, np.abs(xs[:, kreg.box[1]] - cx) / nw) ** 4)
    over(img, neck, skin * neck_shade[..., None], kreg)

    c = person.clothes
    dx = np.linspace(0, W * 0.75, 60)
    drop = c.shoulder_drop * H
    ysh = y_nb + drop * (1 - np.exp(-np.clip(dx - nw, 0, None) / (c.shoulder_k * W)))
    ysh = ysh - 0.02 * L * np.exp(-((dx - nw) / (0.3 * nw)) ** 2)
    right = np.stack([cx + dx, ysh], 1)
    body = np.concatenate([right[::-1] * [-1, 1] + [2 * cx, 0], right, [[cx + W, H + 5], [cx - W, H + 5]]])
    creg = Region(H, W, y_nb - 0.1 * L, H, 0, W)
    cloth_m = poly(creg, body)
    shade_c = (1 - 0.25 * np.abs(xs - cx) / W) - 0.12 * smoothstep(y_nb, H, ys[creg.box[0]])
    colour = np.asarray(c.colour, np.float32)
    cloth_img = colour * shade_c[..., None]
    if c.style == "crew":
        cm = cloth_m * (1 - ellipse(creg, (cx, y_nb - 0.01 * L), (nw * 1.25, 0.08 * L)))
    elif c.style in ("vneck", "shirt"):
        depth = {"vneck": 0.24, "shirt": 0.17}[c.style] * L
        cm = cloth_m * (1 - poly(creg, [(cx - nw * 1.2, y_nb - 0.06 * L), (cx + nw * 1.2, y_nb - 0.06 * L),
                                        (cx, y_nb + depth)]))
    elif c.style == "turtle":
        cm = np.maximum(cloth_m, poly(creg, [(cx - nw * 1.1, yc + 0.05 * L), (cx + nw * 1.1, yc + 0.05 * L),
                                             (cx + nw * 1.25, y_nb + 0.05 * L), (cx - nw * 1.25, y_nb + 0.05 * L)]))
    else:  # jacket: the shirt shows in its V, skin above the shirt collar
        skin_v = poly(creg, [(cx - nw * 0.95, y_nb - 0.06 * L), (cx + nw * 0.95, y_nb - 0.06 * L),
                             (cx, y_nb + 0.10 * L)])
        over(img, cloth_m * (1 - skin_v), np.asarray(c.shirt, np.float32) * 0.92, creg)
        v = poly(creg, [(cx - nw * 1.2, y_nb - 0.06 * L), (cx + nw * 1.2, y_nb - 0.06 * L), (cx, y_nb + 0.36 * L)])
        cm = cloth_m * (1 - v)
    over(img, cm, cloth_img, creg)
    if c.style == "jacket":
        lapel = line(creg, [(cx - nw * 1.2, y_nb - 0.03 * L), (cx, y_nb + 0.36 * L),
                            (cx + nw * 1.2, y_nb - 0.03 * L)], max(1, 0.006 * L))
        over(img, lapel * cloth_m, colour * 0.5, creg)
    if c.style in ("shirt", "jacket"):
        col = np.asarray(c.shirt, np.float32) if c.style == "jacket" else np.minimum(1, colour * 1.1 + 0.05)
        for sgn in (-1, 1):
            tip = (cx + sgn * nw * 0.15, y_nb + 0.13 * L)
            out_ = (cx + sgn * nw * 1.6, y_nb + 0.05 * L)
            pts = [(cx + sgn * nw * 0.95, y_nb - 0.08 * L), out_, tip]
            reg = f.region(pts, 0.02 * L + 3)
            over(img, poly(reg, pts), col * 0.97, reg)
            over(img, blur(line(reg, [out_, tip], max(1, 0.005 * L)), 0.003 * L), col * 0.65, reg)


def _draw(person: Person, W: int, H: int) -> np.ndarray:
    f = _frame(person, W, H)
    look = face_parts.resolve(person, ageing_cues(person))
    L, cx, yt, Wh = f.L, f.cx, f.yt, f.Wh
    skin = np.asarray(person.skin.rgb, np.float32)
    ph = person.photo
    img = _background(person, f)
    xs = np.arange(W, dtype=np.float32)[None, :]
    ys = np.arange(H, dtype=np.float32)[:, None]
    seed = person.seed

    # ---- hair colour field (strands run downwards, a sheen on the crown)
    style = look.style
    long_hair = style in ("long", "bob")
    side, flare, end = face_hair.hair_geometry(look, f)
    hreg = Region(H, W, 0, max(f.sy(1.0), end if long_hair else 0) + 2,
                  cx - Wh - side - flare - 0.1 * L, cx + Wh + side + flare + 0.1 * L)
    strands = texture(seed, 1, H, W, (110, 220), (1.2, 0.5))[hreg.box]
    clumps = texture(seed, 2, H, W, (14, 22), (0.0, 0.0), cubic=True)[hreg.box]
    hxx = xs[:, hreg.box[1]] - cx
    hy = ys[hreg.box[0]] - f.sy(0.34)
    r = np.sqrt((hxx / (Wh * 1.05)) ** 2 + (hy / (0.45 * L)) ** 2)
    sheen = np.exp(-((r - 0.80) / 0.13) ** 2) * (hy < 0)
    turn = np.sqrt(np.clip(1 - (hxx / (Wh + side + flare + 0.02 * L)) ** 2, 0, 1))
    hs = person.hair.sheen * (1 - 0.6 * look.grey)
    hair_img = look.hair * ((0.72 + 0.28 * turn) * (1 + 0.06 * strands + 0.06 * clumps + hs * sheen))[..., None]
    hair_img += (0.08 * hs * sheen)[..., None]
    if look.grey > 0:  # salt and pepper: grey strands among the dark ones
        pepper = np.clip(0.5 + 0.8 * strands, 0, 1)[..., None] * (1 - look.grey) * 0.6
        hair_img = hair_img * (1 - pepper) + np.asarray(person.hair.colour, np.float32) * pepper

    if long_hair:
        face_hair.draw_long_back(img, look, f, hair_img, hreg, side, flare, end)
    _neck_and_clothes(img, person, look, f, skin)
    face_parts.draw_ears(img, look, f, skin)

    # ---- face: skin with cylinder-like shading, then soft modelling
    freg = Region(H, W, yt - 1, f.sy(1.0) + 1, cx - Wh * 1.15 - 2, cx + Wh * 1.15 + 2)
    face = poly(freg, face_parts.face_outline(look, f))
    srow = (ys[freg.box[0]] - yt) / L
    hw = (face_parts.half_width(person.head, look.jaw, srow) * L).astype(np.float32) + 1e-3
    fx = xs[:, freg.box[1]] - cx
    q = np.minimum(np.abs(fx) / hw, 1.0)
    shade = (0.76 + 0.28 * np.sqrt(np.sqrt(1 - q * q))) * (1 + ph.light * fx / Wh) * \
        (1 - 0.15 * smoothstep(0.90, 1.0, srow)) * (1 + ph.overhead * (0.5 - srow))
    dark = np.zeros(freg.shape, np.float32)
    bright = np.zeros(freg.shape, np.float32)
    fy0, fx0 = freg.oy, freg.ox

    def soft(target, kind, geom, sigma, amount, **kw):
        """Add a blurred blob (ellipse or stroke) to a shading map of the face."""
        if kind == "ellipse":
            c, axes = geom
            reg = f.region([c], max(axes) + 3 * sigma + 3)
            m = ellipse(reg, c, axes, kw.get("angle", 0.0))
        else:
            pts, th = geom
            reg = f.region(pts, th + 3 * sigma + 3)
            m = line(reg, pts, th)
        m = cv2.GaussianBlur(m, (0, 0), max(0.3, sigma))
        ys_, xs_ = reg.box
        a0, a1 = max(ys_.start, fy0), min(ys_.stop, fy0 + freg.shape[0])
        b0, b1 = max(xs_.start, fx0), min(xs_.stop, fx0 + freg.shape[1])
        if a1 > a0 and b1 > b0:
            target[a0 - fy0:a1 - fy0, b0 - fx0:b1 - fx0] += amount * m[a0 - ys_.start:a1 - ys_.start,
                                                                        b0 - xs_.start:b1 - xs_.start]

    eyes, ew, edx = face_parts.eye_centres(look, f)
    eh = look.eye_open * ew
    eye_y = eyes[0][1]
    for ex, _, sgn in eyes:
        # eye sockets, cheekbone highlights
        soft(dark, "ellipse", ((ex - sgn * 0.08 * edx, eye_y - 0.15 * eh), (ew * 0.85, eh * 1.7)), 0.03 * L, 0.14)
        soft(dark, "ellipse", ((f.x(sgn * edx * 0.45, "bridge"), eye_y + 0.01 * L), (0.025 * L, 0.02 * L)),
             0.015 * L, 0.08)
        soft(bright, "ellipse", ((f.x(sgn * edx * 1.15, 0.5), f.sy(0.61)), (0.07 * L, 0.045 * L)),
             0.04 * L, 0.08 + 0.3 * max(0.0, person.head.cheek))
    face_parts.nose_shading(look, f, soft, dark, bright)
    my = f.sy(person.nose.y + person.mouth.gap)
    mw = person.mouth.width * L
    face_parts.age_lines(look, f, soft, dark, my, mw)
    soft(bright, "ellipse", ((f.x(0, 0.6), f.sy(0.3)), (0.13 * L, 0.06 * L)), 0.04 * L, 0.08)
    soft(dark, "ellipse", ((f.x(0, "mouth"), my + look.lip_lower * L + 0.02 * L), (mw * 0.6, 0.012 * L)),
         0.01 * L, 0.2)
    soft(dark, "ellipse", ((f.x(0, "mouth"), my - look.lip_upper * L - 0.014 * L), (0.012 * L, 0.014 * L)),
         0.006 * L, 0.1)
    if person.head.cleft:
        soft(dark, "line", ([(f.x(0, "chin"), f.sy(0.95)), (f.x(0, "chin"), f.sy(0.985))], 0.006 * L),
             0.006 * L, 0.25)
    blush = np.zeros(freg.shape, np.float32)
    for ex, _, sgn in eyes:
        soft(blush, "ellipse", ((f.x(sgn * edx * 1.05, 0.5), f.sy(0.64)), (0.07 * L, 0.04 * L)), 0.035 * L, 1.0)
    blot = texture(seed, 3, H, W, (48, 48), (0.0, 0.0), cubic=True)[freg.box]
    tone_map = shade * (1 - dark) * (1 + bright + (0.008 + 0.01 * look.wrinkles) * blot)
    face_img = skin * tone_map[..., None]
    face_img += (person.skin.blush * blush)[..., None] * np.array([0.6, -0.2, -0.2], np.float32)
    over(img, face, face_img, freg)

    # ---- features
    def hair_texture(reg):  # the hair texture under a region (brows, beard)
        r0, c0 = reg.oy - hreg.oy, reg.ox - hreg.ox
        t = strands[max(0, r0):r0 + reg.shape[0], max(0, c0):c0 + reg.shape[1]]
        return t if t.shape == reg.shape else np.zeros(reg.shape, np.float32)

    face_parts.draw_marks(img, look, f, skin)
    for ex, ey, sgn in eyes:
        face_parts.draw_eye(img, look, f, ex, ey, ew, sgn, skin)
        face_parts.draw_brow(img, look, f, sgn, edx, ew)
    face_parts.draw_nose(img, look, f, skin)
    face_parts.draw_mouth(img, look, f, skin)
    if person.beard.style != "none":
        bm = face_parts.beard_mask(freg, look, f, my, mw, face)
        tex = np.clip(0.88 + 0.15 * hair_texture(freg), 0, 1.1)
        alpha = person.beard.density if person.beard.style != "stubble" else 0.25
        over(img, np.clip(bm * tex * alpha, 0, 1), look.beard, freg)

    # ---- hair in front, glasses
    face_h = np.zeros(hreg.shape, np.float32)
    ys_, xs_ = freg.box
    a0, a1 = max(ys_.start, hreg.oy), min(ys_.stop, hreg.oy + hreg.shape[0])
    b0, b1 = max(xs_.start, hreg.ox), min(xs_.stop, hreg.ox + hreg.shape[1])
    face_h[a0 - hreg.oy:a1 - hreg.oy, b0 - hreg.ox:b1 - hreg.ox] = \
        face[a0 - ys_.start:a1 - ys_.start, b0 - xs_.start:b1 - xs_.start]
    face_hair.draw_hair(img, look, f, hair_img, hreg, face_h, side, flare, end)
    if person.glasses.worn:
        face_hair.draw_glasses(img, look, f, eyes, ew, edx)

    # ---- the photo: exposure and white balance, optics, the head's tilt
    if ph.exposure != 1.0 or ph.cast != (1.0, 1.0, 1.0):
        img *= np.asarray(ph.cast, np.float32) * np.float32(ph.exposure)
    img = cv2.GaussianBlur(img, (0, 0), ph.blur)
    if ph.roll:
        rot = cv2.getRotationMatrix2D((cx, f.sy(0.6)), ph.roll, 1.0)
        img = cv2.warpAffine(img, rot, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return img
