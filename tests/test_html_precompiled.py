"""The built-in page templates, shipped compiled (gfmdreport/formats/html/compiled/):
loaded instead of compiled when they are current, compiled from source when the template
or Jinja2 has changed, the same page either way, and kept up to date by this suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2 import FileSystemLoader

from gfmdreport import render
from gfmdreport.formats.html import page
from gfmdreport.formats.html import precompiled


@pytest.fixture
def compiled(monkeypatch):
    """The names of the templates Jinja2 compiles from now on."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


@pytest.fixture
def fresh():
    """A new process's built-in environment: call it to start one."""
    page.builtin_environment.cache_clear()
    yield page.builtin_environment.cache_clear
    page.builtin_environment.cache_clear()


def shipped(name: str) -> dict:
    """The KEY and Jinja2 version a shipped compiled module records."""
    path = precompiled.FOLDER / f"{precompiled.module_name(name)}.py"
    namespace: dict = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("KEY = "):
            namespace["KEY"] = line.split(" = ", 1)[1].strip("'\"")
    return namespace


def test_the_shipped_modules_are_compiled_from_the_templates_as_they_are(tmp_path):
    """Run ``python tools/precompile_html.py`` after changing a built-in
    template (or Jinja2), and commit what it writes."""
    environment = page.template_environment(FileSystemLoader(precompiled.HERE))
    fresh_copies = precompiled.generate(environment, tmp_path)
    assert len(fresh_copies) == len(precompiled.TEMPLATES)
    for path in fresh_copies:
        ours = precompiled.FOLDER / path.name
        assert ours.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{ours} is out of date: python tools/precompile_html.py")


def test_the_page_is_rendered_from_the_shipped_modules(fresh, compiled, example):
    assert render(example, "html").startswith(b"<!DOCTYPE html>")
    assert compiled == []  # nothing compiled: both templates came compiled
    environment = page.builtin_environment()
    for name in (page.PAGE_TEMPLATE, page.FRAGMENT_TEMPLATE):
        module = environment.get_template(name).filename
        assert Path(module).parent == precompiled.FOLDER


def test_a_new_process_compiles_nothing(example):
    code = ("import jinja2, sys\n"
            "def refuse(*a, **k): raise SystemExit('compiled ' + str(a[2]))\n"
            "jinja2.Environment.compile = refuse\n"
            "from gfmdreport import load, render\n"
            f"sys.stdout.buffer.write(render(load({str(example.source)!r}), 'html'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == render(example, "html")


def test_the_same_page_compiled_or_precompiled(fresh, compiled, example, monkeypatch):
    shipped_page = render(example, "html")
    shipped_fragment = render(example, "html", fragment=True)
    monkeypatch.setattr(precompiled.PrecompiledLoader, "compiled",
                        lambda self, environment, name: None)
    fresh()
    assert render(example, "html") == shipped_page
    assert render(example, "html", fragment=True) == shipped_fragment
    assert sorted(compiled) == sorted(precompiled.TEMPLATES)


# ---- compiled again when what the code depends on has changed ------------------------------------

@pytest.fixture
def templates(tmp_path, monkeypatch, request):
    """A copy of the built-in templates and their compiled modules, in a package of its
    own: (folder of the templates, package folder, environment loading them)."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in precompiled.TEMPLATES:
        shutil.copy(precompiled.HERE / name, folder / name)
    name = f"copied_{abs(hash(request.node.nodeid))}"
    package = tmp_path / "site" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    precompiled.generate(page.template_environment(FileSystemLoader(folder)), package)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))

    def environment():
        return page.template_environment(precompiled.PrecompiledLoader(folder, name))

    return folder, package, environment


def test_current_modules_are_used(templates, compiled):
    _, package, environment = templates
    assert environment().get_template("summary.html.j2").filename == \
        str(package / "summary_html_j2.py")
    assert compiled == []


def test_a_changed_template_is_compiled_from_its_source(templates, compiled, example):
    folder, _, environment = templates
    template = folder / "summary.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<header class="summary-header">', '<header class="summary-header changed">'),
        encoding="utf-8")
    env = environment()
    html = env.get_template("summary.html.j2").render(page.context(example))
    assert '<header class="summary-header changed">' in html
    assert compiled == ["summary.html.j2"]
    env.get_template("page.html.j2")
    assert compiled == ["summary.html.j2"]  # the unchanged one still comes compiled


def test_another_jinja2_compiles_from_source(templates, compiled, monkeypatch):
    *_, environment = templates
    monkeypatch.setattr(jinja2, "__version__", "99.0.0")
    environment().get_template("page.html.j2")
    assert compiled == ["page.html.j2"]


def test_other_settings_compile_from_source(templates, compiled):
    *_, environment = templates
    env = environment()
    env.trim_blocks = False
    env.get_template("page.html.j2")
    assert compiled == ["page.html.j2"]


def test_a_module_missing_or_without_key_is_compiled_from_source(templates, compiled):
    _, package, environment = templates
    (package / "page_html_j2.py").unlink()
    module = package / "summary_html_j2.py"
    module.write_text(module.read_text(encoding="utf-8").replace("KEY = ", "OTHER = "),
                      encoding="utf-8")
    env = environment()
    env.get_template("page.html.j2")
    env.get_template("summary.html.j2")
    assert sorted(compiled) == ["page.html.j2", "summary.html.j2"]


def test_nothing_is_written_at_run_time(tmp_path, example, fresh):
    home = tmp_path / "home"
    home.mkdir()
    before = sorted(precompiled.FOLDER.rglob("*"))
    code = ("from gfmdreport import load, render\n"
            f"render(load({str(example.source)!r}), 'html')\n")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert list(home.iterdir()) == []
    assert sorted(precompiled.FOLDER.rglob("*")) == before


def test_the_key_names_what_the_code_depends_on():
    environment = page.template_environment(FileSystemLoader(precompiled.HERE))
    key = precompiled.template_key(environment, "page.html.j2", "x")
    assert precompiled.template_key(environment, "page.html.j2", "x") == key
    assert precompiled.template_key(environment, "page.html.j2", "y") != key
    assert precompiled.template_key(environment, "other.j2", "x") != key
    sandboxed = page.template_environment(FileSystemLoader(precompiled.HERE))
    sandboxed.__class__ = type("Sandboxed", (type(sandboxed),), {})
    assert precompiled.template_key(sandboxed, "page.html.j2", "x") != key
    assert shipped("page.html.j2")["KEY"] == precompiled.template_key(
        environment, "page.html.j2", (precompiled.HERE / "page.html.j2").read_text(
            encoding="utf-8"))
