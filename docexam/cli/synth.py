"""``docexam synth ...`` and ``docexam techniques``: the specimen library commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .lang import _
from ..i18n import Message
from ..errors import DocexamError, OutputError
from ..formats.specimen import CAPTURE_KINDS, STORAGES
from ..leftovers import clean_leftovers, leftovers_message
from ..paths import cache_dir, shipped_templates_dir


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed {text!r} is not a whole number") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"seed {text!r} must be from 0 to 4294967295")
    return value


def _count(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"count {text!r} is not a whole number") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"count {text!r} must be from 1 to 100000")
    return value


def _severity(text: str) -> float:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.render import parse_severity

    try:
        return parse_severity(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _technique(text: str) -> str:
    # the specimens room loads only when this command runs (`docexam --help` stays quick)
    from ..specimens.techniques import TECHNIQUES

    if text not in TECHNIQUES:
        raise argparse.ArgumentTypeError(f"unknown technique {text!r} (see 'docexam techniques')")
    return text


def _template(text: str) -> str:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.designs import DESIGNS

    if text not in DESIGNS:
        raise argparse.ArgumentTypeError(
            f"unknown template {text!r}: synthetic templates are {', '.join(sorted(DESIGNS))}")
    return text


def _name(text: str) -> str:
    # the specimens room loads only when this command runs (`docexam --help` stays quick)
    from ..specimens.model import check_specimen_name

    try:
        return check_specimen_name(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("name: ")) from None


def register(subparsers) -> None:
    tech = subparsers.add_parser("techniques", help="list the forgery techniques and their families")
    tech.add_argument("--json", action="store_true", help="print JSON")
    tech.set_defaults(handler=cmd_techniques)

    synth = subparsers.add_parser("synth", help="render fictional-state specimens")
    sub = synth.add_subparsers(dest="synth_command", metavar="SUBCOMMAND", parser_class=type(synth))
    sub.required = True

    render = sub.add_parser("render", help="render one specimen (same arguments, same bytes)")
    render.add_argument("--template", required=True, type=_template, help="template id, e.g. uto-td3")
    render.add_argument("--seed", required=True, type=_seed, help="chooses holder, portrait and forger's choices")
    render.add_argument("--out", required=True, type=Path, help="output folder")
    render.add_argument("--capture", default="flat", choices=CAPTURE_KINDS)
    render.add_argument("--forge", type=_technique, metavar="TECHNIQUE", help="forgery technique (default: genuine)")
    render.add_argument("--severity", type=_severity, metavar="S",
                        help="subtle, moderate, blatant or 0..1 (default: drawn from the seed)")
    render.add_argument("--name", type=_name, help="file name stem (default: TEMPLATE-TECHNIQUE-CAPTURE-SEED)")
    render.add_argument("--traveller", action="store_true",
                        help="also photograph the holder at the counter (NAME.traveller.jpg)")
    render.set_defaults(handler=cmd_render)

    batch = sub.add_parser("set", help="render a mixed set of specimens with a progress bar")
    batch.add_argument("--out", required=True, type=Path)
    batch.add_argument("--count", required=True, type=_count)
    batch.add_argument("--seed", required=True, type=_seed, help="seed of the whole set")
    batch.add_argument("--genuine-share", type=float, default=0.5, help="share of genuine specimens (0.5)")
    batch.add_argument("--template", action="append", type=_template, help="restrict to templates (repeatable)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument("--storage", choices=STORAGES, default="lossless",
                       help="lossless: every light in PNG, as synth render (default); library: as the library cache "
                            "stores them (mostly JPEG, a fifth of the bytes)")
    batch.set_defaults(handler=cmd_set)

    gallery = sub.add_parser("gallery", help="contact sheet PNG of a specimen folder with anomaly boxes")
    gallery.add_argument("folder", type=Path, nargs="?", help="specimen folder (default: the shipped library)")
    gallery.add_argument("--out", required=True, type=Path, help="PNG file to write")
    gallery.add_argument("--columns", type=int, default=6)
    gallery.add_argument("--tile", type=int, default=420, help="tile width in pixels")
    gallery.set_defaults(handler=cmd_gallery)

    library = sub.add_parser("library", help="render the shipped library (cached) and print where it is")
    library.add_argument("--plan", action="store_true",
                         help="first write the recipes (specimens/library/library.json) from the catalogue and designs")
    library.add_argument("--catalogue", type=Path, help="also write the catalogue Markdown here")
    library.add_argument("--quiet", action="store_true")
    library.set_defaults(handler=cmd_library)

    templates = sub.add_parser("templates", help="re-render the shipped synthetic templates")
    templates.add_argument("--out", type=Path, help="templates folder (default: specimens/templates)")
    templates.set_defaults(handler=cmd_templates)


def cmd_techniques(args) -> int:
    # the specimens room loads only when this command runs (`docexam --help` stays quick)
    from ..specimens.techniques import TECHNIQUES

    rows = [t.as_dict() for t in TECHNIQUES.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for t in TECHNIQUES.values():
            print(f"{t.family:16} {t.name:24} {t.description}")
    return 0


def _check_out(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, Message("exists and is not a folder"))


def _clean(*folders) -> None:
    """Remove what a killed run left in ``folders`` (temporary files, staging folders), saying so."""
    said = leftovers_message(clean_leftovers(folders))
    if said:
        print(f"docexam: {said}", file=sys.stderr)


def cmd_render(args) -> int:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.render import default_name, render_specimen, write_specimen

    _check_out(args.out)
    _clean(args.out)
    rendered = render_specimen(args.template, seed=args.seed, capture=args.capture, forge=args.forge,
                               severity=args.severity, traveller=args.traveller)
    name = args.name or default_name(args.template, args.seed, args.forge, args.capture)
    path = write_specimen(rendered, args.out, name)
    print(path.with_suffix(".png"))
    return 0


def cmd_set(args) -> int:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.library import plan_set, render_recipes

    if not 0.0 <= args.genuine_share <= 1.0:
        raise DocexamError(Message("--genuine-share {genuine_share} must be from 0 to 1", genuine_share=args.genuine_share))
    _check_out(args.out)
    _clean(args.out)
    recipes = plan_set(args.count, seed=args.seed, genuine_share=args.genuine_share, templates=args.template)
    paths = render_recipes(recipes, args.out, progress=not args.quiet, storage=args.storage)
    print(_("{n} specimens in {out}", n=len(paths), out=args.out))
    return 0


def cmd_gallery(args) -> int:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.gallery import write_gallery
    from ..synth.library import library_folder

    folder = args.folder or library_folder(progress=True)
    if not folder.is_dir():
        raise DocexamError(Message("{folder}: not a folder", folder=folder))
    if args.columns < 1 or args.tile < 64:
        raise DocexamError(Message("--columns must be at least 1 and --tile at least 64"))
    path = write_gallery(folder, args.out, columns=args.columns, tile_width=args.tile)
    print(path)
    return 0


def cmd_library(args) -> int:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.library import library_folder, library_key, write_catalogue, write_library_recipes

    _clean(cache_dir() / "library" / library_key())
    if args.plan:
        print(write_library_recipes())
    folder = library_folder(progress=not args.quiet)
    if args.catalogue:
        write_catalogue(args.catalogue)
    print(folder)
    return 0


def cmd_templates(args) -> int:
    # the synth room loads only when this command runs (`docexam --help` stays quick)
    from ..synth.templates import write_all_templates

    for folder in write_all_templates(args.out or shipped_templates_dir()):
        print(folder, file=sys.stdout)
    return 0
