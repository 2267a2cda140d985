"""The pack file: a signed manifest followed by the contents it lists, every byte checked.

Layout (``docs/formats.md``)::

    DOCEXAM-PACK\\n                 the magic line
    <n>\\n                          length of the manifest in bytes, in decimal
    <manifest>                     n bytes: the canonical JSON of the signed PackManifest
    <blob> <blob> ...              each listed blob's bytes, in the manifest's order, nothing after

Why not zip or tar: their headers carry times, attributes and comments that
no hash covers, so a flipped byte there would pass unnoticed, and their
compression invites bombs. Here the magic and the length are compared
exactly, the manifest must be in canonical form and carry a valid
signature, every blob is hashed against the manifest, and the file must end
where the last blob does: there is no byte whose change goes undetected.
Images are PNGs already, so nothing is lost by not compressing.

Reading never trusts a size before it is checked against the file's real
length and the limits of :mod:`.formats`; nothing is written unless a
staging folder is given, and then only files named by their hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from pydantic import ValidationError

from ..i18n import Message
from ..atomic import ensure_dir
from ..errors import InputFileError, InvalidFieldError, OutputError
from ..formats.reading import parse_json
from ..signing import SignatureError, Signer, canonical_json, check_document, verify_document
from .formats import MAX_MANIFEST_BYTES, PackManifest

MAGIC = b"DOCEXAM-PACK\n"
_CHUNK = 1 << 20


class PackError(InputFileError):
    """A pack file is malformed, changed, or not signed by a trusted key."""


@dataclass(frozen=True)
class OpenedPack:
    """A pack whose every byte was checked: its manifest and who signed it."""

    path: Path
    manifest: PackManifest
    signer: Signer
    sha256: str
    size: int


def write_pack(path: str | os.PathLike, manifest_doc: dict, blob_source: Callable[[str], Path]) -> Path:
    """Write a pack atomically: ``manifest_doc`` (signed) then each blob read from ``blob_source(sha)``."""
    path = Path(path)
    raw = canonical_json(manifest_doc)
    folder = ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + str(len(raw)).encode("ascii") + b"\n" + raw)
            for blob in manifest_doc["blobs"]:
                digest = hashlib.sha256()
                with open(blob_source(blob["sha256"]), "rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != blob["sha256"]:
                    raise OutputError(path, Message("a file changed while the pack was written; export again"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(path, Message("cannot write ({problem})", problem=exc.strerror or exc)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _read_exact(fh: BinaryIO, n: int, path: Path, what: str) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise PackError(path, Message("the file ends inside the {what}: cut short or not a docexam pack", what=what))
    return data


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def open_pack(path: str | os.PathLike, *, stage: Path | None = None, require_trust: bool = True) -> OpenedPack:
    """Check a pack file from its first byte to its last.

    Parameters
    ----------
    stage : Path, optional
        A folder to write each blob into (as ``<sha256>``) while it is
        checked; nothing is written without it.
    require_trust : bool
        Refuse a pack whose key is not trusted here (the default).

    Raises
    ------
    PackError
        One line naming the file and the first problem found.
    """
    path = Path(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise PackError(path, Message("file not found")) from None
    except IsADirectoryError:
        raise PackError(path, Message("is a folder, not a pack")) from None
    except OSError as exc:
        raise PackError(path, Message("cannot read ({problem})", problem=exc.strerror or exc)) from None
    whole = hashlib.sha256()
    with fh:
        size = os.fstat(fh.fileno()).st_size
        head = fh.read(len(MAGIC))
        if head != MAGIC:
            kind = "a zip file" if head.startswith(b"PK") else "something else"
            raise PackError(path, Message("not a docexam pack (it is {kind}; a pack starts with DOCEXAM-PACK)", kind=kind))
        line = fh.readline(12)
        if not line.endswith(b"\n") or not line[:-1].isdigit() or line[:1] == b"0" and len(line) > 2:
            raise PackError(path, Message("the manifest length is malformed"))
        n = int(line[:-1])
        if n > MAX_MANIFEST_BYTES or len(MAGIC) + len(line) + n > size:
            raise PackError(path, Message("the manifest claims {n} bytes, more than the file or the limit holds", n=n))
        raw = _read_exact(fh, n, path, "manifest")
        whole.update(head + line + raw)
        try:
            doc = parse_json(raw, "manifest")  # nesting, numbers, texts bounded: docexam.formats.reading
        except InvalidFieldError as exc:
            raise PackError(path, Message("the manifest is not valid JSON ({problem})", problem=exc.problem)) from None
        if not isinstance(doc, dict) or doc.get("format") != "docexam-pack":
            raise PackError(path, Message("not a docexam pack (the manifest's format is not docexam-pack)"))
        if canonical_json(doc) != raw:
            raise PackError(path, Message("the manifest was changed after it was signed (not in its signed form)"))
        try:
            signer = verify_document(doc) if require_trust else check_document(doc)
        except SignatureError as exc:
            raise PackError(path, Message("{exc}; nothing imported", exc=exc)) from None
        try:
            manifest = PackManifest.model_validate(doc)
        except ValidationError as exc:
            raise PackError(path, Message("manifest: {first_error}", first_error=_first_error(exc))) from None
        body = sum(b.size for b in manifest.blobs)
        if fh.tell() + body != size:
            raise PackError(path, Message("the file is {size} bytes, the manifest accounts for {n}: cut short, or "
                                          "something was added", size=size, n=fh.tell() + body))
        if stage is not None:
            ensure_dir(stage)
        for blob in manifest.blobs:
            digest = hashlib.sha256()
            out = open(stage / blob.sha256, "wb") if stage is not None else None
            try:
                left = blob.size
                while left:
                    chunk = _read_exact(fh, min(left, _CHUNK), path, "contents")
                    digest.update(chunk)
                    whole.update(chunk)
                    if out is not None:
                        out.write(chunk)
                    left -= len(chunk)
            finally:
                if out is not None:
                    out.close()
            if digest.hexdigest() != blob.sha256:
                raise PackError(path, Message("content {value}... does not match its hash: the pack was changed or "
                                              "damaged; nothing imported", value=blob.sha256[:12]))
        if fh.read(1):
            raise PackError(path, Message("bytes after the last content: something was added to the pack"))
    return OpenedPack(path=path, manifest=manifest, signer=signer, sha256=whole.hexdigest(), size=size)
