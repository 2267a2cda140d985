"""Synthetic specimens: fictional-state documents, genuine and forged, in visible, UV and IR light.

Rooms: :mod:`.designs` (layouts), :mod:`.security` and :mod:`.substrate`
(drawing primitives), :mod:`.reference` (blank templates), :mod:`.people` and
:mod:`.portrait` (holders), :mod:`.personalize`, :mod:`.forge` (techniques),
:mod:`.capture` (scan and phone simulation), :mod:`.render` (one specimen),
:mod:`.library` and :mod:`.gallery` (sets).
"""

from .render import RenderedSpecimen, render_specimen, write_specimen

__all__ = ["RenderedSpecimen", "render_specimen", "write_specimen"]
