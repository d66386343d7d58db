"""HTML writer speed, as ratios against the Markdown writer in the same run.

    python bench/bench_html.py [ROUNDS]

Prints, each beside what it is compared with:

- loading the built-in templates in a new process: compiled by Jinja2 from their source
  against loaded from their compiled modules (gfmdreport/formats/html/compiled/);
- the first HTML render of a process (building the Jinja2 environment and getting the
  templates) against later ones, which reuse both, compiling and precompiled;
- a warm HTML render against a warm Markdown render, and a sandboxed user template
  against the built-in one;
- the command line rendering ``-t html`` against ``-t md`` (which must not load the HTML
  writer), compiling the templates and loading them precompiled.

"Compiling" runs the code with the precompiled modules turned off, as every run was
before them. Medians of new processes, minima of warm renders; the machine's load moves
the absolute figures, the ratios less. Python's own bytecode matters as much: with
``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every module (the compiled
templates too) is compiled at each start; the first line says whether Python writes it.
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
COMPILING = ("import gfmdreport.formats.html.precompiled as p\n"
             "p.PrecompiledLoader.compiled = lambda self, environment, name: None\n")
"""Code that turns the precompiled templates off, so that Jinja2 compiles them."""
PRECOMPILED = "import gfmdreport.formats.html.precompiled as p\n"
"""The same import, changing nothing: both variants import Jinja2 at the same point."""

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

CLI = """
import sys
from gfmdreport.cli import main
main(sys.argv[1:])
"""


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def python(code: str, runs: int = 9, *args: str) -> list[list[float]]:
    """``code``'s printed figures in ``runs`` new processes."""
    return [[float(x) for x in subprocess.run([sys.executable, "-c", code, *args],
                                              capture_output=True, text=True,
                                              check=True).stdout.split()]
            for _ in range(runs)]


def median(rows: list[list[float]], column: int = 0) -> float:
    return statistics.median(row[column] for row in rows)


def main(rounds: int = 200) -> None:
    from gfmdreport import load
    from gfmdreport import render

    print(f"Python writes bytecode (no PYTHONDONTWRITEBYTECODE): "
          f"{not sys.dont_write_bytecode}; what __pycache__ holds is read either way")
    python(TEMPLATES, 1)  # once, so that what is cached (bytecode) is there
    compiled = median(python(COMPILING + TEMPLATES))
    precompiled = median(python(PRECOMPILED + TEMPLATES))
    print(f"built-in templates, compiled    {compiled * 1000:8.2f} ms   (Jinja2 from source)")
    print(f"built-in templates, precompiled {precompiled * 1000:8.2f} ms   "
          f"compiled/precompiled = {compiled / precompiled:5.1f}x")

    code = FIRST_RENDER.format(example=str(EXAMPLE))
    for label, prefix in (("compiling", COMPILING), ("precompiled", PRECOMPILED)):
        rows = python(prefix + code, 5)
        first, second = median(rows, 0), median(rows, 1)
        print(f"{'first html render, ' + label:32}{first * 1000:8.2f} ms   "
              f"first/second = {first / second:5.1f}x (second {second * 1000:.2f} ms)")

    summary = load(EXAMPLE)
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

    def cli(to: str, prefix: str = "") -> float:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"out.{to}"
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", prefix + CLI, "render", str(EXAMPLE),
                            "-t", to, "-o", str(out)], check=True, capture_output=True)
            return time.perf_counter() - t

    runs: dict[str, list[float]] = {"md": [], "compiling": [], "precompiled": []}
    for _ in range(11):  # in turn, so that the machine's load falls on all three alike
        runs["md"].append(cli("md", PRECOMPILED))
        runs["compiling"].append(cli("html", COMPILING))
        runs["precompiled"].append(cli("html", PRECOMPILED))
    md_cli, html_compiling, html_cli = (statistics.median(runs[k]) for k in runs)
    probe = ("import sys, gfmdreport.hooks.manager as m; m.make_plugin_manager(); "
             "print('jinja2' in sys.modules)")
    loads_jinja = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                 text=True, check=True).stdout.strip()
    print(f"cli render -t md                {md_cli * 1000:8.1f} ms   "
          f"(jinja2 imported at start-up: {loads_jinja})")
    print(f"cli render -t html, compiling   {html_compiling * 1000:8.1f} ms   html/md = "
          f"{html_compiling / md_cli:5.2f}x")
    print(f"cli render -t html, precompiled {html_cli * 1000:8.1f} ms   html/md = "
          f"{html_cli / md_cli:5.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
