"""Trainers' own templates: turn a genuine specimen image into a template.

``docexam template add`` (``docs/formats.md``) calls :func:`add_template`: a
trainer gives a real specimen image (ideally a flat scan, personalization
present), its format and its zones, and gets a template that ``docexam
examine --template ID`` uses like a shipped one. Before anything is written
the images are decoded, the zones are checked against the image, and a
simulated phone photo of the image must register back to it (a template
that cannot be aligned to would make every examination ``inconclusive``).

:func:`check_alignment` is the same question for a second, real image: can
this capture be aligned to the template? The UI asks it when a trainer
registers a template from a genuine specimen.

Such templates differ from the shipped, synthetic ones: ``"synthetic":
false`` in ``template.json``, and the reference image shows *a* holder's
portrait, data and MRZ, not blank areas.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DocexamError, InputFileError, OutputError
from ..formats.lights import OTHER_LIGHTS
from ..paths import docexam_home, shipped_templates_dir
from .model import FORMATS, Template, Zone, _read_json, load_template, parse_zones

__all__ = ["AddedTemplate", "AlignmentCheck", "AuthoringError", "FORMAT_SIZE_MM",
           "SELF_CHECK_SEED", "add_template", "check_alignment"]

#: nominal page size (width, height) in mm of each ICAO 9303 format
FORMAT_SIZE_MM = {"TD1": (85.6, 54.0), "TD2": (105.0, 74.0), "TD3": (125.0, 88.0)}
#: seed of the simulated phone capture of the self-check (fixed: same image, same verdict)
SELF_CHECK_SEED = 0
#: largest acceptable true alignment error of the self-check at the zone corners
#: (template pixels); a registration that reports success but misses by more
#: found the wrong pose (a repetitive design) and must not be trusted
MAX_TRUE_ERROR_PX = 3.0
#: a file's dpi is believed only when it puts the page width within this
#: factor range of the format's width: 72 and 96 dpi are often just a default
#: written by the software, not the scan's resolution
_METADATA_DPI_PLAUSIBLE = (0.9, 1.6)
_DPI_RANGE = (50, 4800)
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ID_MAX = 63
_STAGING_PREFIX = ".incoming-"


class AuthoringError(DocexamError, ValueError):
    """A template cannot be added: bad argument, id taken, image unusable.

    Also a :class:`ValueError`, so Python callers may catch either. The
    message is one line naming the parameter or file and the problem.
    """


# --------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class AlignmentCheck:
    """Whether a capture could be aligned to a template, and how well.

    Attributes
    ----------
    ok : bool
        The registration passed its sanity checks (and, for the self-check,
        its true error is within :data:`MAX_TRUE_ERROR_PX`).
    reprojection_error_px : float
        The registration's own error estimate, template pixels (``inf`` when
        nothing could be estimated).
    true_error_px : float or None
        Self-check only (the capture's homography is known): the largest
        distance, in template pixels, between the zone corners and where the
        registration puts them. ``None`` for a real capture.
    true_error_rms_px : float or None
        Root mean square of the same distances.
    reason : str
        Empty when ``ok``; otherwise why, in plain words.
    registration : docexam.examine.register.Registration
        The full result (homography image -> template, inliers, timings).
    """

    ok: bool
    reprojection_error_px: float
    true_error_px: float | None
    true_error_rms_px: float | None
    reason: str
    registration: object

    def as_dict(self) -> dict:
        def num(v):
            return round(float(v), 3) if v is not None and np.isfinite(v) else None

        return {"ok": self.ok, "reprojection_error_px": num(self.reprojection_error_px),
                "true_error_px": num(self.true_error_px), "true_error_rms_px": num(self.true_error_rms_px),
                "reason": self.reason}


@dataclass(frozen=True)
class AddedTemplate:
    """What :func:`add_template` wrote.

    Attributes
    ----------
    template : Template
        The new template, loaded back from its folder.
    dpi_source : {"option", "metadata", "estimated"}
        Where ``template.dpi`` came from.
    self_check : AlignmentCheck
        The registration of the simulated phone capture (seed :data:`SELF_CHECK_SEED`).
    replaced : bool
        An existing user template of that id was replaced.
    notes : tuple of str
        Things the trainer should know (an ignored dpi, an odd aspect ratio).
    """

    template: Template
    dpi_source: str
    self_check: AlignmentCheck
    replaced: bool
    notes: tuple[str, ...] = ()

    @property
    def folder(self) -> Path:
        return self.template.folder

    def as_dict(self) -> dict:
        t = self.template
        return {"id": t.id, "folder": str(t.folder), "format": t.format, "dpi": t.dpi,
                "dpi_source": self.dpi_source, "size_px": list(t.size_px), "lights": list(t.lights),
                "zones": len(t.zones), "replaced": self.replaced,
                "self_check": self.self_check.as_dict() | {"seed": SELF_CHECK_SEED, "capture": "phone"},
                "notes": list(self.notes)}


# --------------------------------------------------------------------------
# checks of the arguments


def _check_id(template_id, *, replace: bool, root: Path) -> bool:
    """Validate the id; return True when it names an existing user template to replace."""
    if not isinstance(template_id, str) or not _ID_RE.match(template_id) or len(template_id) > _ID_MAX:
        raise AuthoringError(f"id {template_id!r}: use lower-case letters, digits and single hyphens "
                             f"(kebab-case, at most {_ID_MAX} characters), e.g. 'xyz-td3-2019'")
    shipped = shipped_templates_dir() / template_id
    if shipped.exists():
        # a user template of that id would hide the shipped one everywhere
        raise AuthoringError(f"id {template_id!r} is already used by a shipped template ({shipped}); "
                             "choose another id")
    mine = root / template_id
    if mine.exists() or mine.is_symlink():
        if not replace:
            raise AuthoringError(f"id {template_id!r} is already used by a user template ({mine}); "
                                 "choose another id or add --replace")
        if not mine.is_dir() or mine.is_symlink():
            raise AuthoringError(f"{mine}: exists and is not a template folder; remove it by hand")
        return True
    return False


def _check_dpi(dpi) -> int | None:
    if dpi is None:
        return None
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) or not _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1]:
        raise AuthoringError(f"dpi {dpi!r}: expected an integer from {_DPI_RANGE[0]} to {_DPI_RANGE[1]}")
    return int(dpi)


def _resolve_dpi(dpi: int | None, metadata: float | None, width_px: int, fmt: str) -> tuple[int, str, list[str]]:
    """The template's dpi and where it came from; notes for the trainer."""
    notes = []
    width_in = FORMAT_SIZE_MM[fmt][0] / 25.4
    if dpi is not None:
        return dpi, "option", notes
    if metadata:
        page = width_px / metadata / width_in  # image width in format widths
        lo, hi = _METADATA_DPI_PLAUSIBLE
        if lo <= page <= hi and _DPI_RANGE[0] <= metadata <= _DPI_RANGE[1]:
            return int(round(metadata)), "metadata", notes
        notes.append(f"ignored the file's {metadata:.0f} dpi: it would make the image "
                     f"{width_px / metadata * 25.4:.0f} mm wide, a {fmt} page is {FORMAT_SIZE_MM[fmt][0]:g} mm")
    estimate = int(round(width_px / width_in))
    if estimate < _DPI_RANGE[0]:
        raise AuthoringError(f"the image is only {width_px} px wide: about {estimate} dpi for a {fmt} page, "
                             f"below the {_DPI_RANGE[0]} dpi a template needs")
    notes.append(f"dpi estimated as {estimate} from the image width and the {fmt} page width "
                 f"({FORMAT_SIZE_MM[fmt][0]:g} mm); give --dpi if the image is not cropped to the page")
    return min(estimate, _DPI_RANGE[1]), "estimated", notes


def _load(source, label: str):
    from ..imaging import load_image

    if isinstance(source, (bytes, bytearray, memoryview)):
        return load_image(source, name=label)
    return load_image(source)


def _read_zones(zones, size: tuple[int, int]) -> tuple[Zone, ...]:
    if isinstance(zones, (str, os.PathLike)):
        path = Path(zones)
        if path.is_dir():
            raise InputFileError(path, "is a folder, not a ZONES.json file")
        # a syntax error is reported with its line by _read_json
        return parse_zones(_read_json(path), path, size=size)
    return parse_zones(zones, "zones", size=size)


# --------------------------------------------------------------------------
# alignment


def _zone_corners(zones) -> np.ndarray:
    pts = []
    for z in zones:
        x0, y0, x1, y1 = z.bbox
        # centres of the zone's corner pixels (x1, y1 are exclusive)
        pts += [(x0, y0), (x1 - 1, y0), (x1 - 1, y1 - 1), (x0, y1 - 1)]
    return np.array(pts, np.float64).reshape(-1, 2)


def _project(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    q = np.c_[pts, np.ones(len(pts))] @ np.asarray(h, np.float64).T
    return q[:, :2] / q[:, 2:3]


def _self_check(rgb: np.ndarray, zones, dpi: int) -> AlignmentCheck:
    """Register a simulated phone photo of ``rgb`` back to it; measure the true error."""
    from ..examine.register import register
    from ..synth.capture import simulate_capture

    capture = simulate_capture({"visible": rgb}, kind="phone", seed=SELF_CHECK_SEED, dpi=dpi)
    reg = register(capture.images["visible"], rgb)
    corners = _zone_corners(zones)
    back = _project(reg.homography, _project(capture.homography, corners))
    dist = np.linalg.norm(back - corners, axis=1)
    true_max, true_rms = float(dist.max()), float(np.sqrt(np.mean(dist ** 2)))
    if not np.isfinite(true_max):
        true_max = true_rms = float("inf")
    ok, reason = bool(reg.ok), reg.reason
    if ok and true_max > MAX_TRUE_ERROR_PX:
        ok, reason = False, (f"the alignment found a wrong pose (zone corners off by up to {true_max:.1f} px): "
                             "the design may repeat itself")
    return AlignmentCheck(ok, float(reg.reprojection_error_px), true_max, true_rms, reason, reg)


def check_alignment(template: Template, image) -> AlignmentCheck:
    """Can this capture of the document be aligned to the template?

    Parameters
    ----------
    template : Template
        The template (shipped or a trainer's own), e.g. from
        :func:`~docexam.specimens.registry.find_template`.
    image : path, bytes or ndarray
        A second image of the document (scan or phone photo): a file, an
        upload's bytes, or a uint8 RGB array.

    Returns
    -------
    AlignmentCheck
        ``ok``, the registration's ``reprojection_error_px`` and ``reason``
        (``true_error_px`` is ``None``: the true pose of a real capture is unknown).

    Raises
    ------
    InputFileError
        The image (or the template's reference image) cannot be decoded.
    ValueError
        ``template`` is not a Template or ``image`` is not an image.
    """
    from ..examine.register import register

    if not isinstance(template, Template):
        raise ValueError(f"template: expected a Template, got {type(template).__name__}")
    if isinstance(image, np.ndarray):
        if image.dtype != np.uint8 or image.ndim not in (2, 3):
            raise ValueError(f"image: expected a uint8 gray or RGB array, got {image.dtype} {image.shape}")
        rgb = image
    else:
        rgb = _load(image, "image").rgb
    reference = _load(template.image_path("visible"), "reference").rgb
    reg = register(rgb, reference)
    return AlignmentCheck(bool(reg.ok), float(reg.reprojection_error_px), None, None, reg.reason, reg)


def _measure_mrz(rgb: np.ndarray, zones, fmt: str) -> tuple[dict | None, list[str], str]:
    """Find the MRZ inside the ``mrz`` zone: (``mrz_layout`` for template.json, lines, note).

    The examination reads a template's MRZ where ``mrz_layout`` says the
    characters are (origin: left edge of the first character cell on the
    first line's baseline; pitch; line pitch). The shipped templates know it
    from their design; for a real specimen it is measured here by reading
    the MRZ, and kept only when reading again at that layout gives the same
    valid lines (so a wrong layout is never stored).
    """
    mrz_zones = [z for z in zones if z.kind == "mrz"]
    if not mrz_zones:
        return None, [], "no zone of kind mrz: examine will not read the MRZ"
    try:
        from ..mrz.correct import decode
        from ..mrz.glyphs import INK_MARGIN_PER_PITCH
        from ..mrz.reader import read_line, read_mrz
        from ..mrz.segment import LineGeometry
        from ..mrz.text import SHAPES, parse
    except ImportError:  # pragma: no cover - the MRZ reader ships with the examination
        return None, [], "the MRZ reader is not available: the MRZ layout was not measured"
    rows, cols = SHAPES[fmt]
    x0, y0, x1, y1 = mrz_zones[0].bbox
    h, w = rgb.shape[:2]
    # read a crop around the zone: faster than the page, and the MRZ must be in the zone
    m = max(8, (y1 - y0) // 4)
    cx0, cy0, cx1, cy1 = max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m)
    gray = rgb[cy0:cy1, cx0:cx1].min(axis=2)
    if min(gray.shape) < 16:
        return None, [], f"zone {mrz_zones[0].name!r} is too small to hold an MRZ: examine will not read the MRZ"
    failed = (f"the MRZ could not be read in zone {mrz_zones[0].name!r}: "
              "the MRZ layout is not stored and examine will not read the MRZ")
    reading = read_mrz(gray, formats=(fmt,), rotations=(0,))
    if not reading.found or reading.parsed is None or not reading.parsed.valid or reading.quad is None:
        return None, [], failed
    q = np.asarray(reading.quad, np.float64) + [cx0, cy0]
    # the reader's outline spans exactly `cols` pitches across and, top to
    # bottom, (rows - 1) line pitches plus 1.5 capital heights; an OCR-B
    # capital is 0.98 pitch high
    pitch = float(np.linalg.norm(q[1] - q[0])) / cols
    cap = 0.98 * pitch
    top, bottom = (q[0, 1] + q[1, 1]) / 2, (q[2, 1] + q[3, 1]) / 2
    line_pitch = (bottom - top - 1.5 * cap) / max(1, rows - 1)
    ox, oy = float(q[0, 0]), float(top + 1.25 * cap)
    if not (x0 - pitch <= q[:, 0].min() and q[:, 0].max() <= x1 + pitch
            and y0 - pitch <= q[:, 1].min() and q[:, 1].max() <= y1 + pitch):
        return None, [], f"the MRZ found lies outside zone {mrz_zones[0].name!r}: the MRZ layout is not stored"
    page = rgb.min(axis=2)
    scores = []
    for r in range(rows):
        y = oy + r * line_pitch - cap / 2
        geom = LineGeometry((ox + INK_MARGIN_PER_PITCH * pitch, y), (ox + (cols - INK_MARGIN_PER_PITCH) * pitch, y),
                            cap, cap, pitch)
        line = read_line(page, geom, n_chars=cols)
        scores.append((line[0] if isinstance(line, tuple) else line).scores)
    again = decode(scores, fmt, max_cost=0.0).lines
    if list(again) != list(reading.lines) or not parse(again, fmt=fmt).valid:
        return None, list(reading.lines), failed
    layout = {"origin": [round(ox, 1), round(oy, 1)], "pitch_px": round(pitch, 3),
              "line_pitch_px": round(float(line_pitch), 2)}
    return layout, list(reading.lines), "MRZ read (every check digit valid); its layout is stored for examine"


# --------------------------------------------------------------------------
# the public call


def add_template(*, template_id: str, name: str, fmt: str, visible, uv=None, ir=None, zones,
                 dpi: int | None = None, replace: bool = False, home=None) -> AddedTemplate:
    """Register a genuine specimen image as a new user template.

    Parameters
    ----------
    template_id : str
        Lower-case kebab-case id, not used by a shipped template nor (unless
        ``replace``) by a user template.
    name : str
        Human-readable name, one line.
    fmt : {"TD1", "TD2", "TD3"}
        The document's ICAO 9303 format.
    visible : path or bytes
        The specimen under visible light: ideally a flat scan cropped to
        the page, personalization present. Any format :func:`~docexam.imaging.load_image`
        reads; it is stored as PNG (EXIF orientation applied).
    uv, ir : path or bytes, optional
        The same page under UV and IR light, in the same geometry (same size).
    zones : path or list of dict
        ZONES.json, or its content: a list of ``{"name", "kind", "bbox"}``
        as in ``template.json``, in the visible image's pixels.
    dpi : int, optional
        Resolution of the images. Default: the file's metadata when it is
        plausible for the format, else estimated from the image width and
        the format's page width (:data:`FORMAT_SIZE_MM`).
    replace : bool, optional
        Replace an existing *user* template of this id (never a shipped one).
    home : path, optional
        The user data folder (default :func:`~docexam.paths.docexam_home`);
        the template goes to ``home/templates/ID``.

    Returns
    -------
    AddedTemplate
        The template loaded back from disk, the self-check figures and notes.

    Raises
    ------
    AuthoringError
        Bad id (or already used), name, format or dpi, or the simulated
        phone capture does not register back. Also a ``ValueError``.
    InputFileError
        An image or ZONES.json cannot be read or is invalid (an
        :class:`~docexam.errors.InvalidFieldError` names the field, and the
        line for a JSON syntax error).
    OutputError
        The template folder cannot be written.

    Nothing is written unless every check passes; the folder appears in
    one step (built under a staging folder, then renamed into place).
    """
    from ..atomic import ensure_dir, write_png
    from .model import save_template

    root = Path(home).expanduser() / "templates" if home is not None else docexam_home() / "templates"
    replacing = _check_id(template_id, replace=replace, root=root)
    if not isinstance(name, str) or not name.strip() or "\n" in name or len(name) > 200:
        raise AuthoringError(f"name {name!r}: expected one line of text (at most 200 characters)")
    if fmt not in FORMATS:
        raise AuthoringError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    dpi = _check_dpi(dpi)

    loaded = {"visible": _load(visible, "visible image")}
    for light, source in (("uv", uv), ("ir", ir)):
        if source is not None:
            loaded[light] = _load(source, f"{light} image")
    w, h = loaded["visible"].size
    for light in OTHER_LIGHTS:
        if light in loaded and loaded[light].size != (w, h):
            lw, lh = loaded[light].size
            raise AuthoringError(f"{loaded[light].source}: the {light.upper()} image is {lw}x{lh} px, "
                                 f"the visible image {w}x{h} px: give the {light.upper()} image "
                                 "in the same geometry (same crop, same size)")
    zone_list = _read_zones(zones, (w, h))
    dpi, dpi_source, notes = _resolve_dpi(dpi, loaded["visible"].dpi, w, fmt)
    aspect, nominal = w / h, FORMAT_SIZE_MM[fmt][0] / FORMAT_SIZE_MM[fmt][1]
    if abs(aspect / nominal - 1) > 0.15:
        notes.append(f"the image's aspect ratio ({aspect:.2f}) is far from a {fmt} page's ({nominal:.2f}): "
                     "is it cropped to the page, and is the format right?")
    if loaded["visible"].exif_transposed:
        notes.append("the image was rotated as its EXIF orientation says; zones are in the rotated image")

    check = _self_check(loaded["visible"].rgb, zone_list, dpi)
    if not check.ok:
        raise AuthoringError(f"{loaded['visible'].source}: a simulated phone photo of this image does not align "
                             f"back to it ({check.reason}); a template needs a sharp image of the printed "
                             "design with detail all over the page")

    layout, mrz_lines, mrz_note = _measure_mrz(loaded["visible"].rgb, zone_list, fmt)
    notes.append(mrz_note)
    extra = {
        "synthetic": False,
        "size_mm": list(FORMAT_SIZE_MM[fmt]),
        "dpi_source": dpi_source,
        "source": {"visible": Path(loaded["visible"].source).name, "format": loaded["visible"].format},
        "self_check": check.as_dict() | {"seed": SELF_CHECK_SEED, "capture": "phone"},
    }
    if layout is not None:
        extra["mrz_layout"] = layout
        extra["reference_mrz"] = mrz_lines  # what the reference holder's MRZ says
    final = root / template_id
    ensure_dir(root)
    # Build the whole folder inside a hidden staging folder of the same parent,
    # then rename it into place: the rename is atomic (same file system), and
    # the registry, which lists sub-folders holding a template.json, never
    # sees the half-built one (it sits one level deeper).
    try:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise OutputError(root, f"cannot write ({exc.strerror or exc})") from None
    try:
        build = staging / template_id
        build.mkdir()
        images = {light: f"{light}.png" for light in loaded}
        for light, img in loaded.items():
            write_png(build / images[light], img.rgb)
        tpl = Template(template_id, name.strip(), fmt, dpi, (w, h), images, zone_list, build, extra)
        save_template(tpl)
        load_template(build)  # what examine will read must validate
        _move_into_place(build, final, staging, replacing=replacing)
    except OSError as exc:
        raise OutputError(final, f"cannot create the template folder ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return AddedTemplate(load_template(final), dpi_source, check, replacing, tuple(notes))


def _move_into_place(build: Path, final: Path, staging: Path, *, replacing: bool) -> None:
    """Rename the built folder to ``final`` (moving an old one into ``staging`` first)."""
    old = staging / "replaced"
    if replacing:
        # there is no portable atomic swap of two folders: the id is missing
        # for the instant between these two renames, never half-written
        os.rename(final, old)
    try:
        os.rename(build, final)
    except OSError:
        if replacing:
            os.rename(old, final)
        elif final.exists():  # another process added this id meanwhile
            raise AuthoringError(f"id {final.name!r} was added by someone else meanwhile ({final})") from None
        raise
