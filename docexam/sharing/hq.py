"""The headquarters server: its HTTP routes and its configuration.

A national deployment runs one PostgreSQL database and several app
processes (``docexam app``, each on its own port, all with the same
``DOCEXAM_DATABASE_URL`` and ``DOCEXAM_HOME``) behind Debian's nginx.
:func:`write_config` writes everything for it into one folder
(``docexam hq config``): ``nginx.conf``, a systemd unit per service, an
environment file, and ``start.sh`` that runs it all in the foreground.

Sessions are sticky: a Streamlit session lives in one app process (its
websocket and its uploads must reach that process), so nginx hashes a
cookie it sets on the first visit (``docexam_node``) to pick the process.
Clients behind one address (a provincial office's NAT) still spread over
the processes, which ``ip_hash`` would not do.

Beside Streamlit's pages every app process serves :data:`ROUTE` (mounted by
:mod:`docexam.ui.server`):

* ``POST /sync/records`` - a laptop's signed workshop export
  (:func:`docexam.training.exchange.signed_export`) or self-study records
  (:func:`docexam.training.self_study.signed_export`); imported only when it
  is signed by a key trusted here; answers ``{"summary", "import_id"}`` or
  ``{"error"}`` with status 400 (malformed), 403 (not trusted) or 413;
* ``GET /sync/pack`` - this server's content as a signed pack, with an
  ``ETag`` (a laptop that has it gets 304);
* ``GET /sync/key`` - this server's public key, for the laptop's trainer
  to check against the fingerprint headquarters gave them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..i18n import Message
from ..atomic import ensure_dir, write_text
from ..errors import DocexamError
from ..paths import docexam_home
from ..signing import SignatureError, canonical_json, installation_key
from ..training import TrainingRecord, default_database_url, self_study
from ..training.exchange import MAX_EXPORT_BYTES, import_document, parse_document
from . import journal
from .content import local_items
from .pack import export_pack

ROUTE = "/sync"

_record_lock = threading.Lock()
_records: dict[str, TrainingRecord] = {}
_pack_lock = threading.Lock()


def _record() -> TrainingRecord:
    url = default_database_url()
    with _record_lock:
        if url not in _records:
            _records[url] = TrainingRecord.open(url)
        return _records[url]


def receive_records(body: bytes, *, source: str) -> tuple[int, dict]:
    """Import a pushed export: ``(HTTP status, JSON answer)``; never raises for bad input."""
    if len(body) > MAX_EXPORT_BYTES:
        return 413, {"error": f"larger than {MAX_EXPORT_BYTES // 2**20} MB"}
    try:
        doc = parse_document(body, source)
        importer = self_study.import_document if self_study.is_self_study(doc) else import_document
        result = importer(_record(), doc, source=source)
    except DocexamError as exc:
        untrusted = "not trusted here" in str(exc) or "not signed" in str(exc) or "changed after" in str(exc)
        return (403 if untrusted else 400), {"error": str(exc)}
    return 200, {"summary": result.summary(), "import_id": result.import_id, "added": result.added}


def current_pack() -> Path:
    """This server's content as a signed pack, made again only when the content changed."""
    items = local_items()
    digest = hashlib.sha256(canonical_json(sorted([k[0], k[1], v.digest] for k, v in items.items()))).hexdigest()
    outbox = ensure_dir(journal.sharing_dir() / "outbox")
    path = outbox / f"{digest[:32]}.dxpack"
    with _pack_lock:
        if not path.is_file():
            export_pack(path, origin=f"headquarters ({installation_key().fingerprint})")
            for old in outbox.glob("*.dxpack"):
                if old != path:
                    old.unlink(missing_ok=True)
    return path


def sync_app():
    """The ASGI app of :data:`ROUTE` (Starlette, as Streamlit's own server is)."""
    async def records(request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_EXPORT_BYTES):
            return JSONResponse({"error": "too large"}, status_code=413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_EXPORT_BYTES:
                return JSONResponse({"error": "too large"}, status_code=413)
        client = request.client.host if request.client else "?"
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        status, answer = await run_in_threadpool(receive_records, bytes(body),
                                                 source=f"sync from {forwarded or client}")
        return JSONResponse(answer, status_code=status)

    async def pack(request: Request) -> Response:
        try:
            path = await run_in_threadpool(current_pack)
        except (DocexamError, SignatureError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=500)
        etag = f'"{path.stem}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return FileResponse(path, media_type="application/octet-stream", headers={"ETag": etag},
                            filename="headquarters.dxpack")

    async def key(request: Request) -> Response:
        own = await run_in_threadpool(installation_key)
        return PlainTextResponse(f"{own.public_text}\nfingerprint {own.fingerprint}\n")

    return Starlette(routes=[Route("/records", records, methods=["POST"]), Route("/pack", pack, methods=["GET"]),
                             Route("/key", key, methods=["GET"])])


# ------------------------------------------------------------------ configuration

NGINX = """# docexam headquarters: nginx in front of {n} app processes (written by `docexam hq config`)
# run: nginx -c {conf} -p {out}/ -g 'daemon off;'   (or the docexam-hq-nginx service)
worker_processes auto;
pid {out}/nginx.pid;
error_log {out}/logs/error.log warn;
events {{ worker_connections 4096; }}

http {{
    access_log {out}/logs/access.log;
    client_body_temp_path {out}/tmp/body;
    proxy_temp_path {out}/tmp/proxy;
    fastcgi_temp_path {out}/tmp/fastcgi;
    uwsgi_temp_path {out}/tmp/uwsgi;
    scgi_temp_path {out}/tmp/scgi;
    types {{ text/html html; }}
    default_type application/octet-stream;

    # sticky sessions: the first visit gets a cookie naming its app process (by hash)
    map $cookie_docexam_node $docexam_node {{ "" $request_id; default $cookie_docexam_node; }}
    map $cookie_docexam_node $docexam_set_node {{
        "" "docexam_node=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}

    upstream docexam {{
        hash $docexam_node consistent;
{servers}
    }}

    server {{
        listen {listen};
        server_name {server_name};
        client_max_body_size 64m;   # uploads of specimens, pushed workshop exports

        location / {{
            proxy_pass http://docexam;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;          # Streamlit's websocket
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
            proxy_buffering off;
            add_header Set-Cookie $docexam_set_node always;
        }}
    }}
}}
"""

UNIT = """[Unit]
Description=docexam app process on port %i (headquarters)
After=network-online.target postgresql.service

[Service]
EnvironmentFile={env}
ExecStart={python} -m docexam app --host 127.0.0.1 --port %i
Restart=always

[Install]
WantedBy=multi-user.target
"""

NGINX_UNIT = """[Unit]
Description=nginx in front of the docexam app processes
After=network-online.target

[Service]
ExecStart=/usr/sbin/nginx -c {conf} -p {out}/ -g 'daemon off;'
ExecReload=/usr/sbin/nginx -c {conf} -p {out}/ -s reload
Restart=always

[Install]
WantedBy=multi-user.target
"""


def app_ports(instances: int, first_port: int) -> list[int]:
    return list(range(first_port, first_port + instances))


def write_config(out: str | os.PathLike, *, instances: int = 3, first_port: int = 8701, listen: str = "80",
                 database_url: str, home: str | os.PathLike | None = None, server_name: str = "_",
                 ports: list[int] | None = None) -> list[Path]:
    """Write the headquarters' configuration into ``out``; returns the files written.

    Files: ``nginx.conf``; ``docexam.env`` (the database URL and
    ``DOCEXAM_HOME`` every process shares); ``docexam-app@.service`` (one
    per port: ``systemctl enable --now docexam-app@8701`` ...);
    ``docexam-hq-nginx.service``; ``start.sh`` (everything in the
    foreground, for a trial or a test). ``ports`` lists the app processes'
    ports instead of ``instances`` from ``first_port``.
    """
    if not str(database_url).startswith("postgresql"):
        raise DocexamError(Message("--database-url: headquarters needs PostgreSQL (several processes write at once), "
                                   "not {value}", value=str(database_url).split(':', 1)[0]))
    out = ensure_dir(Path(out).resolve())
    for sub in ("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        ensure_dir(out / sub)
        os.chmod(out / sub, 0o1777)  # nginx's workers run as another user
    home = Path(home).resolve() if home else docexam_home().resolve()
    ports = list(ports) if ports else app_ports(instances, first_port)
    instances = len(ports)
    conf = out / "nginx.conf"
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in ports)
    files = [write_text(conf, NGINX.format(n=instances, conf=conf, out=out, servers=servers, listen=listen,
                                           server_name=server_name))]
    env = out / "docexam.env"
    files.append(write_text(env, f"DOCEXAM_DATABASE_URL={database_url}\nDOCEXAM_HOME={home}\n"))
    os.chmod(env, 0o600)  # the database URL may hold a password
    files.append(write_text(out / "docexam-app@.service", UNIT.format(env=env, python=sys.executable)))
    files.append(write_text(out / "docexam-hq-nginx.service", NGINX_UNIT.format(conf=conf, out=out)))
    lines = ["#!/bin/sh", "# docexam headquarters in the foreground (Ctrl-C stops it all); written by `docexam hq config`",
             "set -e", f"set -a; . {shlex.quote(str(env))}; set +a", "trap 'kill 0' INT TERM EXIT"]
    lines += [f"{shlex.quote(sys.executable)} -m docexam app --host 127.0.0.1 --port {port} &" for port in ports]
    lines.append(f"exec /usr/sbin/nginx -c {shlex.quote(str(conf))} -p {shlex.quote(str(out))}/ -g 'daemon off;'")
    start = write_text(out / "start.sh", "\n".join(lines) + "\n")
    os.chmod(start, 0o755)
    files.append(start)
    files.append(write_text(out / "README.txt", _readme(out, ports, listen)))
    return files


def _readme(out: Path, ports: list[int], listen: str) -> str:
    return (f"docexam headquarters ({len(ports)} app processes on ports {', '.join(map(str, ports))}, nginx on "
            f"{listen})\n\nTrial run:      sh {out}/start.sh\nAs services:    cp {out}/*.service /etc/systemd/system/ && "
            "systemctl daemon-reload\n                "
            + " && ".join(f"systemctl enable --now docexam-app@{p}" for p in ports)
            + "\n                systemctl enable --now docexam-hq-nginx\n\n"
            "Trust each provincial laptop's key (`docexam keys show` on the laptop):\n"
            "    docexam keys trust ed25519:... --name 'Poipet laptop'\n"
            "and give the laptops this server's key (`docexam keys show` here) to trust.\n"
            "Laptops then run:  docexam sync --server http://THIS-SERVER\n")


def describe(answer: bytes) -> str:
    """The one line of a server's JSON error answer."""
    try:
        return str(json.loads(answer.decode("utf-8")).get("error", "")) or answer[:200].decode("utf-8", "replace")
    except (ValueError, AttributeError):
        return answer[:200].decode("utf-8", "replace")
