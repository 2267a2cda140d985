"""``docexam sync --server URL``: a provincial laptop pushes its records and pulls headquarters' pack.

Offline is the normal case: a laptop runs workshops without a network and
syncs when it has one. Each sync pushes every workshop's records, signed
(with the trainees' PIN hashes, so an officer signs in at headquarters with
the PIN chosen on the laptop), and the self-study records (attempts made
outside a workshop, every officer's refresher schedule:
:mod:`docexam.training.self_study`), skipping what has not changed since
the last successful push to that server; headquarters skips
what it already holds, so a push cut half-way is simply sent again. Then
it pulls headquarters' pack (unless unchanged: the server's ``ETag``) and
imports it like any pack: only when signed by a key trusted here.

Nothing is lost when the server cannot be reached: the command says so in
one line, the laptop's record is untouched, and the next sync catches up.
The last successful pushes and pack are remembered in
``$DOCEXAM_HOME/.sharing/sync.json``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..i18n import Message
from ..atomic import write_json
from ..errors import DocexamError
from ..signing import canonical_json
from ..training import self_study
from ..training.exchange import signed_export
from ..training.store import Store
from . import journal
from .hq import ROUTE, describe
from .pack import import_pack


#: the key under which the last pushed self-study records are remembered (workshops: their uid)
SELF_STUDY = "self-study"


class SyncError(DocexamError):
    """The server cannot be reached or refused what was sent."""


def _base(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncError(Message("--server {url!r}: expected an address such as https://hq.example or http://10.0.0.5", url=url))
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _state_path() -> Path:
    return journal.sharing_dir() / "sync.json"


def _load_state() -> dict:
    try:
        data = json.loads(_state_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _request(req: urllib.request.Request, base: str, timeout: float):
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise SyncError(Message("{base} refused it ({code}): {describe}", base=base, code=exc.code, describe=describe(exc.read()))) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SyncError(Message("cannot reach {base} ({reason}); nothing was changed here: this laptop keeps "
                                "working, run docexam sync again when it is online", base=base, reason=reason)) from None


def push(record: Store, base: str, *, timeout: float = 60) -> list[str]:
    """Push every workshop's signed records, then the self-study records, to ``base``; lines saying what happened."""
    state = _load_state()
    pushed = state.setdefault("pushed", {}).setdefault(base, {})
    documents = [(ws.uid, f"workshop {ws.code}", lambda ws=ws: signed_export(record, ws.id, with_pins=True))
                 for ws in record.workshops()]
    documents.append((SELF_STUDY, "self-study records", lambda: self_study.signed_export(record, with_pins=True)))
    lines = []
    for key, name, make in documents:
        doc = make()
        if doc is None:
            continue
        content = {k: v for k, v in doc.items() if k not in ("exported_at", "signature")}
        digest = hashlib.sha256(canonical_json(content)).hexdigest()
        if pushed.get(key) == digest:
            lines.append(f"{name}: unchanged since the last push")
            continue
        req = urllib.request.Request(f"{base}{ROUTE}/records", data=canonical_json(doc), method="POST",
                                     headers={"Content-Type": "application/json"})
        with _request(req, base, timeout) as answer:
            result = json.loads(answer.read().decode("utf-8"))
        lines.append(f"{name}: {result.get('summary', 'sent')}")
        pushed[key] = digest
        write_json(_state_path(), state)  # each document remembered as soon as it is through
    return lines


def pull(record: Store, base: str, *, timeout: float = 60) -> list[str]:
    """Fetch headquarters' pack (if changed) and import it; lines saying what happened."""
    state = _load_state()
    etags = state.setdefault("pack_etag", {})
    req = urllib.request.Request(f"{base}{ROUTE}/pack", headers={"If-None-Match": etags.get(base, "")})
    answer = _request(req, base, timeout)
    if answer is None:
        return ["headquarters' pack: unchanged since the last sync"]
    with answer, tempfile.TemporaryDirectory(dir=journal.sharing_dir()) as tmp:
        path = Path(tmp) / "headquarters.dxpack"
        with open(path, "wb") as out:
            while chunk := answer.read(1 << 20):
                out.write(chunk)
        result = import_pack(record, path)
        etag = answer.headers.get("ETag", "")
    etags[base] = etag
    write_json(_state_path(), state)
    return [result.summary().replace("pack headquarters.dxpack", "headquarters' pack")]


def sync(record: Store, server: str, *, pull_pack: bool = True, timeout: float = 60) -> list[str]:
    """Push this laptop's records to ``server`` and pull its pack; lines for the trainer.

    Raises
    ------
    SyncError
        The server cannot be reached, or refused what was sent (one line).
    PackError
        Headquarters' pack is not signed by a key trusted here.
    """
    base = _base(server)
    journal.sharing_dir().mkdir(parents=True, exist_ok=True)
    lines = push(record, base, timeout=timeout)
    if pull_pack:
        lines += pull(record, base, timeout=timeout)
    return lines
