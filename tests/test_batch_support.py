"""Helpers shared by the batch tests (no tests here): a notes-tree builder and a test
plugin distribution."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import EXAMPLE_YAML

EXAMPLE_TITLE = "title: GFMD Thematic Workshop on GFMD's contribution to the GCM\n"
LONE_U = "          - U\n"  # the seed's extraction damage, which validation warns about
EXAMPLE_TEXT = EXAMPLE_YAML.read_text(encoding="utf-8")
assert EXAMPLE_TITLE in EXAMPLE_TEXT and LONE_U in EXAMPLE_TEXT
EXAMPLE_TEXT = EXAMPLE_TEXT.replace(
    LONE_U, "          - strengthen regional consultative processes\n")

PLUGIN = '''
import os
import time

from gfmdreport import Finding, Option, Rule, Severity, Writer, hookimpl


def write_opt(summary, options):
    template = ""
    if options.get("template"):
        with open(options["template"], encoding="utf-8") as fh:
            template = fh.read()
    return f"{options['flavour']}|{template}|{summary.title}".encode()


def write_trap(summary, options):
    if "BOOM" in summary.title:
        raise RuntimeError("the trap went off")
    if "SLOW" in summary.title:
        with open(os.environ["GFMD_TEST_PIDFILE"], "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(60)
    return summary.title.encode()


def invalid(summary):
    if summary.title == "INVALID":
        yield Finding("the title says INVALID", summary.location_of("title"),
                      "give the session its real title")


def warned(summary):
    if "WARN" in summary.title:
        yield Finding("the title asks for a warning", summary.location_of("title"))


@hookimpl
def register_writers(register):
    register(Writer(name="opt", write=write_opt, suffix=".txt", media_type="text/plain",
                    options=(Option("flavour", "A word put first", default="plain"),
                             Option("template", "A file put second", kind="path"))))
    register(Writer(name="trap", write=write_trap, suffix=".trap", media_type="text/plain"))


@hookimpl
def register_rules(register):
    register(Rule("test-invalid", invalid, "A title of INVALID is an error"))
    register(Rule("test-warn", warned, "WARN in the title is a warning",
                  severity=Severity.WARNING))
'''


def install_test_plugin(site: Path, version: str = "1.2") -> None:
    """Put the test plugin on ``site`` as an installed distribution ``gfmd-batchtest``."""
    for old in site.glob("gfmd_batchtest-*.dist-info"):
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    (site / "gfmd_batchtest.py").write_text(textwrap.dedent(PLUGIN))
    info = site / f"gfmd_batchtest-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: gfmd-batchtest\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("[gfmdreport]\nbatchtest = gfmd_batchtest\n")


def notes(path: Path, title: str = "Workshop on migration governance") -> Path:
    """A valid session file (the seed's session under another title, its damaged table
    cell restored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(EXAMPLE_TEXT.replace(EXAMPLE_TITLE, f"title: {title}\n"),
                    encoding="utf-8")
    return path


def broken(path: Path) -> Path:
    """A YAML file with a syntax error on line 3."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("title: Broken\nsession: fine\nvenue: a: b\n", encoding="utf-8")
    return path


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
