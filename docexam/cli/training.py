"""`docexam workshop ...` and `docexam report ...`: the training record from the command line.

    docexam workshop create --title T --place P --province PR --start 2025-03-03 --end 2025-03-05 --trainer NAME
    docexam workshop list [--json]
    docexam workshop export CODE --out FILE
    docexam workshop import FILE [--unverified]
    docexam report workshop CODE --format csv|html [--out FILE]

Every command takes ``--database URL`` (default ``$DOCEXAM_DATABASE_URL``,
else the SQLite file in ``$DOCEXAM_HOME``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


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
            print(f"{ws.code}\t{ws.start_date}..{ws.end_date}\t{ws.place}, {ws.province}\t"
                  f"{n} trainees\t{ws.title}")
    return 0


def _workshop_export(args) -> int:
    with _open(args) as record:
        path = record.export_workshop(args.workshop, args.out)
    print(f"wrote {path}")
    return 0


def _workshop_import(args) -> int:
    with _open(args) as record:
        result = record.import_workshop(args.file, allow_unverified=args.unverified)
    print(result.summary())
    return 0


def _report_workshop(args) -> int:
    from ..atomic import write_text
    from ..training.report import to_csv, to_html

    with _open(args) as record:
        results = record.key_results(args.workshop)
    text = to_csv(results) if args.format == "csv" else to_html(results)
    if args.out:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
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
    p = rep_sub.add_parser("workshop", help="a workshop's Key Results as CSV or a self-contained HTML page")
    p.add_argument("workshop", metavar="ID", help="workshop code (or id)")
    p.add_argument("--format", choices=("csv", "html"), default="html")
    p.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    _database_option(p)
    p.set_defaults(handler=_report_workshop)
