"""The traveller at the counter: a photo of whoever presents the document.

An impostor presents a genuine document that belongs to someone who looks
like them. The officer compares the document's portrait with the person in
front of them, who is photographed at the counter: another camera, another
light, another day (the document photo may be years old), perhaps glasses,
another hair cut or a beard. :func:`traveller_photo` makes that photo, of
the holder (``impostor_similarity=None``) or of a look-alike whose identity
is ``impostor_similarity`` of the way from a stranger's to the holder's
(:func:`lookalike`).

Everything is a pure function of its arguments.

Examples
--------
>>> from docexam.synth.person import make_person
>>> holder = make_person(5, sex="F", age=34)
>>> t = traveller_photo(holder, seed=9, years_later=4, size=(120, 150))
>>> t.image.shape, t.same_person, t.person.age
((150, 120, 3), True, 38)
>>> traveller_photo(holder, seed=9, years_later=4, impostor_similarity=0.7, size=(120, 150)).same_person
False
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from .face_render import render_person
from .person import HAIR_COLOURS, HAIR_STYLES, IDENTITY_GROUPS, Person, Photo, _Draw, make_person, substream

__all__ = ["Traveller", "traveller_photo", "counter_photo", "lookalike", "identity_differences", "COUNTER_SIZE",
           "CHANGES", "FEATURES"]

#: (width, height) of the counter camera's crop around the traveller's head
COUNTER_SIZE = (480, 600)

# walls and screens behind a counter: not the plain backdrop of a document photo
_WALLS = [(0.80, 0.78, 0.70), (0.62, 0.66, 0.70), (0.86, 0.84, 0.80), (0.55, 0.60, 0.52),
          (0.72, 0.68, 0.62), (0.90, 0.90, 0.92), (0.48, 0.52, 0.60)]
# white balance of cheap cameras under fluorescent, LED or daylight-from-a-window light
_CASTS = [(1.0, 1.0, 1.0), (0.96, 1.02, 0.94), (1.05, 1.0, 0.90), (0.95, 0.98, 1.06), (1.03, 1.01, 0.95)]


#: what may differ between two photos of one person (codes of :data:`CHANGES` in the lessons' words)
CHANGES = ("age", "glasses", "hair", "beard", "light")
#: what tells two people apart, each a group of the person's identity
FEATURES = {
    "face-shape": ("head", ("width", "jaw", "taper", "chin_width", "cheek")),
    "eyes": ("eyes", ("width", "spacing", "opening", "tilt", "y")),
    "brows": ("brows", ("thickness", "arch", "arch_at", "slant", "gap", "length")),
    "nose": ("nose", ("width", "y", "bridge", "tip", "nostrils")),
    "mouth": ("mouth", ("width", "upper", "lower", "gap", "corners")),
    "ears": ("ears", ("size", "protrusion", "height", "lobe_free")),
    "hairline": ("hair", ("line", "line_curve", "peak")),
    "skin": ("skin", ("tone",)),
}


@dataclass(frozen=True)
class Traveller:
    """A photo at the counter and what it shows."""

    image: np.ndarray          #: uint8 RGB
    person: Person             #: who is in it
    same_person: bool          #: the document's holder (True) or an impostor
    similarity: float | None   #: an impostor's likeness to the holder (0..1), None for the holder
    changes: tuple[str, ...]   #: what differs from the document photo but not who it is (:data:`CHANGES`)
    differences: tuple[str, ...]  #: features that tell an impostor apart, most telling first (:data:`FEATURES`)
    years_later: int

    def record(self, image_name: str) -> dict:
        """The specimen sidecar's ``traveller`` entry for this photo, saved as ``image_name``."""
        return {"image": image_name, "same_person": self.same_person, "similarity": self.similarity,
                "changes": list(self.changes), "differences": list(self.differences),
                "years_since_photo": self.years_later}


_SPREAD = None


def _spread() -> dict:
    """How much each identity value varies between people (standard deviation over 64 of them)."""
    global _SPREAD
    if _SPREAD is None:
        people = [make_person(seed) for seed in range(7_700_000, 7_700_064)]
        _SPREAD = {(g, f): float(np.std([float(getattr(getattr(p, g), f)) for p in people])) + 1e-9
                   for g, names in FEATURES.values() for f in names}
    return _SPREAD


def identity_differences(a: Person, b: Person, *, threshold: float = 0.6) -> tuple[str, ...]:
    """The features (:data:`FEATURES` codes, and ``moles``) in which ``b`` is not ``a``, most different first.

    A feature differs when its values lie, on average, more than ``threshold``
    of their spread between people apart; moles differ when one face has a
    mole the other lacks.

    >>> p = make_person(3)
    >>> identity_differences(p, p)
    ()
    """
    spread = _spread()
    scores = {}
    for code, (group, names) in FEATURES.items():
        ga, gb = getattr(a, group), getattr(b, group)
        d = np.mean([abs(float(getattr(ga, f)) - float(getattr(gb, f))) / spread[(group, f)] for f in names])
        if d > threshold:
            scores[code] = float(d)
    key = lambda m: (round(m.x, 2), round(m.y, 2))  # noqa: E731
    if {key(m) for m in a.moles} != {key(m) for m in b.moles}:
        scores["moles"] = 1.5 * max(len(a.moles), len(b.moles))
    return tuple(sorted(scores, key=lambda c: -scores[c]))


def counter_photo(seed: int) -> Photo:
    """Photo conditions at a counter: a wall behind, light from one side and above, a tilted head.

    >>> p = counter_photo(3)
    >>> abs(p.roll) <= 7 and abs(p.yaw) <= 12
    True
    """
    g = _Draw(seed, "counter-photo")
    wall = _WALLS[g.choice(range(len(_WALLS)))]
    return Photo(wall, g.u(-0.25, 0.15), g.u(-0.3, 0.3), g.u(0.05, 0.25), g.u(-0.08, 0.08),
                 g.u(-0.3, 0.3), g.u(0.05, 0.25), g.u(0.85, 1.12), _CASTS[g.choice(range(len(_CASTS)))],
                 g.u(0.014, 0.03), g.u(0.8, 1.4), g.u(-0.1, 0.1), g.u(-0.05, 0.05), g.u(0.9, 1.08),
                 g.u(-7, 7), g.u(-12, 12))


# --------------------------------------------------------------------------
# look-alikes

def _mix(a, b, s: float, rng: np.random.Generator):
    """Group ``a`` moved ``s`` of the way towards ``b``: numbers in proportion, other values
    taken from ``b`` with odds ``s``."""
    out = {}
    for f in fields(a):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        take_b = rng.random() < s
        if isinstance(va, (bool, str)):
            out[f.name] = vb if take_b else va
        elif isinstance(va, tuple):
            out[f.name] = tuple(float(x + s * (y - x)) for x, y in zip(va, vb))
        else:
            out[f.name] = float(va + s * (vb - va))
    return type(a)(**out)


def lookalike(person: Person, other: Person, similarity: float) -> Person:
    """``other`` made to resemble ``person``: the identity of each feature group blended.

    Parameters
    ----------
    person : Person
        The holder.
    other : Person
        Another person (of the same sex, as an impostor would be chosen).
    similarity : float
        0 (``other`` unchanged) .. 1 (``person``'s identity exactly). Each
        identity group (skin, head, eyes, brows, nose, mouth, ears, hair line)
        moves ``similarity`` of the way from ``other`` to ``person``; moles
        are kept with that probability. Presentation and photo stay ``other``'s.

    Returns
    -------
    Person
        With ``other``'s seed, sex, age, presentation and photo.

    Raises
    ------
    ValueError
        Naming ``similarity`` outside [0, 1].
    """
    if isinstance(similarity, bool) or not 0.0 <= float(similarity) <= 1.0:
        raise ValueError(f"similarity: expected a number from 0 to 1, got {similarity!r}")
    s = float(similarity)
    rng = substream(person.seed ^ (other.seed << 1), f"lookalike-{s:.4f}")
    groups = {name: _mix(getattr(other, name), getattr(person, name), s, rng) for name in IDENTITY_GROUPS}
    moles = tuple(m for m in person.moles if rng.random() < s) + \
        tuple(m for m in other.moles if rng.random() > s)
    h, ho = person.hair, other.hair
    hair = replace(ho, line=ho.line + s * (h.line - ho.line), line_curve=ho.line_curve + s * (h.line_curve - ho.line_curve),
                   peak=ho.peak + s * (h.peak - ho.peak))
    return replace(other, moles=moles, hair=hair, **groups)


def _restyle(person: Person, g: _Draw, changes: list) -> Person:
    """The presentation a person has on another day: glasses, hair cut, dye, beard."""
    p = person
    if g.u() < 0.4:
        p = replace(p, glasses=replace(p.glasses, worn=not p.glasses.worn))
        changes.append("glasses")
    if g.u() < 0.5:
        pool = ("short", "side-part", "fringe", "buzz") if p.male else ("bob", "long", "tied", "bun", "fringe")
        style = g.choice([s for s in pool if s != p.hair.style])
        if style in HAIR_STYLES:
            p = replace(p, hair=replace(p.hair, style=style, length=g.u(), part=g.u(-1, 1)))
            changes.append("hair")
    if g.u() < 0.12 and not p.male:
        name = g.choice(list(HAIR_COLOURS))
        p = replace(p, hair=replace(p.hair, colour=HAIR_COLOURS[name][0], colour_name=name))
        changes.append("hair")
    if p.male and g.u() < 0.4:
        style = "none" if p.beard.style != "none" else g.choice(("stubble", "moustache", "goatee", "full"))
        p = replace(p, beard=replace(p.beard, style=style))
        changes.append("beard")
    return p


def traveller_photo(holder: Person, *, seed: int, years_later: int = 0,
                    impostor_similarity: float | None = None, size=COUNTER_SIZE) -> Traveller:
    """Photograph whoever presents the holder's document at the counter.

    Parameters
    ----------
    holder : Person
        The person of the document's portrait (as photographed for it).
    seed : int
        Chooses the counter's conditions, the day's presentation and, for an
        impostor, who they are.
    years_later : int
        Years between the document photo and the journey (0..20).
    impostor_similarity : float, optional
        None: the holder presents their own document. A number in [0, 1]:
        an impostor of the holder's sex and about their age, whose identity
        (face shape, eyes, nose, mouth, ears, brows, skin, hair line) is
        that far from a stranger's towards the holder's; moles are shared
        with that probability.
    size : (int, int)
        Output (width, height).

    Returns
    -------
    Traveller

    Raises
    ------
    ValueError
        Naming ``years_later`` or ``impostor_similarity``.
    """
    if isinstance(years_later, bool) or not isinstance(years_later, (int, np.integer)) or not 0 <= years_later <= 20:
        raise ValueError(f"years_later: expected an integer from 0 to 20, got {years_later!r}")
    g = _Draw(seed, "traveller")
    age = min(100, holder.age + int(years_later))
    changes: list[str] = []
    if years_later >= 2:
        changes.append("age")
    if impostor_similarity is None:
        person = replace(holder, age=age)
    else:
        other_age = int(np.clip(age + round(g.u(-6, 6)), 18, 100))
        stranger = make_person(int(g.rng.integers(1 << 40)), sex=holder.sex, age=other_age)
        person = lookalike(holder, stranger, impostor_similarity)
        if not identity_differences(holder, person):
            # a look-alike nobody could tell apart is no exercise: the feature in which the
            # stranger differs most stays the stranger's
            code = (identity_differences(holder, stranger, threshold=0.0) or ("nose",))[0]
            if code == "moles":
                person = replace(person, moles=stranger.moles or (replace(holder.moles[0], x=-holder.moles[0].x),))
            else:
                group = FEATURES[code][0]
                if group == "hair":
                    h = stranger.hair
                    person = replace(person, hair=replace(person.hair, line=h.line, line_curve=h.line_curve,
                                                          peak=h.peak))
                else:
                    person = replace(person, **{group: getattr(stranger, group)})
        # an impostor is picked for the look: similar hair, and glasses only if the photo has them
        person = replace(person, hair=replace(person.hair, colour=holder.hair.colour,
                                              colour_name=holder.hair.colour_name, style=holder.hair.style),
                         glasses=replace(person.glasses, worn=holder.glasses.worn),
                         beard=replace(person.beard, style=holder.beard.style))
    person = _restyle(person, g, changes)
    person = replace(person, clothes=replace(person.clothes, colour=tuple(float(v) for v in g.rng.uniform(0.1, 0.8, 3))),
                     photo=counter_photo(int(g.rng.integers(1 << 40))))
    changes.append("light")
    image = render_person(person, size=size)
    sim = None if impostor_similarity is None else round(float(impostor_similarity), 3)
    differences = () if impostor_similarity is None else identity_differences(holder, person)
    return Traveller(image, person, impostor_similarity is None, sim, tuple(dict.fromkeys(changes)),
                     differences, int(years_later))
