"""Peak memory of the Word format on huge inputs, each beside a comparator in the same run.

    python bench/docx_memory.py [--skip-notes]

Each figure is the peak resident memory (max RSS) of one fresh process doing one thing,
and its CPU time:

- **a Word file of 1.15 million formatted runs** (225 KB; some 50 MB of XML once
  unpacked; ``tests/adversarial/generate.py:docx_million_runs``), read back
  (``gfmdreport.loads``), beside lxml parsing its main part whole (what a reader that
  holds the tree holds; python-docx, which does that too, refuses a tree this big).
- **49 MB of Markdown notes heavy with inline markup** (``markup_notes_49mb``), rendered
  to DOCX, beside rendering the same notes to JSON (the same reading, without the Word
  writer: what the Word writer adds is the difference).

The process's own start (the interpreter and the imports) is the first line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "adversarial"))

import generate  # noqa: E402

PROGRAMS = {
    "start": "import gfmdreport, lxml.etree, zipfile",
    "read-back": "import gfmdreport, sys; s = gfmdreport.loads(open(sys.argv[1], 'rb').read(),"
                 " 'docx', path=sys.argv[1]); print(len(s.body))",
    "lxml tree": "import zipfile, sys; from lxml import etree; z = zipfile.ZipFile(sys.argv[1]);"
                 " t = etree.fromstring(z.read('word/document.xml'),"
                 " etree.XMLParser(huge_tree=True)); print(len(t[0]))",
    "to docx": "import gfmdreport, sys; s = gfmdreport.load(sys.argv[1]);"
               " open(sys.argv[2], 'wb').write(gfmdreport.render(s, 'docx'))",
    "to json": "import gfmdreport, sys; s = gfmdreport.load(sys.argv[1]);"
               " open(sys.argv[2], 'wb').write(gfmdreport.render(s, 'json'))",
}


def measure_child(program: str, *args: str) -> tuple[float, float, str]:
    env = dict(os.environ)
    pid = os.fork()
    if pid == 0:  # the child runs the program with its output in a file
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            os.dup2(null.fileno(), 2)
        os.execve(sys.executable, [sys.executable, "-c", PROGRAMS[program], *args], env)
    _, status, usage = os.wait4(pid, 0)
    ok = "ok" if os.waitstatus_to_exitcode(status) == 0 else \
        f"exit {os.waitstatus_to_exitcode(status)}"
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, ok


def row(label: str, program: str, *args: str) -> None:
    started = time.perf_counter()
    rss, cpu, ok = measure_child(program, *args)
    print(f"  {label:46} {rss:9.0f} MB {cpu:8.1f} s CPU {time.perf_counter() - started:7.1f}"
          f" s wall  {ok}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notes", action="store_true",
                        help="leave out the 49 MB notes (the longest run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"peak resident memory of one process each ({sys.executable})")
        row("interpreter and imports", "start")
        word = generate.docx_million_runs(folder)
        print(f"a Word file of 1.15 million formatted runs ({word.stat().st_size / 1024:.0f} KB)")
        row("gfmdreport reads it back", "read-back", str(word))
        row("comparator: lxml parses its main part whole", "lxml tree", str(word))
        if args.skip_notes:
            return
        notes = generate.markup_notes_49mb(folder)
        print(f"Markdown notes of {notes.stat().st_size / 2**20:.0f} MB, heavy with markup")
        row("gfmdreport renders them to DOCX", "to docx", str(notes), str(folder / "x.docx"))
        row("comparator: the same notes to JSON", "to json", str(notes), str(folder / "x.json"))
        size = (folder / "x.docx").stat().st_size if (folder / "x.docx").exists() else 0
        print(f"  (the DOCX written: {size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
