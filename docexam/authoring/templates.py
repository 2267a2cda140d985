"""Trainers' own templates: turn genuine specimen images into a template.

``docexam template add`` (``docs/formats.md``) calls :func:`add_template`: a
trainer gives a real specimen image (ideally a flat scan, personalization
present), its format and its zones, and gets a template that ``docexam
examine --template ID`` uses like a shipped one. Before anything is written
the images are decoded, the zones are checked against the image, and a
simulated phone photo of the image must register back to it (a template
that cannot be aligned to would make every examination ``inconclusive``).

Several genuine images may be given (``--visible`` more than once, or a
folder): the first is the reference (the zones are in its pixels); the
others, other genuine copies or captures of the document, are aligned to
it and their differences from it become part of the genuine variation the
examination allows (:func:`docexam.examine.variation.from_images`).

When the template is written, what the examination learns from its
reference is prepared and reported (:func:`docexam.examine.learned.learned`):
the genuine variation of the design, the issuer's typography from the
reference's own fields, the design that crosses the portrait, the likeness
of the portrait and its ghost image, and whether the MRZ will be read.

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

from ..i18n import Message
from ..atomic import ensure_dir, write_png
from ..errors import DocexamError, InputFileError, OutputError
from ..examine.learned import learned
from ..examine.model import reference_model
from ..examine.variation import VARIATION_FILE, from_images, save_npz
from ..formats.lights import OTHER_LIGHTS
from ..paths import docexam_home, shipped_templates_dir
from ..specimens.model import FORMATS, Template, Zone, _read_json, load_template, parse_zones, save_template
from .alignment import SELF_CHECK_SEED, AlignmentCheck, load_source, self_check
from .mrz_layout import measure_mrz

__all__ = ["AddedTemplate", "AuthoringError", "FORMAT_SIZE_MM", "add_template", "IMAGE_SUFFIXES"]

#: nominal page size (width, height) in mm of each ICAO 9303 format
FORMAT_SIZE_MM = {"TD1": (85.6, 54.0), "TD2": (105.0, 74.0), "TD3": (125.0, 88.0)}
#: files of a folder given as ``visible`` that are taken as images
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
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
    learned : dict
        What the examination learned from the reference (:func:`docexam.examine.learned.learned`).
    genuine_images : int
        Further genuine images whose variation was measured.
    """

    template: Template
    dpi_source: str
    self_check: AlignmentCheck
    replaced: bool
    notes: tuple[str, ...] = ()
    learned: dict = None
    genuine_images: int = 0

    @property
    def folder(self) -> Path:
        return self.template.folder

    def as_dict(self) -> dict:
        t = self.template
        return {"id": t.id, "folder": str(t.folder), "format": t.format, "dpi": t.dpi,
                "dpi_source": self.dpi_source, "size_px": list(t.size_px), "lights": list(t.lights),
                "zones": len(t.zones), "replaced": self.replaced,
                "self_check": self.self_check.as_dict() | {"seed": SELF_CHECK_SEED, "capture": "phone"},
                "genuine_images": self.genuine_images, "learned": dict(self.learned or {}),
                "notes": list(self.notes)}


# --------------------------------------------------------------------------
# checks of the arguments


def _check_id(template_id, *, replace: bool, root: Path) -> bool:
    """Validate the id; return True when it names an existing user template to replace."""
    if not isinstance(template_id, str) or not _ID_RE.match(template_id) or len(template_id) > _ID_MAX:
        raise AuthoringError(Message("id {template_id!r}: use lower-case letters, digits and single hyphens "
                                     "(kebab-case, at most {id_max} characters), e.g. 'xyz-td3-2019'", template_id=template_id, id_max=_ID_MAX))
    shipped = shipped_templates_dir() / template_id
    if shipped.exists():
        # a user template of that id would hide the shipped one everywhere
        raise AuthoringError(Message("id {template_id!r} is already used by a shipped template ({shipped}); choose "
                                     "another id", template_id=template_id, shipped=shipped))
    mine = root / template_id
    if mine.exists() or mine.is_symlink():
        if not replace:
            raise AuthoringError(Message("id {template_id!r} is already used by a user template ({mine}); choose "
                                         "another id or add --replace", template_id=template_id, mine=mine))
        if not mine.is_dir() or mine.is_symlink():
            raise AuthoringError(Message("{mine}: exists and is not a template folder; remove it by hand", mine=mine))
        return True
    return False


def _check_dpi(dpi) -> int | None:
    if dpi is None:
        return None
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) or not _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1]:
        raise AuthoringError(Message("dpi {dpi!r}: expected an integer from {value} to {value2}", dpi=dpi, value=_DPI_RANGE[0], value2=_DPI_RANGE[1]))
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
        raise AuthoringError(Message("the image is only {width_px} px wide: about {estimate} dpi for a {fmt} page, "
                                     "below the {value} dpi a template needs", width_px=width_px, estimate=estimate, fmt=fmt, value=_DPI_RANGE[0]))
    notes.append(f"dpi estimated as {estimate} from the image width and the {fmt} page width "
                 f"({FORMAT_SIZE_MM[fmt][0]:g} mm); give --dpi if the image is not cropped to the page")
    return min(estimate, _DPI_RANGE[1]), "estimated", notes



def _visible_sources(visible) -> list:
    """The genuine images given as ``visible``: one, a list, or a folder (its images, sorted by name)."""
    if isinstance(visible, (list, tuple)):
        if not visible:
            raise AuthoringError(Message("visible: give at least one image"))
        out = []
        for v in visible:
            out += _visible_sources(v)
        return out
    if isinstance(visible, (str, os.PathLike)) and Path(visible).is_dir():
        files = sorted(p for p in Path(visible).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
        if not files:
            raise InputFileError(visible, Message("is a folder without images ({suffixes})", suffixes=", ".join(IMAGE_SUFFIXES)))
        return files
    return [visible]


def _read_zones(zones, size: tuple[int, int]) -> tuple[Zone, ...]:
    if isinstance(zones, (str, os.PathLike)):
        path = Path(zones)
        if path.is_dir():
            raise InputFileError(path, Message("is a folder, not a ZONES.json file"))
        # a syntax error is reported with its line by _read_json
        return parse_zones(_read_json(path), path, size=size)
    return parse_zones(zones, "zones", size=size)



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
    visible : path, bytes or uint8 array, or a list of them, or a folder
        The specimen under visible light: ideally a flat scan cropped to
        the page, personalization present. Any format :func:`~docexam.imaging.load_image`
        reads; it is stored as PNG (EXIF orientation applied). With several
        images (a list, or a folder: its images in name order) the first is
        the reference and the others are further genuine images of the
        document, whose differences from it are learned as genuine variation.
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
    root = Path(home).expanduser() / "templates" if home is not None else docexam_home() / "templates"
    replacing = _check_id(template_id, replace=replace, root=root)
    if not isinstance(name, str) or not name.strip() or "\n" in name or len(name) > 200:
        raise AuthoringError(Message("name {name!r}: expected one line of text (at most 200 characters)", name=name))
    if fmt not in FORMATS:
        raise AuthoringError(Message("format {fmt!r}: expected one of {value}", fmt=fmt, value=', '.join(FORMATS)))
    dpi = _check_dpi(dpi)

    sources = _visible_sources(visible)
    loaded = {"visible": load_source(sources[0], "visible image")}
    others = [load_source(src, f"genuine image {i + 2}") for i, src in enumerate(sources[1:])]
    for light, source in (("uv", uv), ("ir", ir)):
        if source is not None:
            loaded[light] = load_source(source, f"{light} image")
    w, h = loaded["visible"].size
    for light in OTHER_LIGHTS:
        if light in loaded and loaded[light].size != (w, h):
            lw, lh = loaded[light].size
            raise AuthoringError(Message("{source}: the {upper} image is {lw}x{lh} px, the visible image {w}x{h} px: "
                                         "give the {upper} image in the same geometry (same crop, same size)", source=loaded[light].source, upper=light.upper(), lw=lw, lh=lh, w=w, h=h))
    zone_list = _read_zones(zones, (w, h))
    dpi, dpi_source, notes = _resolve_dpi(dpi, loaded["visible"].dpi, w, fmt)
    aspect, nominal = w / h, FORMAT_SIZE_MM[fmt][0] / FORMAT_SIZE_MM[fmt][1]
    if abs(aspect / nominal - 1) > 0.15:
        notes.append(f"the image's aspect ratio ({aspect:.2f}) is far from a {fmt} page's ({nominal:.2f}): "
                     "is it cropped to the page, and is the format right?")
    if loaded["visible"].exif_transposed:
        notes.append("the image was rotated as its EXIF orientation says; zones are in the rotated image")

    check = self_check(loaded["visible"].rgb, zone_list, dpi)
    if not check.ok:
        raise AuthoringError(Message("{source}: a simulated phone photo of this image does not align back to it "
                                     "({reason}); a template needs a sharp image of the printed design with detail "
                                     "all over the page", source=loaded['visible'].source, reason=check.reason))

    layout, mrz_lines, mrz_note = measure_mrz(loaded["visible"].rgb, zone_list, fmt)
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
        raise OutputError(root, Message("cannot write ({problem})", problem=exc.strerror or exc)) from None
    try:
        build = staging / template_id
        build.mkdir()
        images = {light: f"{light}.png" for light in loaded}
        for light, img in loaded.items():
            write_png(build / images[light], img.rgb)
        tpl = Template(template_id, name.strip(), fmt, dpi, (w, h), images, zone_list, build, extra)
        save_template(tpl)
        staged = load_template(build)  # what examine will read must validate
        model = reference_model(staged)
        measured, unused = from_images(model, [img.rgb for img in others])
        notes += unused
        if measured is not None:
            save_npz(build / VARIATION_FILE, variance=measured.astype(np.float16))
        profile = learned(staged)  # prepared now (and cached), so the first examination is quick
        _move_into_place(build, final, staging, replacing=replacing)
    except OSError as exc:
        raise OutputError(final, Message("cannot create the template folder ({problem})", problem=exc.strerror or exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return AddedTemplate(load_template(final), dpi_source, check, replacing, tuple(notes), profile,
                         len(others) - len(unused))


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
            raise AuthoringError(Message("id {name!r} was added by someone else meanwhile ({final})", name=final.name, final=final)) from None
        raise
