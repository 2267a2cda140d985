"""The invented person a portrait shows: identity, presentation and photo conditions.

A :class:`Person` is everything :func:`docexam.synth.portrait.render_portrait`
needs to draw one photograph, in three kinds of groups:

* **identity** (:class:`Skin`, :class:`Head`, :class:`Eyes`, :class:`Brows`,
  :class:`Nose`, :class:`Mouth`, :class:`Ears`, the moles and the hair line):
  what stays when a person is photographed again, and what tells two people
  apart;
* **presentation** (hair style and colour, beard, glasses, clothes): what a
  person changes between two photographs;
* **photo** (:class:`Photo`: background, light, pose, camera): the conditions
  of one photograph.

Age is a number, not a drawing: wrinkles, greying, a receding hair line and
sagging follow from it through each person's own ageing rates (drawn with
the identity), so one person at 30 and at 45 is the same face, older.

Every group is drawn from its own random sub-stream, keyed by the group's
name (:func:`substream`), so adding a feature to one group, or drawing one
more number for it, changes nothing in the others; there is no fixed
budget of draws.

Examples
--------
>>> p = make_person(7, sex="F", age=53)
>>> p.sex, p.age, p == make_person(7, sex="F", age=53)
('F', 53, True)
>>> make_person(7, sex="M", age=53).eyes == make_person(7, sex="F", age=53).eyes
True
"""

from __future__ import annotations

import datetime as _dt
import zlib
from dataclasses import dataclass

import numpy as np

__all__ = ["Person", "Skin", "Head", "Eyes", "Brows", "Nose", "Mouth", "Ears", "Mole", "Hair",
           "Beard", "Glasses", "Clothes", "Photo", "make_person", "substream",
           "ageing_cues", "apparent_age", "apparent_sex", "holder_person", "age_on", "HAIR_STYLES",
           "IDENTITY_GROUPS"]

#: hair styles the renderer draws
HAIR_STYLES = ("short", "side-part", "fringe", "buzz", "bald", "receding", "bob", "long", "tied", "bun")
_SHORT_STYLES = ("short", "side-part", "fringe", "buzz")
_LONG_STYLES = ("bob", "long", "tied", "bun")

#: groups that make up a person's identity (what a look-alike copies)
IDENTITY_GROUPS = ("skin", "head", "eyes", "brows", "nose", "mouth", "ears")

# sRGB skin tones from light to deep, interpolated by a single tone value
_SKIN = np.array([[250, 222, 200], [240, 204, 176], [226, 184, 150], [204, 158, 120],
                  [170, 120, 86], [125, 86, 60], [86, 60, 44]], np.float32) / 255
HAIR_COLOURS = {  # name: (rgb, weight for dark skin, weight for light skin)
    "black": ((0.06, 0.05, 0.05), 6.0, 1.0),
    "dark-brown": ((0.16, 0.11, 0.08), 3.0, 2.0),
    "brown": ((0.32, 0.22, 0.14), 0.6, 2.0),
    "light-brown": ((0.50, 0.37, 0.24), 0.1, 1.2),
    "blonde": ((0.78, 0.64, 0.42), 0.0, 1.2),
    "auburn": ((0.45, 0.20, 0.10), 0.1, 0.6),
}
GREY_HAIR = (0.80, 0.79, 0.77)
_IRIS = {"dark-brown": (0.20, 0.12, 0.07), "brown": (0.36, 0.22, 0.11), "hazel": (0.45, 0.38, 0.18),
         "green": (0.30, 0.42, 0.28), "blue": (0.33, 0.47, 0.62), "grey": (0.45, 0.50, 0.54)}
_BACKGROUNDS = [(0.95, 0.95, 0.95), (0.88, 0.89, 0.90), (0.82, 0.88, 0.94), (0.95, 0.93, 0.88),
                (0.86, 0.90, 0.92), (0.92, 0.92, 0.89), (0.78, 0.84, 0.90)]
_CLOTHES = [(0.10, 0.12, 0.20), (0.08, 0.08, 0.09), (0.35, 0.36, 0.38), (0.90, 0.90, 0.88),
            (0.45, 0.10, 0.14), (0.15, 0.30, 0.22), (0.62, 0.55, 0.44), (0.20, 0.32, 0.55),
            (0.55, 0.62, 0.72), (0.70, 0.35, 0.20), (0.30, 0.22, 0.35), (0.82, 0.78, 0.62)]
_SHIRTS = [(0.95, 0.95, 0.94), (0.80, 0.87, 0.95), (0.92, 0.90, 0.84), (0.85, 0.85, 0.86)]

RGB = tuple[float, float, float]


# --------------------------------------------------------------------------
# the groups (lengths are fractions of the head height, crown to chin)

@dataclass(frozen=True)
class Skin:
    tone: float            #: 0 light .. 1 deep
    rgb: RGB
    ageing: float          #: how fast this skin lines with age, about 0.75..1.25
    blush: float
    freckles: float        #: 0 none .. 1 many


@dataclass(frozen=True)
class Head:
    top: float             #: crown, fraction of the image height
    chin: float            #: chin, fraction of the image height
    width: float           #: half-width of the head
    skull: float           #: roundness of the skull (superellipse power)
    jaw: float             #: squareness of the jaw
    taper: float           #: V-shaped jaw
    cheek: float           #: cheekbone prominence
    chin_width: float      #: 0 pointed .. 1 broad chin
    cleft: bool            #: a dimple in the chin
    neck: float            #: neck half-width, relative to the head's


@dataclass(frozen=True)
class Eyes:
    y: float
    width: float
    spacing: float         #: pupil half-distance / eye width
    opening: float         #: opening / width
    tilt: float            #: outer corner higher for positive tilt
    crease: bool
    crease_offset: float
    iris: RGB
    iris_size: float
    bags: float            #: puffiness under the eyes, grows with age


@dataclass(frozen=True)
class Brows:
    gap: float             #: eye to brow
    thickness: float
    arch: float            #: height of the arch
    arch_at: float         #: where along the brow the arch peaks, 0 inner .. 1 outer
    length: float
    slant: float           #: outer end higher (+) or lower (-)
    density: float


@dataclass(frozen=True)
class Nose:
    y: float               #: nose tip (its length)
    width: float           #: half-width of the wings
    bridge: float          #: width of the bridge highlight
    tip: float             #: roundness of the tip
    nostrils: float        #: how much the nostrils show


@dataclass(frozen=True)
class Mouth:
    gap: float             #: nose tip to mouth
    width: float
    upper: float           #: upper lip height
    lower: float           #: lower lip height
    bow: float             #: depth of the Cupid's bow
    corners: float         #: mouth corners up (+) or down (-)
    colour: float          #: how red the lips are


@dataclass(frozen=True)
class Ears:
    size: float
    protrusion: float
    height: float          #: vertical position
    lobe_free: bool


@dataclass(frozen=True)
class Mole:
    x: float               #: across the face, -1 (left edge) .. 1 (right edge)
    y: float               #: fraction of the head height
    size: float            #: radius, fraction of the head height
    darkness: float


@dataclass(frozen=True)
class Hair:
    style: str
    colour: RGB
    colour_name: str
    grey_onset: float      #: age at which greying starts
    line: float            #: hair line height (identity)
    line_curve: float      #: how the hair line rises towards the temples (identity)
    peak: float            #: widow's peak depth (identity)
    recession_onset: float  #: age at which the hair line recedes (large: never)
    thickness: float
    side: float
    part: float
    length: float
    flare: float
    sheen: float
    wave: float


@dataclass(frozen=True)
class Beard:
    style: str             #: none, stubble, moustache, goatee, full
    density: float


@dataclass(frozen=True)
class Glasses:
    worn: bool
    style: str             #: dark, metal, light
    width: float
    height: float
    squareness: float


@dataclass(frozen=True)
class Clothes:
    style: str             #: crew, vneck, shirt, jacket, turtle
    colour: RGB
    shirt: RGB
    earrings: bool
    lip_tint: float        #: lipstick, 0 none
    shoulder_drop: float
    shoulder_k: float


@dataclass(frozen=True)
class Photo:
    background: RGB
    bg_gy: float
    bg_gx: float
    shadow: float
    shadow_dx: float
    light: float           #: key light to one side (-/+)
    overhead: float        #: light from above: bright forehead, dark under the chin
    exposure: float        #: 1 = correct
    cast: RGB              #: white balance of the camera (multiplies the image)
    noise: float
    blur: float
    gaze: float
    cx: float              #: horizontal offset of the head, fraction of the width
    scale: float           #: head size relative to an ICAO framing
    roll: float            #: head tilt in the image plane, degrees
    yaw: float             #: head turned, degrees (+ to the viewer's right)


@dataclass(frozen=True)
class Person:
    """One invented person, photographed once. Build with :func:`make_person`."""

    seed: int
    sex: str
    age: int
    skin: Skin
    head: Head
    eyes: Eyes
    brows: Brows
    nose: Nose
    mouth: Mouth
    ears: Ears
    moles: tuple[Mole, ...]
    hair: Hair
    beard: Beard
    glasses: Glasses
    clothes: Clothes
    photo: Photo

    @property
    def male(self) -> bool:
        return self.sex == "M"


# --------------------------------------------------------------------------
# random sub-streams

def substream(seed: int, name: str) -> np.random.Generator:
    """The random generator of one named group of a person's features.

    >>> float(substream(1, "eyes").random()) == float(substream(1, "eyes").random())
    True
    >>> float(substream(1, "eyes").random()) != float(substream(1, "nose").random())
    True
    """
    ss = np.random.SeedSequence(int(seed) & 0xFFFFFFFFFFFF, spawn_key=(zlib.crc32(name.encode()),))
    return np.random.default_rng(ss)


class _Draw:
    """Uniform draws and weighted choices from one sub-stream."""

    def __init__(self, seed: int, name: str):
        self.rng = substream(seed, name)

    def u(self, lo=0.0, hi=1.0) -> float:
        return lo + (hi - lo) * float(self.rng.random())

    def choice(self, options, weights=None):
        w = np.ones(len(options)) if weights is None else np.asarray(weights, float)
        i = int(np.searchsorted(np.cumsum(w) / w.sum(), self.u(), side="right"))
        return options[min(i, len(options) - 1)]


# --------------------------------------------------------------------------
# drawing one person

def _skin(seed) -> Skin:
    g = _Draw(seed, "skin")
    tone = float(np.clip(0.15 * g.u() + 0.85 * g.rng.beta(2.0, 2.6), 0, 1))
    x = tone * (len(_SKIN) - 1)
    i = min(int(x), len(_SKIN) - 2)
    base = _SKIN[i] * (1 - (x - i)) + _SKIN[i + 1] * (x - i)
    warm = g.u(-0.025, 0.025)
    rgb = np.clip(base + np.array([warm, 0.3 * warm, -warm], np.float32), 0, 1)
    freckles = g.u() ** 3 * (1.0 if tone < 0.35 else 0.3)
    return Skin(tone, tuple(float(v) for v in rgb), g.u(0.75, 1.25), g.u(0.0, 0.06), freckles)


def _head(seed, male: bool) -> Head:
    g = _Draw(seed, "head")
    top, chin, width = g.u(0.125, 0.16), g.u(0.785, 0.825), g.u(0.29, 0.375)
    skull, jaw, taper, cheek = g.u(1.9, 2.5), g.u(), g.u(0.0, 0.25), g.u(-0.03, 0.07)
    chin_width, cleft, neck = g.u(), g.u() < 0.12, g.u(0.46, 0.56)
    return Head(top, chin, width + (0.014 if male else -0.006), skull,
                (2.35 + 1.0 * jaw) if male else (1.9 + 0.4 * jaw), taper * (0.7 if male else 1.1), cheek,
                chin_width * (1.0 if male else 0.6), cleft and male or (cleft and g.u() < 0.3),
                neck + (0.08 if male else 0.0))


def _eyes(seed, tone: float) -> Eyes:
    g = _Draw(seed, "eyes")
    light = tone < 0.3
    names = list(_IRIS)
    iris = g.choice(names, (5, 4, 1, 0.5, 0.5, 0.4) if light else (8, 4, 0.3, 0.05, 0.05, 0.05))
    return Eyes(g.u(0.47, 0.54), g.u(0.105, 0.148), g.u(0.88, 1.18), g.u(0.3, 0.48), g.u(-0.08, 0.15),
                g.u() < 0.6, g.u(0.2, 0.6), _IRIS[iris], g.u(0.55, 0.72), g.u(0.3, 1.0))


def _brows(seed, male: bool) -> Brows:
    g = _Draw(seed, "brows")
    return Brows(g.u(0.058, 0.1), g.u(0.016, 0.03) * (1.35 if male else 0.8), g.u(0.0, 0.035),
                 g.u(0.45, 0.8), g.u(0.82, 1.18), g.u(-0.01, 0.02), g.u(0.65, 0.95))


def _nose(seed, male: bool) -> Nose:
    g = _Draw(seed, "nose")
    return Nose(g.u(0.665, 0.735), g.u(0.062, 0.105) * (1.06 if male else 0.96), g.u(0.012, 0.03),
                g.u(), g.u(0.1, 1.0))


def _mouth(seed, male: bool) -> Mouth:
    g = _Draw(seed, "mouth")
    lips = 0.9 if male else 1.2
    return Mouth(g.u(0.07, 0.105), g.u(0.088, 0.13), g.u(0.012, 0.028) * lips, g.u(0.018, 0.038) * lips,
                 g.u(0.2, 0.6), g.u(-0.012, 0.01), g.u(0.1, 0.35) * (0.6 if male else 1.0))


def _ears(seed) -> Ears:
    g = _Draw(seed, "ears")
    return Ears(g.u(0.82, 1.2), g.u(0.0, 0.45) ** 1.3 * 1.4, g.u(-0.025, 0.025), g.u() < 0.65)


def _moles(seed) -> tuple[Mole, ...]:
    g = _Draw(seed, "moles")
    n = int(g.choice((0, 1, 2, 3), (0.35, 0.35, 0.2, 0.1)))
    out = []
    for _ in range(n):
        # on the cheeks, the chin, beside the nose or above the lip: places a photo shows
        y = g.u(0.45, 0.9)
        x = g.u(-0.8, 0.8)
        if abs(x) < 0.25 and 0.5 < y < 0.78:  # not on the nose
            x = 0.3 * np.sign(x or 1.0) + x
        out.append(Mole(float(x), float(y), g.u(0.005, 0.012), g.u(0.35, 0.8)))
    return tuple(out)


def _hair(seed, male: bool, age: int, tone: float) -> Hair:
    g = _Draw(seed, "hair")
    # identity: the hair line and how it changes with age
    line, curve, peak = g.u(0.15, 0.22), g.u(0.04, 0.16), g.u() ** 2 * 0.05
    rec_onset = g.u(25, 60) if male and g.u() < 0.55 else 200.0
    grey_onset = g.u(32, 62)
    # presentation: colour and style
    dark = tone > 0.45
    names = list(HAIR_COLOURS)
    colour_name = g.choice(names, [HAIR_COLOURS[n][1] if dark else HAIR_COLOURS[n][2] for n in names])
    colour = np.clip(np.array(HAIR_COLOURS[colour_name][0]) * g.u(0.85, 1.15), 0, 1)
    if male:
        style = g.choice(HAIR_STYLES, (5, 4, 1.5, 2, 0, 0, 0, 0, 0.08, 0))
    else:
        style = g.choice(HAIR_STYLES, (0.3, 0.6, 1.5, 0, 0, 0, 2.5, 4.0, 2.5, 1.2))
    return Hair(style, tuple(float(v) for v in colour), colour_name, grey_onset, line, curve, peak,
                rec_onset, g.u(0.03, 0.10), g.u(0.015, 0.06), g.u(-1, 1), g.u(), g.u(0.0, 0.10),
                g.u(0.05, 0.22), g.u())


def _beard(seed, male: bool) -> Beard:
    g = _Draw(seed, "beard")
    style = g.choice(("none", "stubble", "moustache", "goatee", "full"), (5, 2, 1, 1, 1.3))
    return Beard(style if male else "none", g.u(0.55, 0.9))


def _glasses(seed, age: int) -> Glasses:
    g = _Draw(seed, "glasses")
    worn = g.u() < 0.15 + 0.25 * max(0.0, (age - 40) / 40)
    return Glasses(worn, g.choice(("dark", "metal", "light"), (3, 2, 1)), g.u(0.78, 0.95),
                   g.u(0.5, 0.7), g.u(2.5, 6.0))


def _clothes(seed, male: bool) -> Clothes:
    g = _Draw(seed, "clothes")
    style = g.choice(("crew", "vneck", "shirt", "jacket", "turtle"), (3, 2, 3, 2.5 if male else 1.5, 1))
    colour = _CLOTHES[g.choice(range(len(_CLOTHES)))]
    shirt = _SHIRTS[g.choice(range(len(_SHIRTS)))]
    earrings = (not male) and g.u() < 0.45
    lip_tint = 0.0 if male else g.u(0.0, 0.35)
    return Clothes(style, colour, shirt, earrings, lip_tint, g.u(0.05, 0.10), g.u(0.10, 0.22))


def document_photo(seed: int) -> Photo:
    """The conditions of an ICAO document photo: plain light background, even light, frontal."""
    g = _Draw(seed, "photo")
    return Photo(_BACKGROUNDS[g.choice(range(len(_BACKGROUNDS)))], g.u(-0.08, 0.05), g.u(-0.05, 0.05),
                 g.u(0.0, 0.10), g.u(-0.04, 0.04), g.u(-0.10, 0.10), g.u(0.0, 0.05), 1.0, (1.0, 1.0, 1.0),
                 g.u(0.008, 0.018), g.u(0.55, 1.0), g.u(-0.05, 0.05), g.u(-0.012, 0.012), 1.0, 0.0, 0.0)


def make_person(seed: int, *, sex: str | None = None, age: int | None = None) -> Person:
    """Invent the person of one portrait.

    Parameters
    ----------
    seed : int
        The person; the same seed and options give the same person.
    sex : {'F', 'M', 'X'}, optional
        Presentation; drawn (even odds) when omitted or ``'X'``.
    age : int, optional
        18..100 at the time of the photo; drawn (18..80) when omitted.

    Returns
    -------
    Person

    Raises
    ------
    ValueError
        Naming ``seed``, ``sex`` or ``age``.

    Examples
    --------
    >>> make_person(3, sex="M", age=70).age
    70
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    if sex is not None and sex not in ("F", "M", "X"):
        raise ValueError(f"sex: expected 'F', 'M', 'X' or None, got {sex!r}")
    if age is not None and (isinstance(age, bool) or not isinstance(age, (int, np.integer))
                            or not 18 <= age <= 100):
        raise ValueError(f"age: expected an integer in 18..100 or None, got {age!r}")
    seed = int(seed) & 0xFFFFFFFFFFFF
    basics = _Draw(seed, "basics")
    drawn_sex = "F" if basics.u() < 0.5 else "M"
    drawn_age = int(18 + 62 * basics.u() ** 1.3)
    sex = sex if sex in ("F", "M") else drawn_sex
    age = int(age) if age is not None else drawn_age
    male = sex == "M"
    skin = _skin(seed)
    return Person(seed, sex, age, skin, _head(seed, male), _eyes(seed, skin.tone), _brows(seed, male),
                  _nose(seed, male), _mouth(seed, male), _ears(seed), _moles(seed),
                  _hair(seed, male, age, skin.tone), _beard(seed, male), _glasses(seed, age),
                  _clothes(seed, male), document_photo(seed))


# --------------------------------------------------------------------------
# ageing and what a viewer reads from a face

def ageing_cues(person: Person) -> dict:
    """How strongly the photo shows age, each 0 (none) .. about 1.

    ``wrinkles`` (folds, forehead and eye lines), ``grey`` (share of grey
    hair), ``recession`` (receding hair line) and ``sag`` (jowls, thinner
    lips, lower brows). The renderer draws exactly these amounts.

    >>> ageing_cues(make_person(1, age=20))["wrinkles"]
    0.0
    """
    a = person.age
    rate = person.skin.ageing
    wrinkles = float(np.clip((a - 27) / 43, 0, 1.2) ** 1.15 * rate)
    grey = float(np.clip((a - person.hair.grey_onset) / 20, 0, 1))
    recession = float(np.clip((a - person.hair.recession_onset) / 25, 0, 1))
    sag = float(np.clip((a - 42) / 38, 0, 1) * rate)
    return {"wrinkles": round(wrinkles, 4), "grey": round(grey, 4), "recession": round(recession, 4),
            "sag": round(sag, 4)}


def apparent_age(person: Person) -> float:
    """The age a viewer would read from the ageing cues the photo shows.

    A proxy of how old the portrait looks, computed from what is drawn
    (not from ``person.age``): lines and sagging skin first, grey hair as a
    floor (grey hair is rare before the late thirties).

    >>> 18 <= apparent_age(make_person(2, age=22)) <= 30
    True
    """
    c = ageing_cues(person)
    # invert the average ageing rate (1.0): lines appear from 27 on, sagging from 42 on
    from_lines = 27 + 43 * c["wrinkles"] ** (1 / 1.15) if c["wrinkles"] > 0 else 23.0
    from_sag = 42 + 38 * c["sag"] if c["sag"] > 0 else from_lines
    estimate = 0.5 * from_lines + 0.5 * max(from_sag, from_lines - 8) if c["sag"] > 0 else from_lines
    if c["grey"] > 0.5:
        estimate = max(estimate, 40.0)
    return float(round(min(estimate, 90.0), 1))


def apparent_sex(person: Person) -> str:
    """``'M'`` or ``'F'``: how the drawn face presents (beard, jaw, brows, lips, hair, earrings).

    >>> apparent_sex(make_person(4, sex="F", age=40))
    'F'
    """
    score = 0.0
    score += 2.0 if person.beard.style in ("moustache", "goatee", "full") else 0.0
    score += 1.0 if person.beard.style == "stubble" else 0.0
    score += (person.head.jaw - 2.32) * 3.0
    score += (person.brows.thickness - 0.022) * 150
    score -= (person.mouth.upper + person.mouth.lower - 0.048) * 60
    score += 1.0 if person.hair.style in _SHORT_STYLES + ("bald", "receding") else 0.0
    score -= 1.5 if person.hair.style in _LONG_STYLES else 0.0
    score -= 1.5 if person.clothes.earrings else 0.0
    score -= 8 * person.clothes.lip_tint
    return "M" if score > 0 else "F"


# --------------------------------------------------------------------------
# the person of a document's holder

def age_on(date_of_birth: str, on: str) -> int:
    """Whole years from ``date_of_birth`` to ``on`` (both ``YYYY-MM-DD``).

    >>> age_on("1974-08-12", "2024-08-11"), age_on("1974-08-12", "2024-08-12")
    (49, 50)
    """
    born, day = _dt.date.fromisoformat(date_of_birth), _dt.date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def holder_person(holder: dict, seed: int) -> Person:
    """The person in the portrait of ``holder``'s document: their sex, their age when it was issued.

    A holder of sex ``X`` is drawn with either presentation. Without a date
    of issue the age is that on the date of expiry less five years.

    >>> h = {"sex": "F", "date_of_birth": "1971-03-02", "date_of_issue": "2024-05-01",
    ...      "date_of_expiry": "2034-04-30"}
    >>> p = holder_person(h, 7)
    >>> p.sex, p.age
    ('F', 53)
    """
    issued = holder.get("date_of_issue")
    if not issued:
        expiry = _dt.date.fromisoformat(holder["date_of_expiry"])
        issued = expiry.replace(year=expiry.year - 5, day=min(expiry.day, 28)).isoformat()
    age = int(np.clip(age_on(holder["date_of_birth"], issued), 18, 100))
    sex = holder.get("sex")
    return make_person(seed, sex=sex if sex in ("F", "M", "X") else None, age=age)
