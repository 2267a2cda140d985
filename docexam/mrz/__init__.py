"""Machine-readable zones: text logic (:mod:`.text`) and the image reader (:mod:`.reader`).

The reader is a pipeline of named steps, each usable on its own:
:func:`locate_mrz` (find candidate line groups) -> :func:`measure_lines`
(precise line geometry) -> :func:`read_line` (rectify and classify one line
against OCR-B glyph models) -> :func:`decode` (field alphabets and
check-digit-guided correction) -> :func:`parse` (fields and check digits);
:func:`read_mrz` runs them all.
"""

from .correct import decode, layout
from .locate import LineBox, MRZCandidate, darkest_channel, locate_mrz
from .reader import MRZReading, adapt_scores, read_line, read_mrz
from .segment import LineGeometry, classify_strip, line_strip, measure_lines
from .text import SHAPES, ParsedMRZ, check_digit, compose, parse

__all__ = [
    "SHAPES", "ParsedMRZ", "check_digit", "compose", "parse",
    "LineBox", "MRZCandidate", "darkest_channel", "locate_mrz",
    "LineGeometry", "measure_lines", "line_strip", "classify_strip",
    "decode", "layout", "MRZReading", "adapt_scores", "read_line", "read_mrz",
]
