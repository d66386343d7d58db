"""The layout keeps its promises (docs/architecture.md): modules stay small, only the
command line prints or exits, and the map names every part of the package. The import
rules themselves are checked by `lint-imports` (pyproject.toml, [tool.importlinter])."""

from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "gfmdreport"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)
MAX_LINES = 600


def _command_line(path) -> bool:
    """The command line, and a format's own subcommand module."""
    rel = path.relative_to(PACKAGE).parts
    return rel[0] == "cli" or (rel[0] == "formats" and rel[-1] == "command.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_long(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it"


def test_only_the_command_line_prints_or_exits():
    offenders = []
    for path in MODULES:
        if _command_line(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                f"{getattr(func.value, 'id', '')}.{func.attr}" \
                if isinstance(func, ast.Attribute) else ""
            if name in ("print", "exit", "quit", "sys.exit", "os._exit"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}()")
    assert offenders == []


def test_the_map_names_every_part_of_the_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("```text", 1)[1].split("```", 1)[0]
    named = set(re.findall(r"([a-z_]+)(?:\.py|/)", tree))
    parts = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    parts |= {p.name for p in PACKAGE.iterdir() if p.is_dir() and
              (p / "__init__.py").exists()}
    parts |= {p.name for p in (PACKAGE / "formats").iterdir() if p.is_dir() and
              (p / "__init__.py").exists()}
    assert parts - named == set(), "docs/architecture.md does not show these"


def test_a_skip_fails_the_run_where_no_skip_is_allowed(tmp_path):
    """conftest.py of the repository: with GFMDREPORT_NO_SKIPS set (as .ci/run sets it)
    a skipped test fails, saying why; without it, it is a skip."""
    import os
    import subprocess
    import sys

    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    (tmp_path / "test_it.py").write_text(
        "import pytest\n\ndef test_needs_a_program():\n    pytest.skip('no soffice')\n")

    def run(**env):
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "test_it.py"], cwd=tmp_path, capture_output=True, text=True,
                              env={**os.environ, **env})

    strict = run(GFMDREPORT_NO_SKIPS="1")
    assert strict.returncode == 1
    assert "skipped where no test may be skipped: Skipped: no soffice" in strict.stdout
    lenient = run(GFMDREPORT_NO_SKIPS="")
    assert lenient.returncode == 0 and "1 skipped" in lenient.stdout
    assert "GFMDREPORT_NO_SKIPS=1" in (ROOT / ".ci" / "run").read_text()


def test_one_switch_rewrites_every_golden_file():
    """Golden files are rewritten by GFMDREPORT_UPDATE_GOLDEN alone, read in conftest.py:
    no test reads an update switch of its own."""
    readers = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"environ(?:\.get)?[(\[]\s*[\"']([A-Z_]*UPDATE[A-Z_]*)", text):
            readers.append((path.relative_to(ROOT).as_posix(), name))
    assert readers == [("tests/conftest.py", "GFMDREPORT_UPDATE_GOLDEN")]
