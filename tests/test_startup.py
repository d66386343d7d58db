"""Each command imports only what it needs: a test that runs the command line under
``python -X importtime`` and fails when a module on the command's forbidden list is
imported (python-docx to write Markdown, Jinja2 to write Word, …). The budget in
milliseconds lives in bench/startup.py, beside pandoc; this guards what makes it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES

HEAVY_FORMATS = ("docx", "lxml", "jinja2", "markdown_it")
NOT_FOR_ONE_FILE = ("gfmdreport.batch", "gfmdreport.cli.batch",
                    "gfmdreport.formats.docx.command", "gfmdreport.formats.markdown.command",
                    "gfmdreport.scaffold")
# an event's proceedings and redlines: for compile and diff, not for one summary
NOT_FOR_A_SUMMARY = ("gfmdreport.event", "gfmdreport.proceedings", "gfmdreport.redline")

CASES = {
    "render notes.yaml -t md": (
        ["render", "gcm-cluster-3.yaml", "-t", "md"],
        (*HEAVY_FORMATS, *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY, "gfmdreport.formats.docx.write",
         "gfmdreport.formats.html.page", "gfmdreport.formats.markdown.notes",
         "gfmdreport.formats.markdown.tree", "gfmdreport.cli.validate")),
    "render notes.yaml -t json": (
        ["render", "gcm-cluster-3.yaml", "-t", "json"],
        (*HEAVY_FORMATS, *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY,
         "gfmdreport.formats.markdown.escape")),
    "render notes.md -o x.docx": (
        ["render", "gcm-cluster-3.md", "-o", "x.docx"],
        ("docx", "jinja2", *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY, "gfmdreport.formats.html.page",
         "gfmdreport.formats.docx.write.make_template")),
    "render notes.md -o x.docx --reference-doc house.docx": (
        ["render", "gcm-cluster-3.md", "-o", "x.docx", "--reference-doc", "house.docx"],
        ("docx", "jinja2", *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY, "gfmdreport.formats.html.page",
         "gfmdreport.formats.docx.write.make_template")),
    "render notes.md -o x.html": (
        ["render", "gcm-cluster-3.md", "-o", "x.html"],
        ("docx", "lxml", *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY, "gfmdreport.formats.docx.write")),
    "validate notes.md": (
        ["validate", "gcm-cluster-3.md"],
        ("docx", "lxml", "jinja2", *NOT_FOR_ONE_FILE, *NOT_FOR_A_SUMMARY,
         "gfmdreport.formats.docx.write", "gfmdreport.formats.html.page",
         "gfmdreport.cli.render")),
    "compile proceedings.yaml -t md": (
        ["compile", "proceedings.yaml", "-t", "md"],
        (*HEAVY_FORMATS, *NOT_FOR_ONE_FILE, "gfmdreport.formats.docx.write",
         "gfmdreport.formats.html.page", "gfmdreport.cli.render")),
    "formats": (
        ["formats"],
        (*HEAVY_FORMATS, *NOT_FOR_ONE_FILE, "yaml", "gfmdreport.config",
         "gfmdreport.rules.common")),
}


def imported(args: list[str], cwd) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "gfmdreport", *args],
                            cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return {m.group(1) for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$",
                                            result.stderr, re.MULTILINE)}


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("startup")
    for name in ("gcm-cluster-3.yaml", "gcm-cluster-3.md", "gcm-cluster-4.yaml",
                 "gcm-cluster-6.yaml", "proceedings.yaml"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    house = EXAMPLES.parent / "gfmdreport" / "formats" / "docx" / "reference.docx"
    (folder / "house.docx").write_bytes(house.read_bytes())
    return folder


@pytest.mark.parametrize("case", CASES)
def test_a_command_imports_only_what_it_needs(case, work):
    args, forbidden = CASES[case]
    modules = imported(args, work)
    assert "gfmdreport" in modules, "the import trace was not read"
    loaded = sorted(m for m in modules for f in forbidden if m == f or m.startswith(f + "."))
    assert loaded == [], f"'{case}' imports what it does not need"


def test_the_guard_sees_a_forbidden_import(work):
    """The trace is read right: writing Word does import the Word writer."""
    assert "gfmdreport.formats.docx.write" in imported(["render", "gcm-cluster-3.md", "-o",
                                                         "y.docx"], work)


def test_recognisers_compile_their_patterns_only_when_used():
    """Reading canonical YAML compiles none of the people, date and line recognisers'
    patterns; reading a one-line chair compiles what it needs, and gives what
    re.compile would."""
    code = (
        "import sys\n"
        "from gfmdreport import load, loads\n"
        "from gfmdreport.recognize import dates, lines, people, text\n"
        "from gfmdreport.recognize.lazy import LazyPattern\n"
        "def made():\n"
        "    return sum(v._compiled is not None for m in (people, dates, lines, text)\n"
        "               for v in vars(m).values() if isinstance(v, LazyPattern))\n"
        f"load({str(EXAMPLES / 'gcm-cluster-3.yaml')!r})\n"
        "print(made())\n"
        "s = loads('title: T\\nchair: Ms. Jane Doe, Director, Ministry of Labour\\n'\n"
        "          'body: []\\n', 'yaml')\n"
        "print(made(), s.chairs[0].name, s.chairs[0].organization)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "0"
    compiled, rest = out[1].split(" ", 1)
    assert int(compiled) > 0 and rest == "Jane Doe Ministry of Labour"


def test_a_lazy_pattern_is_the_compiled_pattern():
    from gfmdreport.recognize.lazy import lazy

    pattern = lazy(r"(?P<h>\d{1,2})[:.h](?P<m>\d{2})", re.I)
    assert pattern.pattern == r"(?P<h>\d{1,2})[:.h](?P<m>\d{2})" and pattern.flags & re.I
    assert pattern.search("at 14h30").groupdict() == {"h": "14", "m": "30"}
    assert pattern.sub("X", "9.15 and 10:45") == "X and X"
    assert [m.group() for m in pattern.finditer("1:00 2.30")] == ["1:00", "2.30"]
