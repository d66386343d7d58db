"""Plugin discovery, registration, isolation and every hook."""

from __future__ import annotations

import dataclasses
import json
import textwrap

import click
import pytest
from click.testing import CliRunner

from gfmdreport import Finding
from gfmdreport import PluginError
from gfmdreport import Reader
from gfmdreport import RegistryError
from gfmdreport import Rule
from gfmdreport import SessionSummary
from gfmdreport import UsageError
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport import validate
from gfmdreport.cli import build_cli
from gfmdreport.hooks.manager import make_plugin_manager

from conftest import EXAMPLE_YAML

BUILTINS = {"yaml", "json", "markdown"}


def write_fake_dist(root, dist, module, body, entry_name=None, version="1.2"):
    """A plugin distribution as an installer leaves it: a module and a *.dist-info."""
    (root / f"{module}.py").write_text(textwrap.dedent(body))
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[gfmdreport]\n{entry_name or dist} = {module}\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_builtins_come_from_entry_points(plugins):
    infos = plugins.registry.plugins
    assert set(infos) >= BUILTINS
    assert {infos[n].dist for n in BUILTINS} == {"gfmdreport"}
    assert set(plugins.registry.readers) >= {"yaml", "json"}
    assert set(plugins.registry.writers) >= {"yaml", "json", "md"}
    assert plugins.registry.readers["yaml"].plugin == "yaml"


def test_a_plugin_in_a_fake_dist_info_is_discovered(site, example):
    write_fake_dist(site, "gfmd-shout", "gfmd_shout", """
        from gfmdreport import Writer, hookimpl

        def write(summary, options):
            return summary.title.upper().encode()

        @hookimpl
        def register_writers(register):
            register(Writer(name="shout", write=write, suffix=".txt",
                            media_type="text/plain", description="Title in capitals"))
    """, entry_name="shout")
    plugins = make_plugin_manager()
    info = plugins.registry.plugins["shout"]
    assert (info.dist, info.version, info.writers) == ("gfmd-shout", "1.2", ["shout"])
    assert render(example, "shout", plugins=plugins) == example.title.upper().encode()


def test_a_plugin_that_fails_to_import_is_recorded_not_fatal(site):
    write_fake_dist(site, "gfmd-broken", "gfmd_broken", "raise ImportError('no numpy here')\n")
    plugins = make_plugin_manager()
    info = plugins.registry.plugins["gfmd-broken"]
    assert info.error == "failed to import: ImportError: no numpy here"
    assert "yaml" in plugins.registry.readers
    result = CliRunner().invoke(build_cli(plugins), ["plugins", "--json"])
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert listed["gfmd-broken"]["error"].startswith("failed to import")
    assert "plugin 'gfmd-broken' (dist gfmd-broken 1.2) failed to import" in result.stderr


def test_a_plugin_that_raises_while_registering_is_left_out(site):
    write_fake_dist(site, "gfmd-half", "gfmd_half", """
        from gfmdreport import Writer, hookimpl

        @hookimpl
        def register_writers(register):
            register(Writer(name="half", write=lambda s, o: b""))
            raise RuntimeError("config missing")
    """)
    plugins = make_plugin_manager()
    info = plugins.registry.plugins["gfmd-half"]
    assert info.error == "failed in register_writers: RuntimeError: config missing"
    assert "half" not in plugins.registry.writers


def test_a_duplicate_format_names_both_plugins(site):
    write_fake_dist(site, "gfmd-json2", "gfmd_json2", """
        from gfmdreport import Writer, hookimpl

        @hookimpl
        def register_writers(register):
            register(Writer(name="json", write=lambda s, o: b"{}"))
    """)
    with pytest.raises(RegistryError) as info:
        make_plugin_manager()
    message = str(info.value)
    assert "writer 'json' is provided by both plugin 'gfmd-json2'" in message or \
        "writer 'json' is provided by both plugin 'json'" in message
    assert "gfmd-json2" in message and "(dist gfmdreport" in message
    # Blocking the built-in lets the third-party writer take its name.
    plugins = make_plugin_manager(block=["json"])
    assert plugins.registry.writers["json"].plugin == "gfmd-json2"


def test_blocking_by_environment(monkeypatch):
    monkeypatch.setenv("GFMDREPORT_BLOCK", "markdown, yaml")
    plugins = make_plugin_manager()
    assert "md" not in plugins.registry.writers
    assert "yaml" not in plugins.registry.readers
    assert "json" in plugins.registry.writers


def test_registering_a_wrong_object_is_refused():
    class Bad:
        @hookimpl
        def register_writers(self, register):
            register({"name": "dict-writer"})

    with pytest.raises(RegistryError, match="registered dict as a writer"):
        make_plugin_manager(entry_points=False, extra=[("bad", Bad())])


# ---- one test per hook ----------------------------------------------------------------------

def test_hook_register_readers(example):
    class Upper:
        @hookimpl
        def register_readers(self, register):
            register(Reader(name="upper", suffixes=(".up",),
                            read=lambda text, path=None: SessionSummary(title=text.strip())))

    plugins = make_plugin_manager(entry_points=False, extra=[("upper", Upper())])
    assert loads("Hello", "upper", plugins=plugins).title == "Hello"
    assert plugins.registry.reader_for_suffix(".UP").name == "upper"


def test_hook_register_writers(example):
    class Count:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name="count", write=lambda s, o: str(len(s.body)).encode()))

    plugins = make_plugin_manager(entry_points=False, extra=[("count", Count())])
    assert render(example, "count", plugins=plugins) == b"10"


def test_hook_register_rules(example):
    class NeedsVenue:
        @hookimpl
        def register_rules(self, register):
            register(Rule(id="X001", description="venue must mention Geneva",
                          check=lambda s: [] if "Geneva" in s.venue else
                          [Finding("the venue is not in Geneva", s.location_of("venue"))]))

    plugins = make_plugin_manager(entry_points=False, extra=[("geneva", NeedsVenue())])
    (found,) = validate(example, plugins=plugins)
    assert str(found).endswith(":13:8: error[X001]: the venue is not in Geneva")
    assert validate(example, plugins=plugins, config={"X001": "off"}) == []
    (warned,) = validate(example, plugins=plugins, config={"X001": "warning"})
    assert warned.severity.value == "warning"


def test_hook_detect_format(tmp_path):
    class Sniffer:
        @hookimpl
        def detect_format(self, path, head):
            return "yaml" if head.startswith(b"# session notes") else None

    plugins = make_plugin_manager(extra=[("sniffer", Sniffer())])
    notes = tmp_path / "notes.txt"
    notes.write_text("# session notes\ntitle: Sniffed\nbody: []\n")
    assert load(notes, plugins=plugins).title == "Sniffed"
    other = tmp_path / "other.notes"
    other.write_text("title: x\n")
    with pytest.raises(UsageError, match="cannot tell the input format"):
        load(other, plugins=plugins)


def test_hook_prepare_summary():
    class Anonymise:
        @hookimpl
        def prepare_summary(self, summary):
            return dataclasses.replace(summary, chairs=())

    class Retitle:
        @hookimpl
        def prepare_summary(self, summary):
            # sees the previous hook's result
            return dataclasses.replace(summary, title=f"{summary.title} ({len(summary.chairs)})")

    class Nothing:
        @hookimpl
        def prepare_summary(self, summary):
            return None

    plugins = make_plugin_manager(extra=[("anon", Anonymise()), ("retitle", Retitle()),
                                         ("nothing", Nothing())])
    summary = load(EXAMPLE_YAML, plugins=plugins)
    assert summary.chairs == ()
    # pluggy calls the last registered first: retitle sees the chair, then anon runs
    assert summary.title.endswith("GCM (1)")
    assert summary.body == load(EXAMPLE_YAML).body


def test_hook_register_commands(plugins):
    class Hello:
        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            @click.argument("name")
            def hello(name):
                """Say hello."""
                click.echo(f"hello {name}")

    extended = make_plugin_manager(extra=[("hello", Hello())])
    result = CliRunner().invoke(build_cli(extended), ["hello", "world"])
    assert result.exit_code == 0
    assert result.stdout == "hello world\n"


# ---- isolation ------------------------------------------------------------------------------

def test_a_writer_that_raises_is_named(example):
    class Crash:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name="crash", write=lambda s, o: 1 / 0))

    plugins = make_plugin_manager(extra=[("crasher", Crash())])
    with pytest.raises(PluginError) as info:
        render(example, "crash", plugins=plugins)
    assert str(info.value) == ("plugin 'crasher' failed in render crash: "
                               "ZeroDivisionError: division by zero")
    result = CliRunner().invoke(build_cli(plugins), ["render", str(EXAMPLE_YAML), "-t",
                                                     "crash", "-o", "-", "--no-validate"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("gfmdreport: error: plugin 'crasher' failed in render "
                                     "crash: ZeroDivisionError: division by zero")


def test_a_reader_that_raises_is_named():
    class Crash:
        @hookimpl
        def register_readers(self, register):
            register(Reader(name="crashy", read=lambda text, path=None: {}["x"]))

    plugins = make_plugin_manager(extra=[("crashy-plugin", Crash())])
    with pytest.raises(PluginError, match="plugin 'crashy-plugin' failed in reader 'crashy': "
                                          "KeyError"):
        loads("x", "crashy", plugins=plugins)


def test_a_rule_that_raises_becomes_a_warning(example):
    class Crash:
        @hookimpl
        def register_rules(self, register):
            register(Rule(id="crash-rule", description="d", check=lambda s: [][1]))

    plugins = make_plugin_manager(extra=[("rules-x", Crash())])
    found = [d for d in validate(example, plugins=plugins) if d.rule == "plugin-error"]
    assert [d.message for d in found] == [
        "plugin 'rules-x' failed in rule crash-rule: IndexError: list index out of range"]


def test_plugins_json_lists_the_builtins(plugins):
    result = CliRunner().invoke(build_cli(plugins), ["plugins", "--json"])
    assert result.exit_code == 0
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert listed["yaml"]["readers"] == ["yaml"] and listed["yaml"]["writers"] == ["yaml"]
    assert listed["markdown"]["writers"] == ["md"]
    assert listed["json"]["dist"] == "gfmdreport"
    assert "detect_format" in listed["json"]["hooks"]
