"""The Markdown writer and reader are exact inverses: YAML → Markdown → model gives the
model back, and Markdown → Markdown is byte-stable."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from strategies import inline_texts
from strategies import summaries
from strategies import tricky_texts

from gfmdreport import Column
from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import load
from gfmdreport.formats.interchange.shape import read_yaml
from gfmdreport.formats.interchange.yaml_format import write as write_yaml
from gfmdreport.formats.markdown.escape import escape_block
from gfmdreport.formats.markdown.escape import escape_heading
from gfmdreport.formats.markdown.escape import letter
from gfmdreport.formats.markdown.escape import unescape_block
from gfmdreport.formats.markdown.escape import unescape_heading
from gfmdreport.formats.markdown.reader import read
from gfmdreport.formats.markdown.writer import render_markdown
from gfmdreport.pipeline import render_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(summaries(text=st.one_of(tricky_texts(), inline_texts())))
def test_yaml_to_markdown_to_model_is_the_model(summary):
    from_yaml = read_yaml(write_yaml(summary, {}).decode("utf-8"))
    assert from_yaml == summary  # the strategies make canonical models
    notes = render_markdown(from_yaml)
    again = read(notes)
    assert again == summary
    assert render_markdown(again) == notes


def test_example_round_trip(example):
    notes = render_markdown(example)
    assert read(notes) == example
    assert render_markdown(read(notes)) == notes


def test_example_notes_are_stable():
    """The hand-written example becomes canonical notes in one step, then stays."""
    summary = load(EXAMPLES / "gcm-cluster-3.md")
    once = render_markdown(summary)
    assert render_markdown(read(once)) == once


# ---- the escapes, one by one ---------------------------------------------------------------

BLOCK_CASES = [
    ("# not a heading", "\\# not a heading"),
    ("###### six", "\\###### six"),
    ("#hashtag stays", "#hashtag stays"),
    ("- not a bullet", "\\- not a bullet"),
    ("+ not a bullet", "\\+ not a bullet"),
    ("* not a bullet", "\\* not a bullet"),
    ("*emphasis* stays", "*emphasis* stays"),
    ("> not a quote", "\\> not a quote"),
    ("``` not a fence", "\\``` not a fence"),
    ("~~~ not a fence", "\\~~~ not a fence"),
    ("---", "\\---"),
    ("* * *", "\\* * *"),
    ("1. not a list", "1\\. not a list"),
    ("2017) not a list", "2017\\) not a list"),
    ("2017 stays", "2017 stays"),
    ("a) not a lettered line", "a\\) not a lettered line"),
    ("(b) not a lettered line", "(b\\) not a lettered line"),
    ("Question 2: not a question", "Question 2\\: not a question"),
    ("pregunta: not a question", "pregunta\\: not a question"),
    ("[label]: not a definition", "\\[label]: not a definition"),
    ("[a link](https://gfmd.org) stays", "[a link](https://gfmd.org) stays"),
    ("a <!-- not a comment", "a \\<!-- not a comment"),
    ("<b>not HTML</b>", "\\<b>not HTML\\</b>"),
    ("<div class=x> <br/> <?php <!DOCTYPE", "\\<div class=x> \\<br/> \\<?php \\<!DOCTYPE"),
    ("<https://www.iom.int> and <a@b.org> stay", "<https://www.iom.int> and <a@b.org> stay"),
    ("a < b > c and <3 stay", "a < b > c and <3 stay"),
    ("\\# already escaped", "\\\\# already escaped"),
    ("1\\. already escaped", "1\\\\. already escaped"),
    ("plain text", "plain text"),
]


@pytest.mark.parametrize(("text", "written"), BLOCK_CASES)
def test_block_escape(text, written):
    assert escape_block(text) == written
    assert unescape_block(written) == text


HEADING_CASES = [
    ("ends with #", "ends with \\#"),
    ("#", "\\#"),
    ("## ##", "## \\##"),
    ("C# stays", "C# stays"),
    ("ends with \\#", "ends with \\\\#"),
    ("Question 1: a section", "Question 1\\: a section"),
    ("Question: a section", "Question\\: a section"),
    ("Questions: stay", "Questions: stay"),
    ("<!-- x -->", "\\<!-- x -->"),
]


@pytest.mark.parametrize(("text", "written"), HEADING_CASES)
def test_heading_escape(text, written):
    assert escape_heading(text) == written
    assert unescape_heading(written) == text


def _renderers():
    from markdown_it import MarkdownIt

    # Other Markdown tools keep raw HTML, as is their habit; the model's texts do not.
    return MarkdownIt("commonmark"), MarkdownIt("commonmark", {"html": False})


@pytest.mark.parametrize(("text", "written"), [
    (t, w) for t, w in BLOCK_CASES if "\\" not in t])
def test_written_paragraphs_render_as_the_model_means(text, written):
    """Another Markdown tool reads the written text as one paragraph that shows what the
    model's text shows. (A backslash already where an escape goes is doubled, which
    such tools show: those cases are left out.)"""
    other, model = _renderers()
    assert other.render(written) == f"<p>{model.renderInline(text)}</p>\n"


@pytest.mark.parametrize(("text", "written"), [
    (t, w) for t, w in HEADING_CASES if "\\" not in t])
def test_written_headings_render_as_the_model_means(text, written):
    other, model = _renderers()
    assert other.render(f"## {written}") == f"<h2>{model.renderInline(text)}</h2>\n"


def test_letters():
    assert [letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]


def test_long_lettered_list_round_trips():
    items = tuple(Item(f"item {i}") for i in range(60))
    summary = SessionSummary(body=(Paragraph("A long list:", items),))
    notes = render_markdown(summary)
    assert "- zz) " not in notes and "- bh) item 59" in notes
    assert read(notes) == summary
    assert not read(notes).diagnostics


@pytest.mark.parametrize(("language", "line"), [
    ("en", "## Question 3: Why?"),
    ("fr", "## Question 3 : Why?"),
    ("es", "## Pregunta 3: Why?"),
    ("pt", "## Question 3: Why?"),
])
def test_question_word_per_language(language, line):
    summary = SessionSummary(language=language,
                             body=(Question(3, "Why?", (Item("Because."),)),))
    notes = render_markdown(summary)
    assert line + "\n" in notes
    assert read(notes) == summary


def test_empty_texts_round_trip():
    summary = SessionSummary(body=(
        Paragraph("Text", (Item(""), Item("", (Item("nested under an empty item"),)))),
        Heading(""),
        Question(1, "", (Item(""),)),
        SummaryTable((Column("", ()),)),
    ))
    notes = render_markdown(summary)
    assert read(notes) == summary
    assert render_markdown(read(notes)) == notes


def test_what_cannot_be_written_is_reported(plugins):
    summary = SessionSummary(body=(Paragraph("One."), Paragraph("", (Item("lost"),)),
                                   SummaryTable(()), Paragraph("Two.")))
    rendered = render_report(summary, "md", plugins=plugins)
    rules = [d.rule for d in rendered.diagnostics]
    assert rules == ["md-empty-paragraph", "md-empty-table"]
    assert "paragraph 2 is empty" in rendered.diagnostics[0].message
    assert read(rendered.data.decode()).body == (Paragraph("One."), Paragraph("Two."))
