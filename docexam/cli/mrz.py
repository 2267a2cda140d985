"""`docexam mrz ...` sub-commands: read the machine-readable zone of document images.

``docexam mrz read IMAGE [IMAGE ...] [--json]`` finds and reads the MRZ of
each image (any ICAO 9303 format, any issuing state, no OCR engine needed),
all in one process. With ``--json`` it prints one JSON object per image per
line (fields as in docs/formats.md); without, a short summary an examiner can
read. Exit status 0 when every image could be read as an image (whether or
not it has an MRZ), 2 when one could not: in a batch the others are still
read and the bad one gets ``{"image": ..., "found": false, "error": ...}``.
"""

from __future__ import annotations

import json
import sys
import time

from ..errors import DocexamError, InputFileError


def register(subparsers) -> None:
    """Add ``docexam mrz read`` to the ``docexam`` parser."""
    mrz = subparsers.add_parser("mrz", help="read machine-readable zones (MRZ) of document images",
                                description="Machine-readable zones of ICAO 9303 travel documents.")
    sub = mrz.add_subparsers(dest="mrz_command", metavar="COMMAND")  # same parser class as ``mrz``
    sub.required = True
    read = sub.add_parser("read", help="find and read the MRZ of one or more images",
                          description="Find and read the MRZ (TD1, TD2, TD3, MRV-A, MRV-B) of each image, "
                                      "without an OCR engine. Check digits are verified and reported.")
    read.add_argument("images", nargs="+", metavar="IMAGE", help="document image(s): photo, scan or MRZ crop")
    read.add_argument("--json", action="store_true", help="one JSON object per image per line")
    read.set_defaults(handler=run_read)


def _result(path: str) -> dict:
    """Read one image; raises InputFileError for an unusable file."""
    # OpenCV and the reader load only when an image is read (`docexam --help` stays quick)
    from ..imaging import load_image
    from ..mrz.reader import read_mrz

    t0 = time.perf_counter()
    image = load_image(path)
    t1 = time.perf_counter()
    reading = read_mrz(image.rgb)
    out = {"image": path}
    out.update(reading.as_dict())
    # total covers decoding the file too: what the user waits for
    out["timings_ms"]["load"] = round((t1 - t0) * 1000, 1)
    out["timings_ms"]["total"] = round((time.perf_counter() - t0) * 1000, 1)
    return out


def _human(res: dict) -> str:
    """A few lines an examiner can read."""
    head = res["image"]
    if res.get("error"):
        return f"{head}: error: {res['error']}"
    if not res["found"]:
        return f"{head}: no MRZ found ({res['timings_ms']['total'] / 1000:.2f} s)"
    failing = [name.replace("_", " ") for name, ok in res["checks"].items() if not ok]
    verdict = "all check digits valid" if res["valid"] else \
        ("check digits failing: " + ", ".join(failing) if failing else "check digits valid, but see the fields")
    f = res["fields"]
    rows = [f"{head}: {res['format']} MRZ, {verdict} ({res['timings_ms']['total'] / 1000:.2f} s)"]
    rows += [f"    {line}" for line in res["lines"]]
    rows.append(f"    surname {f.get('surname') or '-'}; given names {f.get('given_names') or '-'}; "
                f"document {f.get('document_number') or '-'}; nationality {f.get('nationality') or '-'}")
    rows.append(f"    born {f.get('date_of_birth')}; sex {f.get('sex')}; expires {f.get('date_of_expiry')}"
                + (f"; {res['corrected']} character(s) corrected by check digits" if res.get("corrected") else ""))
    return "\n".join(rows)


def run_read(args) -> int:
    """Handler of ``docexam mrz read``: every image in one process."""
    paths = list(args.images)
    if len(paths) == 1:
        # a single unusable file: the central handler prints one line and exits 2
        res = _result(paths[0])
        print(json.dumps(res) if args.json else _human(res))
        return 0
    status = 0
    for path in paths:
        try:
            res = _result(path)
        except InputFileError as exc:
            print(f"docexam: {exc}", file=sys.stderr)
            res = {"image": path, "found": False, "lines": [], "error": exc.problem}
            status = 2
        except DocexamError as exc:  # any other input problem: same treatment, named
            print(f"docexam: {path}: {exc}", file=sys.stderr)
            res = {"image": path, "found": False, "lines": [], "error": str(exc)}
            status = 2
        print(json.dumps(res) if args.json else _human(res), flush=True)
    return status
