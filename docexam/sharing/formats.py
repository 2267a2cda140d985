"""The file formats of the sharing room, as pydantic models (described in ``docs/formats.md``).

* :class:`PackManifest` - the signed manifest at the head of a pack file;
* :class:`AlertFile` - one alert, ``$DOCEXAM_HOME/alerts/ID.json``.

Names and roles are checked here, before anything touches the disk: a pack
names its items and the files of each item by *role*, never by path, and
the receiving installation builds every path itself (:func:`destination`),
so no manifest can write outside ``$DOCEXAM_HOME``, even one signed by a
trusted key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ..signing import canonical_json
from ..formats.lights import LIGHTS

PACK_FORMAT = "docexam-pack"
PACK_VERSION = 1
ALERT_FORMAT = "docexam-alert"

#: what a pack may carry, and the folder of ``$DOCEXAM_HOME`` each kind lives in
KIND_DIRS = {"template": "templates", "specimen": "specimens", "alert": "alerts", "lesson": "lessons",
             "drill": "drills"}
#: the order items are applied in: a specimen's template before the specimen, its specimen before an alert
KINDS = ("template", "specimen", "lesson", "drill", "alert")

#: limits that keep a hostile pack from filling the disk or the memory
MAX_ITEMS = 20_000
MAX_FILES_PER_ITEM = 64
MAX_BLOB_BYTES = 512 * 2**20
MAX_PACK_BYTES = 16 * 2**30
MAX_MANIFEST_BYTES = 32 * 2**20

_ID = r"[a-z0-9][a-z0-9-]{0,62}"
_SPECIMEN_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_NAME_RE = {"template": re.compile(rf"^{_ID}\Z"), "specimen": re.compile(rf"^{_SPECIMEN_NAME}\Z"),
            "alert": re.compile(rf"^{_ID}\Z"), "lesson": re.compile(rf"^{_ID}\Z"), "drill": re.compile(rf"^{_ID}\Z")}
_IMAGE_LIGHTS = "|".join(light for light in LIGHTS if light != "visible")
#: a specimen's files: NAME.json, NAME.png, NAME.uv.png, NAME.back.ir.png, NAME.mask.png ...
_SPECIMEN_ROLE = re.compile(rf"^(\.json|(\.back)?(\.({_IMAGE_LIGHTS}|mask))?\.png)\Z")
_TEMPLATE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,100}\.(json|png|jpg)\Z")
_ROLE_RE = {"template": _TEMPLATE_FILE, "specimen": _SPECIMEN_ROLE, "alert": re.compile(r"^\.json\Z"),
            "lesson": re.compile(r"^\.toml\Z"), "drill": re.compile(r"^\.toml\Z")}
#: the files an item cannot be without
REQUIRED_ROLES = {"template": {"template.json"}, "specimen": {".json", ".png"}, "alert": {".json"},
                  "lesson": {".toml"}, "drill": {".toml"}}

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def destination(kind: str, name: str, role: str) -> PurePosixPath:
    """Where a pack file goes, relative to ``$DOCEXAM_HOME`` (built here, never read from a pack).

    >>> str(destination("specimen", "alert-7", ".uv.png"))
    'specimens/alert-7.uv.png'
    >>> str(destination("template", "kh-td3", "template.json"))
    'templates/kh-td3/template.json'
    """
    check_name(kind, name)
    check_role(kind, role)
    if kind == "template":
        return PurePosixPath(KIND_DIRS[kind], name, role)
    return PurePosixPath(KIND_DIRS[kind], name + role)


def check_name(kind: str, name: str) -> str:
    if kind not in _NAME_RE:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(name, str) or not _NAME_RE[kind].match(name):
        raise ValueError(f"{kind} name {str(name)[:80]!r} is not allowed (letters, digits, '-'"
                         + (", '.', '_'" if kind == "specimen" else "") + ")")
    return name


def check_role(kind: str, role: str) -> str:
    if not isinstance(role, str) or not _ROLE_RE[kind].match(role):
        raise ValueError(f"{kind} file {str(role)[:80]!r} is not one a {kind} has")
    return role


def item_digest(kind: str, files: dict[str, str]) -> str:
    """The content address of an item: SHA-256 of its kind and its files' roles and hashes.

    The name is left out, so the same specimen arriving under another name
    is recognised as the one already here.
    """
    return hashlib.sha256(canonical_json({"kind": kind, "files": dict(sorted(files.items()))})).hexdigest()


class PackFile(BaseModel):
    """One file of an item: its role (``.uv.png``, ``template.json``), SHA-256 and size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str = Field(max_length=128)
    sha256: Sha256
    size: int = Field(ge=0, le=MAX_BLOB_BYTES)


class PackItem(BaseModel):
    """One thing a pack carries: a template, a specimen, an alert, a lesson or a drill scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["template", "specimen", "alert", "lesson", "drill"]
    name: str = Field(max_length=128)
    digest: Sha256
    title: str = Field(default="", max_length=300)
    files: list[PackFile] = Field(min_length=1, max_length=MAX_FILES_PER_ITEM)

    @model_validator(mode="after")
    def _consistent(self) -> PackItem:
        check_name(self.kind, self.name)
        roles = [f.role for f in self.files]
        for role in roles:
            check_role(self.kind, role)
        if len(set(roles)) != len(roles):
            raise ValueError(f"{self.kind} {self.name}: a file is listed twice")
        missing = REQUIRED_ROLES[self.kind] - set(roles)
        if missing:
            raise ValueError(f"{self.kind} {self.name}: no {', '.join(sorted(missing))} file")
        if item_digest(self.kind, {f.role: f.sha256 for f in self.files}) != self.digest:
            raise ValueError(f"{self.kind} {self.name}: digest does not match its files")
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


class PackBlob(BaseModel):
    """One stored file content, in the order the pack holds them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sha256: Sha256
    size: int = Field(ge=0, le=MAX_BLOB_BYTES)


class PackManifest(BaseModel):
    """The head of a pack: what it carries and the contents' hashes, signed (``signature``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["docexam-pack"]
    version: Literal[1]
    created_at: dt.datetime
    origin: str = Field(max_length=200, description="the name the sending installation gave itself")
    items: list[PackItem] = Field(max_length=MAX_ITEMS)
    blobs: list[PackBlob] = Field(max_length=MAX_ITEMS * MAX_FILES_PER_ITEM)
    signature: dict

    @model_validator(mode="after")
    def _consistent(self) -> PackManifest:
        keys = [item.key for item in self.items]
        if len(set(keys)) != len(keys):
            raise ValueError("an item is listed twice")
        shas = [b.sha256 for b in self.blobs]
        if shas != sorted(set(shas)):
            raise ValueError("blobs: not in order, or one listed twice")
        sizes = {b.sha256: b.size for b in self.blobs}
        used = set()
        for item in self.items:
            for f in item.files:
                if sizes.get(f.sha256) != f.size:
                    raise ValueError(f"{item.kind} {item.name}: file {f.role} has no matching blob")
                used.add(f.sha256)
        if used != set(sizes):
            raise ValueError("blobs: a blob belongs to no item")
        if sum(sizes.values()) > MAX_PACK_BYTES:
            raise ValueError(f"the contents exceed {MAX_PACK_BYTES // 2**30} GB")
        return self


class AlertFile(BaseModel):
    """An alert: a newly seen forgery, as a trainer or examiner raised it.

    The images and the marked traces are those of its specimen
    (``specimen``, a sidecar in ``$DOCEXAM_HOME/specimens``); the alert adds
    what an officer at the desk needs to know.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    format: Literal["docexam-alert"] = ALERT_FORMAT
    version: Literal[1] = 1
    id: str = Field(pattern=rf"^{_ID}$")
    title: str = Field(min_length=1, max_length=200)
    title_km: str = Field(default="", max_length=200)
    specimen: str = Field(pattern=rf"^{_SPECIMEN_NAME}$")
    imitates: str = Field(min_length=1, max_length=300, description="the genuine document it imitates")
    seen_where: str = Field(default="", max_length=300)
    seen_when: str = Field(default="", max_length=100)
    what_to_check: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        min_length=1, max_length=12)
    what_to_check_km: list[Annotated[str, StringConstraints(max_length=500)]] = Field(default=[], max_length=12)
    department: str = Field(min_length=1, max_length=200, description="who raised it")
    raised_at: dt.datetime

    @field_validator("raised_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("must include a time zone")
        return value
