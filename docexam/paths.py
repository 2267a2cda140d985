"""Where docexam finds its shipped data and keeps user data.

Shipped data (fonts, the repository's ``specimens/`` and ``lessons/``) is read
only. User data (trainers' templates and specimens, the training database,
render caches) lives under ``DOCEXAM_HOME``, which defaults to the platform's
user data folder and is never inside the installed package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
REPO_DIR = PACKAGE_DIR.parent


def _default_home() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "docexam"


def docexam_home() -> Path:
    """The user data folder: ``$DOCEXAM_HOME`` or the platform default."""
    env = os.environ.get("DOCEXAM_HOME")
    return Path(env).expanduser() if env else _default_home()


def specimens_dir() -> Path:
    """The shipped ``specimens/`` folder (``$DOCEXAM_SPECIMENS`` overrides)."""
    env = os.environ.get("DOCEXAM_SPECIMENS")
    return Path(env).expanduser() if env else REPO_DIR / "specimens"


def shipped_templates_dir() -> Path:
    return specimens_dir() / "templates"


def user_templates_dir() -> Path:
    return docexam_home() / "templates"


def lessons_dir() -> Path:
    """The shipped ``lessons/`` folder (``$DOCEXAM_LESSONS`` overrides)."""
    env = os.environ.get("DOCEXAM_LESSONS")
    return Path(env).expanduser() if env else REPO_DIR / "lessons"


def user_lessons_dir() -> Path:
    """Lessons of this installation's trainers (or brought by packs): ``$DOCEXAM_HOME/lessons``."""
    return docexam_home() / "lessons"


def drills_dir() -> Path:
    """The shipped ``drills/`` folder of checkpoint-drill scenarios (``$DOCEXAM_DRILLS`` overrides)."""
    env = os.environ.get("DOCEXAM_DRILLS")
    return Path(env).expanduser() if env else REPO_DIR / "drills"


def user_drills_dir() -> Path:
    """This installation's own drill scenarios (trainers' files, and those packs bring)."""
    return docexam_home() / "drills"


def cache_dir() -> Path:
    """Render caches (the shipped library's images, rendered on demand)."""
    return docexam_home() / "cache"


def font_path(name: str) -> Path:
    """Path of a shipped font file, e.g. ``font_path("OCRB.otf")``."""
    return FONTS_DIR / name
