"""A document-like test picture for examples, tests and benchmarks of capture and registration."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["demo_document"]

# --------------------------------------------------------------------------
# a document-like picture for examples and tests


def demo_document(size: tuple[int, int] = (2953, 2079), *, seed: int = 0, personalized: bool = False,
                  design: int = 0) -> np.ndarray:
    """A document-like test picture: wave bands, a rosette, an emblem, labels.

    Not a template (the real ones live in ``specimens/templates``); it exists
    so capture and registration can be exercised and documented without
    them. With ``personalized=True`` it carries a drawn "portrait", field
    values and two MRZ-like lines, which a blank reference lacks.

    Parameters
    ----------
    size : tuple of int, optional
        ``(width, height)``; the default is a 600 dpi TD3 data page.
    seed : int, optional
        Chooses the paper grain and the personal data.
    personalized : bool, optional
        Add a holder's portrait, data and MRZ.
    design : int, optional
        0 for the usual layout; another number gives a different "document
        type" (other line work, rosette and labels), which must not register
        to design 0.

    Returns
    -------
    ndarray
        uint8 RGB image of shape (height, width, 3).

    Examples
    --------
    >>> demo_document(size=(300, 211)).shape
    (211, 300, 3)
    """
    try:
        W, H = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height), got {size!r}") from None
    if W < 64 or H < 64:
        raise ValueError(f"size must be at least 64x64, got {size!r}")
    rng = np.random.default_rng([int(seed), 77])
    # the design's own numbers: the same for every seed of one design
    drng = np.random.default_rng([int(design), 78])
    f1, f2, ph = (0.11, 0.037, 0.35) if design == 0 else (drng.uniform(0.05, 0.2), drng.uniform(0.02, 0.06),
                                                           drng.uniform(0.1, 1.0))
    ros = (0.72, 0.55, 7, 3) if design == 0 else (drng.uniform(0.3, 0.7), drng.uniform(0.35, 0.65),
                                                   int(drng.integers(4, 12)), int(drng.integers(2, 6)))
    s = W / 2953.0
    lw = max(1, int(round(2 * s)))
    grain = rng.integers(-6, 7, size=(H // 4 + 1, W // 4 + 1)).astype(np.float32)
    grain = cv2.resize(grain, (W, H), interpolation=cv2.INTER_LINEAR)
    img = np.clip(np.array([236, 232, 218], np.float32) + grain[:, :, None], 0, 255).astype(np.uint8)
    # wave bands of fine lines with a slowly changing colour (split-duct-like)
    x = np.arange(0, W, max(1, int(2 * s)), dtype=np.float64)
    for k in range(60):
        y0 = H * 0.08 + k * H * 0.013
        amp = H * 0.02 * (1 + 0.5 * np.sin(k * 0.7))
        y = y0 + amp * np.sin(2 * np.pi * x / (W * f1) + k * ph) \
            + 0.3 * amp * np.sin(2 * np.pi * x / (W * f2) + k)
        col = (int(120 + 100 * np.sin(k * 0.2)), int(110 + 80 * np.cos(k * 0.15)), 180)
        cv2.polylines(img, [np.stack([x, y], 1).round().astype(np.int32)], False, col, lw, cv2.LINE_AA)
    # a rosette
    cx, cy, rad = int(W * ros[0]), int(H * ros[1]), H * 0.28
    t = np.linspace(0, 2 * np.pi, 4000)
    for k in range(24):
        rr = rad * (0.55 + 0.4 * np.cos(ros[2] * t + k * 2 * np.pi / 24) * np.sin(ros[3] * t))
        pts = np.stack([cx + rr * np.cos(t + k * 0.05), cy + rr * np.sin(t + k * 0.05)], 1)
        cv2.polylines(img, [pts.round().astype(np.int32)], True, (90, 150, 120 + 5 * k), lw, cv2.LINE_AA)
    # frame, emblem, title, field labels, microprint
    m = int(20 * s)
    cv2.rectangle(img, (m, m), (W - m, H - m), (60, 70, 120), max(1, int(6 * s)))
    ex, ey = (int(W * 0.9), int(H * 0.15)) if design == 0 else (int(W * 0.1), int(H * 0.85))
    cv2.circle(img, (ex, ey), int(120 * s), (40, 60, 140), max(1, int(8 * s)), cv2.LINE_AA)
    ang = np.linspace(0, 2 * np.pi, 10, endpoint=False) - np.pi / 2
    rad_s = 100 * s * np.where(np.arange(10) % 2 == 0, 1.0, 0.45)
    star = np.stack([ex + rad_s * np.cos(ang), ey + rad_s * np.sin(ang)], 1).round().astype(np.int32)
    cv2.fillPoly(img, [star], (40, 60, 140), cv2.LINE_AA)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(img, "UTOPIA  PASSPORT  PASSEPORT" if design == 0 else "REPUBLIC OF NOWHERE  IDENTITY", (int(W * 0.3), int(H * 0.06)), font, 2.2 * s,
                (30, 40, 90), max(1, int(4 * s)), cv2.LINE_AA)
    labels = ["Type/Type", "Code/Code", "Surname/Nom", "Given names/Prenoms", "Nationality",
              "Date of birth", "Sex", "Place of birth", "Date of issue", "Authority", "Date of expiry"]
    lx = 0.33
    if design != 0:
        labels = [lab.upper()[::-1] for lab in labels]
        lx = 0.5
    for i, lab in enumerate(labels):
        cv2.putText(img, lab, (int(W * lx), int(H * (0.18 + 0.05 * i))), font, 0.9 * s, (60, 60, 60),
                    max(1, int(2 * s)), cv2.LINE_AA)
    for j in range(3):
        cv2.putText(img, "UTOPIA" * 24, (int(W * 0.05), int(H * (0.75 + 0.01 * j))), font, 0.35 * s,
                    (80, 50, 50), 1, cv2.LINE_AA)
    px0, py0, px1, py1 = int(W * 0.04), int(H * 0.18), int(W * 0.29), int(H * 0.72)
    cv2.rectangle(img, (px0, py0), (px1, py1), (200, 200, 200), 1)
    if personalized:
        cv2.rectangle(img, (px0, py0), (px1, py1), (170, 180, 190), -1)
        fc = ((px0 + px1) // 2, (py0 + py1) // 2)
        cv2.ellipse(img, fc, (int((px1 - px0) * 0.3), int((py1 - py0) * 0.35)), 0, 0, 360, (150, 170, 210), -1,
                    cv2.LINE_AA)
        cv2.ellipse(img, (fc[0], py1), (int((px1 - px0) * 0.45), int((py1 - py0) * 0.2)), 0, 180, 360,
                    (50, 60, 90), -1, cv2.LINE_AA)
        letters = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for i in range(len(labels)):
            word = "".join(rng.choice(letters, size=int(rng.integers(4, 14))))
            cv2.putText(img, word, (int(W * lx), int(H * (0.205 + 0.05 * i))), font, 1.3 * s, (20, 20, 20),
                        max(1, int(3 * s)), cv2.LINE_AA)
        for j in range(2):
            line = "".join(rng.choice(letters + list("0123456789<"), size=44))
            cv2.putText(img, line, (int(W * 0.04), int(H * (0.86 + 0.07 * j))), cv2.FONT_HERSHEY_PLAIN,
                        4.6 * s, (10, 10, 10), max(1, int(5 * s)), cv2.LINE_AA)
    return img

