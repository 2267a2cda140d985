"""All-or-nothing changes to many files of ``$DOCEXAM_HOME``, surviving a crash half-way.

A pack import puts many files in many folders; no single rename does that.
:class:`FileTransaction` writes a journal (``$DOCEXAM_HOME/.sharing/journal.json``)
*before* each step, keeps every file it replaces or removes as a backup,
and on failure puts everything back. If the process dies half-way, the
next sharing operation finds the journal and asks the training record
whether the import (or undo) it belonged to was committed: if so the
journal is dropped, if not every file is put back (:func:`recover`).

Every operation holds ``$DOCEXAM_HOME/.sharing/lock`` (an exclusive
``flock``), so two imports never interleave, across processes too.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from ..atomic import ensure_dir, write_json
from ..paths import docexam_home

JOURNAL = "journal.json"


def sharing_dir() -> Path:
    """``$DOCEXAM_HOME/.sharing``: journal, lock, staging folders and import backups."""
    return docexam_home() / ".sharing"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the sharing lock of this ``DOCEXAM_HOME`` (waits for another import to end)."""
    folder = ensure_dir(sharing_dir())
    with open(folder / "lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class FileTransaction:
    """Replace and remove files under ``home``; :meth:`rollback` puts them all back.

    Parameters
    ----------
    home : Path
        ``$DOCEXAM_HOME``; every path given is relative to it.
    backups : Path
        Where replaced and removed files are kept (kept after
        :meth:`commit` when an undo needs them).
    tag : dict
        What the journal says this transaction is (for :func:`recover`).
    """

    def __init__(self, home: Path, backups: Path, tag: dict):
        self.home = home
        self.backups = backups
        self.tag = dict(tag)
        self.ops: list[dict] = []
        self._journal = ensure_dir(sharing_dir()) / JOURNAL
        self._save()

    def _save(self) -> None:
        write_json(self._journal, {"tag": self.tag, "backups": str(self.backups), "ops": self.ops})

    def _backup_of(self, rel: str) -> Path:
        return self.backups / rel

    def put(self, rel: str, source: Path) -> None:
        """Move ``source`` to ``home/rel``, keeping what was there as a backup."""
        dest = self.home / rel
        had = dest.exists()
        self.ops.append({"op": "put", "rel": rel, "had": had})
        self._save()  # write-ahead: the step is known before it happens
        if had:
            ensure_dir(self._backup_of(rel).parent)
            os.replace(dest, self._backup_of(rel))
        ensure_dir(dest.parent)
        os.replace(source, dest)

    def remove(self, rel: str) -> None:
        """Remove ``home/rel``, keeping it as a backup."""
        dest = self.home / rel
        if not dest.exists():
            return
        self.ops.append({"op": "remove", "rel": rel, "had": True})
        self._save()
        ensure_dir(self._backup_of(rel).parent)
        os.replace(dest, self._backup_of(rel))

    def rollback(self) -> None:
        """Put every file back as it was, newest step first, and drop the journal."""
        _undo_ops(self.home, self.backups, self.ops)
        shutil.rmtree(self.backups, ignore_errors=True)
        self._journal.unlink(missing_ok=True)

    def commit(self, *, keep_backups: bool) -> None:
        """The change stands: drop the journal (and the backups unless an undo needs them)."""
        self._journal.unlink(missing_ok=True)
        if not keep_backups:
            shutil.rmtree(self.backups, ignore_errors=True)


def _undo_ops(home: Path, backups: Path, ops: list[dict]) -> None:
    for op in reversed(ops):
        dest, backup = home / op["rel"], backups / op["rel"]
        if backup.exists():
            ensure_dir(dest.parent)
            os.replace(backup, dest)  # the original, whether or not the new file got there
        elif op["op"] == "put" and not op["had"]:
            dest.unlink(missing_ok=True)  # a file that was not there before
        _prune(dest.parent, home)


def _prune(folder: Path, home: Path) -> None:
    """Remove folders left empty by a rollback (a template's), up to ``home``'s own folders."""
    while folder != home and folder.parent != home and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def recover(committed: Callable[[dict], bool]) -> str | None:
    """Finish what a crashed import or undo left: keep it if ``committed(tag)``, else put files back.

    Call it holding :func:`locked`. Returns what was done (None: nothing to do).
    """
    journal = sharing_dir() / JOURNAL
    if not journal.exists():
        return None
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        tag, backups, ops = data["tag"], Path(data["backups"]), data["ops"]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically: unreadable means never started
        return "dropped an unreadable journal"
    if committed(tag):
        journal.unlink(missing_ok=True)
        if tag.get("op") == "undo":
            shutil.rmtree(backups, ignore_errors=True)
        return f"kept the {tag.get('op')} of import {tag.get('import_id')}"
    _undo_ops(docexam_home(), backups, ops)
    if tag.get("op") == "import":
        shutil.rmtree(backups, ignore_errors=True)
    journal.unlink(missing_ok=True)
    return f"rolled back an unfinished {tag.get('op')} of import {tag.get('import_id')}"
