"""Helpers for the UI tests: a small specimen folder, an AppTest of ``app.py``, signing in, answering.

Imported by the other ``test_ui_*`` modules (like ``test_lessons_support``).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from docexam.lessons.vocabulary import (CHECK_LABELS, FAMILY_LABELS, FIELD_LABELS, LIGHT_LABELS, TECHNIQUE_LABELS,
                                        VERDICT_LABELS)
from test_lessons_support import SIZE, TEMPLATE_ID, build_library

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
PAGES = "docexam/ui/pages"
#: names of the forged specimens of the test folder (they must never reach the page before an answer)
FORGED = ("f-photo", "f-halftone", "f-multi", "f-mrz", "f-phone")


def make_folder(home: Path, monkeypatch) -> Path:
    """The test template in ``home`` and 9 specimens in ``home/lib``, used instead of the library."""
    lib = build_library(home, home / "lib")
    monkeypatch.setenv("DOCEXAM_SPECIMENS_DIR", str(lib))
    return lib


def app(timeout: float = 60):
    """``app.py`` under AppTest, run once (the sign-in page)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at, *, name="Sok Chea", department="Immigration", province="Koh Kong", code="", pin="4821"):
    at.text_input[0].input(name)
    at.text_input[1].input(department)
    at.text_input[2].input(province)
    at.text_input[3].input(code)
    at.text_input[4].input(pin)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at, page: str):
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def option_id(radio) -> str:
    """The raw id of a quiz radio's first option (AppTest sets radios by value, the page shows labels)."""
    ids = ["left", "right", *FAMILY_LABELS, *TECHNIQUE_LABELS, *LIGHT_LABELS, *VERDICT_LABELS,
           *FIELD_LABELS, *CHECK_LABELS]
    return next(c for c in ids if radio.format_func(c) == radio.options[0])


def current(at, quiz_key: str) -> dict:
    """What the quiz shows now: ``{"wkey", "type"}`` (server-side session state)."""
    return at.session_state[f"quiz:{quiz_key}"]["current"]


def press(at, key: str):
    """Press the button or form button with ``key`` and run."""
    found = [b for b in at.get("button") + at.get("form_submit_button") if getattr(b, "key", None) == key]
    assert found, f"no button {key!r} on the page"
    found[0].click().run()
    assert not at.exception, at.exception
    return at


def answer_choice(at, wkey: str, option: str | None = None):
    radio = at.radio(key=f"{wkey}-opt")
    radio.set_value(option or option_id(radio))
    return press(at, f"{wkey}-go")


def click(at, wkey: str, x: float, y: float, *, width: float = SIZE[0], height: float = SIZE[1]):
    """A tap on a locate item's document at displayed pixels ``(x, y)`` of a ``width`` x ``height`` picture.

    The document view (a browser component) reports the mark in the image's
    own pixels; AppTest runs no browser, so the mark is set as its state.
    """
    point = [int(x * SIZE[0] / width), int(y * SIZE[1] / height)]
    at.session_state[f"{wkey}-mark"] = {"answer": {"point": point}}
    at.run()
    return press(at, f"{wkey}-go")


def png(width: int = SIZE[0], height: int = SIZE[1], value: int = 190) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), value, np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def element_text(at) -> str:
    """Everything the app sent for the current page, as text (protos of every element)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def test_folder_is_small(tmp_path, monkeypatch):
    lib = make_folder(tmp_path, monkeypatch)
    assert len(list(lib.glob("*.json"))) == 9
    assert TEMPLATE_ID == "demo-td3"
