"""`docexam workshop ...` and `docexam report ...`: the training record from the command line.

    docexam workshop create --title T --place P --province PR --start 2025-03-03 --end 2025-03-05 --trainer NAME
    docexam workshop list [--json]
    docexam workshop export CODE --out FILE
    docexam workshop import FILE [--unverified]
    docexam workshop forms CODE [--json]
    docexam report example [--seed N]
    docexam report workshop CODE --format csv|html|pdf [--lang km] [--out FILE]

Every command takes ``--database URL`` (default ``$DOCEXAM_DATABASE_URL``,
else the SQLite file in ``$DOCEXAM_HOME``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile

from .lang import _
from ..atomic import write_bytes, write_text
from ..errors import DocexamError
from ..i18n import LANGUAGES, Message


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _database_option(parser) -> None:
    parser.add_argument("--database", metavar="URL", default=None,
                        help="SQLAlchemy URL of the training database "
                             "(default: $DOCEXAM_DATABASE_URL or $DOCEXAM_HOME/docexam.sqlite3)")


def _open(args):
    # the training room loads only when this command runs (`docexam --help` stays quick)
    from ..training import TrainingRecord

    return TrainingRecord.open(args.database)


def _workshop_create(args) -> int:
    with _open(args) as record:
        ws = record.create_workshop(title=args.title, place=args.place, province=args.province,
                                    start_date=args.start, end_date=args.end, trainers=args.trainer or [],
                                    code=args.code)
    print(ws.code)
    return 0


def _workshop_list(args) -> int:
    with _open(args) as record:
        rows = [(ws, len(record.trainees(ws.id))) for ws in record.workshops()]
    if args.json:
        print(json.dumps([{"id": ws.id, "code": ws.code, "title": ws.title, "place": ws.place,
                           "province": ws.province, "start_date": ws.start_date.isoformat(),
                           "end_date": ws.end_date.isoformat(), "trainers": list(ws.trainers),
                           "trainees": n} for ws, n in rows], ensure_ascii=False, indent=2))
    else:
        for ws, n in rows:
            print(_("{code}\t{start_date}..{end_date}\t{place}, {province}\t{n} trainees\t{title}", code=ws.code, start_date=ws.start_date, end_date=ws.end_date, place=ws.place, province=ws.province, n=n, title=ws.title))
    return 0


def _workshop_export(args) -> int:
    with _open(args) as record:
        path = record.export_workshop(args.workshop, args.out)
    print(_("wrote {path}", path=path))
    return 0


def _workshop_import(args) -> int:
    with _open(args) as record:
        result = record.import_workshop(args.file, allow_unverified=args.unverified)
    print(result.summary())
    return 0


def _pool(args):
    """Every lesson's items over the library the tests draw on (``--specimens DIR`` or the shipped one)."""
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons import load_lessons, load_specimen_folder
    from ..lessons.items import lesson_items

    lessons = load_lessons()
    if args.specimens:
        specimens = load_specimen_folder(args.specimens)
    else:
        # the synth room loads only when this command runs (`docexam --help` stays quick)
        from ..synth.library import library_specimens

        specimens = list(library_specimens())
    return lessons, [item for le in lessons for item in lesson_items(le, specimens)]


def _workshop_forms(args) -> int:
    # the training room loads only when this command runs (`docexam --help` stays quick)
    from ..training.course import workshop_forms

    with _open(args) as record:
        ws = record.workshop(args.workshop)
        lessons, pool = _pool(args)
        forms = workshop_forms(record, ws.id, lessons, pool)
    rows = {name: [{"id": i.id, "type": i.type, "topic": i.topic, "specimens": list(i.specimens),
                    "specimen": i.specimens[0],
                    # a compare item shows a forged and a genuine document: which one is genuine is its answer
                    "genuine": i.key.get("answer") == "genuine" if i.type == "verdict" else
                    (False if i.type in ("locate", "family", "technique", "light", "compare") else None)}
                   for i in items] for name, items in forms.items()}
    if args.json:
        print(json.dumps({"workshop": ws.code, **rows}, ensure_ascii=False, indent=2))
    else:
        for name, items in rows.items():
            verdicts = [r for r in items if r["type"] == "verdict"]
            print(_("{name}-test: {n} items, {sum} of {n2} genuine-or-forged items show a genuine document", name=name, n=len(items), sum=sum(r['genuine'] for r in verdicts), n2=len(verdicts)))
            for r in items:
                print(f"  {r['id']}\t{r['type']}\t{r['topic']}\t{'genuine' if r['genuine'] else 'forged' if r['genuine'] is False else '-'}")
    return 0


def _report_example(args) -> int:
    # the training room loads only when this command runs (`docexam --help` stays quick)
    from ..training import TrainingRecord
    from ..training.course import workshop_forms
    from ..training.report import to_text
    from ..training.simulate import simulate_cohort

    lessons, pool = _pool(args)
    with tempfile.TemporaryDirectory() as tmp, TrainingRecord.open(f"sqlite:///{tmp}/example.sqlite3") as record:
        probe = record.create_workshop(title="forms", place="-", province="-", start_date=dt.date(2026, 1, 1),
                                       end_date=dt.date(2026, 1, 1), code="FORMS")
        forms = workshop_forms(record, probe.id, lessons, pool)
        ws = simulate_cohort(record, forms, seed=args.seed, trainees=args.trainees)
        sys.stdout.write(to_text(record.key_results(ws.id)))
    return 0


def _report_workshop(args) -> int:
    # the training room loads only when this command runs (`docexam --help` stays quick)
    from ..training.report import to_csv, to_html

    with _open(args) as record:
        results = record.key_results(args.workshop)
    if args.format == "pdf":
        # the PDF writer (fpdf2, fonts, HarfBuzz) loads only when a PDF is asked for
        from ..training.report_pdf import to_pdf

        if not args.out:
            raise DocexamError(Message("report workshop --format pdf: a PDF needs --out FILE"))
        write_bytes(args.out, to_pdf(results, lang=args.lang))
        print(_("wrote {out}", out=args.out), file=sys.stderr)
        return 0
    text = to_csv(results) if args.format == "csv" else to_html(results, lang=args.lang)
    if args.out:
        write_text(args.out, text)
        print(_("wrote {out}", out=args.out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers) -> None:
    """Add ``workshop`` and ``report`` to the `docexam` parser."""
    ws = subparsers.add_parser("workshop", help="create, list, export and import workshops")
    ws_sub = ws.add_subparsers(dest="workshop_command", metavar="ACTION")
    ws_sub.required = True

    p = ws_sub.add_parser("create", help="create a workshop and print the code trainees type to join")
    p.add_argument("--title", required=True)
    p.add_argument("--place", required=True, help="town or venue")
    p.add_argument("--province", required=True)
    p.add_argument("--start", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--end", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--trainer", action="append", metavar="NAME", help="repeat for each trainer")
    p.add_argument("--code", help="join code (default: 6 random letters and digits)")
    _database_option(p)
    p.set_defaults(handler=_workshop_create)

    p = ws_sub.add_parser("list", help="list workshops, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    _database_option(p)
    p.set_defaults(handler=_workshop_list)

    p = ws_sub.add_parser("export", help="write a workshop's records to one JSON file")
    p.add_argument("workshop", metavar="CODE", help="workshop code (or id)")
    p.add_argument("--out", required=True, metavar="FILE")
    _database_option(p)
    p.set_defaults(handler=_workshop_export)

    p = ws_sub.add_parser("forms", help="the workshop's pre- and post-test forms (trainer only: an answer key)")
    p.add_argument("workshop", metavar="CODE", help="workshop code (or id)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--specimens", metavar="DIR", help="specimen folder (default: the shipped library)")
    _database_option(p)
    p.set_defaults(handler=_workshop_forms)

    p = ws_sub.add_parser("import", help="merge a signed workshop export; duplicates are skipped")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--unverified", action="store_true",
                   help="the trainer's override: take an unsigned, changed or untrusted file as unverified "
                        "(its answers are kept apart in reports)")
    _database_option(p)
    p.set_defaults(handler=_workshop_import)

    rep = subparsers.add_parser("report", help="reports from the training record")
    rep_sub = rep.add_subparsers(dest="report_command", metavar="KIND")
    rep_sub.required = True
    p = rep_sub.add_parser("workshop", help="a workshop's Key Results as CSV, a self-contained HTML page or a PDF")
    p.add_argument("workshop", metavar="ID", help="workshop code (or id)")
    p.add_argument("--format", choices=("csv", "html", "pdf"), default="html")
    p.add_argument("--lang", default="en", choices=sorted(LANGUAGES),
                   help="the PDF's language (its catalogue, docexam/locale; default en)")
    p.add_argument("--out", metavar="FILE", help="write here (default: standard output; a PDF needs it)")
    _database_option(p)
    p.set_defaults(handler=_report_workshop)
    p = rep_sub.add_parser("example", help="Key Results of a seeded cohort answering real forms (the README example)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--trainees", type=int, default=24)
    p.add_argument("--specimens", metavar="DIR", help="specimen folder (default: the shipped library)")
    p.set_defaults(handler=_report_example)
