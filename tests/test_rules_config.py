"""Configuration of the rules: files found upward, selectors, severities, and the
``gfmdreport: disable=`` comments."""

from __future__ import annotations

import shutil

import pytest

from gfmdreport import Severity
from gfmdreport import UsageError
from gfmdreport import load
from gfmdreport import validate
from gfmdreport.config import Config
from gfmdreport.config import ConfigError
from gfmdreport.config import directives
from gfmdreport.config import find_config
from gfmdreport.config import load_config
from gfmdreport.rules import RULES

from conftest import ROOT

FIXTURES = ROOT / "tests" / "rules"
RULE = {r.id: r for r in RULES}


def rules(path, plugins, **kwargs) -> list[tuple[str, str, int | None]]:
    return [(d.rule, d.severity.value, d.location.line)
            for d in validate(load(path, plugins=plugins), plugins=plugins, **kwargs)]


@pytest.fixture
def project(tmp_path):
    """A folder of notes two levels below the project root."""
    notes = tmp_path / "notes" / "2017"
    notes.mkdir(parents=True)
    shutil.copy(FIXTURES / "four-problems.yaml", notes / "cluster-3.yaml")
    return tmp_path


def test_no_configuration_means_defaults(project):
    assert find_config(project / "notes" / "2017" / "cluster-3.yaml") == Config()


def test_pyproject_table_is_found_upward(project, plugins):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.gfmdreport]\ndisable = ["GFMD104"]\n\n'
        '[tool.gfmdreport.severity]\nempty-table-column = "warning"\n')
    notes = project / "notes" / "2017" / "cluster-3.yaml"
    assert find_config(notes).path == str(project / "pyproject.toml")
    assert rules(notes, plugins) == [("GFMD101", "error", 2), ("GFMD206", "error", 5),
                                     ("GFMD107", "warning", 21)]


def test_nearest_file_wins_and_gfmdreport_toml_before_pyproject(project, plugins):
    (project / "gfmdreport.toml").write_text('disable = ["all"]\n')
    sub = project / "notes"
    (sub / "pyproject.toml").write_text('[tool.gfmdreport]\ndisable = ["GFMD101"]\n')
    notes = sub / "2017" / "cluster-3.yaml"
    assert find_config(notes).path == str(sub / "pyproject.toml")
    (sub / "gfmdreport.toml").write_text('disable = ["GFMD2"]\n')
    assert find_config(notes).path == str(sub / "gfmdreport.toml")
    assert [r for r, _, _ in rules(notes, plugins)] == ["GFMD101", "GFMD104", "GFMD107"]


def test_pyproject_without_a_table_is_passed_over(project):
    (project / "gfmdreport.toml").write_text('disable = ["GFMD101"]\n')
    (project / "notes" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    found = find_config(project / "notes" / "2017" / "cluster-3.yaml")
    assert found.path == str(project / "gfmdreport.toml")


@pytest.mark.parametrize(("settings", "want"), [
    ({"disable": ("all",)}, None),
    ({"disable": ("GFMD1",)}, None),
    ({"disable": ("GFMD1",), "enable": ("no-chair",)}, Severity.ERROR),
    ({"disable": ("no-chair",), "enable": ("GFMD1",)}, None),  # the more specific wins
    ({"disable": ("GFMD101",), "enable": ("no-chair",)}, Severity.ERROR),  # tie: enable
    ({"severity": {"GFMD1": "warning"}}, Severity.WARNING),
    ({"severity": {"GFMD1": "warning", "no-chair": "info"}}, Severity.INFO),
    ({"severity": {"all": "off"}}, None),
    ({"disable": ("GFMD2",)}, Severity.ERROR),
])
def test_selectors(settings, want):
    assert Config(**settings).resolve(RULE["GFMD101"]) is want


def test_a_disable_comment_beats_the_configuration():
    config = Config(enable=("no-chair",)).silencing(["GFMD101"])
    assert config.resolve(RULE["GFMD101"]) is None


def test_unknown_setting_and_rule_are_warnings_at_their_line(project, plugins):
    (project / "gfmdreport.toml").write_text(
        '# settings\ndisabled = ["GFMD104"]\n\n[severity]\nno-chiar = "warning"\n')
    notes = project / "notes" / "2017" / "cluster-3.yaml"
    got = [d for d in validate(load(notes), plugins=plugins) if d.rule == "config"]
    where = str(project / "gfmdreport.toml")
    assert [(d.location.path, d.location.line, d.location.column, d.message) for d in got] == [
        (where, 2, 1, "unknown setting 'disabled'"),
        (where, 5, 1, "'no-chiar' names no rule"),
    ]
    assert got[0].hint == "did you mean 'disable'?"


@pytest.mark.parametrize(("text", "line", "message"), [
    ('disable = ["GFMD101"\n', 2, "invalid TOML"),
    ('disable = "GFMD101"\nenable = 3\n', 2, "'enable' must be a list"),
    ('[severity]\nGFMD101 = "fatal"\n', 2, "must be one of error, warning, info, off"),
    ('severity = "error"\n', 1, "'severity' must be a table"),
])
def test_broken_configuration_is_an_error_with_its_line(tmp_path, text, line, message):
    path = tmp_path / "gfmdreport.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (problem,) = info.value.diagnostics
    assert problem.location.path == str(path)
    assert problem.location.line == line
    assert message in problem.message
    assert info.value.exit_code == 2


def test_a_single_string_is_one_selector(tmp_path):
    path = tmp_path / "gfmdreport.toml"
    path.write_text('disable = "GFMD101"\n')
    assert load_config(path).disable == ("GFMD101",)


def test_configuration_is_reread_when_it_changes(tmp_path):
    path = tmp_path / "gfmdreport.toml"
    path.write_text('disable = ["GFMD101"]\n')
    assert load_config(path).disable == ("GFMD101",)
    path.write_text('disable = ["GFMD102", "GFMD103"]\n')
    assert load_config(path).disable == ("GFMD102", "GFMD103")


# ---- disable comments -------------------------------------------------------------------

def test_directive_forms():
    text = ("# gfmdreport: disable=GFMD301\n"
            "title: x  # gfmdreport: disable = no-chair, GFMD2\n"
            "<!-- gfmdreport: disable=split-hyphen -->\n"
            "  #gfmdreport:disable=GFMD3 GFMD1\n"
            "the word gfmdreport: disable=GFMD101 in prose is no comment\n")
    found = [(s, loc.line, loc.column) for s, loc in directives(text, "n.md")]
    assert found == [("GFMD301", 1, 23), ("no-chair", 2, 35), ("GFMD2", 2, 45),
                     ("split-hyphen", 3, 26), ("GFMD3", 4, 23), ("GFMD1", 4, 29)]
    lines = text.splitlines()
    for selector, loc in directives(text, "n.md"):
        assert lines[loc.line - 1][loc.column - 1:].startswith(selector)


def test_a_disable_comment_silences_rules_for_its_file(tmp_path, plugins):
    text = (FIXTURES / "four-problems.yaml").read_text()
    path = tmp_path / "notes.yaml"
    path.write_text("# gfmdreport: disable=no-chair, GFMD104\n" + text)
    assert [r for r, _, _ in rules(path, plugins)] == ["GFMD206", "GFMD107"]
    other = tmp_path / "other.yaml"
    other.write_text(text)
    assert [r for r, _, _ in rules(other, plugins)] == [
        "GFMD101", "GFMD206", "GFMD104", "GFMD107"]


def test_a_disable_comment_naming_no_rule_is_a_warning_there(tmp_path, plugins):
    path = tmp_path / "notes.yaml"
    path.write_text("# gfmdreport: disable=GFMD101,GFMD999\n" +
                    (FIXTURES / "four-problems.yaml").read_text())
    got = validate(load(path), plugins=plugins)
    assert (got[0].rule, got[0].severity, got[0].location.line, got[0].location.column,
            got[0].message) == ("config", Severity.WARNING, 1, 31, "'GFMD999' names no rule")
    assert "GFMD101" not in {d.rule for d in got}


def test_a_file_cannot_turn_off_a_security_rule_for_itself(tmp_path, plugins):
    path = tmp_path / "notes.yaml"
    text = (FIXTURES / "four-problems.yaml").read_text().replace(
        "title: ", "title: \u202eevil\u202c ", 1)
    path.write_text("# gfmdreport: disable=GFMD308, GFMD101\n" + text)
    got = validate(load(path), plugins=plugins)
    assert "GFMD308" in {d.rule for d in got} and "GFMD101" not in {d.rule for d in got}
    (note,) = [d for d in got if d.rule == "config"]
    assert (note.location.line, note.location.column) == (1, 23)
    assert "cannot turn off security rule GFMD308 (bidi-control)" in note.message


def test_configuration_may_turn_a_security_rule_off_and_says_so(tmp_path, plugins):
    (tmp_path / "gfmdreport.toml").write_text('disable = ["GFMD308"]\n')
    path = tmp_path / "notes.yaml"
    path.write_text((FIXTURES / "four-problems.yaml").read_text().replace(
        "title: ", "title: \u202eevil\u202c ", 1))
    got = validate(load(path), plugins=plugins)
    assert "GFMD308" not in {d.rule for d in got}
    (note,) = [d for d in got if d.rule == "config"]
    assert note.severity is Severity.INFO
    assert str(note.location) == f"{tmp_path / 'gfmdreport.toml'}:1:12"
    assert "security rule GFMD308 (bidi-control) is turned off" in note.message


def test_text_given_in_memory_is_searched_too(plugins):
    from gfmdreport import loads

    text = (FIXTURES / "four-problems.yaml").read_text()
    summary = loads(text, "yaml", path="<stdin>")
    assert len(validate(summary, plugins=plugins)) == 4
    assert len(validate(summary, plugins=plugins,
                        text="# gfmdreport: disable=GFMD1\n" + text)) == 1


def test_a_mapping_still_configures(plugins):
    path = FIXTURES / "four-problems.yaml"
    assert rules(path, plugins, config={"GFMD101": "Warning", "time-range": "off"}) == [
        ("GFMD101", "warning", 2), ("GFMD104", "error", 14), ("GFMD107", "error", 21)]
    with pytest.raises(UsageError, match="must be one of error, warning, info, off"):
        validate(load(path), plugins=plugins, config={"GFMD101": "warn"})



def test_a_tool_table_written_inline_is_found(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool]\ngfmdreport = { disable = ["GFMD101"] }\n')
    assert find_config(tmp_path / "notes.yaml").disable == ("GFMD101",)
