"""OCR-B glyph models for the MRZ reader, rendered from the shipped font.

Every ICAO 9303 MRZ is printed in one font, OCR-B, at a fixed pitch, so the
reader does not need a general OCR engine: it compares each character cell
with templates of the 37 MRZ characters rendered from ``OCRB.otf``. Real
prints differ from the font outline in stroke weight (toner, inkjet, laser
engraving) and sharpness (focus, JPEG, low resolution), so each character is
rendered in several stroke weights and blurs; a cell's score for a character
is its best normalised correlation over those variants.

The bank is generated at run time, deterministically (no randomness), and
cached in memory: the first call takes a few tens of milliseconds.

Cell geometry (all in template pixels): a cell is :data:`CELL_W` wide (one
character pitch) and :data:`CELL_H` tall, with the text baseline at
:data:`BASELINE` and capitals :data:`CAP_HEIGHT` tall.

Examples
--------
>>> bank = glyph_bank()
>>> bank.templates.shape[1] == CELL_H * CELL_W, len(bank.alphabet)
(True, 37)
>>> bank.best(render_cell("K"))
'K'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..paths import font_path
from .text import ALPHABET

#: template cell width in pixels: one character pitch
CELL_W = 16
#: template cell height in pixels
CELL_H = 26
#: y of the text baseline inside a cell
BASELINE = 21.5
#: OCR-B metrics, as fractions of the pitch (measured from OCRB.otf)
CAP_PER_PITCH = 0.98  # capital height / pitch
INK_MARGIN_PER_PITCH = 0.16  # blank space left and right of a wide glyph / pitch
#: capital height in template pixels
CAP_HEIGHT = CAP_PER_PITCH * CELL_W

_RENDER_SIZE = 200  # font size of the high-resolution master glyphs
#: stroke-weight variants (dilation radius in master pixels; negative thins)
_WEIGHTS = (-4, 3, 10)
#: OCR-B digits are 8% taller than its capitals, but many printers set both alike:
#: each character is also rendered at the other group's height
_DIGIT_TO_CAP = 0.92
#: blur variants (Gaussian sigma in template pixels)
_BLURS = (0.6, 1.2)
#: the variant used for fast alignment (one template per character)
_ALIGN_VARIANT = dict(weight=3, blur=0.9)


@dataclass(frozen=True)
class GlyphBank:
    """Templates of the MRZ characters, ready for normalised correlation.

    Attributes
    ----------
    alphabet : str
        The characters, in class order (``0-9 A-Z <``).
    templates : ndarray, float32, shape (K, CELL_H * CELL_W)
        Zero-mean, unit-norm flattened templates (ink positive).
    labels : ndarray, int, shape (K,)
        Class index (into ``alphabet``) of each template.
    """

    alphabet: str
    templates: np.ndarray
    labels: np.ndarray
    #: (len(alphabet), D) one mid-weight template per character, for fast alignment
    align_templates: np.ndarray
    #: the same at half resolution ((CELL_H // 2) * (CELL_W // 2) values), for coarse alignment
    small_templates: np.ndarray

    @property
    def n_variants(self) -> int:
        """Templates per character (they are stored character-major)."""
        return len(self.labels) // len(self.alphabet)

    def class_scores(self, patches: np.ndarray) -> np.ndarray:
        """Best correlation per character for each patch.

        Parameters
        ----------
        patches : ndarray, shape (..., CELL_H, CELL_W) or (..., CELL_H * CELL_W)
            Ink-positive cells (any scale; they are normalised here).

        Returns
        -------
        ndarray, float32, shape (..., len(alphabet))
            Normalised correlation in [-1, 1] of the best variant of each character.
        """
        scores = rows_product(normalise_patches(patches), self.templates.T)
        scores = scores.reshape(*scores.shape[:-1], len(self.alphabet), self.n_variants)
        return scores.max(axis=-1)

    def align_scores(self, patches: np.ndarray) -> np.ndarray:
        """Like :meth:`class_scores` with one template per character (fast, for alignment)."""
        return rows_product(normalise_patches(patches), self.align_templates.T)

    def small_scores(self, patches: np.ndarray) -> np.ndarray:
        """Correlation with the half-resolution templates (patches (..., CELL_H // 2, CELL_W // 2))."""
        arr = np.asarray(patches, dtype=np.float32)
        arr = arr.reshape(*arr.shape[:-2], -1)
        arr = arr - arr.mean(axis=-1, keepdims=True)
        arr /= np.maximum(np.linalg.norm(arr, axis=-1, keepdims=True), 1e-6)
        return rows_product(arr, self.small_templates.T)

    def best(self, patch: np.ndarray) -> str:
        """The character whose templates best match one cell."""
        return self.alphabet[int(np.argmax(self.class_scores(patch)))]


def rows_product(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``rows @ matrix`` for rows stacked in any leading shape, as one 2-D matrix product.

    NumPy multiplies a stacked (3-D or more) operand one 2-D slice at a
    time; flattening the stack first makes it one BLAS call, about three
    times faster for the MRZ's cells (same values).

    Examples
    --------
    >>> rows_product(np.ones((2, 3, 4), np.float32), np.eye(4, 2, dtype=np.float32)).shape
    (2, 3, 2)
    """
    return (rows.reshape(-1, rows.shape[-1]) @ matrix).reshape(*rows.shape[:-1], matrix.shape[-1])


def normalise_patches(patches: np.ndarray) -> np.ndarray:
    """Flatten to (..., D) float32, zero mean and unit norm per patch (flat patches stay 0)."""
    arr = np.asarray(patches, dtype=np.float32)
    if arr.shape[-2:] == (CELL_H, CELL_W):
        arr = arr.reshape(*arr.shape[:-2], CELL_H * CELL_W)
    arr = arr - arr.mean(axis=-1, keepdims=True)
    norm = np.linalg.norm(arr, axis=-1, keepdims=True)
    return arr / np.maximum(norm, 1e-6)


@functools.lru_cache(maxsize=1)
def _master_font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path("OCRB.otf")), _RENDER_SIZE)


@functools.lru_cache(maxsize=64)
def _master(char: str) -> np.ndarray:
    """High-resolution ink mask (uint8 0/255) of one cell: one pitch wide, baseline at BASELINE."""
    font = _master_font()
    pitch = font.getlength("0")  # monospaced
    scale = pitch / CELL_W  # master pixels per template pixel
    w, h = int(round(CELL_W * scale)), int(round(CELL_H * scale))
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).text((0, BASELINE * scale), char, font=font, fill=255, anchor="ls")
    return np.asarray(im)


def render_cell(char: str, *, weight: int = 0, blur: float = 0.8, vscale: float = 1.0) -> np.ndarray:
    """One character cell in template geometry, ink positive, float32 in [0, 1].

    Parameters
    ----------
    char : str
        One MRZ character (``0-9``, ``A-Z`` or ``<``).
    weight : int, keyword-only
        Stroke change in master pixels (font size 200): positive is bolder.
    blur : float, keyword-only
        Gaussian sigma in template pixels (0: none).
    vscale : float, keyword-only
        Vertical scale of the glyph about the baseline (1: the font's own height).

    Examples
    --------
    >>> render_cell("A").shape == (CELL_H, CELL_W)
    True
    """
    if len(char) != 1 or char not in ALPHABET:
        raise ValueError(f"char: {char!r} is not an MRZ character")
    if blur < 0:
        raise ValueError("blur: must be >= 0")
    if not 0.5 <= vscale <= 1.5:
        raise ValueError("vscale: must be within 0.5..1.5")
    mask = _master(char)
    if vscale != 1.0:
        h = mask.shape[0]
        base = BASELINE / CELL_H * h
        M = np.array([[1, 0, 0], [0, vscale, base * (1 - vscale)]], dtype=np.float64)
        mask = cv2.warpAffine(mask, M, (mask.shape[1], h), flags=cv2.INTER_LINEAR)
    if weight:
        r = abs(int(weight))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
        mask = cv2.dilate(mask, kernel) if weight > 0 else cv2.erode(mask, kernel)
    cell = cv2.resize(mask.astype(np.float32) / 255.0, (CELL_W, CELL_H), interpolation=cv2.INTER_AREA)
    if blur > 0:
        cell = cv2.GaussianBlur(cell, (0, 0), blur)
    return cell


@functools.lru_cache(maxsize=1)
def glyph_bank() -> GlyphBank:
    """The cached bank of OCR-B templates (all characters x weights x blurs).

    Examples
    --------
    >>> glyph_bank() is glyph_bank()
    True
    """
    rows, labels = [], []
    for k, ch in enumerate(ALPHABET):
        alt = _DIGIT_TO_CAP if ch.isdigit() else 1 / _DIGIT_TO_CAP
        for vscale in (1.0, alt):
            for weight in _WEIGHTS:
                for blur in _BLURS:
                    rows.append(render_cell(ch, weight=weight, blur=blur, vscale=vscale))
                    labels.append(k)
    templates = normalise_patches(np.stack(rows))
    templates.setflags(write=False)
    lab = np.asarray(labels)
    lab.setflags(write=False)
    cells = [render_cell(ch, **_ALIGN_VARIANT) for ch in ALPHABET]
    align = normalise_patches(np.stack(cells))
    align.setflags(write=False)
    small = np.stack([cv2.resize(c, (CELL_W // 2, CELL_H // 2), interpolation=cv2.INTER_AREA).ravel()
                      for c in cells])
    small -= small.mean(axis=1, keepdims=True)
    small /= np.linalg.norm(small, axis=1, keepdims=True)
    small.setflags(write=False)
    return GlyphBank(ALPHABET, templates, lab, align, small.astype(np.float32))


def render_mrz(lines: list[str] | tuple[str, ...], *, pitch: float = 20.0, margin: int | None = None,
               paper: int = 235, ink: int = 25) -> np.ndarray:
    """Render MRZ lines in OCR-B at ICAO proportions: an RGB test image.

    Handy for tests, lessons and synthetic specimens: the lines are drawn at
    ``pitch`` pixels per character with the ICAO line spacing (about 1.7
    capital heights between baselines) on a plain background.

    Parameters
    ----------
    lines : sequence of str
        MRZ lines (characters ``0-9 A-Z <``).
    pitch : float, keyword-only
        Character pitch in pixels (ten characters per inch: 20 px is 200 dpi).
    margin : int, keyword-only, optional
        Blank border in pixels (default: two pitches).
    paper, ink : int, keyword-only
        Grey levels of the background and the text.

    Returns
    -------
    ndarray, uint8, shape (H, W, 3)

    Examples
    --------
    >>> render_mrz(["P<UTO", "L8989"], pitch=10).shape
    (69, 90, 3)
    """
    lines = [str(s) for s in lines]
    if not lines or any(c not in ALPHABET for s in lines for c in s):
        raise ValueError("lines: need one or more lines of MRZ characters (0-9 A-Z <)")
    if pitch < 4:
        raise ValueError("pitch: must be at least 4 pixels")
    size = pitch / (_master_font().getlength("0") / _RENDER_SIZE)
    font = ImageFont.truetype(str(font_path("OCRB.otf")), max(int(round(size)), 4))
    cap = CAP_PER_PITCH * pitch
    spacing = 1.7 * cap
    margin = int(round(2 * pitch)) if margin is None else int(margin)
    if margin < 0:
        raise ValueError("margin: must be >= 0")
    width = int(round(max(len(s) for s in lines) * pitch)) + 2 * margin
    height = int(round(cap + (len(lines) - 1) * spacing + 0.3 * cap)) + 2 * margin
    im = Image.new("L", (width, height), int(paper))
    draw = ImageDraw.Draw(im)
    for i, text in enumerate(lines):
        base = margin + cap + i * spacing
        for j, ch in enumerate(text):
            draw.text((margin + j * pitch, base), ch, font=font, fill=int(ink), anchor="ls")
    return np.repeat(np.asarray(im)[:, :, None], 3, axis=2)
