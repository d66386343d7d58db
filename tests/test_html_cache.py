"""The built-in page templates' compiled code, kept in a per-user cache: used when it is
there, compiled again when the template, Jinja2 or Python changes, and never taken from
a folder or file someone else could have written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from gfmdreport import render
from gfmdreport.formats.html import cache, page


@pytest.fixture
def compiled(monkeypatch):
    """Counts the templates Jinja2 compiles (by name) from now on."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A new process's view of the built-in templates, with its cache under tmp_path:
    call it to get the folder the compiled templates are kept in."""
    root = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(root))

    def start() -> Path:
        page.builtin_environment.cache_clear()
        return root / "templates"

    yield start
    page.builtin_environment.cache_clear()


def builtin_names() -> list[str]:
    """The built-in templates, as Jinja2 names them when it compiles them."""
    return sorted(name.removeprefix(page.BUILTIN_PREFIX) for name in
                  (page.PAGE_TEMPLATE, page.FRAGMENT_TEMPLATE))


def test_the_second_run_loads_the_compiled_templates(fresh, compiled, example):
    folder = fresh()
    first = render(example, "html")
    assert sorted(compiled) == builtin_names()
    assert len(list(folder.glob("*.code"))) == 2
    compiled.clear()
    fresh()
    assert render(example, "html") == first
    assert compiled == []  # nothing compiled: the code came from the cache


def test_the_cache_is_used_by_a_new_process(fresh, example, tmp_path):
    fresh()
    render(example, "html")
    code = ("import jinja2, sys\n"
            "def refuse(*a, **k): raise SystemExit('compiled ' + str(a[2]))\n"
            "jinja2.Environment.compile = refuse\n"
            "from gfmdreport import load, render\n"
            f"sys.stdout.buffer.write(render(load({str(example.source)!r}), 'html'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            env={**os.environ}, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == render(example, "html")


def test_the_folder_is_the_users_alone(fresh, example):
    folder = fresh()
    render(example, "html")
    for path in (folder.parent, folder):
        st = os.lstat(path)
        assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
        assert stat.S_IMODE(st.st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


# ---- compiled again when what the code depends on changes -------------------------------------

def cached_environment(folder: Path, templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True,
                              bytecode_cache=cache.PrivateBytecodeCache(folder))


def test_a_changed_template_is_compiled_again(tmp_path, compiled):
    folder = cache.private_folder(tmp_path / "cache")
    (tmp_path / "t").mkdir()
    template = tmp_path / "t" / "page.j2"
    template.write_text("one {{ x }}", encoding="utf-8")
    assert cached_environment(folder, tmp_path / "t").get_template(
        "page.j2").render(x=1) == "one 1"
    assert cached_environment(folder, tmp_path / "t").get_template(
        "page.j2").render(x=2) == "one 2"
    assert compiled == ["page.j2"]
    template.write_text("two {{ x }}", encoding="utf-8")
    assert cached_environment(folder, tmp_path / "t").get_template(
        "page.j2").render(x=3) == "two 3"
    assert compiled == ["page.j2", "page.j2"]


def test_another_jinja2_or_other_settings_compile_again(fresh, compiled, example,
                                                          monkeypatch):
    fresh()
    render(example, "html")
    assert len(compiled) == 2
    monkeypatch.setattr(jinja2, "__version__", "99.0.0")
    fresh()
    render(example, "html")
    assert len(compiled) == 4  # a new Jinja2 never runs the old one's code
    environment = page.builtin_environment()
    key = cache.environment_key(environment)
    environment.trim_blocks = False
    assert cache.environment_key(environment) != key


# ---- never code someone else could have written ------------------------------------------------

def planted(fresh, example, compiled):
    """Fill the cache, and give back its files."""
    folder = fresh()
    render(example, "html")
    compiled.clear()
    return sorted(folder.glob("*.code"))


def test_a_damaged_file_is_compiled_again_and_rewritten(fresh, example, compiled):
    files = planted(fresh, example, compiled)
    expected = render(example, "html")
    data = files[0].read_bytes()
    damaged = data[:-10] + bytes(10)  # the same length, the wrong content
    files[0].write_bytes(damaged)
    fresh()
    assert render(example, "html") == expected
    assert len(compiled) == 1  # the damaged one, not run but compiled again …
    assert files[0].read_bytes() != damaged
    compiled.clear()
    fresh()
    render(example, "html")
    assert compiled == []  # … and written anew


@pytest.mark.parametrize("mode", [0o620, 0o602], ids=["group-writable", "world-writable"])
def test_a_file_others_can_write_is_not_used(fresh, example, compiled, mode):
    files = planted(fresh, example, compiled)
    for path in files:
        os.chmod(path, mode)
    fresh()
    render(example, "html")
    assert sorted(compiled) == builtin_names()


def test_a_file_of_another_user_is_not_used(fresh, example, compiled, monkeypatch):
    assert planted(fresh, example, compiled)
    real = os.getuid()
    fresh()
    monkeypatch.setattr(cache.os, "getuid", lambda: real + 1)  # the files are not "ours"
    assert cache.bytecode_cache() is None  # nor is the folder: no cache at all
    monkeypatch.setattr(cache, "private_folder", lambda root: root / "templates")
    fresh()
    render(example, "html")
    assert sorted(compiled) == builtin_names()


@pytest.mark.parametrize("how", ["group-writable", "world-writable", "symlink"])
def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch, how):
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    if how == "symlink":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        (root / "templates").symlink_to(elsewhere)
    else:
        (root / "templates").mkdir()
        os.chmod(root / "templates", 0o770 if how == "group-writable" else 0o777)
    assert cache.private_folder(root) is None
    monkeypatch.setenv(cache.CACHE_ENV, str(root))
    assert cache.bytecode_cache() is None


def test_a_shared_parent_folder_is_not_used(tmp_path):
    root = tmp_path / "cache"
    root.mkdir()
    os.chmod(root, 0o777)
    assert cache.private_folder(root) is None


def test_the_cache_can_be_turned_off_or_moved(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert cache.cache_root() is None and cache.bytecode_cache() is None
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "gfmdreport"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not a place: the home folder's
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "gfmdreport"


def test_no_cache_folder_is_no_failure(fresh, example, compiled, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked))
    page.builtin_environment.cache_clear()
    assert render(example, "html").startswith(b"<!DOCTYPE html>")
    assert sorted(compiled) == builtin_names()
