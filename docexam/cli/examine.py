"""`docexam examine IMAGE [IMAGE ...] --template ID [--uv IMAGE] [--ir IMAGE] [--json] [--heatmap DIR]`
`[--transmitted IMAGE] [--tilt IMAGE ...]`.

Output and exit status follow ``docs/formats.md``: one JSON object (one image)
or JSON Lines (several, in input order, one process); exit 0 when every
image was examined, 2 for unusable input with one line on stderr naming the
file and the problem. In batch mode an unreadable image gets
``{"verdict": "error", "error": ...}`` and the others are still examined.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..atomic import ensure_dir, write_png
from ..errors import DocexamError, InputFileError, OutputError
from ..i18n import N_, Message
from ..specimens.techniques import VIEW_WORDS
from .lang import _, said


def register(subparsers) -> None:
    """Add ``examine`` to the ``docexam`` parser."""
    p = subparsers.add_parser("examine", help="examine document images against their template",
                              description="Compare document images with their template's reference and report "
                                          "whether substrate, printing and personalization are consistent.")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="visible-light image(s) of the document")
    p.add_argument("--template", required=True, metavar="ID", help="template id (docexam template list)")
    p.add_argument("--uv", metavar="IMAGE", help="the same document under UV light (single image only)")
    p.add_argument("--ir", metavar="IMAGE", help="the same document under infrared light (single image only)")
    p.add_argument("--transmitted", metavar="IMAGE",
                   help="the same document held against a lamp, same framing (single image only): judges the "
                        "watermark and the security thread")
    p.add_argument("--tilt", metavar="IMAGE", nargs="+", action="extend",
                   help="pictures of the document tilted in the light, at least three per kinegram or "
                        "colour-shifting ink, each aligned on its own (single image only; repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON (JSON Lines for several images)")
    p.add_argument("--heatmap", metavar="DIR", help="write DIR/<stem>.heatmap.png for each image")
    p.set_defaults(handler=run)


#: the verdicts as the human-readable output names them (``--json`` keeps the codes)
VERDICT_WORDS = {"consistent": N_("CONSISTENT"), "suspect": N_("SUSPECT"), "inconclusive": N_("INCONCLUSIVE")}
#: the notes' statuses, likewise
STATUS_WORDS = {"inconclusive": N_("inconclusive"), "skipped": N_("skipped"), "info": N_("info")}


def _human(report) -> str:
    """The report for a person, in the command's language (codes such as families and zones stay as they are)."""
    d = report.as_dict()
    lines = [d["image"] + ": " + _("{verdict} (score {score:.2f}, template {template}, {ms:.0f} ms)",
                                   verdict=_(VERDICT_WORDS[d["verdict"]]), score=d["score"], template=d["template"],
                                   ms=d["timings_ms"].get("total", 0))]
    if d.get("reason"):
        lines.append("  " + _("reason: {reason}", reason=said(report.reason)))
    for i, (f, finding) in enumerate(zip(d["findings"], report.findings), 1):
        tech = f["technique"] or _("unknown technique")
        lines.append(f"  {i}. [{f['family']}: {tech}] {f['zone']} {f['bbox']} " + _("score {score:.2f}",
                                                                                 score=f["score"]))
        lines.append("     " + said(finding.message))
    for n in report.notes:
        lines.append("  " + _("note ({status}): {message}", status=_(STATUS_WORDS.get(n.status, n.status)),
                              message=said(n.message)))
    for u in report.unexamined:
        lines.append("  " + _("not examined ({zone}, needs {view}): {message}", zone=u.zone,
                              view=_(VIEW_WORDS[u.needs]) if u.needs in VIEW_WORDS else u.needs, message=said(u.message)))
    return "\n".join(lines)


def _write_heatmap(report, folder: Path, image: str) -> None:
    # the examine room loads only when this command runs (`docexam --help` stays quick)
    from ..examine import render_heatmap

    try:
        out = ensure_dir(folder)
    except OSError as exc:
        raise OutputError(folder, Message("cannot create folder ({problem})", problem=exc.strerror or exc)) from None
    try:
        write_png(out / f"{Path(image).stem}.heatmap.png", render_heatmap(report))
    except OSError as exc:
        raise OutputError(out, Message("cannot write heatmap ({problem})", problem=exc.strerror or exc)) from None


def run(args) -> int:
    # the examine room loads only when this command runs (`docexam --help` stays quick)
    from ..examine import examine
    from ..specimens.registry import find_template

    template = find_template(args.template)  # unknown template: one line, exit 2 (handled centrally)
    batch = len(args.images) > 1
    if batch and (args.uv or args.ir):
        raise InputFileError(args.uv or args.ir, Message("--uv and --ir go with a single IMAGE, not a batch"))
    if batch and (args.transmitted or args.tilt):
        raise InputFileError(args.transmitted or args.tilt[0],
                             Message("--transmitted and --tilt go with a single IMAGE, not a batch"))
    status = 0
    for image in args.images:
        try:
            report = examine(image, template, uv=args.uv, ir=args.ir, transmitted=args.transmitted, tilt=args.tilt,
                             name=image)
        except DocexamError as exc:
            if not batch:
                raise
            # batch mode keeps going: the failure is reported in place and in the exit status
            print(f"docexam: {said(exc)}", file=sys.stderr)
            status = 2
            if args.json:
                print(json.dumps({"image": image, "template": template.id, "verdict": "error", "error": str(exc)}),
                      flush=True)
            else:
                print(f"{image}: " + _("ERROR {error}", error=said(exc)), flush=True)
            continue
        if args.heatmap:
            _write_heatmap(report, Path(args.heatmap), image)
        if args.json:
            print(json.dumps(report.as_dict()), flush=True)
        else:
            print(_human(report), flush=True)
    return status
