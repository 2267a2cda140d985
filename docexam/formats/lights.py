"""The lights a document is photographed and examined under: the one list.

Every room takes the lights from here (the renderer, the capture simulator,
the examiner, the lessons, the UI, the file checks), so adding a light is
one line in :data:`LIGHTS`; what each room must then teach itself about the
new light (an ink's response, a label for trainees) fails loudly where it
is missing.

Examples
--------
>>> LIGHTS[0], "uv" in OTHER_LIGHTS, "transmitted" in REFLECTED
('visible', True, False)
>>> image_name("s7", "visible"), image_name("s7", "uv")
('s7.png', 's7.uv.png')
"""

from __future__ import annotations

#: every light, in the order they are shown; ``visible`` (white light) first;
#: ``transmitted`` is a lamp behind the page (watermark, thread, perforation)
LIGHTS: tuple[str, ...] = ("visible", "uv", "ir", "transmitted")
#: the light every document has an image in
VISIBLE = LIGHTS[0]
#: the lights whose images are optional extras beside the visible one
OTHER_LIGHTS = LIGHTS[1:]
#: the lights the page reflects back to the eye (inks answer each of them);
#: transmitted light is what gets through the whole sheet
REFLECTED = ("visible", "uv", "ir")
#: the lights seen in one band, without colour: their images are one channel
#: (an infrared camera and a lamp behind the page give grey pictures)
MONOCHROME = ("ir", "transmitted")


#: the side whose pictures carry the plain names (a card's front, or the one page)
FIRST_SIDES = ("front", "page")


def image_name(name: str, light: str, side: str | None = None, *, suffix: str = ".png") -> str:
    """The file name of a specimen's image in ``light``: ``NAME.png``, ``NAME.uv.png``, ...

    A scan or photo of a card's other side adds the side's name:
    ``NAME.back.png``, ``NAME.back.uv.png``. ``suffix`` is the file type's
    (the library cache stores most pictures as ``.jpg``; its sidecars list
    the names, so readers ask the specimen, not this function).

    >>> image_name("s7", "ir", "back"), image_name("s7", "visible", "front"), image_name("s7", "uv", suffix=".jpg")
    ('s7.back.ir.png', 's7.png', 's7.uv.jpg')

    Raises
    ------
    ValueError
        ``light`` is not one of :data:`LIGHTS`.
    """
    if light not in LIGHTS:
        raise ValueError(f"light: {light!r} is not one of {', '.join(LIGHTS)}")
    stem = name if side is None or side in FIRST_SIDES else f"{name}.{side}"
    return f"{stem}{suffix}" if light == VISIBLE else f"{stem}.{light}{suffix}"
