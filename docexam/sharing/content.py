"""What this installation's trainers made, item by item, as packs carry it.

Everything lives in ``$DOCEXAM_HOME``: ``templates/ID/`` (a template and
its reference images), ``specimens/NAME.json`` with ``NAME.png`` and its
other lights, ``alerts/ID.json``, ``lessons/ID.toml`` and
``drills/ID.toml``. The shipped library, templates and lessons are not
content of this installation (every installation has them) and their names
may not be taken by what a pack brings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..lessons.format import load_lessons
from ..paths import docexam_home, drills_dir, lessons_dir, shipped_templates_dir
from ..formats.lights import LIGHTS
from .formats import KIND_DIRS, KINDS, _ROLE_RE, _NAME_RE, item_digest

_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalItem:
    """An item of this installation: role -> file, and its content address."""

    kind: str
    name: str
    files: dict[str, Path]
    hashes: dict[str, str]
    title: str = ""

    @property
    def digest(self) -> str:
        return item_digest(self.kind, self.hashes)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered while its size and modification time stay the same.

    The headquarters server answers every laptop's pull by listing its
    content: hashing hundreds of megabytes of pictures each time would be slow.
    """
    st = os.stat(path)
    return _sha256(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=65536)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _specimen_roles() -> list[str]:
    others = [light for light in LIGHTS if light != "visible"] + ["mask"]
    singles = [".png"] + [f".{x}.png" for x in others]
    return singles + [".back" + r for r in singles]


def _item(kind: str, name: str, files: dict[str, Path]) -> LocalItem:
    return LocalItem(kind, name, files, {role: file_sha256(p) for role, p in files.items()}, _title(kind, files))


def _title(kind: str, files: dict[str, Path]) -> str:
    if kind != "alert":
        return ""
    try:
        return str(json.loads(files[".json"].read_text(encoding="utf-8")).get("title", ""))[:300]
    except (OSError, ValueError, AttributeError):
        return ""


def local_items(kinds=KINDS, *, home: Path | None = None) -> dict[tuple[str, str], LocalItem]:
    """This installation's items of ``kinds``, by ``(kind, name)``.

    Files whose names no pack could carry (hidden, temporary, unexpected)
    are left out; so is a specimen whose sidecar has no visible image.
    """
    home = home or docexam_home()
    found: dict[tuple[str, str], LocalItem] = {}
    for kind in kinds:
        folder = home / KIND_DIRS[kind]
        if not folder.is_dir():
            continue
        if kind == "template":
            for sub in sorted(folder.iterdir()):
                if sub.is_dir() and _NAME_RE[kind].match(sub.name) and (sub / "template.json").is_file():
                    files = {p.name: p for p in sorted(sub.iterdir())
                             if p.is_file() and _ROLE_RE[kind].match(p.name)}
                    found[kind, sub.name] = _item(kind, sub.name, files)
        elif kind == "specimen":
            for side in sorted(folder.glob("*.json")):
                name = side.name[:-5]
                if not _NAME_RE[kind].match(name) or not (folder / f"{name}.png").is_file():
                    continue
                files = {".json": side}
                files.update({role: folder / f"{name}{role}" for role in _specimen_roles()
                              if (folder / f"{name}{role}").is_file()})
                found[kind, name] = _item(kind, name, files)
        else:
            suffix = ".json" if kind == "alert" else ".toml"
            for path in sorted(folder.glob(f"*{suffix}")):
                name = path.name[:-len(suffix)]
                if _NAME_RE[kind].match(name):
                    found[kind, name] = _item(kind, name, {suffix: path})
    return found


@functools.cache
def _shipped_specimen_names() -> frozenset[str]:
    # the recipes name the library's specimens; nothing needs rendering to know them (synth is
    # heavy, and only a pack import asks)
    from ..synth.library import load_library_recipes, recipe_name

    return frozenset(recipe_name(r) for r in load_library_recipes())


def shipped_names(kind: str) -> frozenset[str]:
    """Names of ``kind`` that ship with docexam (a pack may not bring another thing under them)."""
    if kind == "template":
        folder = shipped_templates_dir()
        return frozenset(p.name for p in folder.iterdir() if (p / "template.json").is_file()) \
            if folder.is_dir() else frozenset()
    if kind == "specimen":
        return _shipped_specimen_names()
    if kind == "lesson":
        return frozenset(le.id for le in load_lessons(lessons_dir())) if lessons_dir().is_dir() else frozenset()
    if kind == "drill":
        return frozenset(p.stem for p in drills_dir().glob("*.toml"))
    return frozenset()
