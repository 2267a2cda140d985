"""Machine-readable zones: text logic (:mod:`.text`) and the image reader (:mod:`.reader`).

The reader is a pipeline of named steps, each usable on its own:
:func:`locate_mrz` (find candidate line groups) -> :func:`measure_lines`
(precise line geometry) -> :func:`read_line` (rectify and classify one line
against OCR-B glyph models) -> :func:`decode` (field alphabets and
check-digit-guided correction) -> :func:`parse` (fields and check digits);
:func:`read_mrz` runs them all.
"""

import importlib

from .text import SHAPES, ParsedMRZ, check_digit, compose, parse

# The reader's names load on first use: they need NumPy and OpenCV, while the
# text rules above are imported by rooms (file checks, lessons) that do not.
_READER = {
    "decode": "correct", "layout": "correct",
    "LineBox": "locate", "MRZCandidate": "locate", "darkest_channel": "locate", "locate_mrz": "locate",
    "MRZReading": "reader", "adapt_scores": "reader", "read_line": "reader", "read_mrz": "reader",
    "LineGeometry": "segment", "classify_strip": "segment", "line_strip": "segment", "measure_lines": "segment",
}

__all__ = ["SHAPES", "ParsedMRZ", "check_digit", "compose", "parse", *_READER]


def __getattr__(name: str):
    if name in _READER:
        return getattr(importlib.import_module(f".{_READER[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
