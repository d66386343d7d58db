"""Start-up cost of the command line, as scripts that call it thousands of times see it.

Prints the median wall time of `gfmdreport render examples/gcm-cluster-3.yaml -t md`
beside a bare `python -c pass` (the interpreter's floor) and, where pandoc is installed,
pandoc converting the same session's Markdown notes to Markdown; ratios are against
those baselines, measured in the same run.

    python bench/startup.py [--runs 20]
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
EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"


# As installed for users: Python may cache compiled bytecode (an environment that sets
# PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def median_seconds(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gfmdreport_command() -> list[str]:
    exe = shutil.which("gfmdreport", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "gfmdreport"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    ours = median_seconds([*gfmdreport_command(), "render", str(EXAMPLE), "-t", "md"], args.runs)
    floor = median_seconds([sys.executable, "-c", "pass"], args.runs)
    print(f"gfmdreport render -t md   {ours * 1000:8.1f} ms (median of {args.runs})")
    print(f"python -c pass            {floor * 1000:8.1f} ms  -> gfmdreport costs "
          f"{ours / floor:.1f}x the bare interpreter")
    pandoc = shutil.which("pandoc")
    if pandoc:
        with tempfile.TemporaryDirectory() as tmp:
            notes = Path(tmp) / "notes.md"
            notes.write_bytes(subprocess.run([*gfmdreport_command(), "render", str(EXAMPLE),
                                              "-t", "md"], check=True,
                                             capture_output=True).stdout)
            theirs = median_seconds([pandoc, str(notes), "-f", "markdown", "-t", "gfm"],
                                    args.runs)
        print(f"pandoc notes.md -t gfm    {theirs * 1000:8.1f} ms  -> ratio gfmdreport/pandoc "
              f"{ours / theirs:.2f}")
    else:
        print("pandoc                    not installed; no comparison")
    verdict = "under" if ours < 0.5 else "OVER"
    print(f"target: well under 500 ms -> {verdict}")


if __name__ == "__main__":
    main()
