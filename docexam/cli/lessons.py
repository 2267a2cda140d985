"""`docexam lessons ...` sub-commands: list, show, quiz, check.

``docexam lessons list --json`` follows ``docs/formats.md``: every lesson in
``lessons/`` is validated first (an invalid file stops the command with exit
status 2 and a message naming the file and line), then counted against the
available specimens (the shipped library, or ``--specimens DIR``).
"""

from __future__ import annotations

from .lang import _

import argparse
import json
import sys


def _lessons(args):
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.format import load_lessons

    return load_lessons(args.lessons)


def _specimens(args):
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.source import default_specimens, load_specimen_folder

    if args.specimens:
        return load_specimen_folder(args.specimens)
    return default_specimens()


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_list(args) -> int:
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.items import lesson_items

    lessons = _lessons(args)  # validate every file before touching specimens
    specimens = _specimens(args)
    rows = [{"id": le.id, "title": le.title, "topic": le.topic,
             "items": len(lesson_items(le, specimens)), "item_types": list(le.item_types)}
            for le in lessons]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(_("{id:<28} {topic:<18} {items:>5} items  {title}", id=row['id'], topic=row['topic'], items=row['items'], title=row['title']))
    return 0


def cmd_check(args) -> int:
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.format import load_lesson

    lessons = [load_lesson(p) for p in args.files] if args.files else _lessons(args)
    for le in lessons:
        print(_("{path}: ok ({id})", path=le.path, id=le.id))
        # Khmer is taught from the same files: a part without it is shown in English to a Khmer reader
        for part in le.missing_khmer():
            print(_("{path}: warning: no Khmer for {part}", path=le.path, part=part))
    return 0


def cmd_show(args) -> int:
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.figures import resolve_figures
    from ..lessons.format import find_lesson
    from ..lessons.source import SpecimenSourceError

    lesson = find_lesson(args.id, _lessons(args))
    try:
        figures = resolve_figures(lesson, _specimens(args))
    except SpecimenSourceError as exc:
        # a lesson's text is readable without specimens; say why the pictures are missing
        figures = [{"id": f.id, "kind": f.kind, "caption": f.caption, "caption_km": f.caption_km,
                    "panels": [], "missing": str(exc)} for f in lesson.figures]
    if args.json:
        _print_json(lesson.as_dict() | {"figures_resolved": figures})
        return 0
    km = args.lang == "km"
    print(lesson.title_km if km else lesson.title)
    print("=" * len(lesson.title))
    print()
    for objective in (lesson.objectives_km if km else lesson.objectives):
        print(f"- {objective}")
    by_id = {f["id"]: f for f in figures}
    for section in lesson.sections:
        heading = (section.heading_km or section.heading) if km else section.heading
        text = (section.text_km or section.text) if km else section.text
        print(f"\n{heading}\n{'-' * len(heading)}\n{text}")
        for ref in section.figures:
            fig = by_id[ref]
            caption = (fig["caption_km"] or fig["caption"]) if km else fig["caption"]
            panels = ", ".join(f"{p['role']}: {p['specimen']}" for p in fig["panels"]) or fig["missing"]
            print(_("  [figure {ref}] {caption} ({panels})", ref=ref, caption=caption, panels=panels))
    return 0


def cmd_quiz(args) -> int:
    # the lessons room loads only when this command runs (`docexam --help` stays quick)
    from ..lessons.format import find_lesson
    from ..lessons.items import draw_quiz, lesson_items

    lesson = find_lesson(args.id, _lessons(args))
    items = draw_quiz(lesson_items(lesson, _specimens(args)), seed=args.seed, count=args.count)
    if args.json:
        # what a trainee may see: no answer key, no feedback
        _print_json([item.public() for item in items])
        return 0
    for n, item in enumerate(items, start=1):
        print(f"{n}. [{item.type}] {item.prompt}  ({item.id})")
        for option in item.shown.get("options", []):
            print(f"     {option['id']}: {option['label']}")
    return 0


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(subparsers) -> None:
    """Add ``docexam lessons list|show|quiz|check``."""
    lessons = subparsers.add_parser("lessons", help="lessons and their quizzes")
    sub = lessons.add_subparsers(dest="lessons_command", metavar="COMMAND")
    sub.required = True

    def common(p, *, specimens: bool = True):
        p.add_argument("--lessons", metavar="DIR", default=None,
                       help="lesson folder (default: the shipped lessons/, or $DOCEXAM_LESSONS)")
        if specimens:
            p.add_argument("--specimens", metavar="DIR", default=None,
                           help="a folder of specimen sidecars instead of the shipped library")

    p = sub.add_parser("list", help="validate every lesson and list it with its number of quiz items")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("check", help="validate lesson files (all shipped lessons by default)")
    p.add_argument("files", nargs="*", metavar="FILE")
    common(p, specimens=False)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("show", help="print a lesson")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON (with figures resolved to specimens)")
    p.add_argument("--lang", choices=("en", "km"), default="en", help="language of the text")
    common(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("quiz", help="draw a quiz from a lesson (items without answer keys)")
    p.add_argument("id")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--count", type=_count, default=None, help="number of items (default all)")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    p.set_defaults(handler=cmd_quiz)
