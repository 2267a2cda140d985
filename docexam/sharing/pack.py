"""Packs: export this installation's own content, verify a pack, import it all-or-nothing, undo it.

::

    export_pack("kk.dxpack")                    # everything this installation's trainers made, signed
    opened = verify_pack("kk.dxpack")           # every byte checked; the key must be trusted here
    plan = plan_pack("kk.dxpack")               # what it adds, changes, already has
    result = import_pack(record, "kk.dxpack")   # all of it or nothing; result.import_id
    undo_import(record, result.import_id)       # packs and workshop imports alike

Items are content-addressed (:func:`.formats.item_digest`): an item already
here with the same content, under its name or another, is not brought
twice, and a second import of the same pack changes nothing (and records
no import). An item whose name is here with other content is *changed*:
the old files are kept, and undoing the import puts them back.

An import is checked completely before anything is written: the whole
file (:func:`.container.open_pack`), every template, specimen sidecar,
alert, lesson and drill file parsed from a staging folder, no name of a
shipped specimen, template or lesson taken. Then the files are moved into
place under a journal (:mod:`.journal`) inside the training record's
transaction that records the import: a failure at any point puts every
file back and records nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..i18n import Message
from ..drill.scenario import parse_scenario
from ..errors import DocexamError, InputFileError
from ..lessons.format import parse_lesson
from ..signing import installation_key, sign_document
from ..specimens.model import load_template, parse_specimen
from ..specimens.registry import find_template
from ..training.imports import UnknownImportError, find_import, finish_import, start_import
from ..training.imports import undo_import as undo_record_import
from ..training.store import Store
from . import journal
from .container import OpenedPack, PackError, open_pack, write_pack
from .content import LocalItem, file_sha256, local_items, shipped_names
from .formats import KINDS, PACK_FORMAT, PACK_VERSION, AlertFile, PackItem, destination

_PNG = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------- export

@dataclass(frozen=True)
class ExportedPack:
    path: Path
    counts: dict[str, int]
    size: int

    def summary(self) -> str:
        what = ", ".join(f"{n} {kind}s" for kind, n in self.counts.items() if n) or "nothing"
        return f"wrote {self.path}: {what}, {self.size / 2**20:.1f} MB, signed by this installation"


def export_pack(path: str | os.PathLike, *, kinds=KINDS, origin: str = "") -> ExportedPack:
    """Write everything of ``kinds`` this installation's trainers made into one signed pack."""
    items = local_items(kinds)
    blobs: dict[str, Path] = {}
    entries = []
    for (kind, name), item in sorted(items.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])):
        files = []
        for role, file in sorted(item.files.items()):
            sha = item.hashes[role]
            blobs.setdefault(sha, file)
            files.append({"role": role, "sha256": sha, "size": file.stat().st_size})
        entries.append({"kind": kind, "name": name, "digest": item.digest, "title": item.title, "files": files})
    key = installation_key()
    doc = {"format": PACK_FORMAT, "version": PACK_VERSION,
           "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
           "origin": (origin or f"docexam installation {key.fingerprint}")[:200],
           "items": entries,
           "blobs": [{"sha256": sha, "size": blobs[sha].stat().st_size} for sha in sorted(blobs)]}
    out = write_pack(path, sign_document(doc, key), blobs.__getitem__)
    counts = {kind: sum(1 for e in entries if e["kind"] == kind) for kind in KINDS}
    return ExportedPack(out, counts, out.stat().st_size)


def verify_pack(path: str | os.PathLike) -> OpenedPack:
    """The pack, every byte checked and signed by a key trusted here; :class:`PackError` otherwise."""
    return open_pack(path)


# ----------------------------------------------------------------------- plan

@dataclass
class PackPlan:
    """What importing a pack would do, item by item."""

    pack: OpenedPack
    add: list[PackItem] = field(default_factory=list)
    change: list[PackItem] = field(default_factory=list)
    same: list[PackItem] = field(default_factory=list)
    #: items whose content is here under another name: (item, the name here)
    known: list[tuple[PackItem, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.add and not self.change

    def lines(self) -> list[str]:
        """The plan as lines for a trainer (what is added, what changes)."""
        out = [f"pack {self.pack.path.name}: {len(self.pack.manifest.items)} items from "
               f"{self.pack.manifest.origin}, signed by {self.pack.signer.describe()}"]
        for word, items in (("add", self.add), ("change", self.change)):
            out += [f"  {word} {item.kind} {item.name}" + (f" ({item.title})" if item.title else "")
                    for item in items]
        out += [f"  already here: {item.kind} {item.name} (as {here})" for item, here in self.known]
        out.append(f"  {len(self.add)} to add, {len(self.change)} to change, "
                   f"{len(self.same) + len(self.known)} already here")
        return out


def _plan(pack: OpenedPack, here: dict[tuple[str, str], LocalItem]) -> PackPlan:
    plan = PackPlan(pack)
    by_digest = {(item.kind, item.digest): item.name for item in here.values()}
    for item in pack.manifest.items:
        if item.name in shipped_names(item.kind):
            raise PackError(pack.path, Message("{kind} {name!r} would replace one that ships with docexam; nothing "
                                               "imported", kind=item.kind, name=item.name))
        mine = here.get(item.key)
        if mine is not None:
            (plan.same if mine.digest == item.digest else plan.change).append(item)
        elif (item.kind, item.digest) in by_digest and item.kind != "template":
            plan.known.append((item, by_digest[item.kind, item.digest]))
        else:
            plan.add.append(item)
    return plan


def plan_pack(path: str | os.PathLike) -> PackPlan:
    """What importing the pack at ``path`` would add and change (nothing is written)."""
    return _plan(open_pack(path), local_items())


# --------------------------------------------------------------------- import

@dataclass(frozen=True)
class PackImportResult:
    plan: PackPlan
    import_id: int | None

    def summary(self) -> str:
        if self.import_id is None:
            return f"pack {self.plan.pack.path.name}: nothing new; nothing changed"
        return (f"pack {self.plan.pack.path.name}: added {len(self.plan.add)}, changed {len(self.plan.change)}, "
                f"{len(self.plan.same) + len(self.plan.known)} already here (import {self.import_id}: "
                f"`docexam import undo {self.import_id}` undoes it)")


def _check_staged(pack: Path, plan: PackPlan, tree: Path) -> None:
    """Parse every staged file as docexam will read it; PackError naming the item on the first problem."""
    incoming = {item.key for item in plan.add + plan.change}
    for item in plan.add + plan.change:
        where = f"{item.kind} {item.name}"
        try:
            if item.kind == "template":
                tpl = load_template(tree / "templates" / item.name)
                if tpl.id != item.name:
                    raise ValueError(f"its template.json says id {tpl.id!r}")
            elif item.kind == "specimen":
                side = tree / destination("specimen", item.name, ".json")
                data = json.loads(side.read_text(encoding="utf-8"))
                tid = data.get("template") if isinstance(data, dict) else None
                tpl = load_template(tree / "templates" / tid) if ("template", tid) in incoming else \
                    find_template(str(tid))
                parse_specimen(data, side, template=tpl)
                for f in item.files:
                    if f.role.endswith(".png") and (tree / destination("specimen", item.name, f.role)) \
                            .read_bytes()[:8] != _PNG:
                        raise ValueError(f"{f.role} is not a PNG image")
            elif item.kind == "alert":
                alert = AlertFile.model_validate_json((tree / destination("alert", item.name, ".json")).read_text(
                    encoding="utf-8"))
                if alert.id != item.name:
                    raise ValueError(f"its id is {alert.id!r}")
                if ("specimen", alert.specimen) not in incoming and \
                        not (journal.docexam_home() / destination("specimen", alert.specimen, ".json")).is_file():
                    raise ValueError(f"its specimen {alert.specimen!r} is neither in the pack nor here")
            elif item.kind == "lesson":
                path = tree / destination("lesson", item.name, ".toml")
                lesson = parse_lesson(path.read_text(encoding="utf-8"), path)
                if lesson.id != item.name:
                    raise ValueError(f"its id is {lesson.id!r}")
            elif item.kind == "drill":
                rel = destination("drill", item.name, ".toml")
                scenario = parse_scenario((tree / rel).read_text(encoding="utf-8"), rel)
                if scenario.id != item.name:
                    raise ValueError(f"its id is {scenario.id!r}")
            else:
                raise ValueError(f"kind {item.kind!r} has no check")
        except ValidationError as exc:
            err = exc.errors()[0]
            raise PackError(pack, Message("{where}: {value}: {msg}; nothing imported", where=where, value='.'.join(map(str, err['loc'])), msg=err['msg'])) \
                from None
        except (DocexamError, ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError, OSError) as exc:
            raise PackError(pack, Message("{where}: {exc}; nothing imported", where=where, exc=exc)) from None


def _stage(opened_dir: Path, plan: PackPlan, tree: Path) -> None:
    """Lay the incoming items' files out under ``tree`` as they will be in ``$DOCEXAM_HOME``."""
    for item in plan.add + plan.change:
        for f in item.files:
            dest = tree / destination(item.kind, item.name, f.role)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(opened_dir / f.sha256, dest)


def _committed(record: Store):
    def check(tag: dict) -> bool:
        try:
            batch = find_import(record, int(tag["import_id"]))
        except (UnknownImportError, KeyError, ValueError, TypeError):
            return False
        if tag.get("op") == "undo":
            return batch.undone
        return batch.sha256 == tag.get("sha256")
    return check


def import_pack(record: Store, path: str | os.PathLike, *, dry_run: bool = False) -> PackImportResult:
    """Import a pack all-or-nothing (see the module's docstring); ``dry_run`` only plans.

    Raises
    ------
    PackError
        The pack is malformed, changed, untrusted, or an item in it is
        refused. Nothing is written.
    """
    path = Path(path)
    home = journal.docexam_home()
    with journal.locked():
        journal.recover(_committed(record))
        try:
            need = 2 * path.stat().st_size + 64 * 2**20  # staged once, then laid out
        except OSError:
            need = 0  # open_pack names the problem
        if need and shutil.disk_usage(journal.sharing_dir()).free < need:
            raise PackError(path, Message("not enough free disk space in {home} to import it ({n} MB needed); "
                                          "nothing imported", home=home, n=need // 2**20))
        staging = journal.sharing_dir() / f"staging-{uuid.uuid4().hex[:12]}"
        try:
            opened = open_pack(path, stage=staging / "blobs")
            plan = _plan(opened, local_items())
            if dry_run or plan.empty:
                return PackImportResult(plan, None)
            _stage(staging / "blobs", plan, staging / "tree")
            _check_staged(path, plan, staging / "tree")
            return PackImportResult(plan, _apply(record, plan, home, staging / "tree"))
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _apply(record: Store, plan: PackPlan, home: Path, tree: Path) -> int:
    here = local_items()
    summary = {"origin": plan.pack.manifest.origin, "added": [list(i.key) for i in plan.add],
               "changed": [list(i.key) for i in plan.change], "files": []}
    tx = None
    try:
        with record.write() as conn:
            import_id = start_import(conn, kind="pack", source=str(plan.pack.path), sha256=plan.pack.sha256,
                                     signer_key=plan.pack.signer.key, signer_name=plan.pack.signer.name,
                                     verified=True, summary=summary)
            backups = journal.sharing_dir() / "imports" / str(import_id)
            shutil.rmtree(backups, ignore_errors=True)  # an id reused after a crash before commit
            tx = journal.FileTransaction(home, backups, {"op": "import", "import_id": import_id,
                                                         "sha256": plan.pack.sha256})
            for kind in KINDS:
                for item in (i for i in plan.add + plan.change if i.kind == kind):
                    # a sidecar (or template.json) last: readers find the images before it
                    for f in sorted(item.files, key=lambda f: f.role in (".json", "template.json")):
                        rel = str(destination(item.kind, item.name, f.role))
                        tx.put(rel, tree / rel)
                        summary["files"].append({"rel": rel, "sha256": f.sha256})
                    old = here.get(item.key)
                    for role in sorted(set(old.files) - {f.role for f in item.files}) if old else ():
                        tx.remove(str(destination(item.kind, item.name, role)))
            summary["ops"] = tx.ops
            finish_import(conn, import_id, summary)
    except BaseException:
        if tx is not None:
            tx.rollback()
        raise
    tx.commit(keep_backups=True)
    return import_id


# ----------------------------------------------------------------------- undo

def _undo_pack(record: Store, import_id: int, note: str):
    home = journal.docexam_home()
    batch = find_import(record, import_id)
    backups = journal.sharing_dir() / "imports" / str(import_id)
    staging = journal.sharing_dir() / f"staging-{uuid.uuid4().hex[:12]}"
    changed_since = [f["rel"] for f in batch.summary.get("files", [])
                     if not (home / f["rel"]).is_file() or file_sha256(home / f["rel"]) != f["sha256"]]
    if changed_since and not batch.undone:
        raise DocexamError(Message("import {import_id}: {value} was changed after the import ({n} files in all); "
                                   "undo refused, nothing changed", import_id=import_id, value=changed_since[0], n=len(changed_since)))
    tx = journal.FileTransaction(home, staging / "undone", {"op": "undo", "import_id": import_id})

    def restore(_batch) -> None:
        for op in reversed(batch.summary.get("ops", [])):
            kept = backups / op["rel"]
            if op["op"] == "put" and not op["had"]:
                tx.remove(op["rel"])
            elif kept.exists():
                copy = staging / "restore" / op["rel"]
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(kept, copy)  # the backup stays until the undo is committed
                tx.put(op["rel"], copy)
            else:
                raise DocexamError(Message("import {import_id}: the copy of {rel} kept for undo is missing; undo "
                                           "refused, nothing changed", import_id=import_id, rel=op['rel']))

    try:
        result = undo_record_import(record, import_id, note=note, before_commit=restore)
    except BaseException:
        tx.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    tx.commit(keep_backups=False)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backups, ignore_errors=True)
    return result


def undo_import(record: Store, import_id: int, *, note: str = ""):
    """Undo import ``import_id``, a pack (its files put back as they were) or a workshop, as one unit.

    Raises
    ------
    DocexamError
        Unknown id, undone already, or a file the pack brought was changed since.
    """
    with journal.locked():
        journal.recover(_committed(record))
        batch = find_import(record, import_id)
        if batch.kind == "pack":
            return _undo_pack(record, import_id, note)
        return undo_record_import(record, import_id, note=note)
