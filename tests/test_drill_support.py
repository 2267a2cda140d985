"""Helpers for the drill tests: a small scenario written in code, its queue, scripted officers.

Imported by the other ``test_drill*`` modules (like ``test_lessons_support``).
"""

from __future__ import annotations

from docexam.drill.engine import Drill, Event, replay
from docexam.drill.scenario import parse_scenario
from docexam.drill.travellers import plan_queue

KINDS = {"passport": ("uto-td3",), "id-card": ("mrd-td1",)}

SCENARIO = """\
id = "test-counter"
title = "Test counter"
title_km = "បញ្ជរសាកល្បង"
summary = "Twenty travellers waiting at once; two carry a fraud."
border = "land"
queue = 20
prevalence = 0.1
time_budget_min = 60
seed = 5
{extra}

[arrivals]
pattern = "{pattern}"
interval_s = 30

[documents]
passport = 1
id-card = 1

[fraud]
impostor = 1
data-alteration = 1

[team]
roles = ["first-line", "second-line", "consulted"]
consulted = "anti-trafficking"

[[stories]]
id = "visitor"
who = "A visitor"
purpose = "Visiting my sister."
stay = "Two nights at her house."
occupation = "Teacher."
ticket = "I paid; my sister meets me."
"""


def scenario(*, pattern: str = "all-at-once", extra: str = ""):
    return parse_scenario(SCENARIO.format(pattern=pattern, extra=extra), "test-counter.toml")


def drill(roles=None, **kwargs) -> Drill:
    s = scenario(**kwargs)
    return Drill(s, plan_queue(s, kinds=KINDS), roles or {1: "first-line"})


def scripted(d: Drill, policy, *, officer: int = 1, seconds: float = 10.0, start: float = 1000.0) -> list[Event]:
    """Events of an officer who deals with every traveller in turn.

    ``policy(traveller)`` gives ``(decision, tools)``: the tools are used one
    after the other, then the decision is taken ``seconds`` after the call.
    """
    events = [Event("start", officer, start)]
    t = start
    for traveller in d.queue:
        t += 1.0
        events.append(Event("call", officer, t, traveller.index))
        decision, tools = policy(traveller)
        for n, tool in enumerate(tools):
            if tool.startswith("question:"):
                events.append(Event("ask", officer, t + n * 0.1, traveller.index, {"question": tool.split(":")[1]}))
            else:
                events.append(Event("tool", officer, t + n * 0.1, traveller.index, {"tool": tool}))
        t += seconds
        events.append(Event("decide", officer, t, traveller.index, {"decision": decision}))
    return events


def played(d: Drill, policy, **kwargs):
    state = replay(d, scripted(d, policy, **kwargs))
    assert not state.skipped, state.skipped
    return state


# --------------------------------------------------------------------------- material without rendering

def _grey(w: int, h: int, level: int):
    import numpy as np

    return np.full((h, w, 3), level, np.uint8)


def fake_document(document, *, size=(300, 200)) -> None:
    """Small grey pictures (visible, UV, IR) and ``doc.json`` of ``document`` in the drill's cache: the pages
    (and a trial's mosaic) find it rendered (a real render of a 600 dpi page takes seconds)."""
    import cv2

    from docexam.atomic import write_json
    from docexam.drill.material import document_folder
    from docexam.mrz.text import compose

    folder = document_folder(document)
    folder.mkdir(parents=True, exist_ok=True)
    for light, level in (("visible", 200), ("uv", 60), ("ir", 150)):
        cv2.imwrite(str(folder / f"{light}.jpg"), _grey(*size, level))
    holder = {"surname": "SOK", "given_names": "DARA", "document_number": f"X{document.seed % 10**8:08d}",
              "nationality": "UTO", "date_of_birth": "1990-01-31", "sex": "M", "date_of_expiry": "2030-12-01"}
    anomalies = []
    if document.forge:
        anomalies = [{"family": "personalization", "technique": document.forge, "zone": "portrait",
                      "bbox": [20, 40, 90, 140], "note": "Look here.", "mask_label": 1}]
        mask = _grey(*size, 0)[..., 0]
        mask[40:140, 20:90] = 1
        cv2.imwrite(str(folder / "mask.png"), mask)
    mrz = compose("TD3", document_code="P", issuing_state="UTO", optional="", **holder)
    write_json(folder / "doc.json", {"template": document.template, "size": list(size),
                                     "lights": ["visible", "uv", "ir"], "anomalies": anomalies,
                                     "holder": holder, "mrz": mrz, "recipe": document.recipe()})


def fake_material(travellers, *, size=(300, 200)) -> None:
    """:func:`fake_document` for each traveller's document, and a small grey counter photo."""
    import cv2

    from docexam.drill.material import photo_path

    for t in travellers:
        fake_document(t.document, size=size)
        photo = photo_path(t)
        photo.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(photo), _grey(90, 120, 120 if t.fraud != "impostor" else 80))


def fake_trials(technique: str, *, size=(200, 100)) -> None:
    """Every trial a run of ``technique`` may show, as small pictures (see :func:`fake_material`)."""
    import cv2

    from docexam.atomic import write_json
    from docexam.drill.trials import TRIAL_CROPS, TrialRecipe
    from docexam.drill.measure import VARIANTS
    from docexam.drill.staircase import LEVELS

    for level in LEVELS:
        for variant in range(VARIANTS):
            for position in range(TRIAL_CROPS):
                folder = TrialRecipe(technique, level, variant, position).folder()
                folder.mkdir(parents=True, exist_ok=True)
                cv2.imwrite(str(folder / "visible.jpg"), _grey(*size, 180))
                write_json(folder / "trial.json", {"lights": ["visible"], "size": list(size), "position": position})


def fake_render_specimen(template_id, *, seed, capture="flat", forge=None, severity=None, traveller=False):
    """A stand-in for :func:`docexam.synth.render.render_specimen` (milliseconds, not seconds): grey pages per
    light, textured by the seed; a forged page has a dark patch at its anomaly's box, darker with severity."""
    import numpy as np

    from docexam.synth.render import RenderedSpecimen

    w, h = 240, 160
    rng = np.random.default_rng(seed)
    base = rng.integers(150, 210, (h, w, 1)).astype(np.uint8)
    images = {light: np.repeat(base, 3, axis=2) + np.uint8(shift) for light, shift in
              (("visible", 30), ("uv", 0), ("ir", 10), ("transmitted", 20))}
    anomalies, mask = [], None
    if forge:
        x0, y0, x1, y1 = 100, 50, 160, 110
        for img in images.values():
            img[y0:y1, x0:x1] = np.uint8(150 - 140 * float(severity))
        anomalies = [{"family": "test", "technique": forge, "zone": "test", "bbox": [x0, y0, x1, y1]}]
        mask = np.zeros((h, w), np.uint8)
        mask[y0:y1, x0:x1] = 1
    holder = {"surname": "SOK", "given_names": "DARA", "document_number": f"X{seed % 10**8:08d}", "sex": "M",
              "nationality": "UTO", "date_of_birth": "1990-01-31", "date_of_expiry": "2030-12-01"}
    return RenderedSpecimen(images, mask, {"template": template_id, "anomalies": anomalies, "holder": holder,
                                           "mrz": []})


def install_fake_renderer(monkeypatch=None) -> None:
    """Make the drill render with :func:`fake_render_specimen` (in this process)."""
    import docexam.drill.material as material

    if monkeypatch is None:
        material.render_specimen = fake_render_specimen
    else:
        monkeypatch.setattr(material, "render_specimen", fake_render_specimen)
