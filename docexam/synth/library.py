"""Sets of specimens: mixed batches from one seed, and the shipped library.

The shipped library is committed as *recipes* (``specimens/library/library.json``:
template, seed, capture, technique, severity per specimen), not as images:
600 dpi images of 120 documents in three lights would weigh gigabytes.
:func:`library_folder` renders the recipes on demand into a cache under
``$DOCEXAM_HOME/cache`` keyed by a hash of the recipes and of the rendering
code, so a fresh install shows the same library and a code change re-renders.
The cache stores the pictures as :mod:`.storage`'s table says (mostly JPEG);
each sidecar names its pictures.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ..i18n import Message
from ..atomic import ensure_dir, write_text
from ..errors import InputFileError, InvalidFieldError
from ..formats import library as library_format
from ..formats.specimen import CAPTURE_KINDS
from ..formats.validation import validate
from ..paths import FONTS_DIR, PACKAGE_DIR, cache_dir, specimens_dir
from ..specimens.model import Specimen
from ..specimens.registry import find_template, load_specimen
from ..specimens.techniques import TECHNIQUES
from .designs import DESIGNS
from .storage import LIBRARY_CODECS, STORAGES

CAPTURES = CAPTURE_KINDS


def library_recipes_path() -> Path:
    return specimens_dir() / "library" / "library.json"


def recipe_name(r: dict) -> str:
    return r.get("name") or f"{r['template']}-{r.get('forge') or 'genuine'}-{r['capture']}-{r['seed']}"


def compatible_templates(technique: str | None, templates=None) -> list[str]:
    """Templates (sorted) whose substrate the technique applies to; every template for a genuine document."""
    tpls = sorted(templates or DESIGNS)
    if technique is None:
        return tpls
    return [t for t in tpls if TECHNIQUES[technique].applies_to(DESIGNS[t].substrate, DESIGNS[t].has)]


def plan_set(count: int, *, seed: int, genuine_share: float = 0.5, templates=None,
             techniques=None, captures=CAPTURES) -> list[dict]:
    """Recipes of a mixed set: every technique, capture and template in turn, severities spread.

    A technique is only paired with templates it can happen on (no washed
    polycarbonate card); techniques that fit none of ``templates`` are left out.

    >>> [r["forge"] for r in plan_set(4, seed=1, genuine_share=0.5)].count(None)
    2
    """
    if count < 1:
        raise ValueError("count: must be at least 1")
    if not 0.0 <= genuine_share <= 1.0:
        raise ValueError("genuine_share: must be from 0 to 1")
    rng = np.random.default_rng(seed)
    tpls = sorted(templates or DESIGNS)
    techs = [t for t in (techniques or TECHNIQUES) if compatible_templates(t, tpls)]
    n_genuine = int(round(count * genuine_share)) if techs else count
    kinds = [None] * n_genuine + [techs[i % len(techs)] for i in range(count - n_genuine)]
    recipes = []
    for i, forge in enumerate(kinds):
        fits = compatible_templates(forge, tpls)
        r = {
            "template": fits[(i // max(len(techs), 1) + i) % len(fits)],
            "seed": int(rng.integers(0, 2**31)),
            "capture": captures[(i + i // len(captures)) % len(captures)],
            "forge": forge,
            "severity": None if forge is None else round(float(rng.uniform(0.05, 1.0)), 2),
        }
        r["name"] = f"s{seed}-{i:05d}-{recipe_name({**r, 'name': None})}"
        recipes.append(r)
    order = rng.permutation(len(recipes))
    return [recipes[j] for j in order]


def _render_one(args: tuple[dict, str, str, bool]) -> str:
    from .render import render_specimen, write_specimen  # the renderer (all of synth) loads only in the processes that render

    recipe, out, storage, screen_copies = args
    rendered = render_specimen(recipe["template"], seed=recipe["seed"], capture=recipe["capture"],
                               forge=recipe.get("forge"), severity=recipe.get("severity"),
                               traveller=bool(recipe.get("traveller", False)))
    return str(write_specimen(rendered, out, recipe_name(recipe), storage=storage, screen_copies=screen_copies))


def render_recipes(recipes: list[dict], out: str | Path, *, progress: bool = True, workers: int | None = None,
                   skip_existing: bool = False, storage: str = "library", screen_copies: bool = False) -> list[Path]:
    """Render ``recipes`` into ``out`` (in parallel processes, with a progress bar).

    ``storage`` is how the pictures are stored (:mod:`.storage`): by default
    as the library cache stores them (JPEG but for what must stay exact);
    ``"lossless"`` writes every light in PNG, as ``docexam synth render``.
    ``screen_copies`` writes each picture's screen copy too (a library the
    app shows: :func:`.render.write_specimen`).
    """
    if storage not in STORAGES:
        raise ValueError(f"storage: {storage!r} is not one of {', '.join(STORAGES)}")
    out = ensure_dir(out)
    todo = [r for r in recipes if not (skip_existing and (out / f"{recipe_name(r)}.json").is_file())]
    workers = workers or min(len(todo), os.cpu_count() or 1, 4) or 1
    jobs = [(r, str(out), storage, screen_copies) for r in todo]
    bar = tqdm(total=len(jobs), desc="rendering specimens", unit="doc", disable=not progress or not jobs)
    results = []
    if workers == 1:
        for job in jobs:
            results.append(_render_one(job))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for path in pool.map(_render_one, jobs):
                results.append(path)
                bar.update()
    bar.close()
    return [out / f"{recipe_name(r)}.json" for r in recipes]


# --------------------------------------------------------------------------
# the shipped library

def load_library_recipes(path: Path | None = None) -> list[dict]:
    path = path or library_recipes_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(path, Message("library recipes not found")) from None
    except json.JSONDecodeError as exc:
        raise InvalidFieldError(path, "JSON", exc.msg, line=exc.lineno) from None
    validate(library_format.LibraryFile, data, path, templates=DESIGNS, techniques=TECHNIQUES)
    recipes = data["specimens"]
    return recipes


#: the library's size: at least this many specimens, this share of them genuine
LIBRARY_MIN_SIZE = 120
LIBRARY_GENUINE_SHARE = 0.3
#: severities the library's forgeries cycle through: subtle, moderate, blatant
LIBRARY_SEVERITIES = (0.2, 0.5, 0.85)


#: one genuine document in this many also has its holder photographed at the counter
GENUINE_TRAVELLER_EVERY = 4


def plan_library(*, templates=None, techniques=None) -> list[dict]:
    """The shipped library's recipes, from the catalogue and the designs as they are.

    Every technique appears at least four times (more while the catalogue is
    small, so the library reaches :data:`LIBRARY_MIN_SIZE`), on the templates
    it can happen on in turn, in every capture and in two severities per
    capture; genuine documents make up :data:`LIBRARY_GENUINE_SHARE`, spread
    over templates and captures. New techniques and templates are picked up
    by themselves.
    """
    tpls = sorted(templates or DESIGNS)
    techs = [t for t in (techniques or TECHNIQUES) if compatible_templates(t, tpls)]
    per_technique = max(4, math.ceil((1 - LIBRARY_GENUINE_SHARE) * LIBRARY_MIN_SIZE / max(len(techs), 1)))
    recipes = []
    for t_index, tech in enumerate(techs):
        fits = compatible_templates(tech, tpls)
        for v in range(per_technique):
            recipes.append({"template": fits[(t_index + v) % len(fits)], "seed": 1000 + 10 * t_index + v,
                            "capture": CAPTURES[v % 3], "forge": tech,
                            "severity": LIBRARY_SEVERITIES[(v + v // 3) % 3]})
    n_genuine = max(2 * len(tpls) * len(CAPTURES),
                    math.ceil(LIBRARY_GENUINE_SHARE * len(recipes) / (1 - LIBRARY_GENUINE_SHARE)))
    for g in range(n_genuine):
        recipes.append({"template": tpls[g % len(tpls)], "seed": 100 + g,
                        "capture": CAPTURES[(g // len(tpls)) % 3], "forge": None, "severity": None})
        if g % GENUINE_TRAVELLER_EVERY == 1:
            # the holder photographed at the counter: "same person" answers beside the impostors
            recipes[-1]["traveller"] = True
    for r in recipes:
        r["name"] = recipe_name(r)
    return recipes


def write_library_recipes(path: Path | None = None) -> Path:
    """Write :func:`plan_library`'s recipes to ``specimens/library/library.json`` (after a catalogue change)."""
    data = {"description": "Recipes of the shipped specimen library: rendered on demand by docexam synth library "
                           "(same recipe, same bytes). Written by docexam synth library --plan.",
            "specimens": plan_library()}
    return write_text(path or library_recipes_path(), json.dumps(data, indent=2) + "\n")


def _code_hash() -> str:
    """Hash of everything that decides a rendered pixel: synth code, fonts, template images."""
    h = hashlib.sha256()
    files = sorted((PACKAGE_DIR / "synth").rglob("*.py")) + sorted(FONTS_DIR.glob("*.[ot]tf"))
    files += sorted((specimens_dir() / "templates").glob("*/*"))
    files += [PACKAGE_DIR / "mrz" / "text.py"]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_key() -> str:
    recipes = json.dumps(load_library_recipes(), sort_keys=True).encode()
    # the storage table too: a cache written with other codecs is rendered anew, never read as this one
    codecs = repr(sorted(LIBRARY_CODECS.items())).encode()
    return hashlib.sha256(recipes + codecs + _code_hash().encode()).hexdigest()[:16]


def library_folder(*, progress: bool = True) -> Path:
    """The rendered shipped library (rendering whatever is missing first)."""
    folder = cache_dir() / "library" / library_key()
    recipes = load_library_recipes()
    render_recipes(recipes, folder, progress=progress, skip_existing=True, screen_copies=True)
    return folder


def library_specimens(*, progress: bool = False) -> list[Specimen]:
    """The shipped library as :class:`Specimen` objects (rendered on first use)."""
    folder = library_folder(progress=progress)
    return [load_specimen(folder / f"{recipe_name(r)}.json") for r in load_library_recipes()]


def folder_specimens(folder: str | Path) -> list[Specimen]:
    """Every specimen sidecar in ``folder``, sorted by name."""
    return [load_specimen(p) for p in sorted(Path(folder).glob("*.json"))]


def write_catalogue(path: str | Path, *, specimens: list[Specimen] | None = None) -> Path:
    """Write the Markdown catalogue of the shipped library."""
    specimens = specimens if specimens is not None else library_specimens()
    genuine = sum(s.authentic for s in specimens)
    lines = [
        "# The shipped specimen library",
        "",
        "Generated by `docexam synth library --catalogue specimens/README.md`; do not edit by hand.",
        "",
        "Every document is of a fictional state (Utopia, `UTO`, and Meridia, `MRD`); every holder and",
        "portrait is synthetic. The images are rendered on demand from the recipes in",
        "[`library/library.json`](library/library.json) (same recipe, same bytes) into the cache folder",
        "that `docexam synth library` prints.",
        "",
        f"**{len(specimens)} specimens**: {genuine} genuine, {len(specimens) - genuine} forged.",
        "",
        "![Contact sheet of the library](gallery.jpg)",
        "",
        "## Templates",
        "",
        "| id | document | master resolution | lights |",
        "|---|---|---|---|",
    ]

    for tid in sorted(DESIGNS):
        t = find_template(tid)
        lines.append(f"| `{t.id}` | {t.name} | {t.dpi} dpi, {t.width}×{t.height} px | {', '.join(t.lights)} |")
    lines += ["", "## Techniques", "", "| technique | family | specimens |", "|---|---|---|"]
    for name, tech in TECHNIQUES.items():
        n = sum(name in s.techniques for s in specimens)
        lines.append(f"| `{name}` | {tech.family} | {n} |")
    lines += ["", "## Specimens", "",
              "| name | template | capture | verdict | technique | severity | zone | what to look for |",
              "|---|---|---|---|---|---|---|---|"]
    for s in specimens:
        if s.authentic:
            lines.append(f"| `{s.name}` | {s.template} | {s.capture_kind} | genuine | | | | "
                         f"{s.holder.given_names} {s.holder.surname} |")
        for a in s.anomalies:
            sev = "" if a.severity is None else f"{a.severity:.2f}"
            lines.append(f"| `{s.name}` | {s.template} | {s.capture_kind} | forged | `{a.technique}` | {sev} | "
                         f"{a.zone} | {a.note} |")
    return write_text(path, "\n".join(lines) + "\n")
