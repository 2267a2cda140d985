"""`docexam cards TEMPLATE [TEMPLATE ...] [--lang CODE] [--out FILE_OR_DIR]`: quick check cards as PDF.

One A4 page per document type (:mod:`docexam.lessons.cards`): the genuine
document with its security features numbered, and the checks to make. An
unknown template is one line naming it, exit status 2; the file is written
whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..i18n import LANGUAGES
from . import lang
from .lang import _


def register(subparsers) -> None:
    """Add ``cards`` to the ``docexam`` parser."""
    p = subparsers.add_parser("cards", help="print quick check cards (PDF), one page per document type",
                              description="Write a one-page quick check card per template: the genuine document "
                                          "with its security features numbered and the check to make for each.")
    p.add_argument("templates", nargs="+", metavar="TEMPLATE", help="template id(s) (docexam template list)")
    p.add_argument("--lang", dest="card_lang", choices=sorted(LANGUAGES), default=None,
                   help="language of the card (default: the command's language)")
    p.add_argument("--out", metavar="PATH",
                   help="the PDF file (one template) or a folder (default: quick-check-TEMPLATE-LANG.pdf here)")
    p.set_defaults(handler=run)


def run(args) -> int:
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..atomic import ensure_dir, write_bytes
    from ..lessons.cards import card_file_name, quick_check_card
    from ..specimens.registry import find_template

    card_lang = args.card_lang or lang.current()
    templates = [find_template(t) for t in args.templates]  # every name checked before anything is written
    out = Path(args.out) if args.out else Path(".")
    to_folder = args.out is None or len(templates) > 1 or out.is_dir()
    if to_folder:
        try:
            ensure_dir(out)
        except OSError as exc:
            raise OutputError(out, _("cannot create folder ({problem})", problem=exc.strerror or exc)) from None
    for template in templates:
        path = out / card_file_name(template.id, card_lang) if to_folder else out
        try:
            write_bytes(path, quick_check_card(template, lang=card_lang))
        except OSError as exc:
            raise OutputError(path, _("cannot write the card ({problem})", problem=exc.strerror or exc)) from None
        print(_("wrote {path}", path=path))
    return 0
