"""The Markdown notes reader through the pipeline and the command line: the seed's
session as notes, locations, diagnostics, awkward bytes and big files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gfmdreport import InputError
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SummaryTable
from gfmdreport import load
from gfmdreport import loads
from gfmdreport import validate
from gfmdreport.cli import build_cli
from gfmdreport.formats.markdown.reader import read
from gfmdreport.inline import runs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_MD = ROOT / "examples" / "gcm-cluster-3.md"
EXAMPLE_YAML = ROOT / "examples" / "gcm-cluster-3.yaml"
GOLDEN = Path(__file__).parent / "golden" / "markdown"


@pytest.fixture
def cli(plugins):
    runner = CliRunner()
    command = build_cli(plugins)
    return lambda *args: runner.invoke(command, list(args), catch_exceptions=False)


def test_example_notes_give_the_yaml_example(example):
    notes = load(EXAMPLE_MD)
    assert notes == example
    assert notes.to_dict() == example.to_dict()
    assert not notes.diagnostics


def test_render_example_notes_to_json_equals_the_yaml_example(cli):
    from_md = cli("render", str(EXAMPLE_MD), "-t", "json")
    from_yaml = cli("render", str(EXAMPLE_YAML), "-t", "json")
    assert from_md.exit_code == 0 and from_yaml.exit_code == 0
    # the reader has nothing to say; validation, only the seed's damaged table cell
    (warning,) = from_md.stderr.splitlines()
    assert warning.startswith(f"{EXAMPLE_MD}:175:1: warning[GFMD301]: item 1 of column "
                              f"'Practical Recommendations' is only 'U'")
    assert from_md.stdout_bytes == from_yaml.stdout_bytes
    assert json.loads(from_md.stdout)["session"].startswith("GCM Cluster 3: International")


def test_render_notes_to_markdown_twice_gives_the_same_bytes(cli, tmp_path):
    once, twice = tmp_path / "once.md", tmp_path / "twice.md"
    assert cli("render", str(EXAMPLE_MD), "-o", str(once)).exit_code == 0
    assert cli("render", str(once), "-o", str(twice)).exit_code == 0
    assert once.read_bytes() == twice.read_bytes()


def test_example_blocks_point_at_their_lines():
    summary = load(EXAMPLE_MD)
    lines = EXAMPLE_MD.read_text("utf-8").split("\n")

    def line(loc):
        assert loc.path == str(EXAMPLE_MD)
        return lines[loc.line - 1]

    for number, block in summary.numbered():
        if isinstance(block, Question):
            assert line(block.loc).startswith(f"## Question {block.number}: ")
            for item in block.takeaways:
                assert line(item.loc).startswith("- " + item.text[:40])
        elif isinstance(block, Paragraph):
            assert line(block.loc) == block.text[:len(line(block.loc))], number
            for item in block.items:
                assert line(item.loc).startswith("- ")
        elif isinstance(block, SummaryTable):
            assert line(block.loc) == "## Summary table"
            for column in block.columns:
                assert line(column.loc) == "### " + column.heading
        else:
            assert line(block.loc) == "## " + block.text
    for key in ("title", "session", "date", "time", "venue", "language"):
        assert line(summary.location_of(key)).startswith(key + ":")
    assert line(summary.chairs[0].loc).strip().startswith("honorific: Mr.")
    assert line(summary.rapporteurs[1].loc).strip() == "- honorific: Ms."


def test_metadata_from_a_header_points_at_it():
    summary = read((GOLDEN / "no-front-matter.md").read_text("utf-8"), "n.md")
    assert [(k, str(summary.locations[k])) for k in ("title", "session", "date", "time",
                                                      "venue")] == [
        ("title", "n.md:1:3"), ("session", "n.md:3:1"), ("date", "n.md:7:1"),
        ("time", "n.md:7:19"), ("venue", "n.md:7:31")]


def test_reader_warnings_reach_validate_and_the_cli(plugins, cli):
    source = GOLDEN / "warn-structure.md"
    summary = load(source, plugins=plugins)
    found = validate(summary, plugins=plugins)
    assert {d.rule for d in summary.diagnostics} <= {d.rule for d in found}
    result = cli("render", str(source), "-t", "json", "--no-validate")
    assert result.exit_code == 0
    assert f"{source}:31:1: warning[block-quote]: a block quote is read as ordinary text" \
        in result.stderr
    result = cli("render", str(source), "-t", "json")
    assert result.exit_code == 1  # a question without takeaways is an error (GFMD104)
    assert f"{source}:1:1: error[GFMD104]" in result.stderr
    assert f"{source}:31:1: warning[block-quote]" in result.stderr


def test_unreadable_notes_fail_with_every_problem_and_write_nothing(cli, tmp_path):
    out = tmp_path / "out.json"
    result = cli("render", str(GOLDEN / "error-structure.md"), "-o", str(out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[0].rsplit(":", 2)[1] for line in lines] == ["1", "9", "11", "15"]
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_front_matter_errors_are_those_of_the_yaml_reader():
    """The same metadata mistakes give the same messages in YAML and in front matter,
    at the same place in the front matter."""
    meta = "titel: x\ndate: 6 Septober 2017\nchair:\n  nme: Ola\n"
    with pytest.raises(InputError) as in_yaml:
        loads(meta + "body: []\n", "yaml")
    with pytest.raises(InputError) as in_md:
        loads("---\n" + meta + "---\n\nText.\n", "md")
    shift = [(d.rule, d.message, d.location.line + 1, d.location.column)
             for d in in_yaml.value.diagnostics]
    assert shift == [(d.rule, d.message, d.location.line, d.location.column)
                     for d in in_md.value.diagnostics]
    assert len(shift) == 4


CRLF_NOTES = ("---\ntitle: T\n---\n\n\tAn indented line.\n\n## Question 1: Q?\n\n"
              "-\tone,\n\t-\tnested with a tab\n- two\n")


def test_crlf_bom_and_tabs_read_like_plain_notes():
    plain = loads(CRLF_NOTES, "md", path="n.md")
    raw = b"\xef\xbb\xbf" + CRLF_NOTES.replace("\n", "\r\n").encode("utf-8")
    awkward = loads(raw, "md", path="n.md")
    assert awkward == plain
    assert [b.loc for b in awkward.body] == [b.loc for b in plain.body]
    assert read("\ufeff" + CRLF_NOTES.replace("\n", "\r\n")) == plain
    assert plain.questions[0].takeaways[0].items[0].text == "nested with a tab"
    assert plain.paragraphs[0].text == "An indented line."
    assert [d.rule for d in plain.diagnostics] == ["code-block"]
    assert str(plain.diagnostics[0].location) == "n.md:5:2"


def test_raw_html_stays_text():
    summary = read('<script>alert("x")</script> and <b>bold</b>\n')
    (paragraph,) = summary.paragraphs
    assert [r.text for r in runs(paragraph.text)] == [
        '<script>alert("x")</script> and <b>bold</b>']
    assert [d.rule for d in summary.diagnostics] == ["raw-html"]


def test_inline_markup_is_kept_for_the_writers():
    summary = load(EXAMPLE_MD)
    second = summary.paragraphs[1]
    bold = [r.text for r in runs(second.text) if r.bold]
    assert bold == ["Mr. Ola Henrikson"]


def test_title_from_a_heading_is_plain_text():
    summary = read("# **GFMD** Workshop \\#3 &amp; more\n\n2017-09-06\n\nText.\n")
    assert summary.title == "GFMD Workshop #3 & more"
    assert summary.date == "2017-09-06"


@pytest.mark.parametrize(("line", "date", "time", "venue", "language"), [
    ("6 September 2017, 10:30-12:30, Hotel Savoyen", "2017-09-06", "10:30-12:30",
     "Hotel Savoyen", "en"),
    ("Wednesday, September 6, 2017 – 10:30 am to 12:30 pm, Room 3", "2017-09-06",
     "10:30-12:30", "Room 3", "en"),
    ("6 septembre 2017, 10h30–12h30, Salle 3", "2017-09-06", "10:30-12:30", "Salle 3", "fr"),
    ("6 de septiembre de 2017, 10.30-12.30", "2017-09-06", "10:30-12:30", "", "es"),
    ("2017-09-06", "2017-09-06", "", "", "en"),
    ("6 Sept. 2017; Geneva", "2017-09-06", "", "Geneva", "en"),
    ("6 September 2017, 10 Downing Street", "2017-09-06", "", "10 Downing Street", "en"),
])
def test_date_lines(line, date, time, venue, language):
    summary = read(f"# Title\n\n{line}\n\nText.\n")
    assert (summary.date, summary.time, summary.venue, summary.language) == (
        date, time, venue, language)
    assert [p.text for p in summary.paragraphs] == ["Text."]


@pytest.mark.parametrize("text", ["6 apples were eaten, 10:30-12:30.",
                                  "6 September 2017 was the day the workshop opened.",
                                  "6 September 2017, the Chair opened the working session.",
                                  "In a long paragraph\nof four lines\nor more\nnot a header\n"
                                  "6 September 2017, 10:30, it ends."])
def test_a_line_that_is_not_a_date_stays_a_paragraph(text):
    summary = read(f"# Title\n\n{text}\n")
    assert summary.date == ""
    assert [p.text for p in summary.paragraphs] == [" ".join(text.split("\n"))]


def test_too_deep_nesting_is_an_error_not_a_crash():
    notes = "Text.\n\n" + "".join("  " * i + "- x\n" for i in range(80))
    with pytest.raises(InputError) as caught:
        read(notes, "deep.md")
    assert [d.rule for d in caught.value.diagnostics if d.severity == "error"] == ["too-deep"]


def test_many_unclosed_comments_warn_once():
    summary = read("Text <!-- one\n\n" * 2000)
    assert [d.rule for d in summary.diagnostics] == ["comment"]
    assert len(summary.paragraphs) == 2000


def test_large_notes(tmp_path):
    """A few MB of notes (the benchmark reads 20 MB): read whole, nothing lost."""
    text = EXAMPLE_MD.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    body = body[:body.index("<!-- The closing table")]
    copies = 3_000_000 // len(body.encode()) + 1
    path = tmp_path / "big.md"
    path.write_text(head + "\n---\n" + body * copies, "utf-8")
    summary = load(path)
    assert len(summary.questions) == 3 * copies
    assert not summary.diagnostics
    numbers = [n for n, _ in summary.numbered() if n]
    assert numbers[-1] == len(summary.paragraphs) == 5 * copies
    lines = path.read_text("utf-8").split("\n")
    last = summary.questions[-1]
    assert lines[last.loc.line - 1].startswith(f"## Question {last.number}: ")
    assert last.loc.line > len(lines) - body.count("\n")


def test_markdown_suffixes(tmp_path, plugins):
    path = tmp_path / "notes.markdown"
    path.write_text("## Question 1: Q?\n\n- A.\n", "utf-8")
    assert load(path, plugins=plugins).questions[0].text == "Q?"
    assert plugins.registry.reader_for_suffix(".md").name == "md"


def test_plugins_load_without_the_markdown_machinery():
    code = ("import sys\nfrom gfmdreport.hooks.manager import make_plugin_manager\n"
            "p = make_plugin_manager()\nassert 'md' in p.registry.readers\n"
            "print(sorted(m for m in sys.modules if m.startswith(('markdown_it', "
            "'gfmdreport.formats.markdown.notes'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def _doc_examples() -> list[str]:
    text = (ROOT / "docs" / "notes-format.md").read_text("utf-8")
    return [block.split("\n", 1)[1] for block in text.split("```markdown")[1:]
            for block in [block.split("\n```", 1)[0] + "\n"]]


def test_docs_examples_read_as_documented():
    examples = _doc_examples()
    short, header, lettered, question, columns, pipe, full = examples
    summary = read(short)
    assert not summary.diagnostics
    assert [b.type for b in summary.body] == ["paragraph", "question", "table"]
    assert len(summary.questions[0].takeaways) == 2 and len(summary.table.columns) == 3
    assert summary.chairs[0].name == "Ola Henrikson"
    summary = read(header)
    assert (summary.title, summary.date, summary.time, summary.venue) == (
        "GFMD Thematic Workshop on GFMD's contribution to the GCM", "2017-09-06",
        "10:30-12:30", "Hotel Savoyen – Mancini 3b")
    assert summary.session.startswith("GCM Cluster 3") and not summary.body
    assert len(read(lettered).paragraphs[0].items) == 3
    assert read(question).questions[0].takeaways[0].items[0].text.startswith("A point")
    assert [len(c.items) for c in read(columns).table.columns] == [2, 1, 1]
    assert [len(c.items) for c in read(pipe).table.columns] == [2, 1, 2]
    summary = read(full)
    assert not summary.diagnostics
    assert [b.type for b in summary.body] == ["paragraph", "paragraph", "heading",
                                              "paragraph", "paragraph", "question",
                                              "paragraph", "table"]
    assert len(summary.paragraphs[2].items) == 4
