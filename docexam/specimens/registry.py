"""Find templates by id (the shipped ones and the trainers' own); load specimens checked against theirs.

User templates (``$DOCEXAM_HOME/templates/ID``) and shipped templates
(``specimens/templates/ID``) are found alike; an id may not be used twice.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..i18n import Message
from ..errors import InputFileError, UnknownNameError
from ..paths import shipped_templates_dir, user_templates_dir
from .model import Specimen, Template, _read_json, load_template, parse_specimen


def template_dirs() -> list[Path]:
    """Folders searched for templates, in order (user templates first)."""
    return [user_templates_dir(), shipped_templates_dir()]


def _candidates() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in reversed(template_dirs()):
        if root.is_dir():
            for sub in sorted(root.iterdir()):
                if (sub / "template.json").is_file():
                    found[sub.name] = sub
    return found


def template_ids() -> list[str]:
    return sorted(_candidates())


@lru_cache(maxsize=64)
def _load_cached(folder: str, mtime_ns: int) -> Template:
    return load_template(Path(folder))


def find_template(template_id: str) -> Template:
    """Load the template with this id; raise :class:`UnknownNameError` if there is none."""
    candidates = _candidates()
    folder = candidates.get(template_id)
    if folder is None:
        raise UnknownNameError(Message("template"), template_id, list(candidates))
    path = folder / "template.json"
    return _load_cached(str(folder), path.stat().st_mtime_ns)


def list_templates() -> list[Template]:
    return [find_template(tid) for tid in template_ids()]


def load_specimen(path: str | os.PathLike, *, template: Template | None = None,
                  check_template: bool = True) -> Specimen:
    """Load and validate ``NAME.json``; its visible picture (``NAME.png``, or as it lists) must exist beside it.

    With ``check_template`` (the default) the template is looked up by id and
    zones and boxes are checked against it.
    """
    path = Path(path)
    if path.suffix.lower() in (".png", ".jpg"):
        path = path.with_suffix(".json")
    data = _read_json(path)
    if template is None and check_template and isinstance(data, dict) and isinstance(data.get("template"), str):
        template = find_template(data["template"])
    spec = parse_specimen(data, path, template=template)
    if not spec.image_path("visible").is_file():
        raise InputFileError(path, Message("image {file} not found beside the sidecar", file=spec.image_path().name))
    return spec
