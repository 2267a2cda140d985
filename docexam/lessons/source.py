"""Where quiz specimens come from: a folder of sidecars, or the shipped library.

The lesson engine never depends on how specimens are produced. Every
function that needs specimens takes a list of
:class:`~docexam.specimens.Specimen`; this module only supplies the two
usual lists:

* :func:`load_specimen_folder` reads every ``NAME.json`` sidecar in a folder
  (a trainer's own specimens, or a test fixture);
* :func:`default_specimens` asks the shipped library
  (``docexam.synth.library.library_specimens()``, imported only when needed)
  and adds the trainer's own specimens from ``$DOCEXAM_HOME/specimens``, so
  a specimen a trainer adds becomes quiz material without code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from ..i18n import Message
from ..errors import DocexamError, InputFileError
from ..paths import docexam_home
from ..specimens.model import Specimen
from ..specimens.registry import load_specimen


class SpecimenSourceError(DocexamError):
    """The specimen library cannot be loaded (not installed, or broken)."""


def load_specimen_folder(folder: str | os.PathLike, *, check_template: bool = True) -> list[Specimen]:
    """Load every specimen sidecar (``NAME.json`` with its pictures) in ``folder``.

    Parameters
    ----------
    folder : path
        A folder of specimen sidecars; sub-folders are not searched.
    check_template : bool, keyword-only
        Check zones and boxes against the specimen's template (the template
        must then be registered). Turn off for specimens of a template that is
        not installed here.

    Returns
    -------
    list of Specimen
        Sorted by name.

    Raises
    ------
    InputFileError
        ``folder`` is not a folder, or a sidecar is broken (naming the file).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(folder, Message("specimen folder not found"))
    specimens = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        specimens.append(load_specimen(path, check_template=check_template))
    names = [s.name for s in specimens]
    if len(set(names)) != len(names):  # pragma: no cover - one folder cannot hold a name twice
        raise InputFileError(folder, Message("two specimens share a name"))
    return specimens


def user_specimens_dir() -> Path:
    """Where trainers put their own annotated specimens: ``$DOCEXAM_HOME/specimens``."""
    return docexam_home() / "specimens"


def _library() -> list[Specimen]:
    try:
        # the renderer (NumPy, OpenCV, fonts) loads only when the shipped library is asked for
        from ..synth.library import library_specimens
    except ImportError as exc:
        raise SpecimenSourceError(
            Message("the shipped specimen library is not available (docexam.synth.library.library_specimens cannot "
                    "be imported: {exc}); pass a folder of specimens with --specimens DIR", exc=exc)) from None
    return list(library_specimens())


def default_specimens(*, library: Callable[[], list[Specimen]] | None = None) -> list[Specimen]:
    """The shipped library plus the trainer's own specimens (``$DOCEXAM_HOME/specimens``).

    Parameters
    ----------
    library : callable, keyword-only
        Returns the shipped library's specimens; default
        ``docexam.synth.library.library_specimens`` (imported lazily). Tests
        and other programs inject their own.

    Raises
    ------
    SpecimenSourceError
        When the library cannot be imported.
    """
    specimens = list((library or _library)())
    own = user_specimens_dir()
    if own.is_dir():
        taken = {s.name for s in specimens}
        for spec in load_specimen_folder(own):
            # item ids are built from specimen names, so a name must not mean two documents
            if spec.name in taken:
                raise InputFileError(own / f"{spec.name}.json",
                                     Message("a library specimen already has this name; rename the file"))
            specimens.append(spec)
    return specimens
