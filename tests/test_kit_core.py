"""What the core does for plugins beyond the hooks' own tests: nested renders, failures
named by plugin, and what `gfmdreport plugins` shows."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from gfmdreport import PluginError
from gfmdreport import SessionSummary
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import render
from gfmdreport.cli import build_cli
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.testing import example_summary


def test_a_writer_that_renders_another_format_sees_the_same_plugins():
    class Inner:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name="inner", write=lambda s, o: b"<" + s.title.encode() + b">"))

    class Outer:
        @hookimpl
        def register_writers(self, register):
            # no plugins= here: the plugins rendering 'outer' must be the ones used
            register(Writer(name="outer", write=lambda s, o: render(s, "inner") * 2))

    plugins = make_plugin_manager(entry_points=False, extra=[("inner", Inner()),
                                                               ("outer", Outer())])
    summary = SessionSummary(title="T")
    assert render(summary, "outer", plugins=plugins) == b"<T><T>"
    with pytest.raises(Exception, match="unknown output format 'inner'"):
        render(summary, "inner")  # outside a render: the installed plugins, without it


def test_a_format_sniffer_that_raises_is_named(tmp_path):
    class Sniffer:
        @hookimpl
        def detect_format(self, path, head):
            raise OSError("cannot sniff")

    plugins = make_plugin_manager(extra=[("sniffer", Sniffer())])
    notes = tmp_path / "notes.yaml"
    notes.write_text("title: x\nbody: []\n")
    with pytest.raises(PluginError) as info:
        load(notes, plugins=plugins)
    assert str(info.value) == "plugin 'sniffer' failed in detect_format: OSError: cannot sniff"


def test_plugins_lists_failures_with_their_reason_and_what_others_provide(tmp_path,
                                                                         monkeypatch):
    (tmp_path / "gfmd_broken.py").write_text("import numpy_that_is_not_there\n")
    info = tmp_path / "gfmd_broken-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gfmd-broken\nVersion: 2.0\n")
    (info / "entry_points.txt").write_text("[gfmdreport]\nbroken = gfmd_broken\n")
    (tmp_path / "gfmd_lang.py").write_text(textwrap.dedent("""
        from gfmdreport import Language, hookimpl

        @hookimpl
        def register_languages(register):
            register(Language(code="de", labels={"question": "Frage"}))
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    import gfmd_lang

    plugins = make_plugin_manager(extra=[("lang", gfmd_lang)])
    result = CliRunner().invoke(build_cli(plugins), ["plugins"])
    assert result.exit_code == 0
    assert ("broken  [gfmd-broken 2.0]  gfmd_broken\n    FAILED: failed to import: "
            "ModuleNotFoundError: No module named 'numpy_that_is_not_there'\n") in result.stdout
    assert "scaffold  [gfmdreport 0.1.0]  gfmdreport.cli.scaffold\n" \
           "    hooks: register_commands\n" in result.stdout
    assert "lang  [(no distribution)]  gfmd_lang\n    languages: de\n" in result.stdout
    assert result.stderr.startswith("gfmdreport: warning: plugin 'broken' (dist gfmd-broken "
                                    "2.0) failed to import: ModuleNotFoundError")
    # the others still work
    assert render(example_summary("minimal"), "json", plugins=plugins).startswith(b"{")
