"""Check-digit-guided decoding of MRZ character scores.

The classifier gives, for every character position, a score for each of the
37 MRZ characters. Reading the best character everywhere is not enough:
OCR-B's look-alikes (``O``/``0``, ``I``/``1``, ``B``/``8``, ``S``/``5``,
``Z``/``2``, ``G``/``6``, ``D``/``0``, ``<``/``K``) are close, and a blurred
print tips the balance. The MRZ carries two kinds of redundancy that fix
most of these errors, and this module uses both:

1. **Field alphabets.** Each position has a field type (:func:`layout`):
   dates and check digits are digits (with month and day ranges), state
   codes and names are letters or ``<``, the sex is ``F``, ``M``, ``X`` or
   ``<``. Only characters of the position's alphabet are considered.
2. **Check digits.** Every check digit is a weighted sum mod 10 of its
   field (:func:`docexam.mrz.text.check_digit`). The decoder finds the most
   probable reading in which *all* check digits verify, exactly, by dynamic
   programming over positions with the running sums mod 10 as the state
   (at most a field sum and the composite sum are open at a time, so at most
   100 states). That reading is kept only when it costs little probability
   against the unconstrained best reading, i.e. when a plausible
   alternative makes the digits verify; otherwise check digits are dropped
   (composite first) and the reading reports what was seen, so a real
   inconsistency (a forged MRZ) is not "corrected" away.

Examples
--------
>>> import numpy as np
>>> from docexam.mrz.text import ALPHABET
>>> lines = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
>>> scores = [np.full((44, 37), 0.3) for _ in lines]
>>> for s, line in zip(scores, lines):
...     for i, ch in enumerate(line):
...         s[i, ALPHABET.index(ch)] = 0.9
>>> scores[1][13, ALPHABET.index("7")] = 0.80   # DOB "7" read as a poor "1" ...
>>> scores[1][13, ALPHABET.index("1")] = 0.85   # ... that scores a little higher
>>> decode(scores, "TD3").lines == lines
True
>>> decode(scores, "TD3").printed[1][13]   # what the glyphs say is printed, for graded validation
'1'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from .text import ALPHABET, CHAR_VALUES, CHECK_WEIGHTS, SHAPES

_INDEX = {c: i for i, c in enumerate(ALPHABET)}

#: field-type code -> allowed characters
FIELD_ALPHABETS = {
    "D": "0123456789",
    "C": "0123456789",  # check digit
    "c": "0123456789<",  # check digit that may be '<' (empty optional field)
    "y": "0123456789",  # year digits
    "m": "01",  # first digit of a month
    "d": "0123",  # first digit of a day
    "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "L": "ABCDEFGHIJKLMNOPQRSTUVWXYZ<",
    "X": ALPHABET,
    "S": "FMX<",
    "T": "IAC",  # first character of a TD1/TD2 document code
    "P": "P",  # ... of a passport (TD3)
    "V": "V",  # ... of a visa (MRV-A, MRV-B)
}

#: field types whose alphabet is a preference, not a rule: (wider alphabet, log-probability
#: cost of a character outside the preferred one). Names and state codes should be letters,
#: but a clearly printed digit is reported as printed; a document code starts with the
#: letter its format prescribes (P, V; I, A or C for cards), unless another is clearly printed.
SOFT_PENALTY = {"L": (ALPHABET, 4.0), "T": ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4.0),
                "P": ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4.0), "V": ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4.0)}

_DATE = "yymDdD"


@functools.lru_cache(maxsize=None)
def layout(fmt: str) -> tuple[tuple[str, ...], tuple[tuple[tuple[int, ...], int, str], ...]]:
    """Field types of every position and the check-digit constraints of ``fmt``.

    Returns
    -------
    types : tuple of str
        One string per line: a field-type code (see :data:`FIELD_ALPHABETS`) per position.
    checks : tuple of (data_positions, check_position, name)
        Positions index the concatenated lines.

    Examples
    --------
    >>> types, checks = layout("TD3")
    >>> types[1][13:20], [name for _, _, name in checks]
    ('yymDdDC', ['document_number', 'date_of_birth', 'date_of_expiry', 'optional', 'composite'])
    """
    if fmt not in SHAPES:
        raise ValueError(f"fmt: {fmt!r} is not one of {', '.join(SHAPES)}")
    if fmt == "TD1":
        l1 = "TL" + "LLL" + "X" * 9 + "c" + "X" * 15
        l2 = _DATE + "C" + "S" + _DATE + "C" + "LLL" + "X" * 11 + "C"
        l3 = "L" * 30
        o2 = 30
        checks = (
            (tuple(range(5, 14)), 14, "document_number"),
            (tuple(range(o2, o2 + 6)), o2 + 6, "date_of_birth"),
            (tuple(range(o2 + 8, o2 + 14)), o2 + 14, "date_of_expiry"),
            (tuple(range(5, 30)) + tuple(range(o2, o2 + 7)) + tuple(range(o2 + 8, o2 + 15))
             + tuple(range(o2 + 18, o2 + 29)), o2 + 29, "composite"),
        )
        return (l1, l2, l3), checks
    width = SHAPES[fmt][1]
    code = {"TD2": "T", "TD3": "P"}.get(fmt, "V")
    l1 = code + "L" + "LLL" + "L" * (width - 5)
    head = "X" * 9 + "C" + "LLL" + _DATE + "C" + "S" + _DATE + "C"
    o = width  # line 2 offset
    base = [
        (tuple(range(o, o + 9)), o + 9, "document_number"),
        (tuple(range(o + 13, o + 19)), o + 19, "date_of_birth"),
        (tuple(range(o + 21, o + 27)), o + 27, "date_of_expiry"),
    ]
    if fmt == "TD3":
        l2 = head + "X" * 14 + "c" + "C"
        base.append((tuple(range(o + 28, o + 42)), o + 42, "optional"))
        base.append((tuple(range(o, o + 10)) + tuple(range(o + 13, o + 20)) + tuple(range(o + 21, o + 43)),
                     o + 43, "composite"))
    elif fmt == "TD2":
        l2 = head + "X" * 7 + "C"
        base.append((tuple(range(o, o + 10)) + tuple(range(o + 13, o + 20)) + tuple(range(o + 21, o + 35)),
                     o + 35, "composite"))
    else:  # MRV-A / MRV-B: no composite
        l2 = head + "X" * (width - 28)
    return (l1, l2), tuple(base)


@dataclass
class Decoded:
    """Result of :func:`decode`."""

    lines: list[str]
    #: the check digits the decoder enforced (names as in ParsedMRZ.checks)
    enforced: list[str] = field(default_factory=list)
    #: log-probability given up against the unconstrained best reading (>= 0)
    cost: float = 0.0
    #: positions (line, index) whose character differs from the classifier's top choice
    changed: list[tuple[int, int]] = field(default_factory=list)
    #: positions the check digits changed (from the best reading the field alphabets allow)
    by_checks: list[tuple[int, int]] = field(default_factory=list)
    #: the best reading the field alphabets allow, before any check-digit correction (what is printed)
    printed: list[str] = field(default_factory=list)


def log_probs(scores: np.ndarray, *, temperature: float = 0.03) -> np.ndarray:
    """Softmax log-probabilities from correlation scores (rows: positions)."""
    if temperature <= 0:
        raise ValueError("temperature: must be positive")
    z = np.asarray(scores, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _best_constrained(lp: np.ndarray, cands: list[list[int]], checks):
    """Most probable sequence satisfying every check in ``checks`` (DP over sums mod 10).

    ``lp``: (n, 37) log-probabilities (field penalties included); ``cands``: the
    classes considered at each position. Returns (class indices, total log-prob)
    or (None, -inf).
    """
    n = lp.shape[0]
    # per position: list of (check id, weight) where it is data; check id it closes
    data_of = [[] for _ in range(n)]
    closes = [None] * n
    opens = [[] for _ in range(n)]
    for cid, (positions, chk, _name) in enumerate(checks):
        for j, p in enumerate(positions):
            data_of[p].append((cid, CHECK_WEIGHTS[j % len(CHECK_WEIGHTS)]))
        closes[chk] = cid if closes[chk] is None else closes[chk]
        opens[positions[0]].append(cid)
    # state: tuple of (cid, sum) pairs, sorted by cid
    states = {(): (0.0, None)}
    history = []
    for t in range(n):
        new: dict = {}
        for state, (score, _bp) in states.items():
            open_sums = dict(state)
            for cid in opens[t]:
                open_sums.setdefault(cid, 0)
            for k in cands[t]:
                ch = ALPHABET[k]
                v = CHAR_VALUES[ch]
                sums = dict(open_sums)
                cid = closes[t]
                if cid is not None:
                    if not (ch.isdigit() or ch == "<") or sums.get(cid, 0) % 10 != v:
                        continue
                    sums.pop(cid, None)
                for c2, w in data_of[t]:
                    sums[c2] = (sums.get(c2, 0) + v * w) % 10
                key = tuple(sorted(sums.items()))
                s = score + lp[t, k]
                if key not in new or s > new[key][0]:
                    new[key] = (s, (state, k))
        if not new:
            return None, -np.inf
        history.append(new)
        states = new
    # all checks closed by the end: only the empty state remains
    end = states.get(())
    if end is None:
        return None, -np.inf
    seq = []
    key = ()
    for t in range(n - 1, -1, -1):
        _s, (prev, k) = history[t][key]
        seq.append(k)
        key = prev
    return seq[::-1], end[0]


def decode(scores: list[np.ndarray], fmt: str, *, temperature: float = 0.03, max_cost: float = 5.0,
           max_change: float = 2.5, max_corrections: int = 2, top_k: int = 4,
           nationality_prior: float = 1.5) -> Decoded:
    """Choose the MRZ reading from per-position character scores.

    Parameters
    ----------
    scores : list of ndarray, each shape (n_chars, 37)
        Classifier scores per line (columns in :data:`docexam.mrz.text.ALPHABET` order).
    fmt : str
        MRZ format (``TD1``, ``TD2``, ``TD3``, ``MRV-A``, ``MRV-B``).
    temperature : float, keyword-only
        Softmax temperature turning correlation scores into probabilities.
    max_cost : float, keyword-only
        Largest log-probability the check-digit correction may give up; above it
        the check digits concerned are left unenforced (the reading then shows
        the inconsistency instead of inventing a fix).
    max_change : float, keyword-only
        Only alternatives within this log-probability of a position's best
        character are considered (a plausible confusion, not any character).
    max_corrections : int, keyword-only
        At most this many characters may be changed to make check digits verify: a check
        digit can fix one doubtful character, not rewrite a field (beyond that the reading
        stays as seen and reports the failing check digits).
    top_k : int, keyword-only
        At most this many candidates per position.
    nationality_prior : float, keyword-only
        Log-probability bonus for a nationality character equal to the issuing
        state's (most holders are nationals of the issuing state; this only
        tips near ties, e.g. ``UTO``/``UTD`` on a blurred print).

    Returns
    -------
    Decoded

    Examples
    --------
    >>> import numpy as np
    >>> s = [np.zeros((30, 37)) for _ in range(3)]
    >>> decode(s, "TD1").lines[0][:2]   # flat scores: still the field alphabets
    'AA'
    """
    types, checks = layout(fmt)
    n_lines, width = SHAPES[fmt]
    if len(scores) != n_lines or any(np.shape(s) != (width, len(ALPHABET)) for s in scores):
        raise ValueError(f"scores: need {n_lines} arrays of shape ({width}, {len(ALPHABET)}) for {fmt}")
    if top_k < 1:
        raise ValueError("top_k: must be >= 1")
    if max_cost < 0 or max_change < 0 or max_corrections < 0:
        raise ValueError("max_cost/max_change/max_corrections: must be >= 0")
    lp = log_probs(np.concatenate(scores, axis=0), temperature=temperature)
    raw_top = lp.argmax(axis=1)
    type_str = "".join(types)
    if nationality_prior:
        nat = width + (15 if fmt == "TD1" else 10)  # first nationality position (line 2)
        for j in range(3):
            state_char = int(np.argmax(lp[2 + j]))
            lp[nat + j, state_char] += nationality_prior
    cands = []
    for t, ft in enumerate(type_str):
        allowed = [_INDEX[c] for c in FIELD_ALPHABETS[ft]]
        if ft in SOFT_PENALTY:
            wider, cost = SOFT_PENALTY[ft]
            penal = np.full(len(ALPHABET), -cost)
            penal[allowed] = 0.0
            lp[t] += penal
            allowed = [_INDEX[c] for c in wider]
        # a stable sort, as sorted() would do it, of the allowed classes by decreasing probability
        allowed = np.asarray(allowed)
        row = lp[t, allowed]
        top = np.argsort(-row, kind="stable")[:top_k]
        cands.append([int(allowed[j]) for j in top if row[top[0]] - row[j] <= max_change])
    free = [c[0] for c in cands]
    free_score = float(sum(lp[t, k] for t, k in enumerate(free)))

    def attempt(selected):
        seq, total = _best_constrained(lp, cands, selected)
        if seq is None or free_score - total > max_cost:
            return None
        if sum(k != f for k, f in zip(seq, free)) > max_corrections:
            return None
        return seq, total

    result = attempt(checks)
    enforced = [name for _, _, name in checks]
    if result is None:
        # drop the composite, keep the field checks that are cheap on their own
        field_checks = [c for c in checks if c[2] != "composite"]
        good = [c for c in field_checks if attempt([c]) is not None]
        result = attempt(good) if good else None
        enforced = [name for _, _, name in good]
        if result is None:
            result, enforced = (free, free_score), []
    seq, total = result
    text = "".join(ALPHABET[k] for k in seq)
    lines = [text[i * width:(i + 1) * width] for i in range(n_lines)]
    changed = [(t // width, t % width) for t, k in enumerate(seq) if k != raw_top[t]]
    by_checks = [(t // width, t % width) for t, k in enumerate(seq) if k != free[t]]
    free_text = "".join(ALPHABET[k] for k in free)
    printed = [free_text[i * width:(i + 1) * width] for i in range(n_lines)]
    return Decoded(lines, enforced, float(free_score - total), changed, by_checks, printed)
