"""Contact sheet of a specimen folder: every document at a glance, anomaly boxes drawn."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from ..atomic import write_bytes
from ..imaging import load_rgb
from ..specimens.model import Specimen
from ..specimens.sides import SideView, side_views
from .library import folder_specimens
from .text import FIELD_FONT, HEADER_FONT, font

_FAMILY_COLOURS = {"substrate": (230, 120, 0), "printing": (200, 0, 160), "personalization": (220, 20, 30)}


def _picture(view: SideView, anomalies, width: int) -> Image.Image:
    """One side's picture at ``width`` pixels with the outlines of the anomalies on it."""
    rgb = load_rgb(view.images["visible"])
    if view.crop is not None:
        x0, y0, x1, y1 = view.crop
        rgb = rgb[y0:y1, x0:x1]
    ox, oy = (view.crop[0], view.crop[1]) if view.crop is not None else (0, 0)
    h, w = rgb.shape[:2]
    scale = width / w
    img = Image.fromarray(rgb).resize((width, max(1, int(round(h * scale)))), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(img)
    for a in anomalies:
        if view.shows(a.bbox):
            outline = [((x - ox) * scale, (y - oy) * scale) for x, y in view.outline(a.bbox)]
            draw.polygon(outline, outline=_FAMILY_COLOURS.get(a.family, (255, 0, 0)), width=3)
    return img


def tile(spec: Specimen, *, width: int) -> Image.Image:
    """One specimen drawn at ``width`` pixels with its anomaly boxes and a caption (a card: both sides)."""
    views = side_views(spec)
    gap = 6
    part = (width - gap * (len(views) - 1)) // len(views)
    pictures = [_picture(v, spec.anomalies, part) for v in views]
    img = Image.new("RGB", (width, max(p.height for p in pictures)), (255, 255, 255))
    for i, p in enumerate(pictures):
        img.paste(p, (i * (part + gap), 0))
    caption_h = 44
    out = Image.new("RGB", (width, img.height + caption_h), (255, 255, 255))
    out.paste(img, (0, 0))
    d = ImageDraw.Draw(out)
    what = "genuine" if spec.authentic else ", ".join(sorted(spec.techniques))
    colour = (20, 110, 40) if spec.authentic else (190, 20, 30)
    d.text((4, img.height + 3), what, font=font(HEADER_FONT, 15), fill=colour)
    d.text((4, img.height + 23), f"{spec.name}  [{spec.capture_kind}]", font=font(FIELD_FONT, 12), fill=(60, 60, 60))
    return out


def contact_sheet(specimens: list[Specimen], *, columns: int = 6, tile_width: int = 420) -> Image.Image:
    if columns < 1:
        raise ValueError("columns: must be at least 1")
    if not specimens:
        raise ValueError("specimens: nothing to draw")
    tiles = [tile(s, width=tile_width) for s in specimens]
    rows = (len(tiles) + columns - 1) // columns
    gap = 8
    row_h = [max(t.height for t in tiles[r * columns:(r + 1) * columns]) for r in range(rows)]
    sheet = Image.new("RGB", (columns * (tile_width + gap) + gap, sum(row_h) + gap * (rows + 1)), (235, 235, 235))
    y = gap
    for r in range(rows):
        for c, t in enumerate(tiles[r * columns:(r + 1) * columns]):
            sheet.paste(t, (gap + c * (tile_width + gap), y))
        y += row_h[r] + gap
    return sheet


def write_gallery(folder: str | Path, out: str | Path, *, columns: int = 6, tile_width: int = 420) -> Path:
    """Write the contact sheet of every specimen in ``folder`` (PNG, or JPEG for .jpg)."""
    sheet = contact_sheet(folder_specimens(folder), columns=columns, tile_width=tile_width)
    buf = io.BytesIO()
    out = Path(out)
    if out.suffix.lower() in (".jpg", ".jpeg"):
        sheet.save(buf, "JPEG", quality=85, optimize=True)
    else:
        sheet.save(buf, "PNG", optimize=True)
    return write_bytes(out, buf.getvalue())
