"""`docexam drills ...` sub-commands: list, check, prepare.

``docexam drills list --json`` prints id, title, queue length and
prevalence of every scenario (all validated first: a broken file stops the
command with exit status 2 naming the file and line). ``docexam drills
check [FILES...]`` checks the shipped scenarios, or the files given, and
prints one line per problem (exit status 2 on any). ``docexam drills
prepare`` renders ahead of a workshop every traveller of the scenarios and
every forgery a threshold staircase can ask for (each technique, level and
variant: :func:`docexam.drill.ahead.ahead_jobs`), in ``--jobs`` processes
with a progress bar, and encodes their pictures for the browser (screen
and loupe copies). What is cached already is not rendered again.
"""

from __future__ import annotations

from .lang import _

import json
import subprocess
import sys


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_list(args) -> int:
    # the drill room (lessons, scipy) loads only when a drills command runs (`docexam` stays quick)
    from ..drill.scenario import load_scenarios

    scenarios = load_scenarios(args.drills)
    rows = [{"id": s.id, "title": s.title, "title_km": s.title_km, "border": s.border, "queue": s.queue,
             "prevalence": s.prevalence, "fraudulent": s.fraudulent, "time_budget_min": s.time_budget_min,
             "tools": list(s.tools)} for s in scenarios]
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(_("{id:<24} {queue:>3} travellers  {share:>5} fraud  {time_budget_min:>4g} min  {title}", id=r["id"],
                    queue=r["queue"], share=f"{100 * r['prevalence']:.0f} %", time_budget_min=r["time_budget_min"],
                    title=r["title"]))
    return 0


def cmd_check(args) -> int:
    # the drill room (lessons, scipy) loads only when a drills command runs (`docexam` stays quick)
    from ..drill.scenario import check_files, scenario_files

    files = args.files or scenario_files(args.drills)
    problems = check_files(files)
    for problem in problems:
        print(f"docexam: {problem}", file=sys.stderr)
    if problems:
        return 2
    for path in files:
        print(_("{path}: ok", path=path))
    return 0


def cmd_prepare(args) -> int:
    # the drill room (lessons, scipy) loads only when a drills command runs (`docexam` stays quick)
    from ..drill.scenario import find_scenario, load_scenarios

    # the renderer loads OpenCV and the whole synth package: `list` and `check` do without
    from ..drill.ahead import ahead_jobs, measurable_techniques
    from ..drill.material import document_kinds, technique_fits
    from ..drill.prepare import run_jobs
    from ..drill.travellers import plan_queue
    from ..errors import UnknownNameError
    from ..i18n import Message

    scenarios = load_scenarios(args.drills)
    chosen = [find_scenario(i, scenarios) for i in args.ids] if args.ids else scenarios
    measurable = measurable_techniques()
    for name in args.technique or ():
        if name not in measurable:
            raise UnknownNameError(Message("technique"), name, tuple(measurable))
    queues = [plan_queue(s, kinds=document_kinds(), fits=technique_fits) for s in chosen]
    jobs = [job for job in ahead_jobs(queues, techniques=args.technique or None) if not job.ready()]
    failed = run_jobs(jobs, workers=args.jobs)
    for problem in failed:
        print(f"docexam: {problem}", file=sys.stderr)
    print(_("{n} rendered; every traveller of {n2} scenario(s) and every threshold trial of {n3} technique(s) "
            "are ready", n=len(jobs) - len(failed), n2=len(chosen), n3=len(args.technique or measurable)))
    if failed:
        return 2
    # the browser's copies too (screen size and the loupe's), so no call encodes while the officer waits; the
    # app's preparation does it (the app room: its own process, as `docexam app` starts the server)
    command = [sys.executable, "-m", "docexam.ui.prepare", "--drill-pictures", *args.ids]
    if args.drills:
        command += ["--drills", str(args.drills)]
    return subprocess.run(command, check=False).returncode


def register(subparsers) -> None:
    """Add ``docexam drills list|check|prepare``."""
    drills = subparsers.add_parser("drills", help="checkpoint-drill scenarios")
    sub = drills.add_subparsers(dest="drills_command", metavar="COMMAND")
    sub.required = True

    def folder(p):
        p.add_argument("--drills", metavar="DIR", default=None,
                       help="scenario folder (default: the shipped drills/, or $DOCEXAM_DRILLS)")

    p = sub.add_parser("list", help="validate every scenario and list it (id, title, queue, prevalence)")
    p.add_argument("--json", action="store_true", help="print JSON")
    folder(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("check", help="validate scenario files (the shipped ones by default); "
                                     "one line per problem, exit status 2 on any")
    p.add_argument("files", nargs="*", metavar="FILE")
    folder(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("prepare", help="render what drills will show ahead of a workshop: every traveller of the "
                                       "scenarios and every forgery a threshold staircase can ask for (cached), "
                                       "and encode their pictures for the browser")
    p.add_argument("ids", nargs="*", metavar="ID", help="scenario ids (default: all)")
    p.add_argument("--technique", action="append", metavar="NAME",
                   help="prepare the threshold trials of this technique only (repeat for several; default: all)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="render in N processes (default: the number of cores; 1 renders in this process)")
    folder(p)
    p.set_defaults(handler=cmd_prepare)
