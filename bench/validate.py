"""Validation cost, as ratios against reading the same summary in the same run.

    python bench/validate.py [FILE] [--repeat N]

Prints, for FILE (default: the seed example): the time to read it, to validate it (every
rule, configuration discovery and ``disable`` comments included), to render it as
Markdown, and the ratios validate/read and validate/render; the five most costly rules,
each alone, beside the read; then what the rules plugin
and validating first add to ``gfmdreport render FILE -t md`` in a fresh process (CPU
time, beside the bare interpreter's).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn, repeat: int) -> float:
    """Minimum wall time of ``fn()`` over ``repeat`` runs (the least disturbed run)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def command(args: list[str], repeat: int) -> float:
    """Least CPU time (user + system) of ``repeat`` runs of ``gfmdreport ARGS``, each in a
    fresh process: steadier than wall time on a busy machine."""
    times = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "gfmdreport", *args], capture_output=True,
                       check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times)


def command_floor() -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples" / "gcm-cluster-3.yaml"))
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    from gfmdreport import load
    from gfmdreport import render
    from gfmdreport import validate
    from gfmdreport.hooks.manager import make_plugin_manager

    plugins = make_plugin_manager()
    summary = load(args.file, plugins=plugins)
    validate(summary, plugins=plugins)  # warm the caches a long run would have warm
    render(summary, "md", plugins=plugins)
    read_s = best(lambda: load(args.file, plugins=plugins), args.repeat)
    validate_s = best(lambda: validate(summary, plugins=plugins), args.repeat)
    render_s = best(lambda: render(summary, "md", plugins=plugins), args.repeat)
    rules = len(plugins.registry.rules)
    print(f"file: {args.file}")
    print(f"read      {read_s * 1e3:8.2f} ms")
    print(f"validate  {validate_s * 1e3:8.2f} ms  ({rules} rules)")
    print(f"render md {render_s * 1e3:8.2f} ms")
    print(f"validate / read   = {validate_s / read_s:5.2f}")
    print(f"validate / render = {validate_s / render_s:5.2f}")

    # Each rule on its own: the most costly beside the read of the same file.
    from gfmdreport.rules import RULES

    costs = sorted(((best(lambda r=r: list(r.check(summary)), args.repeat), r.id)
                    for r in RULES), reverse=True)
    every = sum(c for c, _ in costs)
    print("rules, each alone (least of the runs):")
    for cost, rule_id in costs[:5]:
        print(f"  {rule_id}   {cost * 1e3:6.3f} ms  ({cost / every:4.0%} of the rules, "
              f"{cost / read_s:4.2f} × the read)")

    render = ["render", args.file, "-t", "md"]
    bare = command(["--block", "rules", *render, "--no-validate"], 9)
    loaded = command([*render, "--no-validate"], 9)
    checked = command(render, 9)
    floor = min(command_floor() for _ in range(9))
    print("render -t md, fresh process, CPU time (least of 9):")
    print(f"  python -c pass (floor)        {floor * 1e3:7.1f} ms")
    print(f"  without the rules plugin      {bare * 1e3:7.1f} ms")
    print(f"  rules loaded, --no-validate   {loaded * 1e3:7.1f} ms  (ratio {loaded / bare:4.2f})")
    print(f"  validating first (default)    {checked * 1e3:7.1f} ms  (ratio {checked / bare:4.2f})")

if __name__ == "__main__":
    main()
