"""The ``docexam`` command line: a thin layer over the package.

Each room registers its own sub-commands (``register(subparsers)`` in the
modules listed in :data:`COMMAND_MODULES`); every handler returns an exit
status. Errors are handled here, in one place: a :class:`DocexamError` is
printed as one line on stderr with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import DocexamError
from ..i18n import LANGUAGES
from . import lang
from .lang import _, said

#: modules under docexam.cli that add sub-commands, in help order
COMMAND_MODULES = ("synth", "examine", "mrz", "template", "lessons", "cards", "drills", "training", "sharing",
                   "app")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message):  # noqa: D102 - argparse API
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docexam", description="Train officers to spot fraudulent travel documents.")
    parser.add_argument("--version", action="version", version=f"docexam {__version__}")
    parser.add_argument("--lang", dest="cli_lang", choices=sorted(LANGUAGES), default=None,
                        help="language of messages (default: the locale's, LANGUAGE or LANG, else English)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang.use(args.cli_lang)
    try:
        status = args.handler(args)
    except DocexamError as exc:
        print(f"docexam: {said(exc)}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("docexam: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
