"""The conformance kit: its example summaries, its checks (which must pass good plugins
and catch bad ones, saying what is wrong) and its pytest fixtures."""

from __future__ import annotations

import io
import json
import zipfile
from importlib import metadata

import pytest

from gfmdreport import Finding
from gfmdreport import Heading
from gfmdreport import InputError
from gfmdreport import Location
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import Reader
from gfmdreport import Rule
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import Writer
from gfmdreport import hookimpl
from gfmdreport import loads
from gfmdreport import render
from gfmdreport import validate
from gfmdreport.pipeline import default_plugins
from gfmdreport.testing import NAMES
from gfmdreport.testing import KitWarning
from gfmdreport.testing import check_reader
from gfmdreport.testing import check_rule
from gfmdreport.testing import check_writer
from gfmdreport.testing import example_summaries
from gfmdreport.testing import example_summary
from gfmdreport.testing import make_plugins
from gfmdreport.testing.checks import expected_texts
from gfmdreport.testing.checks import normalise
from gfmdreport.testing.checks import probe
from gfmdreport.testing.media import NotAccepted
from gfmdreport.testing.media import parse_docx
from gfmdreport.testing.media import parse_html
from gfmdreport.testing.media import parse_pdf
from gfmdreport.testing.media import parse_xml

from conftest import EXAMPLE_YAML
from conftest import SEED_DIR

NOT_UNICODE = [n for n in NAMES if n != "unicode"]


def writer_plugin(name, write, media_type="text/plain", suffix=".txt", binary=False):
    class Plugin:
        @hookimpl
        def register_writers(self, register):
            register(Writer(name=name, write=write, suffix=suffix, media_type=media_type,
                            description=f"test writer {name}", binary=binary))

    return (f"{name}-plugin", Plugin())


def reader_plugin(name, read, binary=False):
    class Plugin:
        @hookimpl
        def register_readers(self, register):
            register(Reader(name=name, read=read, suffixes=(f".{name}",), binary=binary,
                            description=f"test reader {name}"))

    return (f"{name}-plugin", Plugin())


def everything(summary, options=None) -> bytes:
    """A faithful plain-text writer: every text of every block, one per line."""
    return "\n".join(e.source for e in expected_texts(summary)).encode()


# ---- the example summaries ----------------------------------------------------------------

def test_examples_are_canonical_and_survive_the_interchange_formats():
    for name, summary in example_summaries().items():
        for fmt in ("json", "yaml"):
            assert loads(render(summary, fmt), fmt) == summary, (name, fmt)


def test_examples_cover_every_block_type_language_and_edge():
    examples = example_summaries()
    assert list(examples) == list(NAMES)
    every = examples["every-block"]
    assert {type(b) for b in every.body} == {Paragraph, Heading, Question, SummaryTable}
    assert all(getattr(every, f) for f in ("title", "session", "date", "start_time",
                                           "end_time", "venue", "chairs", "rapporteurs"))
    assert any(i.items for p in every.paragraphs for i in p.items)  # nested lettered item
    assert any(i.items for q in every.questions for i in q.takeaways)
    assert {s.language for s in examples.values()} == {"en", "fr", "es"}
    sparse = examples["sparse"]
    assert sparse.chairs[0].role == sparse.chairs[0].organization == ""
    assert sparse.start_time and not sparse.end_time and not sparse.rapporteurs
    assert sparse.questions[0].takeaways == () and sparse.table.columns[1].items == ()
    minimal = examples["minimal"]
    assert minimal.to_dict() == {"language": "en", "body": [minimal.body[0].to_dict()]}
    long = examples["long"]
    assert len(long.paragraphs) > 60 and len(long.title) > 250
    assert max(len(p.items) for p in long.paragraphs) > 26
    assert max(len(p.text.split()) for p in long.paragraphs) > 2000
    depth, item = 0, long.questions[0].takeaways[0]
    while item.items:
        depth, item = depth + 1, item.items[0]
    assert depth == 4  # five levels
    unicode = examples["unicode"]
    text = " ".join([unicode.title, unicode.venue] + [e.source for e in expected_texts(unicode)])
    for sample in ("\u0627", "\u05d4", "\u4e2d", "\u200d", "\u0301", "\U0001d50a", "<script>",
                   "&amp;", "\u00ad", "\u0007"):
        assert sample in text, repr(sample)


def test_only_the_deliberately_incomplete_examples_fail_validation():
    for name, summary in example_summaries().items():
        errors = [d for d in validate(summary) if d.severity.value == "error"]
        assert bool(errors) == (name in ("sparse", "minimal")), (name, errors)


def test_the_builtin_rules_conform():
    rules = sorted(default_plugins().registry.rules)
    assert rules  # the built-in rules are installed
    for rule in rules:
        check_rule(rule)


def test_every_block_has_a_probe_of_its_own():
    for name, summary in example_summaries().items():
        probes = [probe(e.source) for e in expected_texts(summary)]
        assert all(len(p.split()) >= 2 for p in probes), name
        assert len(set(probes)) == len(probes), name
        # no probe occurs inside another block's text
        for own, e in zip(probes, expected_texts(summary), strict=True):
            text = normalise(e.plain, faithful=False)
            assert not [p for p in probes if p != own and p in text], (name, e.where)


def test_an_unknown_example_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="every-block, fr, es"):
        example_summary("nope")


# ---- check_writer ---------------------------------------------------------------------------

def test_the_builtin_interchange_writers_conform():
    outputs = check_writer("json", interval=0)
    assert set(outputs) == set(NAMES)
    assert json.loads(outputs["fr"])["language"] == "fr"
    check_writer("yaml", interval=0, workers=3)  # examples rendered in threads


def test_the_builtin_html_writer_conforms():
    check_writer("html", interval=0)


def test_the_markdown_writer_conforms_apart_from_raw_html():
    check_writer("md", interval=0, examples=NOT_UNICODE)


def test_the_markdown_writer_escapes_raw_html():
    check_writer("md", interval=0, examples=["unicode"])


def test_the_docx_writer_conforms():
    """Every example, and the same bytes from a render two seconds later."""
    check_writer("docx")


def test_a_writer_that_loses_blocks_is_told_which(gfmd_plugins):
    def no_headings(summary, options):
        kept = [e.source for e in expected_texts(summary) if "(heading)" not in e.where]
        return "\n".join(kept).encode()

    plugins = gfmd_plugins(writer_plugin("lossy", no_headings), only=[])
    with pytest.raises(AssertionError) as info:
        check_writer("lossy", plugins=plugins, interval=0)
    message = str(info.value)
    assert message.startswith("writer 'lossy' (plugin 'lossy-plugin') failed 6 check(s):")
    assert ("example 'every-block': body[2] (heading) is missing from the output: "
            "'Overview of the background paper'") in message
    assert "example 'sparse': body[0] (heading)" in message


def test_markup_may_be_kept_as_source_or_rendered(gfmd_plugins):
    plugins = gfmd_plugins(writer_plugin("src", everything), only=[])
    check_writer("src", plugins=plugins, interval=0)


def test_invalid_output_is_reported_per_example(gfmd_plugins):
    def broken_json(summary, options):
        return b"{" if summary.title else b'{"ok": true}'

    plugins = gfmd_plugins(writer_plugin("bj", broken_json, "application/json", ".json"),
                           only=[])
    with pytest.raises(AssertionError) as info:
        check_writer("bj", plugins=plugins, interval=0, examples=["every-block", "minimal"])
    message = str(info.value)
    assert ("example 'every-block': the output is not valid application/json: invalid JSON "
            "at line 1, column 2") in message
    assert "example 'minimal': body[0] (paragraph) is missing" in message


def test_a_text_writer_must_give_utf8_and_a_proper_declaration(gfmd_plugins):
    plugins = gfmd_plugins(writer_plugin("latin", lambda s, o: everything(s).decode().encode(
        "latin-1", "replace"), suffix="TXT"), only=[])
    with pytest.raises(AssertionError) as info:
        check_writer("latin", plugins=plugins, interval=0, examples=["fr"])
    message = str(info.value)
    assert "suffix 'TXT' should be a lower-case file suffix with its dot" in message
    assert "example 'fr': a text writer's output is not UTF-8" in message


def test_a_writer_that_raises_is_reported_with_the_example(gfmd_plugins):
    def fragile(summary, options):
        return everything(summary) if summary.title else summary.title[0]

    plugins = gfmd_plugins(writer_plugin("fragile", fragile), only=[])
    with pytest.raises(AssertionError, match=r"example 'minimal': rendering failed: "
                       r"PluginError: plugin 'fragile-plugin' failed in render fragile: "
                       r"IndexError"):
        check_writer("fragile", plugins=plugins, interval=0)


def test_an_unknown_media_type_needs_a_parser(gfmd_plugins):
    plugins = gfmd_plugins(writer_plugin("odd", everything, "application/x-odd", ".odd",
                                         binary=True), only=[])
    with pytest.raises(AssertionError, match=r"no parser is known for its media type "
                       r"'application/x-odd': give check_writer\(parse=\.\.\.\)"):
        check_writer("odd", plugins=plugins, interval=0)
    check_writer("odd", plugins=plugins, interval=0, parse=lambda data: data.decode())


def test_output_that_changes_between_renders_is_caught(gfmd_plugins):
    calls = []

    def counting(summary, options):
        calls.append(1)
        return everything(summary) + f"\nrender {len(calls)}".encode()

    plugins = gfmd_plugins(writer_plugin("counter", counting), only=[])
    with pytest.raises(AssertionError, match="example 'every-block': two renders give "
                       "different output, so the writer is not deterministic: they differ "
                       "first at byte"):
        check_writer("counter", plugins=plugins, interval=0)


def test_a_timestamp_in_a_zip_entry_is_caught(gfmd_plugins):
    """zip stores times to two seconds: renders two seconds apart always differ."""
    def zipped(summary, options):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("text.txt", everything(summary))  # stamped with the time now
        return buffer.getvalue()

    def unzip(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("text.txt").decode()

    plugins = gfmd_plugins(writer_plugin("zipped", zipped, "application/zip", ".zip",
                                         binary=True), only=[])
    with pytest.raises(AssertionError, match="example 'minimal': two renders give different "
                       "output"):
        check_writer("zipped", plugins=plugins, parse=unzip, examples=["minimal"])


def test_an_unknown_writer_is_an_assertion_naming_it():
    with pytest.raises(AssertionError, match="no writer 'nope': unknown output format"):
        check_writer("nope")


# ---- the media parsers ---------------------------------------------------------------------

def test_the_xml_parser_rejects_what_is_not_well_formed():
    assert parse_xml(b"<a>x<b>y</b>z</a>") == "xyz"
    with pytest.raises(NotAccepted, match="line 1, column 7"):
        parse_xml(b"<a>x</b>")


def test_the_docx_parser_reads_paragraphs_and_tables_and_rejects_damage():
    import docx

    document = docx.Document()
    document.add_paragraph("Before the table")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "In a cell"
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse_docx(buffer.getvalue()).split("\n") == ["Before the table", "", "In a cell"]
    with pytest.raises(NotAccepted, match="not a zip package"):
        parse_docx(b"PK\x03\x04 nothing")


def test_the_html_parser_needs_markup():
    assert "Hi" in parse_html(b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hi"
                              b"</p></body></html>")
    with pytest.raises(NotAccepted):
        parse_html(b"just text")


def test_the_pdf_parser_rejects_a_truncated_file():
    with pytest.raises(NotAccepted, match="does not start with %PDF-"):
        parse_pdf(b"hello")
    with pytest.raises(NotAccepted, match="truncated"):
        parse_pdf(b"%PDF-1.7\n1 0 obj\n")


# ---- check_reader ---------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_the_builtin_readers_conform(example):
    (summary,) = check_reader("yaml", [EXAMPLE_YAML])
    assert summary == example
    check_reader("json", [("session.json", render(example, "json"))])


@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_the_builtin_legacy_text_reader_conforms():
    (summary,) = check_reader("text", [SEED_DIR / "000_523e3a897795c3ae.txt"])
    assert len(summary.questions) == 3


def test_without_a_markdown_reader_the_round_trip_is_json_only(gfmd_plugins, example):
    plugins = gfmd_plugins(only=["json", "markdown"])
    with pytest.warns(KitWarning, match="round trip went through JSON only"):
        check_reader("json", [("s.json", render(example, "json"))], plugins=plugins)


def _read_lines(text, path=None):
    """A toy reader: one paragraph per line."""
    if text.startswith("{"):
        raise InputError.single("toy", "not toy notes", Location(path, 1, 1))
    return SessionSummary(body=tuple(Paragraph(line) for line in text.splitlines()
                                     if line.strip()))


@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_a_reader_that_keeps_stray_spaces_fails_the_round_trip(gfmd_plugins):
    plugins = gfmd_plugins(reader_plugin("toy", _read_lines), only=["json", "markdown"])
    check_reader("toy", [("good.toy", "One paragraph.\nAnother one.\n")], plugins=plugins)
    with pytest.raises(AssertionError) as info:
        check_reader("toy", [("spaced.toy", "Two  spaces.\n")], plugins=plugins)
    assert ("sample 'spaced.toy': the summary changes in a json round trip: "
            "body[0].text was 'Two  spaces.', then 'Two spaces.'") in str(info.value)


@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_a_reader_that_crashes_on_damaged_input_is_caught(gfmd_plugins):
    def strict(text, path=None):
        fields = dict(line.split("=", 1) for line in text.splitlines())
        return SessionSummary(title=fields["title"], body=(Paragraph(fields["text"]),))

    def unlocated(text, path=None):
        if "text=" not in text:
            raise InputError.single("toy", "no text")  # no location: which file?
        return strict(text, path)

    plugins = gfmd_plugins(reader_plugin("kv", strict), reader_plugin("kv2", unlocated),
                           only=["json", "markdown"])
    sample = [("notes.kv", "title=A session\ntext=A paragraph.\n")]
    with pytest.raises(AssertionError) as info:
        check_reader("kv", sample, plugins=plugins)
    message = str(info.value)
    assert ("'notes.kv (first half)': damaged input must raise InputError with located "
            "diagnostics, not PluginError") in message
    assert "'notes.kv (garbage)'" in message
    with pytest.raises(AssertionError, match=r"'notes.kv \(garbage\)': a diagnostic does "
                       r"not name the input \(give Location\(path, line, column\)\)"):
        check_reader("kv2", sample, plugins=plugins)


@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_a_reader_that_reads_differently_each_time_is_caught(gfmd_plugins):
    calls = []

    def drifting(text, path=None):
        calls.append(1)
        return SessionSummary(title=f"read {len(calls)}", body=(Paragraph("Text."),))

    plugins = gfmd_plugins(reader_plugin("drift", drifting), only=["json", "markdown"])
    with pytest.raises(AssertionError, match="two reads differ, so the reader is not "
                       "deterministic: title was 'read 1', then 'read 2'"):
        check_reader("drift", [("x.drift", "anything")], plugins=plugins)


@pytest.mark.filterwarnings("ignore::gfmdreport.testing.KitWarning")
def test_a_refused_sample_shows_the_diagnostics(gfmd_plugins):
    plugins = gfmd_plugins(only=["yaml"])
    with pytest.raises(AssertionError, match=r"sample 'bad.yaml' was refused: bad.yaml:1:8: "
                       r"error\[yaml-syntax\]"):
        check_reader("yaml", [("bad.yaml", "title: [unclosed\n")], plugins=plugins)


# ---- check_rule ---------------------------------------------------------------------------

def rule_plugin(rule):
    class Plugin:
        @hookimpl
        def register_rules(self, register):
            register(rule)

    return (f"{rule.id}-plugin", Plugin())


def test_a_good_rule_passes_and_its_findings_are_returned(gfmd_plugins):
    def untitled(summary):
        if not summary.title:
            yield Finding("the summary has no title", summary.location_of("title"))

    plugins = gfmd_plugins(rule_plugin(Rule(id="untitled", check=untitled,
                                            description="a title is given")), only=[])
    found = check_rule("untitled", plugins=plugins)
    assert [f.message for f in found["minimal"]] == ["the summary has no title"]
    assert found["every-block"] == []


def test_a_bad_rule_is_told_what_is_wrong(gfmd_plugins):
    def sloppy(summary):
        if summary.body[0].items:  # a heading has no items: AttributeError
            return []
        if summary.title.startswith("Long"):
            raise ValueError("too long for me")
        return ["a plain string"]

    plugins = gfmd_plugins(rule_plugin(Rule(id="X123", check=sloppy, description=" ")),
                           only=[])
    with pytest.raises(AssertionError) as info:
        check_rule("X123", plugins=plugins)
    message = str(info.value)
    assert "rule 'X123' (plugin 'X123-plugin')" in message
    assert "it has no description" in message
    assert "example 'every-block': yielded a str, not a gfmdreport.Finding" in message
    assert "example 'long': the check raised ValueError: too long for me" in message
    assert "example 'sparse': the check raised AttributeError" in message


# ---- fixtures ------------------------------------------------------------------------------

def test_the_kit_is_a_pytest_plugin_of_the_distribution():
    (entry,) = [ep for ep in metadata.entry_points(group="pytest11") if ep.name == "gfmdreport"]
    assert entry.value == "gfmdreport.testing.plugin"


def test_gfmd_plugins_gives_only_the_chosen_plugins_and_becomes_the_default(gfmd_plugins):
    plugins = gfmd_plugins(writer_plugin("upper", lambda s, o: s.title.upper().encode()),
                           only=["json"])
    assert set(plugins.registry.plugins) == {"json", "upper-plugin"}
    assert default_plugins() is plugins
    assert render(example_summary("every-block"), "upper").startswith(b"GFMD THEMATIC")


def test_the_default_plugins_come_back_after_a_test_that_chose_some():
    assert "yaml" in default_plugins().registry.readers
    assert "upper" not in default_plugins().registry.writers


def test_gfmd_example_runs_a_test_for_each_example(gfmd_example, request):
    assert request.node.callspec.params["gfmd_example"] in NAMES
    assert gfmd_example == example_summary(request.node.callspec.params["gfmd_example"])


def test_gfmd_examples_is_the_mapping(gfmd_examples):
    assert gfmd_examples["fr"].language == "fr"


def test_gfmd_cli_runs_the_command_line(gfmd_cli, gfmd_plugins):
    result = gfmd_cli("formats", plugins=gfmd_plugins(only=["json"]))
    assert result.exit_code == 0
    assert "json" in result.stdout and "yaml" not in result.stdout


def test_make_plugins_accepts_modules_objects_and_pairs():
    import gfmdreport.formats.interchange.json_format as module

    plugins = make_plugins(module, writer_plugin("w", everything), only=[])
    assert set(plugins.registry.plugins) == {"gfmdreport.formats.interchange.json_format",
                                             "w-plugin"}
    assert set(plugins.registry.writers) == {"json", "w"}
