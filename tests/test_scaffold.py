"""`gfmdreport plugin new`: the package it creates installs and passes its own tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdreport.cli import build_cli
from gfmdreport.diagnostics import UsageError
from gfmdreport.scaffold import KINDS
from gfmdreport.scaffold import create
from gfmdreport.scaffold import names_for
from gfmdreport.scaffold import render_files

from conftest import ROOT


def run(*args, cwd=None, timeout=300):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


def fresh_venv(folder: Path) -> Path:
    """A new virtual environment that sees this one's packages (gfmdreport, pytest,
    setuptools) through a .pth file, so that installing into it needs no network."""
    run(sys.executable, "-m", "venv", "--without-pip", folder)
    python = folder / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    outer = sysconfig.get_paths()["purelib"]
    Path(purelib.stdout.strip(), "outer.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n")
    return python


def pip_install(python: Path, *packages: Path, editable: bool = True) -> None:
    args = [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
            "--no-index"]
    for package in packages:
        args += ["-e", package] if editable else [package]
    run(*args)


# ---- names, files, refusals --------------------------------------------------------------

def test_names_are_derived_and_checked():
    names = names_for("plain-text", "writer")
    assert (names.name, names.dist, names.module) == ("plain-text", "gfmdreport-plain-text",
                                                       "gfmdreport_plain_text")
    assert names_for("gfmdreport-akn2", "reader").name == "akn2"
    for bad in ("Plain", "plain_text", "-x", "x--y", "9lives", "a" * 41, ""):
        with pytest.raises(UsageError, match="invalid plugin name"):
            names_for(bad, "writer")
    with pytest.raises(UsageError, match="unknown plugin kind 'filter'; choose one of: "
                       "writer, reader, rule"):
        names_for("x", "filter")


@pytest.mark.parametrize("kind", KINDS)
def test_the_files_are_complete_and_lint_clean(kind, tmp_path):
    import tomllib
    folder = create("demo", kind, tmp_path)
    assert folder == tmp_path / "gfmdreport-demo"
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    expected = [".gitignore", "README.md", "gfmdreport_demo/__init__.py", "pyproject.toml",
                "tests/test_gfmdreport_demo.py"]
    assert files == sorted(expected + (["tests/sample.csv"] if kind == "reader" else []))
    project = tomllib.loads((folder / "pyproject.toml").read_text())
    assert project["project"]["name"] == "gfmdreport-demo"
    assert project["project"]["entry-points"]["gfmdreport"] == {"demo": "gfmdreport_demo"}
    assert project["project"]["dependencies"] == ["gfmdreport>=0.1.0"]
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# gfmdreport-demo\n") and "${" not in readme
    for path in folder.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    ruff = shutil.which("ruff", path=os.path.dirname(sys.executable))
    if ruff is None:  # the test extra installs it beside the interpreter
        pytest.skip("ruff is not installed beside this Python")
    run(ruff, "check", "--no-cache", "--config", ROOT / "pyproject.toml", folder)


def test_only_the_public_api_is_used():
    for kind in KINDS:
        for path, text in render_files(names_for("demo", kind)).items():
            imports = [line for line in text.splitlines()
                       if line.startswith(("from gfmdreport", "import gfmdreport"))]
            assert all(line in ("from gfmdreport import (", "import gfmdreport") or
                       line.startswith(("from gfmdreport import ",
                                        "from gfmdreport.testing import "))
                       for line in imports), (kind, path, imports)


def test_an_existing_folder_is_never_touched(tmp_path):
    (tmp_path / "gfmdreport-demo").mkdir()
    (tmp_path / "gfmdreport-demo" / "mine.txt").write_text("keep")
    with pytest.raises(UsageError, match="gfmdreport-demo already exists"):
        create("demo", "writer", tmp_path)
    assert [p.name for p in (tmp_path / "gfmdreport-demo").iterdir()] == ["mine.txt"]
    with pytest.raises(UsageError, match="no such folder"):
        create("demo", "writer", tmp_path / "missing")


def test_a_failure_midway_leaves_nothing(tmp_path, monkeypatch):
    written = []
    real = Path.write_text

    def failing(self, text, *args, **kwargs):
        if written:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(UsageError, match=r"cannot create .*gfmdreport-demo: No space left"):
        create("demo", "writer", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_command_line(tmp_path, plugins):
    cli = build_cli(plugins)
    result = CliRunner().invoke(cli, ["plugin", "new", "demo", "--kind", "rule", "--dir",
                                      str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "gfmdreport-demo"
    assert result.stdout.splitlines() == [f"created {folder}", "next:",
                                          f"  pip install -e '{folder}[test]'    # the "
                                          "plugin, with pytest",
                                          f"  python -m pytest {folder}"]
    assert "register_rules" in (folder / "gfmdreport_demo" / "__init__.py").read_text()
    again = CliRunner().invoke(cli, ["plugin", "new", "demo", "--dir", str(tmp_path)])
    assert again.exit_code == 2
    assert again.stderr == (f"gfmdreport: error: {folder} already exists; choose another "
                            f"name or folder\n")


# ---- installed for real ------------------------------------------------------------------

def test_each_kind_installs_and_passes_its_own_tests(tmp_path):
    """What a plugin author does: create, pip install -e, run the tests, list it."""
    packages = [create(f"demo-{kind}", kind, tmp_path) for kind in KINDS]
    python = fresh_venv(tmp_path / "venv")
    pip_install(python, *packages)
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *packages,
                cwd=tmp_path)
    assert "10 passed" in tests.stdout, tests.stdout
    formats = run(python, "-m", "gfmdreport", "formats").stdout
    assert "demo-writer .txt" in formats and "demo-reader .csv" in formats
    listed = run(python, "-m", "gfmdreport", "plugins").stdout
    assert "demo-rule  [gfmdreport-demo-rule 0.1.0]  gfmdreport_demo_rule\n    rules: demo-rule" \
        in listed
    notes = packages[1] / "tests" / "sample.csv"
    text = run(python, "-m", "gfmdreport", "render", notes, "-t", "demo-writer").stdout
    assert text.startswith("GFMD Thematic Workshop on GFMD's contribution to the GCM\n====")
    assert "Question 1: How can the GCM facilitate" in text
