"""A tiny template and specimen library built in code, for the lesson and assessment tests.

Never depends on the renderer: images are flat grey PNGs, masks are drawn
with numpy, sidecars are written as JSON. Imported by the other
``test_lessons*`` and ``test_assessment*`` modules.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from docexam.atomic import write_json, write_png
from docexam.mrz.text import compose

TEMPLATE_ID = "demo-td3"
SIZE = (300, 200)
ZONES = [
    {"name": "background", "kind": "background", "bbox": [0, 0, 300, 200]},
    {"name": "portrait", "kind": "portrait", "bbox": [20, 40, 90, 140]},
    {"name": "ghost", "kind": "ghost-portrait", "bbox": [230, 40, 280, 90]},
    {"name": "surname", "kind": "field", "bbox": [100, 40, 220, 55]},
    {"name": "date-of-birth", "kind": "field", "bbox": [100, 60, 220, 75]},
    {"name": "guilloche-band", "kind": "security-print", "bbox": [100, 100, 290, 130]},
    {"name": "microprint-line", "kind": "microprint", "bbox": [100, 132, 290, 138]},
    {"name": "mrz", "kind": "mrz", "bbox": [10, 150, 290, 195]},
]

HOLDERS = {
    "ann": {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
            "nationality": "UTO", "date_of_birth": "1974-08-12", "sex": "F", "date_of_expiry": "2032-04-15"},
    "bo": {"surname": "SOK", "given_names": "DARA", "document_number": "X12345678",
           "nationality": "UTO", "date_of_birth": "1990-01-31", "sex": "M", "date_of_expiry": "2030-12-01"},
    "chan": {"surname": "CHAN", "given_names": "SREY", "document_number": "K0000042",
             "nationality": "UTO", "date_of_birth": "1985-06-15", "sex": "F", "date_of_expiry": "2029-02-28"},
}


def mrz_for(holder: dict) -> list[str]:
    return compose("TD3", document_code="P", issuing_state="UTO", optional="", **holder)


def write_template(home: Path) -> Path:
    folder = home / "templates" / TEMPLATE_ID
    grey = np.full((SIZE[1], SIZE[0], 3), 200, np.uint8)
    write_png(folder / "visible.png", grey)
    write_png(folder / "uv.png", grey // 4)
    write_json(folder / "template.json", {
        "id": TEMPLATE_ID, "name": "Demo passport (test)", "format": "TD3", "dpi": 100,
        "size_px": list(SIZE), "images": {"visible": "visible.png", "uv": "uv.png"}, "zones": ZONES})
    return folder


def write_specimen(folder: Path, name: str, *, holder: str = "ann", anomalies=(), capture: str = "flat",
                   mrz: list[str] | None = None, mask_regions=None, uv: bool = True,
                   traveller: dict | None = None) -> None:
    """One specimen: PNG(s), optional mask (label n drawn in box n), sidecar."""
    grey = np.full((SIZE[1], SIZE[0], 3), 190, np.uint8)
    write_png(folder / f"{name}.png", grey)
    if uv:
        write_png(folder / f"{name}.uv.png", grey // 3)
    data = {"template": TEMPLATE_ID, "authentic": not anomalies, "capture": {"kind": capture},
            "holder": HOLDERS[holder], "mrz": mrz if mrz is not None else mrz_for(HOLDERS[holder]),
            "anomalies": [dict(a) for a in anomalies]}
    if mask_regions:
        mask = np.zeros((SIZE[1], SIZE[0]), np.uint8)
        for label, (x0, y0, x1, y1) in mask_regions.items():
            mask[y0:y1, x0:x1] = label
        write_png(folder / f"{name}.mask.png", mask)
        data["mask"] = f"{name}.mask.png"
    if traveller is not None:
        write_png(folder / f"{name}.traveller.png", grey)
        data["traveller"] = {"image": f"{name}.traveller.png", **traveller}
    write_json(folder / f"{name}.json", data)


def corrupt_dob_check(lines: list[str]) -> list[str]:
    """The MRZ with a wrong date-of-birth check digit and a composite that still verifies."""
    from docexam.mrz.text import parse

    line2 = lines[1]
    wrong = str((int(line2[19]) + 3) % 10)
    line2 = line2[:19] + wrong + line2[20:]
    for d in "0123456789":
        candidate = [lines[0], line2[:43] + d]
        if parse(candidate).checks["composite"]:
            return candidate
    raise AssertionError("no composite digit verifies")


def build_library(home: Path, folder: Path) -> Path:
    """Template in ``home``; in ``folder``: 3 genuine and 5 forged specimens."""
    write_template(home)
    folder.mkdir(parents=True, exist_ok=True)
    write_specimen(folder, "g1", holder="ann")
    write_specimen(folder, "g2", holder="bo")
    write_specimen(folder, "g3-phone", holder="chan", capture="phone", uv=False)
    write_specimen(folder, "f-photo", holder="bo", anomalies=[
        {"family": "personalization", "technique": "photo-substitution", "zone": "portrait",
         "bbox": [25, 45, 85, 135], "note": "The photo has cut edges.", "severity": 0.8, "mask_label": 1}],
        mask_regions={1: (30, 50, 80, 130)})
    write_specimen(folder, "f-halftone", holder="chan", anomalies=[
        {"family": "printing", "technique": "halftone-reproduction", "zone": "guilloche-band",
         "bbox": [100, 100, 290, 130], "note": "Lines made of colour dots.", "severity": 0.3}])
    write_specimen(folder, "f-multi", holder="ann", anomalies=[
        {"family": "substrate", "technique": "erasure", "zone": "surname",
         "bbox": [100, 40, 220, 55], "note": "Washed field.", "mask_label": 1},
        {"family": "personalization", "technique": "data-alteration", "zone": "date-of-birth",
         "bbox": [100, 60, 220, 75], "note": "Different font.", "mask_label": 2}],
        mask_regions={1: (100, 40, 220, 55), 2: (150, 62, 200, 73)})
    write_specimen(folder, "f-mrz", holder="bo", mrz=corrupt_dob_check(mrz_for(HOLDERS["bo"])), anomalies=[
        {"family": "personalization", "technique": "mrz-inconsistency", "zone": "mrz",
         "bbox": [10, 150, 290, 195], "note": "A check digit is wrong."}])
    write_specimen(folder, "f-phone", holder="chan", capture="phone", uv=False, anomalies=[
        {"family": "substrate", "technique": "wrong-substrate", "zone": "background",
         "bbox": [0, 0, 300, 200], "note": "Office paper glows under UV."}])
    write_specimen(folder, "f-impostor", holder="ann", anomalies=[
        {"family": "personalization", "technique": "impostor", "zone": "portrait",
         "bbox": [20, 40, 90, 140], "note": "Another person presents it."}],
        traveller={"same_person": False, "similarity": 0.6, "changes": ["glasses", "light"],
                   "differences": ["ears"]})
    return folder


def test_library_loads(tmp_path, docexam_home):
    from docexam.lessons.source import load_specimen_folder

    specimens = load_specimen_folder(build_library(docexam_home, tmp_path / "lib"))
    assert [s.name for s in specimens] == ["f-halftone", "f-impostor", "f-mrz", "f-multi", "f-phone", "f-photo",
                                           "g1", "g2", "g3-phone"]
    assert json.loads((tmp_path / "lib" / "f-photo.json").read_text())["mask"] == "f-photo.mask.png"
