"""`docexam template ...` sub-commands: add, list, show.

``docexam template add`` follows ``docs/formats.md``: it registers a trainer's
genuine specimen image as a template under ``$DOCEXAM_HOME/templates/ID``
after checking the images, the zones and that a simulated phone photo of
the image registers back (its errors are printed). ``--visible`` may be
given more than once, or name a folder: the first image is the reference,
the others further genuine images whose variation is learned. It prints
what the examination learned from the reference. The work is done by
:mod:`docexam.authoring`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .lang import _, said
from ..errors import DocexamError
from ..leftovers import clean_leftovers, leftovers_message
from ..paths import user_templates_dir


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _px(value) -> str:
    return "n/a" if value is None else f"{value:.2f} px"


def cmd_add(args) -> int:
    # the authoring room loads only when this command runs (`docexam --help` stays quick)
    from ..authoring import add_template

    leftover = leftovers_message(clean_leftovers([user_templates_dir()]))  # a killed `template add`'s staging
    if leftover:
        print(f"docexam: {leftover}", file=sys.stderr)
    added = add_template(template_id=args.id, name=args.name, fmt=args.format, visible=list(args.visible),
                         uv=args.uv, ir=args.ir, zones=args.zones, dpi=args.dpi, replace=args.replace)
    if args.json:
        _print_json(added.as_dict())
        return 0
    t, check = added.template, added.self_check
    print(_("replaced template {id}: {folder}", id=t.id, folder=t.folder) if added.replaced else
          _("added template {id}: {folder}", id=t.id, folder=t.folder))
    print(_("  {format}, {width}x{height} px, {dpi} dpi ({dpi_source}), lights: {lights}, {n} zones", format=t.format,
            width=t.width, height=t.height, dpi=t.dpi, dpi_source=added.dpi_source, lights=", ".join(t.lights),
            n=len(t.zones)))
    print(_("  self-check (simulated phone photo): reprojection error {px}, true error at the zone corners {px2} "
            "max, {px3} RMS", px=_px(check.reprojection_error_px), px2=_px(check.true_error_px),
            px3=_px(check.true_error_rms_px)))
    lrn = added.learned or {}
    learned = [_("genuine variation from {n} simulated captures", n=lrn.get("simulated_captures", 0))
               + (_(" and {n} further genuine image(s)", n=added.genuine_images) if added.genuine_images else ""),
               _("typography from {n} glyphs of the reference's fields", n=lrn.get("glyphs", 0)),
               _("design crossing the portrait found") if lrn.get("portrait_crossing_px") else
               _("no design crosses the portrait's edge")]
    if lrn.get("ghost_likeness") is not None:
        learned.append(_("ghost image likeness {likeness:.2f}", likeness=lrn["ghost_likeness"]))
    learned.append(_("MRZ {mrz}", mrz=lrn.get("mrz") or _("not read")))
    print(_("  learned: {what}", what="; ".join(learned)))
    for note in added.notes:
        print(_("  note: {note}", note=said(note)))
    return 0


def _source(template) -> str:
    try:
        user = template.folder.resolve().parent == user_templates_dir().resolve()
    except OSError:
        user = False
    return "user" if user else "shipped"


def _row(template) -> dict:
    return {"id": template.id, "name": template.name, "format": template.format, "dpi": template.dpi,
            "size_px": list(template.size_px), "lights": list(template.lights),
            "zones": len(template.zones), "synthetic": template.synthetic, "source": _source(template),
            "folder": str(template.folder)}


def cmd_list(args) -> int:
    # the specimens room loads only when this command runs (`docexam --help` stays quick)
    from ..specimens.registry import find_template, template_ids

    rows, status = [], 0
    for tid in template_ids():
        try:
            rows.append(_row(find_template(tid)))
        except DocexamError as exc:
            # one broken user template must not hide the others
            print(f"docexam: {exc}", file=sys.stderr)
            status = 2
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(_("{id:<24} {source:<8} {format}  {width}x{height} px {dpi:>4} dpi  {lights:<14} {name}", id=r["id"],
                    source=r["source"], format=r["format"], width=r["size_px"][0], height=r["size_px"][1],
                    dpi=r["dpi"], lights="+".join(r["lights"]), name=r["name"]))
    return status


def cmd_show(args) -> int:
    # the specimens room loads only when this command runs (`docexam --help` stays quick)
    from ..specimens.registry import find_template

    t = find_template(args.id)
    if args.json:
        _print_json(t.as_dict() | {"source": _source(t), "folder": str(t.folder)})
        return 0
    print(f"{t.id}: {t.name}")
    print(_("  source: {source} ({folder})", source=_source(t), folder=t.folder))
    print(_("  {format}, {width}x{height} px, {dpi} dpi, lights: {lights}, {kind}", format=t.format, width=t.width,
            height=t.height, dpi=t.dpi, lights=", ".join(t.lights),
            kind=_("synthetic (blank personalization)") if t.synthetic else
            _("real specimen (personalization present)")))
    check = t.extra.get("self_check")
    if isinstance(check, dict):
        print(_("  self-check when added: reprojection error {px}, true error {px2}",
                px=_px(check.get("reprojection_error_px")), px2=_px(check.get("true_error_px"))))
    print(_("  zones ({n}):", n=len(t.zones)))
    for z in t.zones:
        print(f"    {z.name:<24} {z.kind:<15} {list(z.bbox)}")
    return 0


def _dpi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if not 50 <= value <= 4800:
        raise argparse.ArgumentTypeError(f"expected 50 to 4800, got {value}")
    return value


def register(subparsers) -> None:
    """Add ``docexam template add|list|show`` to the `docexam` parser."""
    template = subparsers.add_parser("template", help="document templates: add your own, list, show")
    sub = template.add_subparsers(dest="template_command", metavar="SUBCOMMAND", parser_class=type(template))
    sub.required = True

    add = sub.add_parser("add", help="register a genuine specimen image as a new template")
    add.add_argument("--id", required=True, help="new template id, lower-case kebab-case (e.g. xyz-td3-2019)")
    add.add_argument("--name", required=True, help="human-readable name")
    add.add_argument("--format", required=True, choices=("TD1", "TD2", "TD3"), help="ICAO 9303 format")
    add.add_argument("--visible", required=True, type=Path, metavar="IMAGE", action="append",
                     help="the specimen under visible light (ideally a flat scan cropped to the page); give it "
                          "again for further genuine images of the document, or name a folder of them (the "
                          "first is the reference the zones are drawn on)")
    add.add_argument("--uv", type=Path, metavar="IMAGE", help="the same page under UV light, same size")
    add.add_argument("--ir", type=Path, metavar="IMAGE", help="the same page under IR light, same size")
    add.add_argument("--zones", required=True, type=Path, metavar="ZONES.json",
                     help="list of zones {name, kind, bbox} in the image's pixels")
    add.add_argument("--dpi", type=_dpi, help="image resolution (default: file metadata, else estimated)")
    add.add_argument("--replace", action="store_true", help="replace your own template of that id")
    add.add_argument("--json", action="store_true", help="print the result as JSON")
    add.set_defaults(handler=cmd_add)

    lst = sub.add_parser("list", help="list shipped and user templates")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="show one template's details and zones")
    show.add_argument("id", help="template id")
    show.add_argument("--json", action="store_true", help="print the template as JSON")
    show.set_defaults(handler=cmd_show)
