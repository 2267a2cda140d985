"""The first start: a few documents first, a warm-up on them, the rest of the library after.

Rendering the shipped library takes many minutes on a laptop (about ten
seconds a document, more than a hundred documents). A trainee who opens the
app meanwhile should not wait for all of it: the preparation process
(:mod:`.prepare`) renders the :func:`starter_recipes` first (two documents,
in parallel), and the pages offer a warm-up round on them while the rest is
rendered behind a progress bar. What needs the whole library (the pre- and
post-test forms, which are drawn once from it and frozen for a workshop)
raises :class:`LibraryNotReady` until it is there, and the app says so in
plain words instead of waiting.

The starter documents never appear in a test form (:func:`starter_names`
is left out of the forms' pool), so a warm-up does not teach what the
pre-test measures. This module does not import Streamlit.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import DocexamError
from ..i18n import Message
from ..paths import cache_dir

#: the forgery of the warm-up's forged document: a pasted photo, the classic an officer meets first
STARTER_TECHNIQUE = "photo-substitution"
#: the warm-up's document type where the library has it: the passport data page, the document officers meet most
STARTER_TEMPLATE = "uto-td3"
#: capture of the warm-up documents: flat (template geometry), so every question type can point at it
STARTER_CAPTURE = "flat"


class LibraryNotReady(DocexamError):
    """The page needs the whole specimen library, and it is still being rendered (first start)."""

    exit_status = 2

    def __init__(self, done: int, total: int):
        self.done, self.total = done, total
        super().__init__(Message("the specimen library is being prepared: {done} of {total} documents", done=done,
                                 total=total))


def starter_recipes(recipes: list[dict]) -> list[dict]:
    """The library's documents rendered first on a fresh install: one forged and one genuine, same template.

    The forged one is the first flat :data:`STARTER_TECHNIQUE` recipe on
    :data:`STARTER_TEMPLATE` (else on any template, else the first flat
    forgery); the genuine one the first flat genuine recipe of its template. Together they make a warm-up of every question type
    (genuine or forged, locate, family, technique, light, compare,
    machine-readable zone). A pure function of the recipes: the same
    library always starts with the same documents.

    >>> starter_recipes([{"name": "g", "template": "t", "capture": "flat", "forge": None},
    ...                  {"name": "f", "template": "t", "capture": "flat", "forge": "erasure"}])
    [{'name': 'f', 'template': 't', 'capture': 'flat', 'forge': 'erasure'}, {'name': 'g', 'template': 't', 'capture': 'flat', 'forge': None}]
    >>> starter_recipes([])
    []
    """
    flat = [r for r in recipes if r.get("capture") == STARTER_CAPTURE]
    genuine = [r for r in flat if not r.get("forge")]
    forged = [r for r in flat if r.get("forge") and any(g["template"] == r["template"] for g in genuine)]
    if not forged:
        return genuine[:1]
    classic = [r for r in forged if r["forge"] == STARTER_TECHNIQUE]
    first = next((r for r in classic if r["template"] == STARTER_TEMPLATE), (classic or forged)[0])
    return [first, next(g for g in genuine if g["template"] == first["template"])]


def _library():
    # the library's recipes and cache key (synth's library module; NumPy and the designs load with it)
    from ..synth.library import library_key, library_recipes_path, recipe_name

    path = library_recipes_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return cache_dir() / "library" / library_key(), _recipes(str(path), mtime), recipe_name


@lru_cache(maxsize=2)
def _recipes(path: str, mtime: int) -> list[dict]:
    """The library's recipes, read and checked once per version of the file (pages ask many times a run)."""
    from ..synth.library import load_library_recipes  # with _library's synth import above

    return load_library_recipes(Path(path))


def starter_names() -> frozenset[str]:
    """Names of the shipped library's starter documents (kept out of the test forms)."""
    _folder, recipes, recipe_name = _library()
    return frozenset(recipe_name(r) for r in starter_recipes(recipes))


_COMPLETE: set[str] = set()


def library_progress() -> tuple[int, int]:
    """(documents rendered, documents in the library) of the shipped library, from the files on disk.

    Cheap: one ``stat`` per document until the library is complete, then nothing.
    """
    folder, recipes, recipe_name = _library()
    if str(folder) in _COMPLETE:
        return len(recipes), len(recipes)
    done = sum((folder / f"{recipe_name(r)}.json").is_file() for r in recipes)
    if done == len(recipes):
        _COMPLETE.add(str(folder))
    return done, len(recipes)


def rendered_names() -> tuple[str, ...]:
    """Names of the shipped library's documents rendered so far, in the library's order."""
    folder, recipes, recipe_name = _library()
    return tuple(recipe_name(r) for r in recipes if (folder / f"{recipe_name(r)}.json").is_file())


def library_folder() -> Path:
    """Where the shipped library is (or is being) rendered."""
    return _library()[0]
