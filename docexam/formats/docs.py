"""``docs/formats.md`` and ``docs/schemas/*.json``, written from the format models.

The documentation of every file docexam reads is generated from the same
models that check the files, so the two cannot disagree;
``tests/test_formats_docs.py`` fails when the committed files drift.
Regenerate them with ``python -m docexam.formats``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from . import lesson, library, self_study_export, specimen, template, workshop_export
from .fields import NonEmptyList
from .lights import LIGHTS


@dataclass(frozen=True)
class Format:
    """One file format: its model, where such files live, and its schema's file name."""

    title: str
    model: type[BaseModel]
    schema_name: str
    where: str
    module: object
    #: the file's top level, when it is not the model's object (the zones file is a bare list)
    top_level: object = None


FORMATS = (
    Format("Template", template.TemplateFile, "template",
           "`specimens/templates/ID/template.json` (shipped) and `$DOCEXAM_HOME/templates/ID/template.json` "
           "(a trainer's), beside the reference images", template),
    Format("Zones file", template.ZonesFile, "zones",
           "`ZONES.json` given to `docexam template add --zones`: a JSON list of zones, in the image's pixels, "
           "each as in `template.json` (at least one)", template, top_level=NonEmptyList(template.Zone)),
    Format("Specimen sidecar", specimen.SpecimenFile, "specimen",
           "`NAME.json` beside the specimen image `NAME.png`", specimen),
    Format("Lesson", lesson.LessonFile, "lesson", "`lessons/NAME.toml` (TOML, UTF-8)", lesson),
    Format("Workshop export", workshop_export.WorkshopExport, "workshop-export",
           "the file `docexam workshop export` writes and `docexam workshop import` reads", workshop_export),
    Format("Self-study records", self_study_export.SelfStudyExport, "self-study-export",
           "the document `docexam sync` pushes to headquarters besides the workshops' records",
           self_study_export),
    Format("Library recipes", library.LibraryFile, "library", "`specimens/library/library.json`", library),
)

INTRO = f"""# File formats

What docexam writes and reads, in our own words. Each format is a pydantic
model; the model is the rule. The formats in this first part have their
models in `docexam/formats/`, which check the files, give the error messages
and write this part and the JSON Schemas in `docs/schemas/` (regenerate both
with `python -m docexam.formats`; a test fails when they drift from the
models). The formats after it (signed documents, trusted keys, packs,
alerts, the sync state) have their models in `docexam/signing/` and
`docexam/sharing/`, named under each heading.

Conventions shared by every format:

- **Coordinates.** A box is `[x0, y0, x1, y1]`: integer pixels of the
  template's reference image (its native resolution), x to the right, y
  down, `x1` and `y1` exclusive. A finding or anomaly on a photographed,
  rotated or rescaled capture is always given in these template pixels.
- **Lights.** {", ".join(f"`{light}`" for light in LIGHTS)} (`docexam/formats/lights.py`, the one list).
  A specimen's image in a light other than visible is `NAME.<light>.png`.
- **Strict values.** A number is not written as text (`"600"` is refused),
  true and false are not 1 and 0, an id is lower-case kebab-case.
- **Other fields.** A template, zone, specimen sidecar, holder, anomaly or
  capture may carry more fields than listed: they are kept as they are. A
  lesson file may not (a misspelt key is refused).
- **Errors.** A broken file is refused with one line naming the file, the
  line (TOML; JSON syntax errors), the field (`anomalies[0].bbox`) and the
  problem, for example
  `a.json: anomalies[0].bbox: [10, 10, 900, 40] is not inside zone surname [120, 20, 380, 50]`.
"""

OUTPUTS = """## What the commands print

Besides the files above, these command outputs are relied on by other programs:

- `docexam examine IMAGE ... --json`: one JSON object per image (JSON Lines
  for several), with `image`, `template`, `verdict` (`consistent`, `suspect`,
  `inconclusive`, or `error` for an unreadable image in a batch), `score`
  (0 to 1, higher is more suspicious; it ranks documents), `findings` (each
  with `family`, `technique` or null, `zone`, `bbox` in template pixels,
  `score`, `message`), `registration` (`ok`, `reprojection_error_px`;
  `side` when the picture shows one side of a card; `pages`, the names of
  a booklet spread's pages aligned each in its own pose, when no single
  pose fits the spread, as with a leaf bent at the fold), `timings_ms` (`total`, and one per step) and, when inconclusive, a
  `reason` in plain words. Optional: `notes` (checks that could not be
  made: `check`, `status`, `message`) and `unexamined`: the security
  features and the content the picture shows but one straight-on image
  cannot prove, each with `zone`, `feature` (`kinegram`, `colour-shift`,
  `watermark`, `thread`, `laser-engraving`, `lamination`, `stamps`: a
  visa page's border stamps, or `portrait`: always listed where the side
  shows one, as no picture tells whether the traveller is its holder),
  `bbox`, `needs` (`tilt`, `transmitted`, `ir`, `raking`, `reference`: the
  border post's specimen stamps, or `presenter`: the person presenting the
  document; the view or the comparison that proves it) and `message`
  (what the officer does by hand). A feature is judged, not listed, when
  its view is given: `--transmitted IMAGE` (the page against a lamp, same
  framing as IMAGE) for a watermark and a thread, `--tilt IMAGE ...` (at
  least three pictures per device, each aligned on its own) for a kinegram
  or colour-shifting ink. `inconclusive` with a reason also means
  the only differences found are on an optically variable device that
  looks different at other angles, or that nothing was found on a visa
  page whose border stamps one picture cannot judge.
- `docexam mrz read IMAGE ... --json`: one object per image per line, with
  `image`, `found`, `format` (TD1, TD2, TD3, MRV-A, MRV-B), `lines`, `valid`
  (every check digit verifies), `checks` (one boolean per check digit),
  `fields` (`surname`, `given_names`, `document_number`, `nationality`,
  `date_of_birth` and `date_of_expiry` as YYMMDD, `sex`) and `timings_ms`.
- `docexam techniques --json`: `[{"technique", "family", "description"}, ...]`;
  a technique belongs to exactly one family (`substrate`, `printing`,
  `personalization`).
- `docexam lessons list --json`: `[{"id", "title", "topic", "items", "item_types"}, ...]`.

Exit status: 0 when every input was handled, 2 for unusable input (one line
on stderr naming the file and the problem, never a traceback).
"""


def json_schema(fmt: Format) -> dict:
    """The JSON Schema (2020-12) of a format."""
    if fmt.top_level is not None:
        schema = TypeAdapter(fmt.top_level).json_schema(mode="validation")
    else:
        schema = fmt.model.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": fmt.title, **schema}


def _type(prop: dict) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        kinds = [_type(p) for p in prop["anyOf"] if p.get("type") != "null"]
        nullable = any(p.get("type") == "null" for p in prop["anyOf"])
        return " or ".join(kinds) + (" or null" if nullable else "")
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    kind = prop.get("type", "any")
    if kind == "array":
        if "prefixItems" in prop:
            return "[" + ", ".join(_type(p) for p in prop["prefixItems"]) + "]"
        items = prop.get("items")
        inner = _type(items) if items else "any"
        size = ""
        if prop.get("minItems") is not None and prop.get("minItems") == prop.get("maxItems"):
            size = f" of {prop['minItems']}"
        elif prop.get("minItems"):
            size = f", at least {prop['minItems']}"
        return f"list{size} of {inner}"
    if kind == "object":
        extra = prop.get("additionalProperties")
        if isinstance(extra, dict):
            keys = prop.get("propertyNames")
            key = _type(keys) if keys else "text"
            return f"object: {key} -> {_type(extra)}"
        return "object"
    words = {"string": "text", "integer": "integer", "number": "number", "boolean": "true or false"}
    text = words.get(kind, kind)
    if prop.get("format"):
        text += {"date": " (YYYY-MM-DD)", "date-time": " (ISO 8601 time with zone)", "uuid": " (uuid)"}.get(
            prop["format"], f" ({prop['format']})")
    if prop.get("pattern"):
        text += f" matching `{prop['pattern']}`"
    bounds = [f"≥ {prop[k]}" for k in ("minimum", "exclusiveMinimum") if k in prop]
    bounds += [f"≤ {prop[k]}" for k in ("maximum", "exclusiveMaximum") if k in prop]
    if prop.get("minLength"):
        bounds.append("not empty")
    return text + (f" ({', '.join(bounds)})" if bounds else "")


def _table(schema: dict) -> list[str]:
    required = set(schema.get("required", ()))
    rows = ["| field | type | required | what it is |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        default = prop.get("default")
        need = "yes" if name in required else ("no" if default in (None, [], {}, "") else f"no (default `{json.dumps(default)}`)")
        what = " ".join(prop.get("description", "").split())
        rows.append(f"| `{name}` | {_type(prop)} | {need} | {what} |")
    return rows


def _doc(obj) -> str:
    text = (obj.__doc__ or "").strip()
    return " ".join(text.split("\n\n", 1)[1].split()) if "\n\n" in text else ""


def markdown() -> str:
    """The text of ``docs/formats.md``."""
    out, described, tabled = [INTRO], set(), set()
    for fmt in FORMATS:
        schema = json_schema(fmt)
        out += [f"## {fmt.title}", "", f"Where: {fmt.where}. Model: `{fmt.model.__module__}.{fmt.model.__name__}`; "
                f"JSON Schema: [`docs/schemas/{fmt.schema_name}.json`](schemas/{fmt.schema_name}.json).", ""]
        about = _doc(fmt.module)
        if about and fmt.module not in described:
            out += [about, ""]
            described.add(fmt.module)
        if "properties" in schema:
            out += _table(schema) + [""]
        for name, sub in schema.get("$defs", {}).items():
            if name in tabled:
                continue
            tabled.add(name)
            out += [f"### {name}", ""]
            if sub.get("description"):
                out += [" ".join(sub["description"].split()), ""]
            out += _table(sub) + [""]
    out.append(OUTPUTS)
    return "\n".join(out).rstrip("\n") + "\n"


BEGIN = "<!-- generated from docexam/formats by `python -m docexam.formats`: edit the models, not this part -->"
END = "<!-- end of the generated part; what follows is written by hand -->"


def generated_part(text: str) -> str:
    """The generated part of ``docs/formats.md``'s ``text`` (between :data:`BEGIN` and :data:`END`)."""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n" if BEGIN in text and END in text else ""


def write(root: str | Path) -> list[Path]:
    """Write ``docs/formats.md``'s generated part and ``docs/schemas/*.json`` under the repository ``root``.

    The part of ``formats.md`` after :data:`END` (formats whose models live
    in higher rooms: signed documents, packs, alerts) is kept as it is.
    """
    docs = Path(root) / "docs"
    (docs / "schemas").mkdir(parents=True, exist_ok=True)
    written = [docs / "formats.md"]
    old = written[0].read_text(encoding="utf-8") if written[0].is_file() else ""
    rest = old.split(END, 1)[1].lstrip("\n") if END in old else ""
    written[0].write_text(f"{BEGIN}\n{markdown()}{END}\n\n{rest}", encoding="utf-8")
    for fmt in FORMATS:
        path = docs / "schemas" / f"{fmt.schema_name}.json"
        path.write_text(json.dumps(json_schema(fmt), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
