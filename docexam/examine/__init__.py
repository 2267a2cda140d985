"""Examine a document image against its template: the core of docexam.

The one obvious call::

    import docexam.examine
    report = docexam.examine("scan.jpg", "uto-td3", uv="scan.uv.jpg")
    report.verdict, report.score, report.as_dict()

(``docexam.examine`` is this package, made callable; ``from docexam.examine
import examine`` is the same function.) See :mod:`docexam.examine.pipeline`
for the steps, :mod:`docexam.examine.register` for the alignment and
:mod:`docexam.examine.analyzers` for the checks.
"""

from __future__ import annotations

import sys
import types

from .heatmap import render_heatmap
from .pipeline import Pipeline, examine
from .report import Finding, Note, Report

__all__ = ["examine", "render_heatmap", "Report", "Finding", "Note", "Pipeline"]


class _CallableModule(types.ModuleType):
    """Lets ``docexam.examine(...)`` call :func:`examine` while staying a package."""

    def __call__(self, *args, **kwargs):
        return examine(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
