"""``gfmdreport validate``, ``gfmdreport rules`` and validation before ``render``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import jsonschema
import pytest
from click.testing import CliRunner

from gfmdreport.cli import build_cli
from gfmdreport.rules import RULES

from conftest import EXAMPLE_YAML
from conftest import ROOT

FIXTURES = ROOT / "tests" / "rules"
FOUR = FIXTURES / "four-problems.yaml"


@pytest.fixture(scope="module")
def cli():
    from gfmdreport.hooks.manager import make_plugin_manager

    return build_cli(make_plugin_manager())


def run(cli, *args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


@pytest.fixture
def folder(tmp_path):
    """Three notes files, one hidden folder and one file no reader knows."""
    (tmp_path / "b").mkdir()
    shutil.copy(FOUR, tmp_path / "b" / "four.yaml")
    shutil.copy(EXAMPLE_YAML, tmp_path / "a-seed.yaml")
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "b" / "clean.yml")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("not: [a summary")
    (tmp_path / "README.txt").write_text("notes live here")
    return tmp_path


def test_the_four_problems_in_one_run(cli):
    result = run(cli, "validate", FOUR)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{FOUR}:2:1: error[GFMD101]: the session has no chair (add 'chairs:' with the "
        "chair's name, honorific, role and organization)",
        f"{FOUR}:5:7: error[GFMD206]: the session ends at 10:30, before it starts at 12:30 "
        "(did you mean 10:30-12:30?)",
        f"{FOUR}:14:5: error[GFMD104]: question 1 has no takeaways (list the main points "
        "of its discussion under it)",
        f"{FOUR}:21:9: error[GFMD107]: table column 'Practical Recommendations' has no "
        "items (list its points, or write what the discussion left open)",
        "Checked 1 file: 4 errors, 0 warnings.",
    ]


def test_seed_example_passes_with_a_warning_and_strict_fails_it(cli):
    result = run(cli, "validate", EXAMPLE_YAML)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Checked 1 file: 0 errors, 1 warning."
    assert re.match(rf"{re.escape(str(EXAMPLE_YAML))}:214:13: warning\[GFMD301\]",
                    result.stdout)
    strict = run(cli, "validate", "--strict", EXAMPLE_YAML)
    assert strict.exit_code == 1
    assert "error[GFMD301]" in strict.stdout
    assert strict.stdout.splitlines()[-1] == "Checked 1 file: 1 error, 0 warnings."


def test_a_folder_is_checked_file_by_file_in_order(cli, folder):
    result = run(cli, "validate", folder)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    paths = [line.split(":")[0] for line in lines[:-1]]
    assert paths == sorted(paths)
    assert set(paths) == {str(folder / "a-seed.yaml"), str(folder / "b" / "four.yaml")}
    assert lines[-1] == "Checked 3 files: 4 errors, 1 warning."


def test_unreadable_files_are_reported_and_the_run_goes_on(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n")
    unknown = tmp_path / "notes.docz"
    unknown.write_text("x")
    result = run(cli, "validate", broken, tmp_path / "missing.yaml", unknown, FOUR)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{broken}:1:8: error[yaml-syntax]" in out
    assert f"{tmp_path / 'missing.yaml'}: error[io]: no such file" in out
    assert f"{unknown}: error[usage]: cannot tell the input format" in out
    assert out.count("[GFMD") == 4
    assert out.splitlines()[-1] == "Checked 4 files: 7 errors, 0 warnings."
    assert "Traceback" not in result.output


def test_json_output_has_the_documented_shape(cli, folder):
    result = run(cli, "validate", "--format", "json", folder, FOUR)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    schema_text = re.search(r"### JSON output.*?```json\n(.*?)```",
                            (ROOT / "docs" / "rules.md").read_text(), re.S).group(1)
    jsonschema.validate(report, json.loads(schema_text))
    assert report["summary"] == {"files": 4, "errors": 8, "warnings": 1, "infos": 0}
    counts = {str(folder / "a-seed.yaml"): (0, 1), str(folder / "b" / "clean.yml"): (0, 0),
              str(folder / "b" / "four.yaml"): (4, 0), str(FOUR): (4, 0)}
    # files in the order given: a folder's files in path order, then the next argument
    assert [f["path"] for f in report["files"]] == list(counts)
    assert {f["path"]: (f["errors"], f["warnings"]) for f in report["files"]} == counts
    seed = [d for d in report["diagnostics"] if d["path"] == str(folder / "a-seed.yaml")]
    assert seed == [{"path": str(folder / "a-seed.yaml"), "line": 214, "column": 13,
                     "severity": "warning", "rule": "GFMD301",
                     "message": seed[0]["message"], "hint": seed[0]["hint"]}]
    # diagnostics sorted by file and line
    assert report["diagnostics"] == sorted(
        report["diagnostics"], key=lambda d: (d["path"], d["line"] or 0, d["column"] or 0))


def test_json_shape_rejects_what_it_should(cli):
    """The documented schema is strict enough to catch a wrong report."""
    schema = json.loads(re.search(r"### JSON output.*?```json\n(.*?)```",
                                  (ROOT / "docs" / "rules.md").read_text(), re.S).group(1))
    report = json.loads(run(cli, "validate", "--format", "json", FOUR).stdout)
    report["diagnostics"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema)


def test_github_annotations(cli, tmp_path):
    weird = tmp_path / "a,b.yaml"
    shutil.copy(FOUR, weird)
    result = run(cli, "validate", "--format", "github", weird, EXAMPLE_YAML)
    lines = result.stdout.splitlines()
    escaped = str(weird).replace(",", "%2C")
    assert f"::error file={escaped},line=5,col=7,title=GFMD206::the session ends at " \
           f"10:30, before it starts at 12:30 (did you mean 10:30-12:30?)" in lines
    assert any(line.startswith(f"::warning file={EXAMPLE_YAML},line=214,col=13,"
                               f"title=GFMD301::") for line in lines)
    assert lines[-1] == "Checked 2 files: 4 errors, 1 warning."


def test_usage_errors_exit_2(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(cli, "validate", tmp_path / "empty")
    assert result.exit_code == 2
    assert "no notes to check in this folder" in result.stderr
    assert run(cli, "validate", "--format", "xml", FOUR).exit_code == 2
    assert run(cli, "validate", "--from", "nope", FOUR).exit_code == 2
    assert run(cli, "validate").exit_code == 2


def test_standard_input(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = FOUR.read_text()
    result = run(cli, "validate", "--from", "yaml", "-", input=text)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:2:1: error[GFMD101]")
    (tmp_path / "gfmdreport.toml").write_text('disable = ["GFMD1"]\n')
    quiet = run(cli, "validate", "--from", "yaml", "-",
                input="# gfmdreport: disable=time-range\n" + text)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == "Checked 1 file: 0 errors, 0 warnings.\n"
    assert run(cli, "validate", "-", input=text).exit_code == 2


def test_config_option_and_discovery(cli, tmp_path):
    notes = tmp_path / "notes.yaml"
    shutil.copy(FOUR, notes)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gfmdreport.severity]\nGFMD1 = "warning"\nbogus-rule = "off"\n')
    result = run(cli, "validate", notes)
    assert result.exit_code == 1  # the time range is still an error
    assert result.stdout.count("warning[GFMD1") == 3
    assert f"{tmp_path / 'pyproject.toml'}:3:1: warning[config]: 'bogus-rule' names no " \
           "rule" in result.stdout
    other = tmp_path / "strict.toml"
    other.write_text('[severity]\nall = "warning"\n')
    assert run(cli, "validate", "--config", other, notes).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("severity = [\n")
    broken = run(cli, "validate", "--config", bad, notes)
    assert broken.exit_code == 2
    assert f"{bad}:2:1: error[config]: invalid TOML" in broken.stderr
    assert run(cli, "validate", "--config", tmp_path / "nope.toml", notes).exit_code == 2


def test_config_warning_is_printed_once_for_many_files(cli, tmp_path):
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        shutil.copy(FIXTURES / "base.yaml", tmp_path / name)
    (tmp_path / "gfmdreport.toml").write_text('disabel = ["GFMD301"]\n')
    result = run(cli, "validate", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.count("unknown setting 'disabel'") == 1


# ---- rules --------------------------------------------------------------------------------

def test_rules_lists_every_rule(cli):
    result = run(cli, "rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    assert re.fullmatch(r"GFMD101\s+no-chair\s+error\s+rules\s+The session has a chair\.",
                        lines[0])
    listed = json.loads(run(cli, "rules", "--json").stdout)
    assert [r["id"] for r in listed] == sorted(r.id for r in RULES)
    assert listed[7] == {"id": "GFMD108", "name": "table-headings", "severity": "warning",
                         "plugin": "rules", "description": RULES[7].description}


def test_a_third_party_rule_installed_as_a_distribution(tmp_path, monkeypatch):
    """A rule plugin found through its entry point (a dist-info on sys.path, as an
    installed distribution has) runs in validate and is listed by rules."""
    (tmp_path / "house_rules.py").write_text(textwrap.dedent('''
        from gfmdreport import Finding, Rule, Severity, hookimpl

        def no_acronyms(summary):
            for number, block in summary.numbered():
                if number and "GCM" in block.text:
                    yield Finding(f"paragraph {number} uses 'GCM'", block.loc,
                                  "write 'Global Compact for Migration'")

        @hookimpl
        def register_rules(register):
            register(Rule("HOUSE001", no_acronyms, "Acronyms are spelt out.",
                          Severity.WARNING, "no-acronyms"))
    '''))
    dist = tmp_path / "house_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: house-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[gfmdreport]\nhouse = house_rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from gfmdreport.hooks.manager import make_plugin_manager

    cli = build_cli(make_plugin_manager())
    listing = run(cli, "rules").stdout
    assert re.search(r"^HOUSE001\s+no-acronyms\s+warning\s+house\s+Acronyms are spelt out\.$",
                     listing, re.M)
    notes = tmp_path / "notes.yaml"
    notes.write_text(FIXTURES.joinpath("base.yaml").read_text().replace(
        "chaired by Mr. Ola Henrikson.", "chaired by Mr. Ola Henrikson for the GCM."))
    result = run(cli, "validate", notes)
    assert f"{notes}:18:5: warning[HOUSE001]: paragraph 1 uses 'GCM'" in result.stdout
    (tmp_path / "gfmdreport.toml").write_text('disable = ["HOUSE"]\n')
    assert "HOUSE001" not in run(cli, "validate", notes).stdout


# ---- render validates first ------------------------------------------------------------------

def test_render_stops_on_errors_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "out.md"
    result = run(cli, "render", FOUR, "-o", out)
    assert result.exit_code == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    validated = run(cli, "validate", FOUR).stdout.splitlines()[:-1]
    assert result.stderr.splitlines() == [
        *validated, f"{FOUR}: not rendered: 4 error(s); fix them or use --no-validate"]


def test_render_no_validate_and_warnings(cli, tmp_path):
    out = tmp_path / "out.md"
    assert run(cli, "render", FOUR, "-o", out, "--no-validate").exit_code == 0
    assert out.read_text().startswith("---")
    seed = run(cli, "render", EXAMPLE_YAML, "-t", "md")
    assert seed.exit_code == 0
    assert "warning[GFMD301]" in seed.stderr and "Henrikson" in seed.stdout


def test_render_follows_the_configuration(cli, tmp_path):
    notes = tmp_path / "notes.yaml"
    shutil.copy(FOUR, notes)
    (tmp_path / "gfmdreport.toml").write_text('[severity]\nall = "warning"\n')
    result = run(cli, "render", notes, "-t", "md")
    assert result.exit_code == 0
    assert result.stderr.count("warning[GFMD") == 4
    other = tmp_path / "errors.toml"
    other.write_text('disable = []\n')
    assert run(cli, "render", notes, "-t", "md", "--config", other).exit_code == 1
    stdin = run(cli, "render", "-", "--from", "yaml", "-t", "md",
                input="# gfmdreport: disable=GFMD1, GFMD2\n" + FOUR.read_text())
    assert stdin.exit_code == 0, stdin.output


def test_the_installed_command(tmp_path):
    """The real entry point, in a fresh process: exit status and streams."""
    result = subprocess.run([sys.executable, "-m", "gfmdreport", "validate",
                             "--format", "github", str(FOUR)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stdout.count("::error ") == 4
    assert result.stderr == ""


def test_named_text_files_are_read_but_folders_skip_them(plugins, tmp_path):
    """.txt is read when named (legacy text) but not picked up from a folder."""
    (tmp_path / "README.txt").write_text("notes live here")
    (tmp_path / "notes.yaml").write_text("title: T\nbody: []\n")
    registry = plugins.registry
    assert registry.reader_for_suffix(".txt").name == "text"
    assert registry.reader_for_suffix(".txt", in_folder=True) is None
    assert ".txt" not in registry.folder_suffixes()
    result = CliRunner().invoke(build_cli(plugins), ["validate", str(tmp_path / "README.txt")])
    assert "README.txt:1:1: error" in result.output


# ---- folders are searched as batch searches them ------------------------------------------

def test_validate_and_batch_find_the_same_files(plugins, tmp_path, monkeypatch):
    """Hidden names, links in and out, a loop, a link to nothing, letter case and
    suffixes no folder search takes: validate DIR checks exactly what batch converts."""
    from gfmdreport.cli.validate import collect_inputs
    from gfmdreport.discover import discover
    from gfmdreport.discover import reader_names

    monkeypatch.chdir(tmp_path)
    src = tmp_path / "src"
    for name in ("a.yaml", "B.YML", "c.md", "d.txt", "e.docx", ".hidden.yaml",
                 ".git/f.yaml", "sub/g.json", "sub/deeper/h.markdown"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE_YAML, src / name)
    outside = tmp_path / "outside.yaml"
    shutil.copy(EXAMPLE_YAML, outside)
    (src / "out.yaml").symlink_to(outside)
    (src / "in.yaml").symlink_to(src / "sub" / "g.json")
    (src / "sub" / "loop").symlink_to(src)
    (src / "gone.yaml").symlink_to(tmp_path / "nothing.yaml")
    (src / "etc").symlink_to("/etc")
    batch = [s.path for s in discover(["src"], reader_names(plugins.registry))]
    notices = []
    validate = collect_inputs(["src"], plugins, notices)
    assert batch == [
        "src/B.YML", "src/a.yaml", "src/c.md", "src/in.yaml", "src/sub/deeper/h.markdown",
        "src/sub/g.json"]
    # the same file reached twice (in.yaml is sub/g.json) is checked once
    assert validate == [p for p in batch if p != "src/sub/g.json"]
    assert sorted((n.rule, n.location.path) for n in notices) == [
        ("broken-symlink", "src/gone.yaml"), ("symlink-outside", "src/etc"),
        ("symlink-outside", "src/out.yaml")]


def test_validate_does_not_follow_links_out_of_its_folder(cli, tmp_path):
    (tmp_path / "notes").mkdir()
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "notes" / "a.yaml")
    secret = tmp_path / "private.yaml"
    secret.write_text(FIXTURES.joinpath("base.yaml").read_text() + "password: hunter2\n")
    (tmp_path / "notes" / "private.yaml").symlink_to(secret)
    (tmp_path / "notes" / "passwd.yaml").symlink_to("/etc/passwd")
    result = run(cli, "validate", tmp_path / "notes")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "password" not in out and "hunter2" not in out and "root:" not in out
    assert f"{tmp_path / 'notes' / 'private.yaml'}: warning[symlink-outside]: symbolic " \
           "link not followed: it points outside the source folder" in out
    assert out.splitlines()[-1] == "Checked 1 file: 0 errors, 2 warnings."
    named = run(cli, "validate", tmp_path / "notes" / "private.yaml")  # named: taken
    assert "unknown-key" in named.stdout or "password" in named.stdout


def test_a_file_swapped_for_a_link_after_the_search_is_not_read(plugins, tmp_path):
    from gfmdreport.cli.validate import _check_found
    from gfmdreport.cli.validate import collect_inputs

    (tmp_path / "notes").mkdir()
    notes = tmp_path / "notes" / "a.yaml"
    shutil.copy(FIXTURES / "base.yaml", notes)
    found = {}
    (path,) = collect_inputs([str(tmp_path / "notes")], plugins, [], found)
    notes.unlink()
    notes.symlink_to("/etc/passwd")  # after the search, before the read
    (diag,) = _check_found(found[path], path, None, plugins, None)
    assert diag.rule == "symlink-outside"
    assert str(diag) == (f"{notes}: error[symlink-outside]: not read: the symbolic link "
                         "a.yaml leads outside its source folder (copy the file into the "
                         "folder, or give it as a source of its own)")


def test_an_unreadable_folder_is_an_error(cli, tmp_path, monkeypatch):
    from test_batch import unreadable

    (tmp_path / "notes" / "locked").mkdir(parents=True)
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "notes" / "a.yaml")
    shutil.copy(FIXTURES / "base.yaml", tmp_path / "notes" / "locked" / "b.yaml")
    unreadable(monkeypatch, tmp_path / "notes" / "locked")
    result = run(cli, "validate", tmp_path / "notes")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'notes' / 'locked'}: error[unreadable-folder]: folder not searched: "
        "Permission denied; the files in it are left out (give yourself read and search "
        "permission on it with chmod u+rx, or move it out of the source folder)",
        "Checked 1 file: 1 error, 0 warnings."]
    unreadable(monkeypatch, tmp_path / "notes")  # the folder itself: no file, one error
    alone = run(cli, "validate", "--format", "json", tmp_path / "notes")
    assert alone.exit_code == 1
    report = json.loads(alone.stdout)
    assert report["summary"] == {"files": 0, "errors": 1, "warnings": 0, "infos": 0}
    assert report["diagnostics"][0]["rule"] == "unreadable-folder"


# ---- many files at once --------------------------------------------------------------------

def _many(tmp_path, count=30):
    folder = tmp_path / "notes"
    folder.mkdir()
    text = (ROOT / "examples" / "gcm-cluster-3.md").read_text()
    for i in range(count):
        (folder / f"s{i:02d}.md").write_text(text.replace("venue:", "venu:") if i in (3, 17)
                                            else text)
    (folder / "gfmdreport.toml").write_text('disable = ["GFMD301"]\n')
    return folder


def _run(*args):
    return subprocess.run([sys.executable, "-m", "gfmdreport", "validate", *map(str, args)],
                          capture_output=True, text=True)


def test_jobs_give_the_same_report_as_one_process(tmp_path):
    folder = _many(tmp_path)
    alone = _run("-j", "1", folder)
    together = _run("-j", "3", folder)
    assert alone.returncode == together.returncode == 1
    assert together.stdout == alone.stdout
    assert alone.stdout.count("error[unknown-key]") == 2
    assert alone.stdout.endswith("Checked 30 files: 2 errors, 0 warnings.\n")
    explicit = _run("-j", "2", "--config", folder / "gfmdreport.toml", "--format", "json",
                    folder)
    assert json.loads(explicit.stdout)["summary"]["errors"] == 2


def test_a_worker_that_dies_fails_only_its_file(tmp_path, monkeypatch):
    """A worker killed while checking (out of memory, say) is reported for the file it
    held; every other file is checked, by the workers that take over."""
    from gfmdreport import pipeline
    from gfmdreport.cli import validate as module

    folder = _many(tmp_path, 8)
    real = module._check_one

    def dies_on_s05(task, plugins):
        if task[0].endswith("s05.md"):
            os._exit(9)
        return real(task, plugins)

    monkeypatch.setattr(module, "_check_one", dies_on_s05)  # inherited by forked workers
    result = CliRunner().invoke(build_cli(pipeline.default_plugins()),
                                ["validate", "-j", "2", str(folder)])
    assert result.exit_code == 1
    died = [line for line in result.stdout.splitlines() if "worker-died" in line]
    assert len(died) == 1 and "s05.md" in died[0]
    assert "(exit status 9)" in died[0]
    assert f"{folder / 's03.md'}:13:1: error[unknown-key]" in result.stdout
    assert result.stdout.endswith("Checked 8 files: 2 errors, 0 warnings.\n")


def test_a_broken_configuration_found_beside_the_notes(cli, tmp_path):
    """As docs/rules.md says: validate reports a broken settings file it found as an
    error of the run (exit 1, at its line); render stops with exit 2."""
    notes = tmp_path / "notes.yaml"
    shutil.copy(FIXTURES / "base.yaml", notes)
    (tmp_path / "gfmdreport.toml").write_text("disable = [\n")
    checked = run(cli, "validate", notes)
    assert checked.exit_code == 1
    assert f"{tmp_path / 'gfmdreport.toml'}:2:1: error[config]: invalid TOML" in checked.stdout
    rendered = run(cli, "render", notes, "-t", "md")
    assert rendered.exit_code == 2 and "error[config]: invalid TOML" in rendered.stderr
    assert rendered.stdout == ""
