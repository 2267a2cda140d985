"""Read the machine-readable zone of a document image, without an OCR engine.

Method
------
Every ICAO 9303 MRZ (TD1 3x30, TD2 2x36, TD3 2x44, MRV-A 2x44, MRV-B 2x36)
is printed in one font, OCR-B, at a fixed pitch of ten characters per inch,
with no spaces (``<`` fills them) and with check digits. So instead of a
general OCR engine the reader uses what the standard guarantees:

1. **Locate** (:func:`docexam.mrz.locate.locate_mrz`): text lines are found
   morphologically (black-hat, Otsu, horizontal closing) at a few scales
   and at 0 and 90 degrees, then grouped into 2 or 3 parallel, equally long,
   evenly spaced lines: the MRZ candidates.
2. **Measure and rectify** (:mod:`docexam.mrz.segment`): each line's text
   band, residual skew and exact ends are measured; since the number of
   characters per line is known for each format, the ends fix the pitch,
   and each line is resampled straight from the input into a canonical
   strip where character ``i`` sits in cell ``i``. A 180-degree turn is
   the same geometry read from the other end; the orientation that looks
   more like OCR-B wins.
3. **Classify** (:mod:`docexam.mrz.glyphs`): each cell is compared by
   normalised correlation with OCR-B templates rendered from the shipped
   font in several stroke weights and blurs, searching a few pixels for
   the best alignment; the character grid is then re-fitted to the
   alignments found (pitch and drift) and the line classified again.
4. **Adapt** (:func:`adapt_scores`): one document, one printer: cells read
   with confidence become this document's own glyph prototypes, and the
   doubtful cells are re-scored against them (this is what separates a
   document number's ``0`` from ``O`` when the print's zero looks like the
   font's letter O).
5. **Correct** (:mod:`docexam.mrz.correct`): per-position scores become
   probabilities; field alphabets (digits in dates, letters in names) and
   the check digits pick the most probable reading in which the check digits
   verify, if that costs little probability; otherwise the reading is left
   as seen, so a genuinely inconsistent MRZ is reported as such (at most
   two characters are ever changed, each to a close look-alike).
6. **Validate** with :func:`docexam.mrz.text.parse`.

Candidates and hypotheses (line length 36 or 44, orientation) are tried in
order of promise; reading stops at the first one whose check digits all
verify. The 90-degree search runs only when the upright one found nothing
valid, which keeps the common case fast.

Examples
--------
>>> import numpy as np
>>> reading = read_mrz(np.full((200, 300, 3), 255, np.uint8))
>>> reading.found, reading.lines
(False, [])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..blas import single_thread_blas
from .correct import FIELD_ALPHABETS, decode, layout
from .glyphs import CELL_H, CELL_W, glyph_bank, normalise_patches
from .glyphs import CAP_PER_PITCH, INK_MARGIN_PER_PITCH
from .locate import DEFAULT_LEVELS, MRZCandidate, darkest_channel, locate_mrz
from .segment import (Grid, LineGeometry, LineScores, classify_strip, initial_grid, line_strip, measure_lines,
                      refit_grid)
from .text import ALPHABET, ParsedMRZ, parse

#: a reading whose mean best glyph correlation is below this is not taken for an MRZ
MIN_QUALITY = 0.78

_V = ALPHABET.index("V")


@dataclass
class MRZReading:
    """What :func:`read_mrz` found.

    Attributes
    ----------
    found : bool
        An MRZ was read: its characters clearly look like OCR-B in an MRZ layout
        (whether its check digits verify is ``valid``).
    format : str or None
        ``TD1``, ``TD2``, ``TD3``, ``MRV-A`` or ``MRV-B``.
    lines : list of str
        The MRZ lines (empty when not found).
    parsed : ParsedMRZ or None
        Fields and check digits (:func:`docexam.mrz.text.parse`).
    quad : ndarray (4, 2) or None
        The MRZ's corners in input image pixels, in reading order: top-left,
        top-right, bottom-right, bottom-left of the upright MRZ.
    orientation : int or None
        Degrees the text is turned in the image, clockwise (0, 90, 180 or 270),
        approximately (small skews are part of ``quad``).
    quality : float
        Mean best glyph correlation over all characters (0..1).
    corrected : int
        Characters the check-digit correction changed (from the best reading the
        field alphabets allow): the reading relies on the check digits there.
    timings_ms : dict
        Milliseconds per step (``locate``, ``read``, ``total``).
    raw_lines : list of str
        The best character at every position, whatever its field allows (what
        is printed, as far as the glyphs tell): where it differs from ``lines``
        the field alphabets or check digits decided.
    printed_lines : list of str
        The best reading the field alphabets allow, before the check-digit
        correction: what is printed, for graded validation (a check digit
        that fails here fails on the document, whatever ``lines`` suggests).
    glyph_fit : list of ndarray
        Per line, how well each cell fits this document's other prints of
        its character (:func:`glyph_fit`; NaN for rare characters): a
        character printed in another typeface fits worse than its siblings.
    font_fit : list of ndarray
        Per line, how well each cell fits the OCR-B glyph of the character
        read there (normalised correlation, 0..1): one printer and one font
        make a genuine MRZ, so a character that fits far worse than the
        others was printed otherwise, whatever it reads as.
    digit_lines : list of str
        The best *digit* at every position (whatever the field allows): what a
        digit-only field's character reads as when no field rule decides.
    """

    found: bool
    format: str | None = None
    lines: list = field(default_factory=list)
    parsed: ParsedMRZ | None = None
    quad: np.ndarray | None = None
    orientation: int | None = None
    quality: float = 0.0
    corrected: int = 0
    timings_ms: dict = field(default_factory=dict)
    raw_lines: list = field(default_factory=list)
    printed_lines: list = field(default_factory=list)
    glyph_fit: list = field(default_factory=list)
    font_fit: list = field(default_factory=list)
    digit_lines: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when every check digit of the format verifies."""
        return bool(self.parsed is not None and self.parsed.valid)

    def as_dict(self) -> dict:
        """JSON-ready summary (the ``docexam mrz read --json`` fields, without ``image``)."""
        p = self.parsed
        f = p.fields if p is not None else {}
        keys = ("surname", "given_names", "document_number", "nationality", "date_of_birth", "sex",
                "date_of_expiry")
        return {
            "found": self.found,
            "format": self.format if self.found else None,
            "lines": list(self.lines) if self.found else [],
            "valid": self.valid if self.found else False,
            "checks": dict(p.checks) if (p is not None and self.found) else {},
            "fields": {k: f.get(k) for k in keys} if (p is not None and self.found) else {},
            "quad": np.round(self.quad, 1).tolist() if (self.quad is not None and self.found) else None,
            "orientation": self.orientation if self.found else None,
            "quality": round(self.quality, 3),
            "corrected": self.corrected if self.found else 0,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


# --------------------------------------------------------------------------
# reading one candidate


def read_line(gray: np.ndarray, geom: LineGeometry, *, n_chars: int, refine: bool = True,
              full: bool = True) -> tuple[LineScores, Grid]:
    """Classify one MRZ line of known length: strip, score, re-fit the grid, score again.

    Parameters
    ----------
    gray : ndarray, uint8, shape (H, W)
        Source image (dark text). Not modified.
    geom : LineGeometry
        The line, reading direction ``start`` -> ``end``.
    n_chars : int, keyword-only
        Characters in the line.
    refine : bool, keyword-only
        Re-fit the character grid (offset, pitch, perspective, drift) to the first
        pass's alignments and classify again.
    full : bool, keyword-only
        Final scores from every template variant (else the fast one-per-character scores).

    Returns
    -------
    (LineScores, Grid)
    """
    grid = initial_grid(geom, n_chars=n_chars)
    ls = classify_strip(line_strip(gray, grid), search_x=5, search_y=4, full=full and not refine)
    if not refine:
        return ls, grid
    # re-fit the grid to where the characters were found, and look again; a second
    # round only when the first still left cells far off (curved or foreshortened lines)
    for round_ in range(2):
        top = ls.scores.max(axis=1)
        weights = np.where(top >= max(0.5, float(np.percentile(top, 25))), top, 0.0)
        grid2 = refit_grid(grid, ls.dx, ls.dy, weights)
        if abs(grid2.t[1] / grid.t[1] - 1) > 0.08:  # that far off is the wrong line length, not a drift
            break
        ls2 = classify_strip(line_strip(gray, grid2), search_x=3, search_y=2, full=full)
        if ls2.quality < ls.quality and round_ > 0:
            break
        ls, grid = ls2, grid2
        off = np.abs(ls.dx) + np.abs(ls.dy)
        if np.mean(off >= 2) < 0.15:
            break
    return ls, grid


def _align_ends(geoms: list[LineGeometry], n_chars: int) -> list[LineGeometry]:
    """Give lines whose ink run is too long the ends of the lines that measure right.

    MRZ lines are left-aligned and equally long, so when other print touches
    one line (its run spans more than ``n_chars`` characters), the ends of a
    line that spans ``n_chars`` are projected onto it.
    """
    ests = [g.chars_estimate for g in geoms]
    good = [g for g, e in zip(geoms, ests) if abs(e - n_chars) <= 0.6]
    if not good or len(good) == len(geoms):
        return geoms
    out = []
    for g, e in zip(geoms, ests):
        if g in good or e <= n_chars + 0.6:
            out.append(g)
            continue
        s, en = np.asarray(g.start, float), np.asarray(g.end, float)
        u = (en - s) / max(g.length, 1e-9)
        a = float(np.mean([(np.asarray(o.start, float) - s) @ u for o in good]))
        b = float(np.mean([(np.asarray(o.end, float) - s) @ u for o in good]))
        out.append(g.shifted(a, b - a) if b - a > 0.5 * g.length else g)
    return out


def _windows(gray: np.ndarray, geom: LineGeometry, n_chars: int) -> LineGeometry:
    """The stretch of ``geom`` that holds the line's characters.

    When the ink run is longer than ``n_chars`` at the measured pitch (a frame
    line or other print touching the MRZ), offsets in quarter pitches are
    tried and the one that looks most like OCR-B wins.
    """
    est = geom.chars_estimate
    if est <= n_chars + 0.6:
        return geom
    p = geom.pitch
    length = (n_chars - 2 * INK_MARGIN_PER_PITCH) * p
    options = [geom.shifted(j * p, length) for j in np.arange(0.0, est - n_chars + 0.26, 0.25)]
    quality = [read_line(gray, g, n_chars=n_chars, refine=False, full=False)[0].quality for g in options]
    return options[int(np.argmax(quality))]


def _length_order(geoms: list[LineGeometry]) -> list[int]:
    """Line lengths in characters to try for a 2-line MRZ, most plausible first.

    From the measured pitch when the line is clearly periodic, else from the
    line's length over its capital height (OCR-B's pitch is about its capital
    height, :data:`CAP_PER_PITCH`).
    """
    ests = [g.chars_estimate for g in geoms if g.chars_estimate > 0]
    if ests:
        est = float(np.median(ests))
    else:
        est = float(np.median([g.length / g.band_height for g in geoms])) * CAP_PER_PITCH + 2 * INK_MARGIN_PER_PITCH
    return sorted((44, 36), key=lambda n: abs(np.log(est / n)))


def adapt_scores(lines: list[LineScores], decoded: list[str], types: list[str], *,
                 min_samples: int = 6, margin: float = 0.03, blend: float = 0.5) -> list[np.ndarray]:
    """Re-score every cell against this document's own glyphs.

    All characters of one MRZ come from one printer and one font. Cells read
    with confidence are averaged into per-character *prototypes* of this
    document: a cell is confident when its character wins clearly (by
    ``margin``) among the characters its field allows (so the zeros of the
    dates teach what this document's ``0`` looks like, even where the generic
    ``O`` template scored higher). A character without a confident sample
    gets a synthetic prototype: the prototype of its most similar character
    plus the font's difference between the two (``O`` = this document's
    ``0`` + (font ``O`` - font ``0``)). Every other cell is then scored
    against all prototypes, which separates
    look-alikes the generic templates cannot (``O``/``0`` in a document
    number, ``E``/``L`` in a blurred name). Confident cells keep their scores.

    Parameters
    ----------
    lines : list of LineScores
        Classifier output per line (cells and scores).
    decoded : list of str
        The current reading (same shape).
    types : list of str
        Field-type codes per line (:func:`docexam.mrz.correct.layout`).
    min_samples : int, keyword-only
        Fewer confident cells than this: scores returned unchanged.
    margin : float, keyword-only
        Score lead that makes a cell confident.
    blend : float, keyword-only
        Weight of the prototype scores against the template scores (0..1).

    Returns
    -------
    list of ndarray
        New score matrices (same shapes); the inputs are not modified.
    """
    k_cls = len(ALPHABET)
    cells = np.concatenate([ls.cells for ls in lines])
    scores = np.concatenate([ls.scores for ls in lines])
    text = "".join(decoded)
    tstr = "".join(types)
    cls = np.array([ALPHABET.index(c) for c in text])
    conf = np.zeros(len(cls), bool)
    for i, (c, ft) in enumerate(zip(text, tstr)):
        allowed = [ALPHABET.index(a) for a in FIELD_ALPHABETS[ft if ft != "L" else "L"]]
        sc = np.sort(scores[i, allowed])
        conf[i] = (c in FIELD_ALPHABETS[ft] and scores[i, cls[i]] == sc[-1] and scores[i, cls[i]] >= 0.6
                   and (len(sc) < 2 or sc[-1] - sc[-2] >= margin))
    if conf.sum() < min_samples:
        return [ls.scores for ls in lines]
    dim = cells.shape[1]
    sums = np.zeros((k_cls, dim), np.float32)
    counts = np.zeros(k_cls, int)
    np.add.at(sums, cls[conf], cells[conf])
    np.add.at(counts, cls[conf], 1)
    bank = glyph_bank()
    font = bank.align_templates  # (37, D) normalised font templates
    have = counts > 0
    protos = np.zeros((k_cls, dim), np.float32)
    protos[have] = sums[have] / np.linalg.norm(sums[have], axis=1, keepdims=True)
    sim = font @ font.T
    for c in np.flatnonzero(~have):
        r = int(np.flatnonzero(have)[np.argmax(sim[c, have])])
        p = protos[r] + font[c] - font[r]
        protos[c] = p / max(float(np.linalg.norm(p)), 1e-6)
    # confident cells are decided already; the others are re-scored, mostly by the prototypes
    new = blend * (cells @ protos.T) + (1 - blend) * scores
    new[conf] = scores[conf]
    out, i = [], 0
    for ls in lines:
        out.append(new[i:i + len(ls.scores)])
        i += len(ls.scores)
    return out


#: pixels a cell may sit off its siblings when it is compared with them (:func:`glyph_fit`)
GLYPH_FIT_SHIFT = 1


def glyph_fit(lines: list[LineScores], decoded: list[str], *, min_others: int = 3,
              shift: int = GLYPH_FIT_SHIFT) -> list[np.ndarray]:
    """How well each cell fits this document's own print of its character (per line, 0..1; NaN: not judged).

    A character read at least ``min_others`` + 1 times is compared with the
    mean of its *other* cells (leave one out: the same printer and font made
    them all), at the best of the offsets up to ``shift`` pixels: each cell
    was aligned on its own to the OCR-B templates, to a pixel, so a genuine
    sibling may sit a pixel off the others (a phone photo's U of ``UTO``
    fitted its siblings 0.79 in place, 0.96 a pixel over). A character
    written in later in another typeface stands out from its siblings even
    when it reads as the right character, whatever its offset. Rarer
    characters are not judged (NaN): a generic font template is no measure
    of this printer's glyphs.
    """
    cells = np.concatenate([ls.cells for ls in lines]).astype(np.float32)
    cls = np.array([ALPHABET.index(c) for c in "".join(decoded)])
    fit = np.full(len(cls), np.nan, np.float32)
    # each cell at every offset (zero-mean cells: the border brought in is their mean)
    s = int(shift)
    pad = np.pad(cells.reshape(-1, CELL_H, CELL_W), ((0, 0), (s, s), (s, s)))
    moved = [normalise_patches(pad[:, s + dy:s + dy + CELL_H, s + dx:s + dx + CELL_W])
             for dy in range(-s, s + 1) for dx in range(-s, s + 1)]
    for c in np.unique(cls):
        idx = np.flatnonzero(cls == c)
        if len(idx) <= min_others:
            continue
        rest = cells[idx].sum(axis=0)[None, :] - cells[idx]
        rest /= np.maximum(np.linalg.norm(rest, axis=1, keepdims=True), 1e-6)
        fit[idx] = np.max([np.einsum("ij,ij->i", m[idx], rest) for m in moved], axis=0)
    out, i = [], 0
    for line in decoded:
        out.append(fit[i:i + len(line)])
        i += len(line)
    return out


@dataclass
class _Attempt:
    fmt: str
    lines: list
    parsed: ParsedMRZ
    quality: float
    corrected: int
    geoms: list
    flip: bool
    raw: list = field(default_factory=list)
    printed: list = field(default_factory=list)
    fit: list = field(default_factory=list)
    font_fit: list = field(default_factory=list)
    digits: list = field(default_factory=list)

    @property
    def key(self):
        """Ranking: a valid plausible reading first, then how much the cells look like OCR-B
        (a small bonus for verified check digits: an invalid MRZ read clearly beats
        garbage that happens to satisfy some check digits)."""
        plausible = self.quality >= MIN_QUALITY
        return (plausible and self.parsed.valid, plausible, self.quality + 0.05 * self.parsed.score)


def _decode(scores: list[np.ndarray], fmt: str, correct: bool) -> tuple[list[str], int, list[str]]:
    """(reading, characters the check digits changed, reading before the check-digit correction)."""
    if correct:
        dec = decode(scores, fmt)
        return dec.lines, len(dec.by_checks), dec.printed
    lines = ["".join(ALPHABET[k] for k in m.argmax(axis=1)) for m in scores]
    return lines, 0, lines


def _read_candidate(gray: np.ndarray, cand: MRZCandidate, *, formats, correct: bool, adapt: bool,
                    upright: bool = False) -> list[_Attempt]:
    geoms = measure_lines(gray, cand)
    if geoms is None or len(geoms) not in (2, 3):
        return []
    lengths = [30] if len(geoms) == 3 else _length_order(geoms)
    attempts = []
    for n_chars in lengths:
        fmts = [f for f in (("TD1",) if n_chars == 30 else ("TD3", "MRV-A") if n_chars == 44 else ("TD2", "MRV-B"))
                if formats is None or f in formats]
        if not fmts:
            continue
        flip = False
        if not upright:
            # orientation: the longest line read both ways with the fast templates
            probe = max(geoms, key=lambda g: g.length)
            q_up = read_line(gray, probe, n_chars=n_chars, refine=False, full=False)[0].quality
            q_fl = read_line(gray, probe.flipped(), n_chars=n_chars, refine=False, full=False)[0].quality
            flip = q_fl > q_up
        ordered = [g.flipped() for g in reversed(geoms)] if flip else list(geoms)
        ordered = [_windows(gray, g, n_chars) for g in _align_ends(ordered, n_chars)]
        results = [read_line(gray, g, n_chars=n_chars) for g in ordered]
        line_scores = [r[0] for r in results]
        quality = float(np.mean([s.quality for s in line_scores]))
        first_is_v = int(np.argmax(line_scores[0].scores[0])) == _V
        fmt = next((f for f in fmts if f.startswith("MRV") == first_is_v), fmts[0])
        mats = [s.scores for s in line_scores]
        lines, changed, printed = _decode(mats, fmt, correct)
        if adapt and quality >= MIN_QUALITY:
            mats = adapt_scores(line_scores, lines, list(layout(fmt)[0]))
            lines, changed, printed = _decode(mats, fmt, correct)
        raw = ["".join(ALPHABET[k] for k in m.argmax(axis=1)) for m in mats]
        fit = glyph_fit(line_scores, lines)
        # the OCR-B templates' score of the character read (not the document's prototypes: a glyph printed in
        # another typeface teaches them nothing)
        font_fit = [s.scores[np.arange(len(t)), [ALPHABET.index(c) for c in t]] for s, t in zip(line_scores, lines)]
        digits = ["".join(ALPHABET[k] for k in m[:, :10].argmax(axis=1)) for m in mats]  # ALPHABET starts 0..9
        attempts.append(_Attempt(fmt, lines, parse(lines, fmt=fmt), quality, changed, ordered, flip, raw,
                                 printed, fit, font_fit, digits))
        if attempts[-1].key[0]:
            break
    return attempts


def _quad(geoms: list[LineGeometry], n_chars: int) -> np.ndarray:
    """Corners around the characters (reading order) in image pixels."""
    first, last = geoms[0], geoms[-1]

    def corners(g: LineGeometry):
        s, e = np.asarray(g.start, float), np.asarray(g.end, float)
        u = (e - s) / max(g.length, 1e-6)
        n = np.array([-u[1], u[0]])
        pad = INK_MARGIN_PER_PITCH * g.length / (n_chars - 2 * INK_MARGIN_PER_PITCH)
        h = 0.75 * g.band_height
        return s - u * pad, e + u * pad, n * h

    s0, e0, n0 = corners(first)
    s1, e1, n1 = corners(last)
    return np.array([s0 - n0, e0 - n0, e1 + n1, s1 + n1])


def _orientation(quad: np.ndarray) -> int:
    d = quad[1] - quad[0]
    ang = np.degrees(np.arctan2(d[1], d[0]))
    return int(round(ang / 90.0)) % 4 * 90


def read_mrz(image: np.ndarray, *, formats: tuple[str, ...] | None = None, max_candidates: int = 4,
             correct: bool = True, adapt: bool = True, levels: tuple[int, ...] = DEFAULT_LEVELS,
             rotations: tuple[int, ...] = (0, 90), upright: bool = False) -> MRZReading:
    """Find and read the MRZ of a document image.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W, 3) RGB or (H, W) grey
        A document photo or scan, a template-geometry warp, or an MRZ crop.
        Not modified.
    formats : tuple of str, keyword-only, optional
        Only consider these formats (default: all of TD1, TD2, TD3, MRV-A, MRV-B).
    max_candidates : int, keyword-only
        How many located candidates may be read per rotation.
    correct : bool, keyword-only
        Apply field-alphabet and check-digit-guided correction (on by default).
    adapt : bool, keyword-only
        Re-score the characters against the document's own glyphs (on by default;
        see :func:`adapt_scores`).
    levels, rotations : keyword-only
        Passed to :func:`docexam.mrz.locate.locate_mrz`; the rotations are searched
        one after the other, stopping at the first valid reading.
    upright : bool, keyword-only
        The text is known to read left to right, top line first (a crop
        warped into a template's geometry): the reading direction is not
        probed (otherwise the longest line is read both ways first).

    Returns
    -------
    MRZReading

    Raises
    ------
    ValueError
        Naming the parameter, for a bad array or option.

    Examples
    --------
    >>> import numpy as np
    >>> r = read_mrz(np.full((100, 400), 250, np.uint8))
    >>> r.found, r.format, sorted(r.timings_ms)
    (False, None, ['locate', 'read', 'total'])
    """
    t_start = time.perf_counter()
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(f"image: expected uint8 pixels, got {arr.dtype}")
    if arr.ndim not in (2, 3) or min(arr.shape[:2]) < 16:
        raise ValueError(f"image: expected an (H, W) or (H, W, 3) image of 16 pixels or more, got shape {arr.shape}")
    if formats is not None:
        formats = tuple(formats)
        bad = [f for f in formats if f not in ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")]
        if bad or not formats:
            raise ValueError(f"formats: unknown format(s) {bad or '(none given)'}")
    if max_candidates < 1:
        raise ValueError("max_candidates: must be >= 1")
    with single_thread_blas():  # many small products: threads cost more than they save
        return _read(arr, formats=formats, max_candidates=max_candidates, correct=correct, adapt=adapt,
                     levels=levels, rotations=rotations, t_start=t_start, upright=bool(upright))


def _read(arr: np.ndarray, *, formats, max_candidates, correct, adapt, levels, rotations, t_start,
          upright=False) -> MRZReading:
    gray = darkest_channel(arr)
    t_locate = t_read = 0.0
    best: _Attempt | None = None
    for rot in rotations:
        t0 = time.perf_counter()
        cands = locate_mrz(gray, levels=levels, rotations=(rot,), max_candidates=max_candidates)
        t1 = time.perf_counter()
        t_locate += t1 - t0
        for cand in cands:
            for att in _read_candidate(gray, cand, formats=formats, correct=correct, adapt=adapt, upright=upright):
                if best is None or att.key > best.key:
                    best = att
            if best is not None and best.key[0]:
                break
        t_read += time.perf_counter() - t1
        if best is not None and best.key[0]:
            break
    timings = {"locate": t_locate * 1000, "read": t_read * 1000}
    found = best is not None and best.quality >= MIN_QUALITY
    if not found:
        timings["total"] = (time.perf_counter() - t_start) * 1000
        return MRZReading(False, timings_ms=timings, quality=best.quality if best else 0.0)
    quad = _quad(best.geoms, len(best.lines[0]))
    timings["total"] = (time.perf_counter() - t_start) * 1000
    return MRZReading(True, best.fmt, list(best.lines), best.parsed, quad, _orientation(quad), best.quality,
                      best.corrected, timings, list(best.raw), list(best.printed), list(best.fit),
                      list(best.font_fit), list(best.digits))
