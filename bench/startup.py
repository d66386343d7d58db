"""Start-up cost of the command line, as a user running it once per file sees it: each
single-file command beside pandoc's equivalent and the bare interpreter, in the same run.

    python bench/startup.py [--runs 20]

For every pair the two commands run alternately (gfmdreport, then pandoc, then
gfmdreport …), so that load from other programs falls on both alike; the figures are the
medians of CPU time (user + system, what the process itself cost) and wall time. Bytecode
is cached as in a normal installation (PYTHONDONTWRITEBYTECODE is unset for the runs).

| gfmdreport                     | pandoc                         |
|--------------------------------|--------------------------------|
| render notes.yaml -t md        | notes.md -t gfm                |
| render notes.md -o x.docx      | notes.md -o x.docx             |
| render notes.md -o x.html      | -s notes.md -o x.html          |
| validate notes.md              | notes.md -t gfm                |

The aim (issue #18): each gfmdreport command costs less CPU than its pandoc equivalent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(cmd: list[str], cwd: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd``."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return usage.ru_utime + usage.ru_stime, wall


def paired(a: list[str], b: list[str] | None, runs: int, cwd: str):
    for cmd in (a, b):
        if cmd:
            measure(cmd, cwd)  # warm the caches
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(measure(a, cwd))
        if b:
            theirs.append(measure(b, cwd))

    def median(found: list[tuple[float, float]]) -> tuple[float, float]:
        return (statistics.median(x[0] for x in found) * 1000,
                statistics.median(x[1] for x in found) * 1000)

    return median(ours), median(theirs) if theirs else None


def gfmdreport() -> list[str]:
    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "gfmdreport"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as work:
        for name in ("gcm-cluster-3.yaml", "gcm-cluster-3.md"):
            shutil.copy(ROOT / "examples" / name, Path(work) / name)
        us = gfmdreport()
        pairs = [
            ("render notes.yaml -t md", [*us, "render", "gcm-cluster-3.yaml", "-t", "md"],
             [pandoc, "gcm-cluster-3.md", "-t", "gfm"] if pandoc else None),
            ("render notes.md -o x.docx", [*us, "render", "gcm-cluster-3.md", "-o", "x.docx"],
             [pandoc, "gcm-cluster-3.md", "-o", "p.docx"] if pandoc else None),
            ("render notes.md -o x.html", [*us, "render", "gcm-cluster-3.md", "-o", "x.html"],
             [pandoc, "-s", "gcm-cluster-3.md", "-o", "p.html"] if pandoc else None),
            ("validate notes.md", [*us, "validate", "gcm-cluster-3.md"],
             [pandoc, "gcm-cluster-3.md", "-t", "gfm"] if pandoc else None),
        ]
        floor, _ = paired([sys.executable, "-c", "pass"], None, args.runs, work)
        print(f"median of {args.runs} paired runs; CPU ms (wall ms)")
        print(f"{'python -c pass':<28} {floor[0]:7.1f} ({floor[1]:6.1f})   the interpreter's floor")
        print(f"{'gfmdreport':<28} {'CPU':>7}  {'wall':>6}   {'pandoc':>7}  {'wall':>6}"
              "   CPU ratio")
        for label, ours_cmd, theirs_cmd in pairs:
            ours, theirs = paired(ours_cmd, theirs_cmd, args.runs, work)
            if theirs is None:
                print(f"{label:<28} {ours[0]:7.1f} ({ours[1]:6.1f})   (pandoc not installed)")
                continue
            verdict = "under pandoc" if ours[0] < theirs[0] else "OVER pandoc"
            print(f"{label:<28} {ours[0]:7.1f} ({ours[1]:6.1f})   {theirs[0]:7.1f} "
                  f"({theirs[1]:6.1f})   {ours[0] / theirs[0]:4.2f}x  {verdict}")


if __name__ == "__main__":
    main()
