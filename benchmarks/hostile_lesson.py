"""How long ``docexam lessons check`` takes on lesson files with a 1 MB hostile line.

Each case is a shipped lesson with one hostile line added at the top (about
1 MB): ``[`` followed by a million spaces (which made the old line scanner
backtrack: 4,000 spaces took 87 s), a million ``[`` (nesting), a
million-digit number, a 1 MB string of quotes and backslashes. Each runs as
the command a trainer types, in its own process, and prints the wall time
of the whole command (Python start-up included) and its CPU time (user + system,
which a busy machine inflates less), the CPU time of the check alone (read,
parse, validate, in this process: start-up excluded), its exit status and the
one line it printed. The goal: under a second each; exit status 2.

Usage::

    .venv/bin/python benchmarks/hostile_lesson.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MB = 2**20

CASES = {
    "no hostile line (baseline: start-up and check)": "",
    "'[' and 1 MB of spaces": "junk = [\n[" + " " * MB + "\n]]\n",
    "1 MB of '['": "junk = " + "[" * MB + "\n",
    "1 MB of '[' in a table header": "[" * MB + "\n",
    "a 1 MB number": "junk = " + "9" * MB + "\n",
    "a 1 MB string of quotes and backslashes": 'junk = "' + '\\"' * (MB // 2) + "\n",
    "1 MB of dotted keys": "a" + ".a" * (MB // 2) + " = 1\n",
}


def _in_process(path: Path) -> float:
    """CPU seconds of reading and checking the lesson in this process (docexam already imported)."""
    sys.path.insert(0, str(REPO))
    from docexam.errors import DocexamError
    from docexam.lessons.format import load_lesson

    start = time.process_time()
    try:
        load_lesson(path)
    except DocexamError:
        pass
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is printed")
    args = parser.parse_args(argv)
    shipped = sorted((REPO / "lessons").glob("*.toml"))[0].read_text(encoding="utf-8")
    print(f"load average: {os.getloadavg()[0]:.1f} (1 min); best of {args.repeat} runs")
    worst = worst_cpu = worst_check = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, hostile in CASES.items():
            path = Path(tmp) / "hostile.toml"
            path.write_text(hostile + shipped, encoding="utf-8")
            times, cpu = [], []
            for _ in range(args.repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "docexam", "lessons", "check", str(path)],
                                      capture_output=True, text=True, timeout=600, cwd=REPO)
                times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            checked = _in_process(path)
            line = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "(nothing printed)"
            worst = max(worst, min(times))
            worst_cpu = max(worst_cpu, min(cpu))
            worst_check = max(worst_check, checked)
            print(f"{label:42} {path.stat().st_size / MB:4.1f} MB  {min(times):6.2f} s wall {min(cpu):5.2f} s CPU  check alone {checked * 1000:6.1f} ms CPU  exit {done.returncode}  "
                  f"{line.replace(str(path), 'hostile.toml')[:110]}")
    print(f"slowest case: {worst:.2f} s wall, {worst_cpu:.2f} s CPU for the whole command (Python start-up "
          f"included); the check alone at most {worst_check * 1000:.0f} ms CPU (goal: the command under 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
