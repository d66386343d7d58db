"""Proceedings of 50 sessions: `gfmdreport compile` to DOCX and to HTML, against
rendering the 50 sessions separately (`gfmdreport batch -t docx,html --force`) and
against pandoc concatenating the 50 Markdown notes into one DOCX, in the same run.

The sessions are variations of the example (examples/gcm-cluster-3.yaml): each its own
session name, date and time in agenda order, people and closing table, written as
Markdown notes (what pandoc reads too) beside a manifest listing them. Each command is
run as a user runs it (a new process), `--runs` times after a warm-up; the median wall
time and the CPU time of the process and its children (`wait4`) are printed. The aim for
compile is under 1.5 s of wall time for 50 sessions on a 2-core machine.

    python bench/compile.py [--sessions 50] [--runs 5] [--jobs N] [--no-pandoc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gfmdreport import load  # noqa: E402
from gfmdreport import render  # noqa: E402
from gfmdreport.model import Person  # noqa: E402

AIM_SECONDS = 1.5


def write_sessions(folder: Path, count: int) -> Path:
    seed = load(ROOT / "examples" / "gcm-cluster-3.yaml")
    names = []
    first = dt.date(2017, 9, 6)
    for i in range(count):
        day = first + dt.timedelta(days=i // 4)
        start = ("09:00", "11:00", "14:00", "16:00")[i % 4]
        end = ("10:30", "12:30", "15:30", "17:30")[i % 4]
        summary = replace(
            seed, session=f"Session {i + 1}: {seed.session}", date=day.isoformat(),
            start_time=start, end_time=end,
            chairs=(Person(f"Chair Number{i + 1}", "Ms.", "Director", f"Ministry {i}"),),
            source=None)
        name = f"session-{i + 1:02d}.md"
        (folder / name).write_bytes(render(summary, "md"))
        names.append(name)
    last = first + dt.timedelta(days=(count - 1) // 4)
    manifest = folder / "proceedings.yaml"
    manifest.write_text(
        f"title: {seed.title}\nsubtitle: Report of the proceedings\n"
        f"dates: [{first}, {last}]\nlanguage: en\nsessions:\n"
        + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return manifest


def run(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``cmd`` (the process and its children)."""
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if status != 0:
            raise SystemExit(f"{' '.join(cmd)} failed")
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-pandoc", action="store_true")
    args = parser.parse_args()
    tool = [sys.executable, "-m", "gfmdreport"]
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = write_sessions(folder, args.sessions)
        notes = sorted(p.name for p in folder.glob("session-*.md"))
        cases = [
            ("compile -o proceedings.docx",
             [*tool, "compile", manifest.name, "-o", "p.docx", *jobs]),
            ("compile -o proceedings.html",
             [*tool, "compile", manifest.name, "-o", "p.html", *jobs]),
            ("batch -t docx,html (50 files)",
             [*tool, "batch", *notes, "-o", "out", "-t", "docx,html", "--force", "-q",
              *jobs]),
        ]
        pandoc = shutil.which("pandoc")
        if pandoc and not args.no_pandoc:
            cases.append(("pandoc 50 notes -> one docx",
                          [pandoc, "-f", "gfm", *notes, "-o", "pandoc.docx"]))
        print(f"{args.sessions} sessions, median of {args.runs} runs, "
              f"{os.cpu_count()} CPUs\n")
        print(f"{'':34} {'wall s':>8} {'CPU s':>8}")
        results = {}
        for label, cmd in cases:
            wall, cpu = run(cmd, folder, args.runs)
            results[label] = wall
            print(f"{label:34} {wall:8.2f} {cpu:8.2f}")
        worst = max(results["compile -o proceedings.docx"],
                    results["compile -o proceedings.html"])
        verdict = "meets" if worst < AIM_SECONDS else "misses"
        print(f"\ncompile {verdict} the aim of {AIM_SECONDS} s for {args.sessions} sessions "
              f"(slowest: {worst:.2f} s)")


if __name__ == "__main__":
    main()
