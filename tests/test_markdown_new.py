"""``gfmdreport new``: a commented notes template to start from."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from gfmdreport import loads
from gfmdreport.cli import build_cli
from gfmdreport.formats.markdown.reader import notes_template
from gfmdreport.labels import labels_for
from gfmdreport.labels import table_headings


@pytest.fixture
def cli(plugins):
    runner = CliRunner()
    command = build_cli(plugins)
    return lambda *args: runner.invoke(command, list(args), catch_exceptions=False)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_template_reads_without_a_single_diagnostic(language):
    summary = loads(notes_template(language, dt.date(2030, 5, 17)), "md", path="notes.md")
    assert not summary.diagnostics
    assert summary.language == language
    assert summary.date == "2030-05-17"
    assert summary.title.startswith("[") and summary.chairs[0].name.startswith("[")
    assert [q.number for q in summary.questions] == [1, 2]
    assert all(q.takeaways for q in summary.questions)
    assert summary.paragraphs[2].items  # the lettered-list example
    assert tuple(c.heading for c in summary.table.columns) == table_headings(language)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_template_uses_the_languages_words(language):
    text = notes_template(language)
    labels = labels_for(language)
    assert f"## {labels['question']} 1" in text
    assert f"## {labels['summary_table']}\n" in text


def test_new_prints_the_template_dated_today(cli):
    result = cli("new")
    assert result.exit_code == 0
    assert f"date: {dt.date.today().isoformat()}" in result.stdout
    assert not loads(result.stdout, "md").diagnostics


def test_new_writes_a_file_and_never_overwrites_without_force(cli, tmp_path):
    path = tmp_path / "notes.md"
    assert cli("new", "-o", str(path), "--language", "fr").exit_code == 0
    assert loads(path.read_bytes(), "md").language == "fr"
    path.write_text("my notes", "utf-8")
    refused = cli("new", "-o", str(path))
    assert refused.exit_code == 2
    assert "already exists; use --force" in refused.stderr
    assert path.read_text("utf-8") == "my notes"
    assert cli("new", "-o", str(path), "--force").exit_code == 0
    assert loads(path.read_bytes(), "md").language == "en"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_new_refuses_a_folder_and_an_unknown_language(cli, tmp_path):
    folder = cli("new", "-o", str(tmp_path))
    assert folder.exit_code == 2 and "is a folder" in folder.stderr
    unknown = cli("new", "--language", "de")
    assert unknown.exit_code == 2 and "de" in unknown.stderr
    assert list(tmp_path.iterdir()) == []
