"""Formatted Word text as Markdown inline source: whatever the runs, the source reads back
as the same text, and the same bold, italic, code and links unless the reader says it
dropped some formatting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from test_docx_reader import read
from test_docx_reader import without_model

from gfmdreport import Column
from gfmdreport import Item
from gfmdreport import Paragraph
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import SummaryTable
from gfmdreport import render
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.embedded import shown
from gfmdreport.formats.docx.read.markup import comparable
from gfmdreport.formats.docx.read.markup import key
from gfmdreport.formats.docx.read.markup import linkable
from gfmdreport.formats.docx.read.markup import normalize
from gfmdreport.formats.docx.read.markup import strip_prefix
from gfmdreport.formats.docx.read.markup import to_source
from gfmdreport.inline import plain

from conftest import all_texts

TEXT = st.text(alphabet=st.sampled_from(list("ab Z.,;:!?*_[]<>`\\&#()-'\"\u00a0é1")),
               min_size=1, max_size=12)
HREF = st.sampled_from([None, None, None, "https://example.org/x", "mailto:a@b.org",
                        "https://example.org/a b(c)", "#anchor"])
PIECE = st.builds(Piece, TEXT, st.booleans(), st.booleans(),
                  st.sampled_from([False, False, False, True]), HREF)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=6))
def test_any_runs_read_back_as_their_text_and_formatting(pieces):
    source, dropped = to_source(pieces)
    wanted, _ = linkable(pieces)
    assert plain(source) == "".join(p.text for p in normalize(pieces))
    if not dropped:
        assert comparable(source) == key(wanted)


def test_examples_of_the_source_written():
    cases = [
        ([Piece("In opening, "), Piece("Mr. X", bold=True), Piece(" spoke.")],
         "In opening, **Mr. X** spoke."),
        ([Piece("a "), Piece("b", italic=True), Piece(" c")], "a *b* c"),
        ([Piece("see "), Piece("the site", href="https://x.org/a (b)")],
         "see [the site](<https://x.org/a%20(b)>)"),
        ([Piece("x`y", code=True)], "``x`y``"),
        ([Piece("5 * 3 = [15] <ok> & co &amp;")], "5 \\* 3 = \\[15\\] \\<ok> & co \\&amp;"),
        ([Piece("São # > snake_case _x_ a < b")], "São # > snake_case \\_x\\_ a < b"),
        ([Piece("  spaced\t\tout\nlines  ")], "spaced out lines"),
    ]
    for pieces, expected in cases:
        assert to_source(pieces) == (expected, False)


def test_formatting_that_cannot_be_written_is_dropped_and_said():
    assert to_source([Piece("Mr.", bold=True), Piece("X")]) == ("Mr.X", True)
    assert to_source([Piece("local", href="file:///c:/a.doc")]) == ("local", True)


def test_a_typed_label_is_cut_off_with_its_formatting_kept():
    pieces = [Piece("1.\t"), Piece("Bold", bold=True), Piece(" rest")]
    assert strip_prefix(pieces, 3) == [Piece("Bold", bold=True), Piece(" rest")]
    assert strip_prefix([Piece("Question 2: Why?", bold=True)], 12) == [
        Piece("Why?", bold=True)]


INLINE = st.lists(st.sampled_from(["plain words", "**bold words**", "*italic*", "`code`",
                                   "[a link](https://example.org/p?q=1)", "5 \\* 3",
                                   "\\[x\\]", "a\\_b", "«\u00a0guillemets\u00a0»",
                                   "why?", "note: this"]),
                  min_size=1, max_size=5).map(" ".join)
ITEMS = st.lists(st.builds(Item, INLINE, st.lists(st.builds(Item, INLINE), max_size=2)
                           .map(tuple)), max_size=3).map(tuple)


@st.composite
def summaries(draw):
    body = []
    number = 0
    for kind in draw(st.lists(st.sampled_from(["p", "q", "t"]), min_size=1, max_size=5)):
        if kind == "p":
            body.append(Paragraph(draw(INLINE), draw(ITEMS)))
        elif kind == "q":
            number += 1
            body.append(Question(number, draw(INLINE), draw(ITEMS)))
        else:
            body.append(SummaryTable(tuple(Column(draw(INLINE), draw(ITEMS))
                                           for _ in range(draw(st.integers(1, 3))))))
    return SessionSummary(title="T", session="S", date="2020-02-29", venue="V",
                          language=draw(st.sampled_from(["en", "fr", "es"])),
                          body=tuple(body))


@settings(max_examples=25, deadline=None)
@given(summaries())
def test_any_summary_reads_back_exactly_and_through_its_content(summary):
    data = render(summary, "docx")
    assert read(data).to_dict() == summary.to_dict()
    content = read(without_model(data))
    assert [b.type for b in content.body] == [b.type for b in summary.body]
    ours = all_texts(content)
    theirs = all_texts(summary)
    assert [comparable(t) for t in ours] == [shown(t, summary.language) for t in theirs]


