"""What plugin authors and first-time users meet: what the docs promise, the tool does."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from test_scaffold import fresh_venv
from test_scaffold import pip_install
from test_scaffold import run

from gfmdreport import Reader
from gfmdreport import SessionSummary
from gfmdreport import UsageError
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import load
from gfmdreport import render
from gfmdreport import validate
from gfmdreport.cli import build_cli
from gfmdreport.hooks.manager import make_plugin_manager
from gfmdreport.testing import make_plugins
from gfmdreport.testing import make_summary
from gfmdreport.testing import person
from gfmdreport.testing import summary_from_notes

from conftest import EXAMPLE_YAML
from conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"


class Digest:
    @hookimpl
    def register_writers(self, register):
        register(Writer(name="digest", suffix=".eml.txt", media_type="text/plain",
                        description="An e-mail digest", write=lambda s, o: b"digest"))

    @hookimpl
    def register_readers(self, register):
        register(Reader(name="minutes", suffixes=(".minutes.md",), description="Minutes",
                        read=lambda text, path=None: SessionSummary(title="minutes")))


# ---- suffixes of two parts -----------------------------------------------------------------

def test_an_output_named_with_a_two_part_suffix_picks_its_writer(tmp_path):
    plugins = make_plugins(Digest())
    out = tmp_path / "digest.eml.txt"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(EXAMPLE_YAML), "-o",
                                                     str(out), "--no-validate"])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == b"digest"
    assert plugins.registry.writer_for_name("DIGEST.EML.TXT").name == "digest"
    assert plugins.registry.writer_for_name("notes.txt") is None
    assert plugins.registry.writer_for_name(".eml.txt") is None


def test_an_input_named_with_a_two_part_suffix_picks_its_reader(tmp_path):
    plugins = make_plugins(Digest())
    notes = tmp_path / "session.minutes.md"
    notes.write_text("anything\n")
    assert load(notes, plugins=plugins).title == "minutes"
    plain = tmp_path / "session.md"
    plain.write_text("---\ntitle: notes\n---\n\nA paragraph.\n")
    assert load(plain, plugins=plugins).title == "notes"  # the longest suffix wins


# ---- formats of plugins that are not there -------------------------------------------------

def test_a_format_of_a_plugin_not_installed_says_how_to_install_it():
    plugins = make_plugin_manager(entry_points=False, extra=[])
    with pytest.raises(UsageError) as caught:
        render(SessionSummary(), "pdf", plugins=plugins)
    message = str(caught.value)
    assert "gfmdreport-pdf" in message and "not installed" in message
    assert "pip install ./plugins/gfmdreport-pdf" in message
    assert "unknown output format 'pdf'" in message
    with pytest.raises(UsageError, match=r"^unknown output format 'nope'; available: none$"):
        render(SessionSummary(), "nope", plugins=plugins)


def test_a_blocked_plugin_is_said_to_be_blocked(plugins):
    blocked = make_plugin_manager(block=["pdf"])
    if "pdf" not in {p.name for p in plugins.registry.plugins.values()}:
        pytest.skip("the PDF plugin is not installed here")
    with pytest.raises(UsageError, match=r"gfmdreport-pdf .*which is blocked"):
        render(SessionSummary(), "pdf", plugins=blocked)


def test_an_output_suffix_of_a_missing_plugin_names_the_plugin(tmp_path):
    plugins = make_plugin_manager(entry_points=True, block=["pdf"])
    result = CliRunner().invoke(build_cli(plugins), ["render", str(EXAMPLE_YAML), "-o",
                                                     str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "gfmdreport-pdf" in result.stderr and "give the output format" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_formats_lists_the_known_plugins_that_are_missing():
    plugins = make_plugin_manager(block=["pdf", "akn"])
    out = CliRunner().invoke(build_cli(plugins), ["formats"]).stdout
    missing = out.split("Not available", 1)[1]
    assert re.search(r"^  pdf +\.pdf +the Word report as PDF", missing, re.M)
    assert re.search(r"^  akn +Akoma Ntoso", missing, re.M)
    every = CliRunner().invoke(build_cli(make_plugin_manager()), ["formats"]).stdout
    installed = {p.name for p in make_plugin_manager().registry.plugins.values()}
    assert ("Not available" in every) == (not {"pdf", "akn"} <= installed)


# ---- writing where the folder is missing -----------------------------------------------------

def test_an_output_in_a_missing_folder_says_how_to_make_it(tmp_path, plugins):
    target = tmp_path / "out" / "x.md"
    result = CliRunner().invoke(build_cli(plugins), ["render", str(EXAMPLE_YAML), "-o",
                                                     str(target)])
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "error[io]" in x]
    assert line.endswith(f"(create the folder first: mkdir -p {tmp_path / 'out'})")
    assert not (tmp_path / "out").exists()


# ---- summaries made for tests --------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_make_summary_is_complete_and_valid_in_each_language(language, plugins):
    summary = make_summary(language=language)
    assert validate(summary, plugins=plugins) == []
    assert summary.language == language and summary.table is not None


def test_make_summary_replaces_what_it_is_given(plugins):
    summary = make_summary(title="", chairs=["Dr. Ana Ruiz, Researcher, ILO"],
                           questions=[("Why?", ["Because."]), "How?"],
                           table={"Points of Convergence": ["x"]})
    assert summary.title == ""
    assert summary.chairs[0].display_name == "Dr. Ana Ruiz"
    assert summary.chairs[0].organization == "ILO"
    assert [(q.number, q.text) for q in summary.questions] == [(1, "Why?"), (2, "How?")]
    assert [c.heading for c in summary.table.columns] == ["Points of Convergence"]
    rules = {d.rule for d in validate(summary, plugins=plugins)}
    assert "GFMD201" in rules  # the missing title is found
    body = make_summary(body=["Only a paragraph."]).body
    assert [b.type for b in body] == ["paragraph"]


def test_summary_from_notes_keeps_the_lines(plugins):
    summary = summary_from_notes("""
        ---
        title: Workshop
        ---
        ## Question 1: How?

        - A takeaway
    """)
    assert summary.questions[0].loc.line == 4
    assert summary.questions[0].takeaways[0].loc.line == 6
    assert summary.source == "notes.md"


def test_person_uses_the_readers_recogniser():
    found = person("Ms. Jane Doe, Director of Labour Migration, Ministry of Labour of Ghana")
    assert (found.honorific, found.name, found.role, found.organization) == (
        "Ms.", "Jane Doe", "Director of Labour Migration", "Ministry of Labour of Ghana")


# ---- the guide's exercise, from the guide alone ---------------------------------------------

def _blocks(text: str, marker: str) -> str:
    """The fenced Python block of the guide that starts with the comment ``marker``."""
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        if block.startswith(f"# {marker}\n"):
            return block
    raise AssertionError(f"docs/plugins.md has no block starting '# {marker}'")


def test_the_guides_install_line_installs_pytest_too():
    text = GUIDE.read_text(encoding="utf-8")
    minutes = text.split("## Ten minutes", 1)[1].split("\n## ", 1)[0]
    (install,) = [line for line in minutes.splitlines() if line.startswith("pip install")]
    assert "[test]" in install, install
    project = (ROOT / "gfmdreport/templates/plugin/common/pyproject.toml.tmpl").read_text()
    assert re.search(r'^test = \["pytest', project, re.M)


def test_the_guides_rule_plugin_works_as_written(tmp_path):
    """The third example of docs/plugins.md: scaffold a rule plugin, put the guide's
    module and tests in it, install it, and its tests pass."""
    from gfmdreport.scaffold import create

    text = GUIDE.read_text(encoding="utf-8")
    folder = create("sentences", "rule", tmp_path)
    (folder / "gfmdreport_sentences" / "__init__.py").write_text(
        _blocks(text, "gfmdreport_sentences/__init__.py"))
    (folder / "tests" / "test_gfmdreport_sentences.py").write_text(
        _blocks(text, "tests/test_gfmdreport_sentences.py"))
    python = fresh_venv(tmp_path / "venv")
    pip_install(python, folder)
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder, cwd=tmp_path)
    assert "3 passed" in tests.stdout, tests.stdout


def test_the_quick_starts_one_warning_is_the_one_the_readme_explains(plugins, monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    explained = re.search(r"`examples/gcm-cluster-3\.yaml:(\d+):(\d+): warning\[(\w+)\]",
                          quick.replace("\n", " "))
    assert explained, "the Quick start explains its warning"
    result = CliRunner().invoke(build_cli(plugins), ["render", "examples/gcm-cluster-3.yaml",
                                                     "-t", "md"])
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    line, column, rule = explained.groups()
    assert warning.startswith(f"examples/gcm-cluster-3.yaml:{line}:{column}: "
                              f"warning[{rule}]: ")


def test_the_quick_start_has_two_set_up_commands_the_second_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick, flags=re.S)
    assert len(commands) == 2, commands
    first, second = (c.strip() for c in commands)
    assert first.startswith("python3 -m venv .venv") and " render examples/" in first
    tested = quick.split("<!-- test-command -->", 1)[1]
    assert tested.lstrip().startswith("```sh\n" + second)
    assert second.startswith("python3 -m venv .venv") and "pytest" in second
