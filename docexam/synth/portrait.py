"""Procedural ICAO-style portraits of people who do not exist.

Specimens must never show a real person, so every portrait is drawn from
scratch. The pieces:

* :mod:`~docexam.synth.person` -- the :class:`Person` (identity,
  presentation, photo conditions), drawn feature group by feature group
  from named random sub-streams; look-alikes; what age and sex the drawn
  face shows;
* :mod:`~docexam.synth.face_render` (with :mod:`~docexam.synth.face_parts`,
  :mod:`~docexam.synth.face_hair`, :mod:`~docexam.synth.face_canvas`) --
  drawing a person as a photograph;
* :mod:`~docexam.synth.ghost` -- the printed ghost portrait and the
  same-document portrait descriptor used to spot a mismatched ghost;
* :mod:`~docexam.synth.traveller` -- the photo of the person at the
  counter (the holder, or an impostor who looks like them);
* :mod:`~docexam.synth.face_identity` -- a face descriptor on pixels that
  tells two photographs of one person from photographs of two people.

This module is the public face of them.

Examples
--------
>>> img = render_portrait(4, size=(260, 330), sex="F", age=53)
>>> img.shape, img.dtype
((330, 260, 3), dtype('uint8'))
>>> ghost = ghost_image(img, size=(150, 190))
>>> other = render_portrait(5, size=(260, 330))
>>> a = portrait_signature(img)
>>> same_person_score(a, portrait_signature(ghost, coverage=True)) > same_person_score(
...     a, portrait_signature(other))
True
"""

from __future__ import annotations

from .face_render import render_person, render_portrait
from .ghost import ghost_image, portrait_signature, same_person_score
from .person import HAIR_STYLES, Person, apparent_age, apparent_sex, make_person
from .traveller import lookalike, traveller_photo

__all__ = ["render_portrait", "render_person", "ghost_image", "portrait_signature", "same_person_score",
           "HAIR_STYLES", "Person", "make_person", "lookalike", "traveller_photo", "apparent_age",
           "apparent_sex"]
