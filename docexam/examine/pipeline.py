"""The examination pipeline: named steps over a dict of named data, run as soon as their inputs exist.

:func:`examine` is the one call most users need. :class:`Pipeline` runs the
steps of :mod:`docexam.examine.steps`, times each one, and turns an
:class:`~docexam.examine.steps.Inconclusive` raised by any step into an
``inconclusive`` report with its reason. Input errors (unreadable files, an
unknown template) are :class:`~docexam.errors.DocexamError` and propagate to
the caller, who reports them in one place (the CLI prints one line).

Steps that need nothing from each other run at the same time (reading the
MRZ while the page is compared; the three analyzers): most of their work is
in OpenCV and numpy, which release the interpreter lock. On a two-core
laptop that fills the gaps the steps' own threads leave (feature detection,
the comparison's two bands): measured, 214 ms instead of 227 ms per document.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, wait

import numpy as np

from ..blas import single_thread_blas
from ..memory import keep_freed_memory
from ..specimens.model import Template
from ..specimens.registry import find_template
from .pools import pool
from .report import Report
from .steps import STEPS, Inconclusive

__all__ = ["Pipeline", "examine", "DEFAULT_STEPS"]

#: in order; among steps ready at once the earlier starts first (the longest analyzer first)
DEFAULT_STEPS = ("load", "prepare", "register", "mrz", "warp", "compare", "context", "personalization", "design",
                 "substrate", "printing", "print-process", "tilt-views", "devices", "engraving", "booklet", "decide")

class Pipeline:
    """Run named steps over a shared dict of data, each as soon as its inputs exist.

    Parameters
    ----------
    steps : sequence of str, keyword-only
        Step names from :data:`docexam.examine.steps.STEPS`. Every input a
        step takes must be given to :meth:`run` or provided by an earlier step.
    workers : int, keyword-only
        Most steps running at once; 1 runs them one after the other in order.

    Examples
    --------
    >>> Pipeline(steps=("prepare", "nope"))
    Traceback (most recent call last):
    ...
    ValueError: steps: unknown step(s) ['nope']; known: [...]
    """

    def __init__(self, *, steps=DEFAULT_STEPS, workers: int = 2):
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise ValueError(f"steps: unknown step(s) {unknown}; known: {sorted(STEPS)}")
        if not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers: expected an integer >= 1, got {workers!r}")
        self.steps = tuple(STEPS[s] for s in steps)
        self.workers = workers

    def _check_chain(self, given) -> None:
        have = set(given)
        for st in self.steps:
            missing = [k for k in st.takes if k not in have]
            if missing:
                raise ValueError(f"step {st.name!r} needs {missing}, which no earlier step provides")
            have.update(st.provides)

    def run(self, **data) -> tuple[dict, dict]:
        """Run every step; returns (data, timings_ms). Raises Inconclusive (with ``data`` attached).

        ``timings_ms`` holds each step's own wall time; steps that ran at the
        same time overlap, so their sum exceeds the elapsed time.
        """
        self._check_chain(data)
        keep_freed_memory()  # whole-page images reuse the last document's pages (once per process)
        timings: dict[str, float] = {}

        def timed(st, kwargs):
            t0 = time.perf_counter()
            try:
                # the pipeline spreads the work over the cores itself (see the module docstring)
                with single_thread_blas():
                    return st(**kwargs)
            finally:
                timings[st.name] = (time.perf_counter() - t0) * 1e3

        if self.workers == 1:
            for st in self.steps:
                try:
                    data.update(timed(st, {k: data[k] for k in st.takes}))
                except Inconclusive as exc:
                    exc.data, exc.timings = data, timings
                    raise
            return data, timings

        pending, running = list(self.steps), {}
        failure: BaseException | None = None
        while pending or running:
            if failure is None:
                for st in [s for s in pending if all(k in data for k in s.takes)]:
                    if len(running) >= self.workers:
                        break
                    pending.remove(st)
                    running[pool("step", max(2, os.cpu_count() or 1)).submit(timed, st, {k: data[k] for k in st.takes})] = st
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                running.pop(fut)
                try:
                    data.update(fut.result())
                except BaseException as exc:  # noqa: BLE001 - re-raised below, after the other steps end
                    failure = failure or exc
        if failure is not None:
            if isinstance(failure, Inconclusive):
                failure.data, failure.timings = data, timings
            raise failure
        return data, timings


def _resolve_template(template) -> Template:
    if isinstance(template, Template):
        return template
    if isinstance(template, str):
        return find_template(template)
    raise ValueError(f"template: expected a template id or a Template, got {type(template).__name__}")


def examine(images, template, *, uv=None, ir=None, transmitted=None, tilt=None, name: str | None = None) -> Report:
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
    transmitted : same type as ``images``, keyword-only, optional
        The same document held against a lamp (a scanner's transparency
        unit, or a photo with a lamp behind the page), same framing as
        ``images``: it judges the watermark and the security thread (see
        :mod:`docexam.examine.analyzers.devices`). Without it they are
        listed as unexamined (``needs: transmitted``).
    tilt : sequence of the same types as ``images``, keyword-only, optional
        Pictures of the document turned in the light, at least three per
        optically variable device (a kinegram, a colour-shifting ink): a
        close-up of the device with some of the print around it, or the
        whole page. Each is aligned on its own (its pose differs from the
        straight-on picture's) with the device it shows
        (:mod:`docexam.examine.tilt`); pictures of a device not on
        ``images`` (a card's other side) are left out with a note. Without
        them the devices are listed as unexamined (``needs: tilt``).
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
    >>> examine(np.zeros((600, 800, 3), np.uint8), "uto-td3", tilt=np.zeros((9, 9, 3), np.uint8))
    Traceback (most recent call last):
    ...
    ValueError: tilt: expected a sequence of pictures (one per tilt), got ndarray
    """
    if tilt is not None and (isinstance(tilt, (str, bytes, bytearray, os.PathLike, np.ndarray))
                             or not hasattr(tilt, "__iter__")):
        raise ValueError(f"tilt: expected a sequence of pictures (one per tilt), got {type(tilt).__name__}")
    t0 = time.perf_counter()
    tpl = _resolve_template(template)
    label = name or (str(images) if isinstance(images, (str, os.PathLike)) else "<array>")
    pipeline = Pipeline()
    try:
        data, timings = pipeline.run(sources={"visible": images, "uv": uv, "ir": ir, "transmitted": transmitted},
                                      tilt=list(tilt or ()), template=tpl)
    except Inconclusive as exc:
        data, timings = exc.data, exc.timings
        timings["total"] = (time.perf_counter() - t0) * 1e3
        reg = getattr(exc, "registration", None) or data.get("registration")
        return Report(label, tpl.id, "inconclusive", 0.0, [],
                      _registration_dict(reg), timings, reason=exc.args[0] if exc.args else "")
    model, views = data["model"], data["views"]
    timings["total"] = (time.perf_counter() - t0) * 1e3
    findings = data["findings"]
    verdict = "suspect" if findings else "inconclusive" if data["undecided"] else "consistent"
    aligned = {light: views.raw[light] if light in views.raw else (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
               for light, img in views.work.items()}
    sx = model.template.width / model.size[0]
    sy = model.template.height / model.size[1]
    return Report(label, tpl.id, verdict, float(data["score"]), findings, _registration_dict(data["registration"]),
                  timings, reason=data["undecided"], notes=data["notes"], evidence=data["evidence"],
                  heatmap=data["heatmap"], aligned=aligned, heatmap_scale=(sx, sy), unexamined=data["unexamined"])


def _registration_dict(reg) -> dict:
    if reg is None:
        return {"ok": False, "reprojection_error_px": None}
    err = float(reg.reprojection_error_px)
    out = {"ok": bool(reg.ok), "reprojection_error_px": round(err, 3) if np.isfinite(err) else None}
    if getattr(reg, "side", None):
        out["side"] = reg.side
    if getattr(reg, "pages", ()):  # booklet pages posed on their own, apart from the spread's one pose
        out["pages"] = [name for name, _, _ in reg.pages]
    return out
