"""MRZ items: which check digit is wrong, which field disagrees with the printed page."""

from __future__ import annotations

import datetime as _dt
import random
from typing import Sequence

from ..mrz import text as mrz_text
from .quiz_item import Item, choice_key, item_rng, option, overlay_of
from .vocabulary import CHECK_LABELS, FIELD_LABELS, PROMPTS, WHY_CHECK_DIGIT, WHY_FIELD


#: (line, column) of each check digit officers compute by hand, per format
_CHECK_POSITIONS = {
    "TD3": {"document_number": (1, 9), "date_of_birth": (1, 19), "date_of_expiry": (1, 27)},
    "TD2": {"document_number": (1, 9), "date_of_birth": (1, 19), "date_of_expiry": (1, 27)},
    "TD1": {"document_number": (0, 14), "date_of_birth": (1, 6), "date_of_expiry": (1, 14)},
}
_COMPOSITE_POSITION = {"TD3": (1, 43), "TD2": (1, 35), "TD1": (1, 29)}
_MRZ_FIELDS = ("surname", "given_names", "document_number", "nationality", "date_of_birth",
               "sex", "date_of_expiry")


def _as_read(name: str, mrz_value: str) -> str:
    # an officer compares 1955-09-01 with 550901 more easily when told the order
    return f"{mrz_value} (YYMMDD)" if name in ("date_of_birth", "date_of_expiry") else mrz_value


def _printed(holder) -> dict:
    return {k: holder.get(k) for k in _MRZ_FIELDS}


def _mrz_form(name: str, value: str) -> str:
    """A holder value as the MRZ would carry it."""
    if name in ("date_of_birth", "date_of_expiry"):
        return mrz_text.yymmdd(value)
    if name == "sex":
        return value if value in ("F", "M") else "<"
    return mrz_text.to_mrz_chars(value).replace("<", " ").strip()


def _disagreements(parsed, holder) -> list[str]:
    out = []
    for name in _MRZ_FIELDS:
        mrz_value = parsed.fields.get(name, "")
        if name == "sex":
            mrz_value = mrz_value if mrz_value in ("F", "M") else "<"
        printed = _mrz_form(name, holder.get(name))
        if name in ("surname", "given_names"):
            # names longer than the MRZ field are truncated there: a prefix agrees
            if not mrz_value or not printed.startswith(mrz_value):
                out.append(name)
        elif printed != mrz_value:
            out.append(name)
    return out


def _with_char(lines: list[str], pos: tuple[int, int], ch: str) -> list[str]:
    line, col = pos
    out = list(lines)
    out[line] = out[line][:col] + ch + out[line][col + 1:]
    return out


def _fix_composite(lines: list[str], fmt: str) -> list[str]:
    pos = _COMPOSITE_POSITION.get(fmt)
    if pos is None:
        return lines
    for digit in "0123456789":
        candidate = _with_char(lines, pos, digit)
        if mrz_text.parse(candidate).checks.get("composite"):
            return candidate
    return lines  # pragma: no cover - some digit always verifies


def _mrz_item(spec, iid: str, kind: str, lines: list[str], answer: str, what: str,
              why: str, overlay: dict, anomalies: Sequence[int] = ()) -> Item:
    labels = CHECK_LABELS if kind == "mrz-check-digit" else FIELD_LABELS
    return Item(
        id=iid, type="mrz", specimens=(spec.name,), template=spec.template,
        prompt=PROMPTS[kind][0], prompt_km=PROMPTS[kind][1],
        shown={"mrz": list(lines), "printed": _printed(spec.holder), "question": kind,
               "options": [option(k, labels) for k in labels]},
        key=choice_key(answer),
        feedback={"what": what, "why": why, "answer_label": labels[answer][0],
                  "overlays": [overlay] + [overlay_of(spec, i) for i in anomalies]},
        families=("personalization",), techniques=("mrz-inconsistency",),
        difficulty=0.5,
    )


def _check_digit_feedback(lines, fmt, name) -> tuple[str, dict]:
    line, col = _CHECK_POSITIONS[fmt][name]
    # the data each check digit protects sits just before it
    start = col - (9 if name == "document_number" else 6)
    data = lines[line][start:col]
    correct = mrz_text.check_digit(data)
    what = (f"The {CHECK_LABELS[name][0].lower()} is {lines[line][col]}, but {data} gives "
            f"{correct} (weights 7, 3, 1).")
    return what, {"mrz_position": [line, col], "mrz_span": [line, start, col]}


def _alter(name: str, value: str, rng: random.Random) -> str | None:
    """A plausible forger's change of one holder value (None if not possible)."""
    if name in ("date_of_birth", "date_of_expiry"):
        date = _dt.date.fromisoformat(value)
        years = rng.choice((-10, -5, -2, -1, 1, 2, 5, 10))
        try:
            return date.replace(year=date.year + years).isoformat()
        except ValueError:  # 29 February
            return (date + _dt.timedelta(days=365 * years)).isoformat()
    if name == "sex":
        return {"F": "M", "M": "F"}.get(value)
    chars = list(mrz_text.to_mrz_chars(value))
    positions = [i for i, c in enumerate(chars) if c != "<"]
    if not positions:
        return None
    i = rng.choice(positions)
    pool = "0123456789" if chars[i].isdigit() else "ABCDEFGHIJKLMNOPRSTUVWYZ"
    chars[i] = rng.choice([c for c in pool if c != chars[i]])
    return "".join(chars).replace("<", " ")


def _recompose(parsed, holder, **override) -> list[str] | None:
    fields = parsed.fields
    values = {k: holder.get(k) for k in _MRZ_FIELDS} | override
    optional = fields.get("personal_number", fields.get("optional_data", ""))
    try:
        return mrz_text.compose(
            parsed.format, document_code=fields.get("document_code", "P"),
            issuing_state=fields.get("issuing_state", ""), optional=optional,
            optional2=fields.get("optional_data_2", ""), **values)
    except (ValueError, KeyError):
        return None


def mrz_items(spec) -> list[Item]:
    if not spec.mrz:
        return []
    try:
        parsed = mrz_text.parse(list(spec.mrz))
    except ValueError:
        return []
    fmt = parsed.format
    if fmt not in _CHECK_POSITIONS or parsed.problems:
        return []
    lines = list(spec.mrz)
    mrz_anomalies = [i for i, a in enumerate(spec.anomalies) if a.technique == "mrz-inconsistency"]
    failing = [k for k in _CHECK_POSITIONS[fmt] if parsed.checks.get(k) is False]
    disagree = _disagreements(parsed, spec.holder)
    if not parsed.valid or disagree:
        # the specimen's own MRZ is inconsistent: ask about the real fault when it is unambiguous
        iid = f"{spec.name}:mrz"
        if len(failing) == 1 and not disagree:
            what, overlay = _check_digit_feedback(lines, fmt, failing[0])
            return [_mrz_item(spec, iid, "mrz-check-digit", lines, failing[0], what, WHY_CHECK_DIGIT,
                              overlay, mrz_anomalies)]
        if len(disagree) == 1 and parsed.valid:
            name = disagree[0]
            what = (f"The printed {FIELD_LABELS[name][0].lower()} is {spec.holder.get(name)}, "
                    f"but the MRZ says {_as_read(name, parsed.fields.get(name))}.")
            return [_mrz_item(spec, iid, "mrz-field", lines, name, what, WHY_FIELD,
                              {"mrz_field": name}, mrz_anomalies)]
        return []
    if _recompose(parsed, spec.holder) != lines:
        # we could not rebuild this MRZ from its data (unusual optional data): make no exercises
        return []
    items = []
    # exercise 1: one check digit corrupted (the composite is re-computed so exactly one fails)
    iid = f"{spec.name}:mrz:check-digit"
    rng = item_rng(iid)
    name = rng.choice([k for k in _CHECK_POSITIONS[fmt]
                       if not (fmt == "TD1" and k == "document_number" and lines[0][14] == "<")])
    pos = _CHECK_POSITIONS[fmt][name]
    wrong = str((int(lines[pos[0]][pos[1]]) + rng.randint(1, 9)) % 10)
    corrupted = _fix_composite(_with_char(lines, pos, wrong), fmt)
    check = mrz_text.parse(corrupted).checks
    if [k for k, ok in check.items() if not ok] == [name]:
        what, overlay = _check_digit_feedback(corrupted, fmt, name)
        items.append(_mrz_item(spec, iid, "mrz-check-digit", corrupted, name, what, WHY_CHECK_DIGIT, overlay))
    # exercise 2: one field changed in the MRZ (with valid check digits), printed page unchanged
    iid = f"{spec.name}:mrz:field"
    rng = item_rng(iid)
    candidates = [k for k in ("surname", "document_number", "date_of_birth", "sex", "date_of_expiry")
                  if not (k == "sex" and spec.holder.sex not in ("F", "M"))]
    name = rng.choice(candidates)
    altered = _alter(name, spec.holder.get(name), rng)
    new_lines = _recompose(parsed, spec.holder, **{name: altered}) if altered else None
    if new_lines and new_lines != lines and _disagreements(mrz_text.parse(new_lines), spec.holder) == [name]:
        shown_value = mrz_text.parse(new_lines).fields.get(name)
        what = (f"The printed {FIELD_LABELS[name][0].lower()} is {spec.holder.get(name)}, "
                f"but the MRZ says {_as_read(name, shown_value)}.")
        items.append(_mrz_item(spec, iid, "mrz-field", new_lines, name, what, WHY_FIELD, {"mrz_field": name}))
    return items
