"""The examination pipeline: named steps run in order over a dict of named data.

:func:`examine` is the one call most users need. :class:`Pipeline` runs the
steps of :mod:`docexam.examine.steps`, times each one, and turns an
:class:`~docexam.examine.steps.Inconclusive` raised by any step into an
``inconclusive`` report with its reason. Input errors (unreadable files, an
unknown template) are :class:`~docexam.errors.DocexamError` and propagate to
the caller, who reports them in one place (the CLI prints one line).
"""

from __future__ import annotations

import os
import time

import numpy as np

from ..specimens.model import Template
from .report import Report
from .steps import STEPS, Inconclusive

__all__ = ["Pipeline", "examine", "DEFAULT_STEPS"]

DEFAULT_STEPS = ("load", "prepare", "register", "warp", "compare", "substrate", "printing",
                 "personalization", "decide")


class Pipeline:
    """Run named steps in order over a shared dict of data.

    Parameters
    ----------
    steps : sequence of str, keyword-only
        Step names from :data:`docexam.examine.steps.STEPS`, in order. Every
        input a step takes must be given or provided by an earlier step
        (``context`` is optional).

    Examples
    --------
    >>> Pipeline(steps=("prepare",)).run(template=None) # doctest: +SKIP
    """

    OPTIONAL = ("context",)

    def __init__(self, *, steps=DEFAULT_STEPS):
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise ValueError(f"steps: unknown step(s) {unknown}; known: {sorted(STEPS)}")
        self.steps = tuple(STEPS[s] for s in steps)

    def run(self, **data) -> tuple[dict, dict]:
        """Run every step; returns (data, timings_ms). Raises Inconclusive (with ``data`` attached)."""
        timings: dict[str, float] = {}
        for st in self.steps:
            missing = [k for k in st.takes if k not in data and k not in self.OPTIONAL]
            if missing:
                raise ValueError(f"step {st.name!r} needs {missing}, which no earlier step provides")
            kwargs = {k: data.get(k) for k in st.takes}
            t0 = time.perf_counter()
            try:
                out = st(**kwargs)
            except Inconclusive as exc:
                timings[st.name] = (time.perf_counter() - t0) * 1e3
                exc.data, exc.timings = data, timings
                raise
            timings[st.name] = (time.perf_counter() - t0) * 1e3
            data.update(out)
        return data, timings


def _resolve_template(template) -> Template:
    if isinstance(template, Template):
        return template
    if isinstance(template, str):
        from ..specimens.registry import find_template

        return find_template(template)
    raise ValueError(f"template: expected a template id or a Template, got {type(template).__name__}")


def examine(images, template, *, uv=None, ir=None, name: str | None = None) -> Report:
    """Examine a document image against its template.

    Parameters
    ----------
    images : str, PathLike, bytes or ndarray
        The visible-light capture (a flat scan, a scan or a phone photo): a
        file path, the file's bytes, or a uint8 RGB/gray array (not modified).
    template : str or Template
        A template id (shipped or the user's) or a loaded template.
    uv, ir : same types as ``images``, keyword-only, optional
        The same document under UV and infrared light, same framing.
    name : str, keyword-only, optional
        How to call the image in the report (default: the path, or ``<array>``).

    Returns
    -------
    Report
        ``verdict`` (``consistent``, ``suspect`` or ``inconclusive``), ranking
        ``score``, findings in template coordinates, timings, heatmap.

    Raises
    ------
    DocexamError
        An image cannot be read, or the template is unknown (one-line message).
    ValueError
        A malformed argument, naming the parameter.

    Examples
    --------
    >>> import numpy as np
    >>> r = examine(np.full((600, 800, 3), 128, np.uint8), "uto-td3")
    >>> r.verdict, r.reason[:40]
    ('inconclusive', 'the image could not be aligned with the ')
    """
    t0 = time.perf_counter()
    tpl = _resolve_template(template)
    label = name or (str(images) if isinstance(images, (str, os.PathLike)) else "<array>")
    pipeline = Pipeline()
    try:
        data, timings = pipeline.run(sources={"visible": images, "uv": uv, "ir": ir}, template=tpl)
    except Inconclusive as exc:
        data, timings = exc.data, exc.timings
        timings["total"] = (time.perf_counter() - t0) * 1e3
        reg = getattr(exc, "registration", None) or data.get("registration")
        return Report(label, tpl.id, "inconclusive", 0.0, [],
                      _registration_dict(reg), timings, reason=str(exc))
    model, views = data["model"], data["views"]
    timings["total"] = (time.perf_counter() - t0) * 1e3
    findings = data["findings"]
    verdict = "suspect" if findings else "consistent"
    aligned = {light: views.raw[light] if light in views.raw else (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
               for light, img in views.work.items()}
    sx = model.template.width / model.size[0]
    sy = model.template.height / model.size[1]
    return Report(label, tpl.id, verdict, float(data["score"]), findings, _registration_dict(data["registration"]),
                  timings, notes=data["notes"], evidence=data["evidence"], heatmap=data["heatmap"],
                  aligned=aligned, heatmap_scale=(sx, sy))


def _registration_dict(reg) -> dict:
    if reg is None:
        return {"ok": False, "reprojection_error_px": None}
    err = float(reg.reprojection_error_px)
    return {"ok": bool(reg.ok), "reprojection_error_px": round(err, 3) if np.isfinite(err) else None}
