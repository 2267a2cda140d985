"""The lights a document is photographed and examined under: the one list.

Every room takes the lights from here (the renderer, the capture simulator,
the examiner, the lessons, the UI, the file checks), so adding a light is
one line in :data:`LIGHTS`; what each room must then teach itself about the
new light (an ink's response, a label for trainees) fails loudly where it
is missing.

Examples
--------
>>> LIGHTS[0], "uv" in OTHER_LIGHTS
('visible', True)
>>> image_name("s7", "visible"), image_name("s7", "uv")
('s7.png', 's7.uv.png')
"""

from __future__ import annotations

#: every light, in the order they are shown; ``visible`` (white light) first
LIGHTS: tuple[str, ...] = ("visible", "uv", "ir")
#: the light every document has an image in
VISIBLE = LIGHTS[0]
#: the lights whose images are optional extras beside the visible one
OTHER_LIGHTS = LIGHTS[1:]


def image_name(name: str, light: str) -> str:
    """The file name of a specimen's image in ``light``: ``NAME.png``, ``NAME.uv.png``, ...

    Raises
    ------
    ValueError
        ``light`` is not one of :data:`LIGHTS`.
    """
    if light not in LIGHTS:
        raise ValueError(f"light: {light!r} is not one of {', '.join(LIGHTS)}")
    return f"{name}.png" if light == VISIBLE else f"{name}.{light}.png"
