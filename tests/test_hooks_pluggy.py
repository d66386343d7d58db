"""Hooks are called through pluggy, so what pluggy promises holds for every hook: an
implementation may take a subset of the arguments, may be a ``wrapper=True`` generator,
and ``tryfirst``/``trylast`` order the calls; and each failure is still attributed to its
plugin."""

from __future__ import annotations

import ast
import dataclasses

import click
import pytest
from click.testing import CliRunner

from gfmdreport import GfmdError
from gfmdreport import PluginError
from gfmdreport import Reader
from gfmdreport import Rule
from gfmdreport import SessionSummary
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport import validate
from gfmdreport.cli import build_cli
from gfmdreport.testing import make_plugins

from conftest import EXAMPLE_YAML
from conftest import ROOT

# ---- wrappers ---------------------------------------------------------------------------------


def test_a_prepare_summary_wrapper_runs_and_changes_nothing_by_itself():
    class Passthrough:
        @hookimpl(wrapper=True)
        def prepare_summary(self, summary):
            return (yield)

    plugins = make_plugins(Passthrough())
    assert load(EXAMPLE_YAML, plugins=plugins) == load(EXAMPLE_YAML)


def test_a_wrapper_sees_and_may_replace_its_plugins_result():
    seen = []

    class Stamp:
        @hookimpl
        def prepare_summary(self, summary):
            return dataclasses.replace(summary, title="stamped")

        # one plugin, two implementations of one hook: pluggy's ``specname``
        @hookimpl(wrapper=True, specname="prepare_summary")
        def around(self, summary):
            results = yield
            seen.append([r.title for r in results])
            return [dataclasses.replace(r, venue="Geneva") for r in results]

    summary = load(EXAMPLE_YAML, plugins=make_plugins(Stamp()))
    assert seen == [["stamped"]]
    assert (summary.title, summary.venue) == ("stamped", "Geneva")


def test_register_hooks_accept_wrappers_with_argument_subsets():
    calls = []

    class Wrapped:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name="wrapped", write=lambda s, o: b"w"))

        @hookimpl(wrapper=True, specname="register_writers")
        def around_writers(self, register):
            calls.append("writers")
            return (yield)

        @hookimpl(wrapper=True, specname="register_readers")
        def around_readers(self):
            calls.append("readers")
            return (yield)

        @hookimpl(wrapper=True, specname="register_rules")
        def around_rules(self, register):
            calls.append("rules")
            return (yield)

        @hookimpl(wrapper=True, specname="register_commands")
        def around_commands(self, cli):
            calls.append("commands")
            return (yield)

    plugins = make_plugins(Wrapped())
    assert not plugins.registry.failures()
    assert sorted(calls) == ["readers", "rules", "writers"]
    assert render(SessionSummary(), "wrapped", plugins=plugins) == b"w"
    build_cli(plugins)
    assert calls[-1] == "commands"


def test_a_detect_format_wrapper_may_override_the_answer(tmp_path):
    class Override:
        @hookimpl
        def detect_format(self, head):
            return None

        @hookimpl(wrapper=True, specname="detect_format")
        def around(self, path):
            answer = yield
            return "yaml" if path.suffix == ".notes" else answer

    notes = tmp_path / "x.notes"
    notes.write_text("title: Wrapped\nbody: []\n")
    assert load(notes, plugins=make_plugins(Override())).title == "Wrapped"


# ---- argument subsets ----------------------------------------------------------------------


def test_implementations_may_take_no_arguments():
    class Bare:
        @hookimpl
        def prepare_summary(self):
            return None

        @hookimpl
        def detect_format(self):
            return None

        @hookimpl
        def register_rules(self):
            pass

        @hookimpl
        def register_commands(self):
            pass

    plugins = make_plugins(Bare())
    assert not plugins.registry.failures()
    assert load(EXAMPLE_YAML, plugins=plugins) == load(EXAMPLE_YAML)
    build_cli(plugins)


def test_detect_format_may_take_only_the_head(tmp_path):
    class HeadOnly:
        @hookimpl
        def detect_format(self, head):
            return "yaml" if head.startswith(b"#!notes") else None

    notes = tmp_path / "x.unknown"
    notes.write_text("#!notes\ntitle: By head\nbody: []\n")
    assert load(notes, plugins=make_plugins(HeadOnly())).title == "By head"


# ---- order ------------------------------------------------------------------------------------


def test_tryfirst_and_trylast_order_the_prepare_chain():
    order = []

    def step(label):
        def impl(summary):
            order.append(label)
            return dataclasses.replace(summary, title=f"{summary.title}>{label}")
        return impl

    class First:
        prepare_summary = staticmethod(hookimpl(tryfirst=True)(step("first")))

    class Middle:
        prepare_summary = staticmethod(hookimpl(step("middle")))

    class Last:
        prepare_summary = staticmethod(hookimpl(trylast=True)(step("last")))

    plugins = make_plugins(("last", Last()), ("first", First()), ("middle", Middle()),
                           only=["yaml"])
    summary = loads("title: T\nbody: []\n", "yaml", plugins=plugins)
    assert order == ["first", "middle", "last"]
    assert summary.title == "T>first>middle>last"


def test_tryfirst_detect_format_answers_before_others(tmp_path):
    class Late:
        @hookimpl
        def detect_format(self, path):
            return "json"

    class Early:
        @hookimpl(tryfirst=True)
        def detect_format(self, path):
            return "yaml"

    notes = tmp_path / "x.whatever"
    notes.write_text("title: Early wins\nbody: []\n")
    plugins = make_plugins(("early", Early()), ("late", Late()))
    assert load(notes, plugins=plugins).title == "Early wins"


# ---- attribution ------------------------------------------------------------------------------


def test_a_failing_wrapper_is_attributed_to_its_plugin():
    class Broken:
        @hookimpl(wrapper=True)
        def prepare_summary(self, summary):
            yield
            raise RuntimeError("boom")

    with pytest.raises(PluginError, match=r"broken.*prepare_summary.*boom"):
        load(EXAMPLE_YAML, plugins=make_plugins(("broken", Broken())))


def test_a_failing_sniffer_is_attributed_to_its_plugin(tmp_path):
    class Sniff:
        @hookimpl
        def detect_format(self, path, head):
            raise ValueError("cannot sniff")

    notes = tmp_path / "x.yaml"
    notes.write_text("title: x\nbody: []\n")
    with pytest.raises(GfmdError, match=r"sniff.*detect_format.*cannot sniff"):
        load(notes, plugins=make_plugins(("sniff", Sniff())))


def test_a_plugin_failing_in_a_register_hook_is_left_out_and_the_others_stay():
    class Bad:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name="half", write=lambda s, o: b""))
            raise RuntimeError("no more")

        @hookimpl
        def register_readers(self, register):
            register(Reader(name="bad", read=lambda text, path=None: SessionSummary()))

    class Good:
        @hookimpl
        def register_rules(self, register):
            register(Rule(id="X900", description="none", check=lambda s: []))

    plugins = make_plugins(("bad", Bad()), ("good", Good()))
    assert "half" not in plugins.registry.writers
    assert "bad" not in plugins.registry.readers
    assert "X900" in plugins.registry.rules
    (failed,) = plugins.registry.failures()
    assert failed.name == "bad" and "no more" in failed.error
    assert validate(load(EXAMPLE_YAML), plugins=plugins) is not None


def test_plugins_extend_the_command_line_through_pluggy():
    class Hello:
        @hookimpl(trylast=True)
        def register_commands(self, cli):
            @cli.command()
            def hello():
                click.echo("hello")

    result = CliRunner().invoke(build_cli(make_plugins(Hello())), ["hello"])
    assert result.output == "hello\n"


# ---- no hook is called around pluggy ------------------------------------------------------------


def test_no_hook_implementation_is_called_directly():
    """Every call of a hook goes through pluggy (``pm.hook``, ``subset_hook_caller``):
    nothing in the package calls ``impl.function`` of a hook implementation."""
    offenders = []
    for path in (ROOT / "gfmdreport").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "function" and \
                    isinstance(node.value, ast.Name) and "impl" in node.value.id:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
