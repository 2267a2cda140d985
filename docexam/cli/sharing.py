"""`docexam keys`, `pack`, `import`, `alert`, `sync` and `hq`: sharing between installations.

    docexam keys show                          # this installation's public key (made on first use)
    docexam keys trust KEY --name NAME         # accept packs and exports signed with KEY
    docexam keys list
    docexam pack export --out FILE             # everything this installation's trainers made, signed
    docexam pack verify FILE                   # exit 0: valid and trusted; 2 otherwise (one line)
    docexam pack import FILE [--dry-run]       # shows what it adds or changes, then applies it all or nothing
    docexam import list                        # packs and workshop imports, newest first
    docexam import undo ID [--note TEXT]       # packs and workshop imports alike
    docexam alert card ID --out FILE.pdf       # the alert's one-page card
    docexam sync --server URL                  # push this laptop's workshops, pull the server's pack
    docexam hq config --out DIR ...            # nginx + services for a headquarters server
"""

from __future__ import annotations

import argparse
import json
import sys

from .lang import _
from .training import _database_option, _open


def _keys_show(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..signing import installation_key, keys_dir

    key = installation_key()
    print(key.public_text)
    print(_("fingerprint {fingerprint} (private key: {n})", fingerprint=key.fingerprint, n=keys_dir() / 'installation.pem'), file=sys.stderr)
    return 0


def _keys_trust(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..signing import trust_key

    entry = trust_key(args.key, args.name)
    print(_("trusted {name} ({fingerprint})", name=entry.name, fingerprint=entry.fingerprint))
    return 0


def _keys_list(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..signing import trusted_keys

    for k in trusted_keys():
        print(f"{k.fingerprint}\t{k.name}\t{k.key}")
    return 0


def _pack_export(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.pack import export_pack

    print(export_pack(args.out, origin=args.origin or "").summary())
    return 0


def _pack_verify(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.pack import verify_pack

    opened = verify_pack(args.file)
    print(_("{path}: valid, signed by {describe}, {n} items from {origin}", path=opened.path, describe=opened.signer.describe(), n=len(opened.manifest.items), origin=opened.manifest.origin))
    return 0


def _pack_import(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.pack import import_pack

    with _open(args) as record:
        result = import_pack(record, args.file, dry_run=args.dry_run)
    print("\n".join(result.plan.lines()))
    print(_("dry run: nothing changed") if args.dry_run else result.summary())
    return 0


def _import_list(args) -> int:
    with _open(args) as record:
        batches = record.imports()
    if args.json:
        print(json.dumps([{"id": b.id, "kind": b.kind, "source": b.source, "signer": b.signer_name,
                           "verified": b.verified, "imported_at": b.imported_at.isoformat(),
                           "undone_at": b.undone_at.isoformat() if b.undone_at else None,
                           "summary": b.summary} for b in batches], ensure_ascii=False, indent=2))
        return 0
    for b in batches:
        state = f"undone {b.undone_at:%Y-%m-%d %H:%M}" if b.undone else ("verified" if b.verified else "UNVERIFIED")
        print(f"{b.id}\t{b.kind}\t{b.imported_at:%Y-%m-%d %H:%M}\t{state}\t{b.signer_name or '-'}\t{b.source}")
    return 0


def _import_undo(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.pack import undo_import

    with _open(args) as record:
        batch = undo_import(record, args.id, note=args.note or "")
    print(_("import {id} ({kind}, {source}) undone; the undo is recorded", id=batch.id, kind=batch.kind, source=batch.source))
    return 0


def _alert_card(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.alerts import find_alert
    from ..sharing.card import write_card

    path = write_card(find_alert(args.id), args.out)
    print(_("wrote {path}", path=path))
    return 0


def _alert_list(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.alerts import list_alerts

    errors: list[str] = []
    for a in list_alerts(errors=errors):
        print(f"{a.id}\t{a.raised_at:%Y-%m-%d}\t{a.department}\t{a.title}")
    for line in errors:
        print(_("docexam: skipped {line}", line=line), file=sys.stderr)
    return 0


def _sync(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.sync import sync

    with _open(args) as record:
        for line in sync(record, args.server, pull_pack=not args.push_only, timeout=args.timeout):
            print(line)
    return 0


def _hq_config(args) -> int:
    # loaded when this command runs: `docexam --help` stays quick
    from ..sharing.hq import write_config

    for path in write_config(args.out, instances=args.instances, first_port=args.first_port,
                             listen=args.listen, database_url=args.database_url, home=args.home,
                             server_name=args.server_name):
        print(_("wrote {path}", path=path))
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(subparsers) -> None:
    """Add ``keys``, ``pack``, ``import``, ``alert``, ``sync`` and ``hq`` to the `docexam` parser."""
    keys = subparsers.add_parser("keys", help="this installation's signing key and the keys it trusts")
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    sub.add_parser("show", help="print this installation's public key (made on first use)") \
        .set_defaults(handler=_keys_show)
    p = sub.add_parser("trust", help="trust packs and exports signed with KEY")
    p.add_argument("key", metavar="KEY", help="ed25519:BASE64, as `docexam keys show` prints it")
    p.add_argument("--name", required=True, help="whose key it is (e.g. 'Poipet laptop')")
    p.set_defaults(handler=_keys_trust)
    sub.add_parser("list", help="the keys trusted here").set_defaults(handler=_keys_list)

    pack = subparsers.add_parser("pack", help="export, verify and import signed packs of content")
    sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    p = sub.add_parser("export", help="write everything this installation's trainers made into one signed pack")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--origin", metavar="NAME", help="who sends it (default: this installation's fingerprint)")
    p.set_defaults(handler=_pack_export)
    p = sub.add_parser("verify", help="exit 0 when the pack is intact and signed by a trusted key, 2 otherwise")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_pack_verify)
    p = sub.add_parser("import", help="show what a pack adds or changes and apply it, all or nothing")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="only show what it would add or change")
    _database_option(p)
    p.set_defaults(handler=_pack_import)

    imp = subparsers.add_parser("import", help="list and undo imports (packs and workshop exports)")
    sub = imp.add_subparsers(dest="import_command", metavar="ACTION", required=True)
    p = sub.add_parser("list", help="every import, newest first")
    p.add_argument("--json", action="store_true")
    _database_option(p)
    p.set_defaults(handler=_import_list)
    p = sub.add_parser("undo", help="undo an import as one unit (the undo is recorded)")
    p.add_argument("id", type=_positive, metavar="ID")
    p.add_argument("--note", help="why (kept with the record of the undo)")
    _database_option(p)
    p.set_defaults(handler=_import_undo)

    alert = subparsers.add_parser("alert", help="alerts raised here or received in packs")
    sub = alert.add_subparsers(dest="alert_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="alerts, newest first").set_defaults(handler=_alert_list)
    p = sub.add_parser("card", help="the alert's one-page printable card (PDF)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=_alert_card)

    p = subparsers.add_parser("sync", help="push this laptop's workshops to headquarters and pull its pack")
    p.add_argument("--server", required=True, metavar="URL", help="the headquarters server, e.g. https://hq.example")
    p.add_argument("--push-only", action="store_true", help="do not pull the server's pack")
    p.add_argument("--timeout", type=_positive, default=60, metavar="SECONDS")
    _database_option(p)
    p.set_defaults(handler=_sync)

    hq = subparsers.add_parser("hq", help="headquarters server: nginx in front of several app instances")
    sub = hq.add_subparsers(dest="hq_command", metavar="ACTION", required=True)
    p = sub.add_parser("config", help="write nginx.conf, the app services and a start script into DIR")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--instances", type=_positive, default=3, help="app processes (default 3)")
    p.add_argument("--first-port", type=_positive, default=8701, help="port of the first app process")
    p.add_argument("--listen", default="80", help="nginx's address:port or port (default 80)")
    p.add_argument("--database-url", required=True, metavar="URL", help="the PostgreSQL database, shared by all")
    p.add_argument("--home", metavar="DIR", help="DOCEXAM_HOME of the server (default: this one)")
    p.add_argument("--server-name", default="_", help="nginx server_name (default: any)")
    p.set_defaults(handler=_hq_config)
