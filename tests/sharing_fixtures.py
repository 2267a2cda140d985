"""Content a trainer makes, built in code: a small template, specimens, an alert, a lesson, a drill."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np

from docexam.atomic import write_json, write_png, write_text
from docexam.paths import docexam_home, lessons_dir

TEMPLATE = {"id": "demo-card", "name": "Demo card", "format": "TD3", "dpi": 60, "size_px": [300, 210],
            "images": {"visible": "visible.png"},
            "zones": [{"name": "portrait", "kind": "portrait", "bbox": [10, 40, 100, 160]},
                      {"name": "mrz", "kind": "mrz", "bbox": [0, 170, 300, 210]}]}
HOLDER = {"surname": "ERIKSSON", "given_names": "ANNA", "document_number": "L898902C3", "nationality": "UTO",
          "date_of_birth": "1974-08-12", "sex": "F", "date_of_expiry": "2030-04-15"}


def _image(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 255, size=(210, 300, 3), dtype=np.uint8)


def make_template(home=None) -> None:
    folder = (home or docexam_home()) / "templates" / TEMPLATE["id"]
    write_png(folder / "visible.png", _image(1))
    write_json(folder / "template.json", TEMPLATE)


def make_specimen(name: str, *, forged: bool = True, seed: int = 2, lights=("visible", "uv"), home=None) -> None:
    folder = (home or docexam_home()) / "specimens"
    for light in lights:
        write_png(folder / (f"{name}.png" if light == "visible" else f"{name}.{light}.png"), _image(seed + len(light)))
    anomalies = [{"family": "personalization", "technique": "photo-substitution", "zone": "portrait",
                  "bbox": [20, 50, 90, 150], "note": "The photo's edges are cut."}] if forged else []
    write_json(folder / f"{name}.json", {"template": TEMPLATE["id"], "authentic": not forged,
                                         "capture": {"kind": "flat"}, "holder": HOLDER, "mrz": [],
                                         "anomalies": anomalies, "source": "specimen studio"})


def make_alert(alert_id: str = "demo-photo-swap", specimen: str = "demo-forged", home=None, **changes) -> dict:
    data = {"format": "docexam-alert", "version": 1, "id": alert_id, "title": "Photo swapped on demo cards",
            "title_km": "រូបថតត្រូវបានប្តូរ", "specimen": specimen, "imitates": "Demo card, 2024 issue",
            "seen_where": "Poipet checkpoint", "seen_when": "November 2026",
            "what_to_check": ["Edges of the photo under raking light", "The UV emblem crossing the photo"],
            "what_to_check_km": ["គែមរូបថត"], "department": "Immigration, Banteay Meanchey",
            "raised_at": dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.timezone.utc).isoformat()}
    data.update(changes)
    write_json((home or docexam_home()) / "alerts" / f"{alert_id}.json", data)
    return data


def make_lesson(home=None) -> None:
    text = (lessons_dir() / "07-forgeries-review.toml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("id = ")
    write_text((home or docexam_home()) / "lessons" / "demo-review.toml",
               text.replace(first, 'id = "demo-review"', 1))


DRILL = """id = "night-shift"
title = "Night shift at Poipet"
title_km = "វេនយប់នៅប៉ោយប៉ែត"
summary = "A few late buses; one traveller is not who the passport says."
border = "land"
queue = 10
prevalence = 0.1
time_budget_min = 20
[documents]
passport = 1
[fraud]
impostor = 1
[[stories]]
id = "visitor"
who = "A visitor"
purpose = "Visiting my sister."
stay = "Two nights at her house."
occupation = "Teacher."
ticket = "I paid; my sister meets me."
"""


def make_drill(home=None) -> None:
    """A trainer's own drill scenario (a valid one: an import checks it as the drill page reads it)."""
    write_text((home or docexam_home()) / "drills" / "night-shift.toml", DRILL)


def make_all(home=None) -> None:
    make_template(home)
    make_specimen("demo-forged", home=home)
    make_specimen("demo-genuine", forged=False, seed=5, lights=("visible",), home=home)
    make_alert(home=home)
    make_lesson(home)
    make_drill(home)


def tree(home) -> dict[str, bytes]:
    """Every file under ``home`` but the sharing room's own and the keys: what an import may change."""
    skip = (".sharing", "keys", "docexam.sqlite3")
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and not str(p.relative_to(home)).startswith(skip)}


def copy_home(src, dest) -> None:
    shutil.copytree(src, dest)
