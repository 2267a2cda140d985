"""What a killed run left behind: temporary files and staging folders, removed by the next run.

docexam writes every file through a temporary ``.NAME.XXXX.tmp`` beside it
(:mod:`docexam.atomic`) and builds a new template in a hidden
``.incoming-XXXX`` folder (:mod:`docexam.authoring`); a run killed
with ``kill -9`` or a power cut leaves them. A later run removes those
older than itself: last changed more than :data:`GRACE_S` seconds before
this process started, so a file another docexam process is writing right
now (its change time is recent) is never touched.

Examples
--------
>>> import os, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> old = folder / ".a.json.x1y2.tmp"; _ = old.write_text("half")
>>> os.utime(old, (0, 0))  # written long before this process started
>>> [p.name for p in clean_leftovers([folder])]
['.a.json.x1y2.tmp']
>>> old.exists()
False
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from typing import Iterable

from .paths import cache_dir, docexam_home

__all__ = ["LEFTOVER", "GRACE_S", "process_started", "clean_leftovers", "home_folders", "clean_home",
           "leftovers_message"]

#: names of what an interrupted write leaves: ``.NAME.RANDOM.tmp`` files and ``.incoming-RANDOM`` folders
LEFTOVER = re.compile(r"\A(\..+\.tmp|\.incoming-[A-Za-z0-9_]+)\Z")
#: a leftover must be this much older than the running process: another docexam process may
#: have written a temporary file just before this one started, and be flushing it to disk still
GRACE_S = 60.0


def process_started() -> float:
    """When this process started (seconds since the epoch; Linux's /proc, else this module's import time)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED


_IMPORTED = time.time()


def clean_leftovers(folders: Iterable[str | os.PathLike], *, older_than: float | None = None) -> list[Path]:
    """Remove the leftovers (:data:`LEFTOVER`) directly inside ``folders`` last changed before ``older_than``.

    Parameters
    ----------
    folders : iterable of paths
        Folders to look in (not their sub-folders); missing ones are skipped.
    older_than : float, optional
        Seconds since the epoch; default: :data:`GRACE_S` before this process started.

    Returns
    -------
    list of Path
        What was removed (what cannot be removed is left, silently: the
        next run tries again).
    """
    limit = process_started() - GRACE_S if older_than is None else older_than
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not LEFTOVER.match(entry.name):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_mtime >= limit:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


def leftovers_message(removed: list[Path]) -> str:
    """One line saying what was removed ('' when nothing)."""
    if not removed:
        return ""
    where = sorted({str(p.parent) for p in removed})
    return (f"removed {len(removed)} leftover{'s' if len(removed) != 1 else ''} of an interrupted run "
            f"(temporary files, staging folders) in {', '.join(where)}")


def home_folders() -> list[Path]:
    """Where docexam writes: ``$DOCEXAM_HOME``, its folders, the cache's folders and the rendered libraries."""
    home, cache = docexam_home(), cache_dir()
    out = [home, cache]
    for parent in (home, cache, cache / "library"):
        try:
            out += sorted(p for p in parent.iterdir() if p.is_dir() and not LEFTOVER.match(p.name))
        except OSError:
            continue
    return list(dict.fromkeys(out))


def clean_home() -> str:
    """Clean :func:`home_folders`; the line saying what was removed ('' when nothing)."""
    return leftovers_message(clean_leftovers(home_folders()))
