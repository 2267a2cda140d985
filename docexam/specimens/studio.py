"""The specimen studio's logic: a trainer's own annotated specimens and templates.

Free of any UI so it can be tested alone; the Streamlit studio and the
examination desk call it. A trainer's specimen is saved into
``$DOCEXAM_HOME/specimens`` validated against the sidecar contract first and
written atomically, so quizzes drawn at the same moment never see half of it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import cv2
from PIL import Image

from ..i18n import Message
from ..atomic import read_text, write_json, write_png
from ..errors import InputFileError
from ..formats.lights import LIGHTS, OTHER_LIGHTS, image_name
from .model import check_specimen_name, parse_specimen
from .techniques import TECHNIQUES

__all__ = ["box_in_zone", "delete_user_specimen", "edit_user_specimen", "fit_to_template",
           "save_user_specimen", "specimen_names_taken", "templates_fitting", "zone_for_box"]


def zone_for_box(template, box: Sequence[int]) -> str | None:
    """The name of the smallest zone of ``template`` holding the centre of ``box``.

    The sidecar contract wants every anomaly inside its zone; the trainer
    draws a box, so the zone is suggested from where it is.
    """
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    hits = [z for z in template.zones if z.bbox[0] <= cx < z.bbox[2] and z.bbox[1] <= cy < z.bbox[3]]
    if not hits:
        return None
    return min(hits, key=lambda z: (z.bbox[2] - z.bbox[0]) * (z.bbox[3] - z.bbox[1])).name


def box_in_zone(template, zone: str, box: Sequence[int]) -> list[int]:
    """``box`` cut to the zone's rectangle (the contract: an anomaly lies inside its zone)."""
    z = template.zone(zone).bbox
    out = [max(box[0], z[0]), max(box[1], z[1]), min(box[2], z[2]), min(box[3], z[3])]
    if out[2] <= out[0] or out[3] <= out[1]:
        raise InputFileError(zone, Message("the box {value} does not overlap zone {zone}", value=list(box), zone=zone))
    return out


def fit_to_template(rgb, template):
    """An uploaded flat image resized to the template's size, or a readable error.

    A flat scan at another resolution keeps the template's proportions and
    only needs resizing; anything else (a photo, a page with margins) must
    be cropped to the document first, because annotation boxes are stored
    in template pixels.
    """
    h, w = rgb.shape[:2]
    tw, th = template.size_px
    if (w, h) == (tw, th):
        return rgb
    if abs((w / h) / (tw / th) - 1.0) > 0.03:
        raise InputFileError(f"{w}x{h} image", Message("not in the proportions of {id} ({tw}x{th}): choose its "
                                                       "template, or crop it to the edges of the document", id=template.id, tw=tw, th=th))
    interp = cv2.INTER_AREA if w > tw else cv2.INTER_CUBIC
    return cv2.resize(rgb, (tw, th), interpolation=interp)


def templates_fitting(data: bytes, templates) -> list[str]:
    """Ids of the templates whose proportions an uploaded image has (read from its header only)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
    except (OSError, ValueError, Image.DecompressionBombError):  # reported when it is decoded
        return []
    return [tpl.id for tpl in templates if abs((w / h) / (tpl.size_px[0] / tpl.size_px[1]) - 1.0) <= 0.03]


def specimen_names_taken(specimens: Iterable) -> set[str]:
    return {s.name for s in specimens}


def save_user_specimen(folder: Path, name: str, *, template, images: Mapping, sidecar: dict,
                       taken: Iterable[str] = ()) -> Path:
    """Write a trainer's specimen: ``NAME.png`` (+ ``.uv.png``, ``.ir.png``) and ``NAME.json``.

    The sidecar is validated against the contract and the template *before*
    anything is written, images are written atomically, and the sidecar
    last, so a reader (a quiz being drawn at the same moment) never sees a
    sidecar without its images, and a refused specimen leaves nothing
    behind.

    Parameters
    ----------
    folder : Path
        ``$DOCEXAM_HOME/specimens``.
    images : mapping
        light -> uint8 RGB array in template geometry (``visible`` required).
    taken : iterable of str
        Names already used (library and trainer specimens): item ids are made
        from names, so a name must mean one document.

    Raises
    ------
    DocexamError
        A bad name, a name taken, a sidecar the contract refuses.
    """
    try:
        check_specimen_name(name)
    except ValueError as exc:
        raise InputFileError(name, str(exc)) from None
    if name in set(taken) or (Path(folder) / f"{name}.json").exists():
        raise InputFileError(name, Message("a specimen with this name exists already; choose another name"))
    if "visible" not in images:
        raise InputFileError(name, Message("the visible-light image is required"))
    sidecar_path = Path(folder) / f"{name}.json"
    parse_specimen(sidecar, sidecar_path, template=template)  # raises InvalidFieldError naming the field
    for light, rgb in images.items():
        if rgb.shape[1::-1] != tuple(template.size_px):
            raise InputFileError(f"{name} ({light})", Message("image is not in template geometry"))
    written = []
    try:
        for light in OTHER_LIGHTS:
            if light in images:
                written.append(write_png(Path(folder) / image_name(name, light), images[light]))
        written.append(write_png(Path(folder) / image_name(name, "visible"), images["visible"]))
        return write_json(sidecar_path, sidecar)
    except BaseException:
        for path in written:  # nothing half-saved
            Path(path).unlink(missing_ok=True)
        raise


def _own_sidecar(folder: Path, name: str) -> tuple[Path, dict]:
    """The path and content of a trainer's specimen sidecar (``name`` checked: no path can be built from it)."""
    try:
        check_specimen_name(name)
    except ValueError as exc:
        raise InputFileError(name, str(exc)) from None
    path = Path(folder) / f"{name}.json"
    if not path.is_file():
        raise InputFileError(path, Message("no such trainer's specimen"))
    try:
        return path, json.loads(read_text(path))
    except ValueError as exc:
        raise InputFileError(path, Message("not valid JSON ({exc})", exc=exc)) from None


def edit_user_specimen(folder: Path, name: str, *, template, holder: Mapping | None = None,
                       mrz: Sequence[str] | None = None, anomalies: Sequence[Mapping] | None = None,
                       when: dt.date | None = None) -> Path:
    """Change what a trainer's specimen says; its pictures and boxes stay.

    Parameters
    ----------
    holder : mapping, optional
        Holder fields to change (the others stay).
    mrz : sequence of str, optional
        The MRZ lines (empty: none).
    anomalies : sequence of mapping, optional
        One ``{"technique", "zone", "note"}`` per anomaly, in order: the
        family follows the technique, the box is cut to the new zone.

    Answers already given keep their scores: the record stores each
    answer's score, not the key. The sidecar is validated before it is
    written (atomically), so a refused edit changes nothing.

    Raises
    ------
    DocexamError
        No such specimen, an anomaly list of another length, a technique
        unknown, a box outside the new zone, or a sidecar the contract refuses.
    """
    path, data = _own_sidecar(folder, name)
    data = dict(data)
    if holder:
        data["holder"] = {**data.get("holder", {}), **{k: str(v).strip() for k, v in holder.items()}}
    if mrz is not None:
        data["mrz"] = [str(line).strip() for line in mrz if str(line).strip()]
    if anomalies is not None:
        old = list(data.get("anomalies", []))
        if len(anomalies) != len(old):
            raise InputFileError(path, Message("{n} anomalies given for {n2}", n=len(anomalies), n2=len(old)))
        new = []
        for i, (before, change) in enumerate(zip(old, anomalies)):
            technique = change.get("technique", before.get("technique"))
            if technique not in TECHNIQUES:
                raise InputFileError(path, Message("anomaly {n}: {technique!r} is not a technique", n=i + 1, technique=technique))
            zone = change.get("zone", before["zone"])
            new.append({**before, "technique": technique, "family": TECHNIQUES[technique].family, "zone": zone,
                        "bbox": box_in_zone(template, zone, before["bbox"]),
                        "note": str(change.get("note", before.get("note", ""))).strip()})
        data["anomalies"] = new
    data["edited"] = (when or dt.date.today()).isoformat()
    parse_specimen(data, path, template=template)  # raises InvalidFieldError naming the field
    return write_json(path, data)


def delete_user_specimen(folder: Path, name: str) -> list[Path]:
    """Remove a trainer's specimen: its sidecar first (quizzes stop seeing it at once), then its pictures.

    The caller checks that nobody ever answered a question about it (else
    it is retired instead: an answer keeps its document). Returns the files
    removed.
    """
    path, data = _own_sidecar(folder, name)
    files = [Path(folder) / image_name(name, light) for light in LIGHTS]
    mask = data.get("mask")
    if isinstance(mask, str) and Path(mask).name == mask:  # a file beside the sidecar, never a path
        files.append(Path(folder) / mask)
    path.unlink()
    removed = [path]
    for file in files:
        if file.is_file():
            file.unlink()
            removed.append(file)
    return removed

