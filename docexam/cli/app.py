"""`docexam app` and `docexam trainer-passphrase`: start the training app, set the trainer passphrase.

    docexam app                       # this laptop only: http://localhost:8501
    docexam app --host 0.0.0.0        # also trainees' phones on the room's network (HTTPS)
    docexam app --port 8600
    docexam trainer-passphrase        # asks twice; or --stdin for scripts

The app runs offline: Streamlit's usage statistics are off and the server
never opens a browser or fetches anything; the flags are passed on the
command line as well as in ``.streamlit/config.toml``, so they hold from
any working folder.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from pathlib import Path

from .lang import _
from ..i18n import Message
from ..errors import DocexamError
from ..leftovers import clean_home
from ..paths import REPO_DIR

#: the Streamlit flags docexam always runs with
FLAGS = {
    "browser.gatherUsageStats": "false",
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "server.maxUploadSize": "40",
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",
    "global.developmentMode": "false",
    # Streamlit runs a full gc.collect(2) after every run by default: with 30 sessions' objects in the
    # process that was a sixth of the server's time under load (py-spy); Python's own collector still runs
    "runner.postScriptGC": "false",
}


#: the environment the server starts with (a value already set wins): glibc's malloc gives each thread
#: an arena of its own by default, and a server whose request threads had each held a decoded picture kept
#: hundreds of MB it never gave back. A block of 1 MB or more (a decoded mask or picture, a table) is mapped
#: on its own and returned to the system when freed: by default glibc raises that threshold after the first
#: large free, and later large blocks then stay in the arenas, fragmented, for the life of the server
SERVER_ENV = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": str(1 << 20)}


def server_environment(base: dict | None = None) -> dict:
    """``base`` (default: this process's environment) with :data:`SERVER_ENV` where it sets nothing."""
    return {**SERVER_ENV, **(os.environ if base is None else base)}


def app_script() -> Path:
    """The app's entry script (``app.py`` beside the package, in a checkout or editable install)."""
    script = REPO_DIR / "app.py"
    if not script.is_file():
        raise DocexamError(Message("{script}: the app's entry script is missing; install docexam from its repository "
                                   "(pip install -e .) to run the app", script=script))
    return script


def streamlit_command(*, host: str, port: int) -> list[str]:
    """The command line that starts the app (also used by the end-to-end test).

    >>> cmd = streamlit_command(host="0.0.0.0", port=8600)
    >>> "--browser.gatherUsageStats=false" in cmd and "--server.address=0.0.0.0" in cmd
    True
    """
    app_script()  # the app itself must be there; the server module below serves it with docexam's routes
    cmd = [sys.executable, "-m", "streamlit", "run", str(Path(__file__).resolve().parents[1] / "ui" / "server.py"),
           f"--server.address={host}", f"--server.port={port}"]
    cmd += [f"--{k}={v}" for k, v in FLAGS.items()]
    return cmd


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be from 1 to 65535")
    return value


def cmd_app(args) -> int:
    # cryptography (the certificate) loads only when the app starts (`docexam` stays quick)
    from ..network import JOIN_URL_ENV, certificate, join_url, lan_addresses

    said = clean_home()  # what a killed run left (temporary files, staging folders), older than this process
    if said:
        print(f"docexam: {said}", file=sys.stderr)
    cmd = streamlit_command(host=args.host, port=args.port)
    if args.host in ("0.0.0.0", "::"):
        addresses = lan_addresses()
        if addresses:
            # named explicitly, Streamlit neither asks an internet service for this machine's
            # public address (an offline room would wait for it) nor refuses the phones' origin
            cmd.append(f"--browser.serverAddress={addresses[0]}")
        https = not args.no_https
        if https:
            # phones give the camera only to a secure context: HTTPS with a certificate made for this laptop
            cert, key = certificate(addresses)
            cmd += [f"--server.sslCertFile={cert}", f"--server.sslKeyFile={key}"]
        urls = [join_url(a, args.port, https=https) for a in addresses] or [
            join_url("<this laptop's address>", args.port, https=https)]
        os.environ[JOIN_URL_ENV] = urls[0]  # the trainer's Workshops page shows it, with a QR code
        print(_("docexam: trainees open {urls} on the training room's network", urls=" or ".join(urls)),
              file=sys.stderr)
        if https:
            print(_("docexam: the certificate is this laptop's own: each phone warns once; choose Advanced, then "
                    "proceed (see README)"), file=sys.stderr)
    else:
        print(_("docexam: open http://{value}:{port}", value='localhost' if args.host in ('127.0.0.1', 'localhost') else args.host, port=args.port), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    # the app's working folder is the checkout, so .streamlit/config.toml applies too
    os.chdir(app_script().parent)
    os.execve(cmd[0], cmd, server_environment())  # replaces this process: Ctrl+C stops the server directly
    return 0  # pragma: no cover


def cmd_passphrase(args) -> int:
    from ..training import TrainingRecord  # the training room loads only when this command runs

    if args.stdin:
        phrase = sys.stdin.readline().rstrip("\n")
    else:
        phrase = getpass.getpass("New trainer passphrase (8 characters or more): ")
        if getpass.getpass("Repeat it: ") != phrase:
            raise DocexamError(Message("the two passphrases differ; nothing changed"))
    with TrainingRecord.open(args.database) as record:
        record.set_trainer_passphrase(phrase)
    print(_("docexam: trainer passphrase set"), file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``docexam app`` and ``docexam trainer-passphrase``."""
    p = subparsers.add_parser("app", help="start the training app (Streamlit, offline)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on: 127.0.0.1 (this laptop only, default) or 0.0.0.0 "
                        "(every device on the training room's network)")
    p.add_argument("--port", type=_port, default=8501, help="port (default 8501)")
    p.add_argument("--no-https", action="store_true",
                   help="with --host 0.0.0.0, serve plain HTTP (phones then refuse the camera)")
    p.set_defaults(handler=cmd_app)

    p = subparsers.add_parser("trainer-passphrase", help="set the passphrase that unlocks the app's trainer pages")
    p.add_argument("--stdin", action="store_true", help="read it from standard input (one line) instead of asking")
    p.add_argument("--database", metavar="URL", default=None,
                   help="SQLAlchemy URL of the training database (default: $DOCEXAM_DATABASE_URL or "
                        "$DOCEXAM_HOME/docexam.sqlite3)")
    p.set_defaults(handler=cmd_passphrase)
