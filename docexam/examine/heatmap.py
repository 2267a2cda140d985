"""Heatmaps: where the document departs from its reference, for the UI.

:func:`anomaly_map` (used by the pipeline) combines the local conformity
maps with the findings into one float map in template geometry (at working
resolution), 0 = as genuine, 1 = certainly altered. :func:`render_heatmap`
draws it over the aligned document with the findings' boxes numbered, so a
trainee sees at a glance where to look.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["anomaly_map", "render_heatmap"]


def anomaly_map(maps, model, findings) -> np.ndarray:
    """Float32 (H, W) in [0, 1], working geometry of ``model``."""
    loss = np.subtract(1.0, maps.gain, dtype=np.float32)
    np.clip(loss, 0.0, 1.0, out=loss)
    loss *= maps.structure
    # personalization zones carry the holder's print: local structure there is
    # noisy by nature, so it counts only through findings
    loss *= model.cached("heat-weight", lambda: np.where(model.personal, 0.25, 1.0).astype(np.float32))
    # a wide blur of a smooth map: at half resolution it costs a quarter and looks the same
    hh, ww = loss.shape
    half = cv2.resize(loss[:hh // 2 * 2, :ww // 2 * 2], (ww // 2, hh // 2), interpolation=cv2.INTER_AREA)
    heat = cv2.resize(cv2.GaussianBlur(half, (0, 0), 2.0), (ww, hh), interpolation=cv2.INTER_LINEAR)
    heat *= 0.6
    h, w = heat.shape
    for f in findings:
        x0, y0, x1, y1 = model.to_work(f.bbox)
        # the blurred box, computed in a window around it (sigma 3: 12 px of margin is plenty)
        a, b = max(y0 - 12, 0), max(x0 - 12, 0)
        c, d = min(y1 + 12, h), min(x1 + 12, w)
        box = np.zeros((c - a, d - b), np.float32)
        box[y0 - a:y1 - a, x0 - b:x1 - b] = float(f.score)
        np.maximum(heat[a:c, b:d], cv2.GaussianBlur(box, (0, 0), 3.0, borderType=cv2.BORDER_CONSTANT),
                   out=heat[a:c, b:d])
    return np.clip(heat, 0.0, 1.0)


def render_heatmap(report, *, alpha: float = 0.55, boxes: bool = True) -> np.ndarray:
    """The heatmap over the aligned document, as uint8 RGB, with numbered finding boxes.

    Parameters
    ----------
    report : Report
        From :func:`docexam.examine.examine`.
    alpha : float, keyword-only
        Opacity of the heat colours where the map is 1 (0..1).
    boxes : bool, keyword-only
        Draw and number each finding's box (numbers follow ``report.findings``).

    Returns
    -------
    ndarray (H, W, 3) uint8
        In the report's heatmap geometry (the template at working resolution).
        For an inconclusive report without aligned image, a grey image with the reason.

    Examples
    --------
    >>> import numpy as np
    >>> from docexam.examine.report import Report
    >>> r = Report("x.png", "uto-td3", "inconclusive", 0.0, reason="too small")
    >>> render_heatmap(r).dtype
    dtype('uint8')
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha: must be from 0 to 1")
    base = report.aligned.get("visible") if report.aligned else None
    if base is None or report.heatmap is None:
        img = np.full((240, 640, 3), 200, np.uint8)
        cv2.putText(img, (report.reason or report.verdict)[:60], (10, 120), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                    (40, 40, 40), 1, cv2.LINE_AA)
        return img
    heat = np.clip(report.heatmap, 0, 1).astype(np.float32)
    # grey document so the colours read clearly
    grey = cv2.cvtColor(cv2.cvtColor(base, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB).astype(np.float32)
    colours = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)[:, :, ::-1].astype(np.float32)
    a = (alpha * np.clip(heat * 1.5, 0, 1))[..., None]
    out = (grey * (1 - a) + colours * a).astype(np.uint8)
    if boxes:
        sx, sy = report.heatmap_scale
        for i, f in enumerate(report.findings, 1):
            x0, y0, x1, y1 = f.bbox
            p0 = (int(x0 / sx), int(y0 / sy))
            p1 = (max(int(x1 / sx) - 1, p0[0] + 1), max(int(y1 / sy) - 1, p0[1] + 1))
            cv2.rectangle(out, p0, p1, (255, 0, 0), 2)
            cv2.putText(out, str(i), (p0[0] + 4, p0[1] + 22), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 0, 0), 2,
                        cv2.LINE_AA)
    return out
