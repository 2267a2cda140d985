"""Machine-readable zones: text logic (:mod:`.text`) and the image reader (:mod:`.reader`)."""

from .text import SHAPES, ParsedMRZ, check_digit, compose, parse

__all__ = ["SHAPES", "ParsedMRZ", "check_digit", "compose", "parse"]
