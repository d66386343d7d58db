"""HTML writer speed, as ratios against the Markdown writer in the same run.

    python bench/bench_html.py [ROUNDS]

Prints: the first HTML render of a process (building the Jinja2 environment and
compiling the templates) against later ones, which reuse both; a warm HTML render
against a warm Markdown render; a sandboxed user template against the built-in one;
and the command line's start-up with ``-t md``, which must not load the HTML writer.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"

FIRST_RENDER = """
import time
from gfmdreport import load, render
s = load({example!r})
render(s, "md")
t = time.perf_counter(); render(s, "html"); first = time.perf_counter() - t
t = time.perf_counter(); render(s, "html"); second = time.perf_counter() - t
print(first, second)
"""


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(rounds: int = 200) -> None:
    from gfmdreport import load, render

    summary = load(EXAMPLE)
    firsts, seconds = [], []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", FIRST_RENDER.format(example=str(EXAMPLE))],
                             capture_output=True, text=True, check=True).stdout.split()
        firsts.append(float(out[0]))
        seconds.append(float(out[1]))
    first, second = statistics.median(firsts), statistics.median(seconds)
    print(f"first html render in a process  {first * 1000:8.2f} ms")
    print(f"second html render              {second * 1000:8.2f} ms   "
          f"first/second = {first / second:5.1f}x")

    render(summary, "html")
    md = best(lambda: render(summary, "md"), rounds)
    html = best(lambda: render(summary, "html"), rounds)
    print(f"warm md render                  {md * 1000:8.3f} ms")
    print(f"warm html render                {html * 1000:8.3f} ms   html/md = "
          f"{html / md:5.1f}x")

    with tempfile.TemporaryDirectory() as folder:
        tpl = Path(folder) / "page.html.j2"
        tpl.write_text('{% extends "gfmdreport/page.html.j2" %}', encoding="utf-8")
        render(summary, "html", template=str(tpl))
        user = best(lambda: render(summary, "html", template=str(tpl)), rounds)
    print(f"warm html render, user template {user * 1000:8.3f} ms   user/built-in = "
          f"{user / html:5.1f}x")

    def cli(to: str) -> float:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"out.{to}"
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gfmdreport", "render", str(EXAMPLE), "-t",
                            to, "-o", str(out)], check=True)
            return time.perf_counter() - t

    md_cli = statistics.median(cli("md") for _ in range(5))
    html_cli = statistics.median(cli("html") for _ in range(5))
    probe = ("import sys, gfmdreport.cli as c; c.make_plugin_manager(); "
             "print('jinja2' in sys.modules)")
    loads_jinja = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                 text=True, check=True).stdout.strip()
    print(f"cli render -t md                {md_cli * 1000:8.1f} ms   "
          f"(jinja2 imported at start-up: {loads_jinja})")
    print(f"cli render -t html              {html_cli * 1000:8.1f} ms   html/md = "
          f"{html_cli / md_cli:5.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
