"""`gfmdreport validate FOLDER` on many notes: one process (-j 1) beside one worker per CPU
(-j N), in the same run: files per second and CPU time per file.

    python bench/validate_folder.py [--files 2000] [--jobs N]

The notes are copies of the seed session as Markdown notes with small differences (each
its own title, one in ten with an unknown key), in ten folders.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its workers, the last line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gfmdreport", *args], capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    text = (ROOT / "examples" / "gcm-cluster-3.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        notes = Path(work) / "notes"
        for i in range(args.files):
            folder = notes / f"part{i % 10}"
            folder.mkdir(parents=True, exist_ok=True)
            mine = text.replace("title: ", f"title: Session {i}, ", 1)
            if i % 10 == 3:
                mine = mine.replace("venue:", "venu:", 1)
            (folder / f"s{i:05d}.md").write_text(mine, encoding="utf-8")
        print(f"{args.files} notes files in 10 folders; {os.cpu_count()} CPUs")
        results = {}
        for jobs in (1, args.jobs):
            wall, cpu, last = run(["validate", "-j", str(jobs), str(notes)])
            results[jobs] = wall
            print(f"validate -j {jobs:<2} {wall:7.2f} s  {args.files / wall:7.1f} files/s  "
                  f"{cpu * 1000 / args.files:6.2f} ms CPU per file   ({last})")
        if args.jobs > 1:
            print(f"speed-up with {args.jobs} workers: {results[1] / results[args.jobs]:.2f}x")
        shutil.rmtree(notes)


if __name__ == "__main__":
    main()
