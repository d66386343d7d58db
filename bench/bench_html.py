"""HTML writer speed, as ratios against the Markdown writer in the same run.

    python bench/bench_html.py [ROUNDS]

Prints, each beside what it is compared with:

- loading the built-in templates in a new process: compiled by Jinja2 (no cache) against
  loaded from the per-user cache of their compiled code (a cache folder made for the
  run; ``GFMDREPORT_CACHE_DIR``);
- the first HTML render of a process (building the Jinja2 environment and getting the
  templates) against later ones, which reuse both, without and with the cache;
- a warm HTML render against a warm Markdown render, and a sandboxed user template
  against the built-in one;
- the command line rendering ``-t html`` against ``-t md`` (which must not load the HTML
  writer), without and with the cache.

Medians of new processes, minima of warm renders; the machine's load moves the absolute
figures, the ratios less.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gcm-cluster-3.yaml"
CACHE_ENV = "GFMDREPORT_CACHE_DIR"

FIRST_RENDER = """
import time
from gfmdreport import load, render
s = load({example!r})
render(s, "md")
t = time.perf_counter(); render(s, "html"); first = time.perf_counter() - t
t = time.perf_counter(); render(s, "html"); second = time.perf_counter() - t
print(first, second)
"""

TEMPLATES = """
import time
import jinja2
from gfmdreport.formats.html import page
t = time.perf_counter()
env = page.builtin_environment()
env.get_template(page.PAGE_TEMPLATE)
env.get_template(page.FRAGMENT_TEMPLATE)
print(time.perf_counter() - t)
"""


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def python(code: str, cache: str, runs: int = 9) -> list[list[float]]:
    """``code``'s printed figures in ``runs`` new processes, the cache folder set."""
    env = {**os.environ, CACHE_ENV: cache}
    return [[float(x) for x in subprocess.run([sys.executable, "-c", code], env=env,
                                              capture_output=True, text=True,
                                              check=True).stdout.split()]
            for _ in range(runs)]


def median(rows: list[list[float]], column: int = 0) -> float:
    return statistics.median(row[column] for row in rows)


def main(rounds: int = 200) -> None:
    from gfmdreport import load, render

    with tempfile.TemporaryDirectory() as folder:
        cache = str(Path(folder) / "cache")
        python(TEMPLATES, cache, 1)  # fills the cache
        compiled = median(python(TEMPLATES, ""))
        cached = median(python(TEMPLATES, cache))
        print(f"built-in templates, compiled    {compiled * 1000:8.2f} ms   (no cache)")
        print(f"built-in templates, from cache  {cached * 1000:8.2f} ms   "
              f"compiled/cached = {compiled / cached:5.1f}x")

        code = FIRST_RENDER.format(example=str(EXAMPLE))
        for label, where in (("no cache", ""), ("cache", cache)):
            rows = python(code, where, 5)
            first, second = median(rows, 0), median(rows, 1)
            print(f"{'first html render (' + label + ')':32}{first * 1000:8.2f} ms   "
                  f"first/second = {first / second:5.1f}x (second {second * 1000:.2f} ms)")

        summary = load(EXAMPLE)
        render(summary, "html")
        md = best(lambda: render(summary, "md"), rounds)
        html = best(lambda: render(summary, "html"), rounds)
        print(f"warm md render                  {md * 1000:8.3f} ms")
        print(f"warm html render                {html * 1000:8.3f} ms   html/md = "
              f"{html / md:5.1f}x")

        with tempfile.TemporaryDirectory() as templates:
            tpl = Path(templates) / "page.html.j2"
            tpl.write_text('{% extends "gfmdreport/page.html.j2" %}', encoding="utf-8")
            render(summary, "html", template=str(tpl))
            user = best(lambda: render(summary, "html", template=str(tpl)), rounds)
        print(f"warm html render, user template {user * 1000:8.3f} ms   user/built-in = "
              f"{user / html:5.1f}x")

        def cli(to: str, where: str) -> float:
            with tempfile.TemporaryDirectory() as out_folder:
                out = Path(out_folder) / f"out.{to}"
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "gfmdreport", "render", str(EXAMPLE),
                                "-t", to, "-o", str(out)], check=True, capture_output=True,
                               env={**os.environ, CACHE_ENV: where})
                return time.perf_counter() - t

        md_cli = statistics.median(cli("md", cache) for _ in range(7))
        html_off = statistics.median(cli("html", "") for _ in range(7))
        html_on = statistics.median(cli("html", cache) for _ in range(7))
    probe = ("import sys, gfmdreport.hooks.manager as m; m.make_plugin_manager(); "
             "print('jinja2' in sys.modules)")
    loads_jinja = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                 text=True, check=True).stdout.strip()
    print(f"cli render -t md                {md_cli * 1000:8.1f} ms   "
          f"(jinja2 imported at start-up: {loads_jinja})")
    print(f"cli render -t html, no cache    {html_off * 1000:8.1f} ms   html/md = "
          f"{html_off / md_cli:5.2f}x")
    print(f"cli render -t html, cache       {html_on * 1000:8.1f} ms   html/md = "
          f"{html_on / md_cli:5.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
