"""The pieces of the text reader: inline escaping, words broken across lines, date
lines, page furniture, and robustness on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from gfmdreport import InputError
from gfmdreport.formats.text.parse import read_text
from gfmdreport.inline import plain
from gfmdreport.inline import runs
from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.hyphens import Vocabulary
from gfmdreport.recognize.hyphens import join_hyphenated
from gfmdreport.recognize.hyphens import restore_hyphens
from gfmdreport.recognize.pages import strip_furniture
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import strip_markup
from gfmdreport.recognize.text import to_inline

# ---- inline source -------------------------------------------------------------------------


@pytest.mark.parametrize("text, source", [
    ("5 * 3 = 15", r"5 \* 3 = 15"),
    ("snake_case_name", r"snake\_case\_name"),
    ("see [1] and <b>x</b>", r"see \[1\] and \<b\>x\</b\>"),
    ("Tom & Jerry &amp; co", r"Tom & Jerry \&amp; co"),
    ("C:\\temp `x`", r"C:\\temp \`x\`"),
    ("a **bold** word", "a **bold** word"),
    ("an *italic* and _under_ word", "an *italic* and _under_ word"),
    ("**unbalanced bold", r"\*\*unbalanced bold"),
    ("plain text", "plain text"),
])
def test_extracted_text_as_inline_source(text, source):
    got, gave_up = to_inline(text)
    assert got == source
    assert not gave_up
    assert plain(got) == strip_markup(text)


def test_kept_bold_is_bold():
    source, _ = to_inline("In opening, **Mr. Ola Henrikson** reflected")
    assert [(r.text, r.bold) for r in runs(source)] == [
        ("In opening, ", False), ("Mr. Ola Henrikson", True), (" reflected", False)]


_ALPHABET = st.sampled_from([*list("ab *_[]<>&`\\!#;()"), "amp;", "**", "__", "x y"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=14).map("".join))
def test_plain_of_the_source_is_the_text(text):
    text = " ".join(text.split())
    source, gave_up = to_inline(text)
    assert plain(source) == (text if gave_up else strip_markup(text))


# ---- words broken across lines -------------------------------------------------------------

# The text the lines come from: its vocabulary includes the broken words' pieces.
VOCAB = Vocabulary("The management of data. A whole-of-government approach, peer-review "
                   "and the review of rules. Cooperation matters. a chair-\nreview to "
                   "consoli-\ndate")


@pytest.mark.parametrize("left, right, joined, doubtful", [
    ("migration manage-", "ment systems", "migration management systems", False),
    ("a whole-of-", "government approach", "a whole-of-government approach", False),
    ("Ms. Michelle Klein-", "Solomon, Director", "Ms. Michelle Klein-Solomon, Director", False),
    ("global coop-", "eration", "global cooperation", False),
    ("a peer-", "review mechanism", "a peer-review mechanism", False),
    ("the participa-", "tion of", "the participation of", False),
    ("evidence-", "based policies", "evidence-based policies", False),
    ("multi-", "stakeholder", "multi-stakeholder", False),
    ("the Wisse\u2010", "nschaft", "the Wissenschaft", False),
    ("to consoli-", "date", "to consolidate", True),
    ("a chair-", "review", "a chair-review", True),
])
def test_joining_words_broken_across_lines(left, right, joined, doubtful):
    assert join_hyphenated(left, right, VOCAB) == (joined, doubtful)


@pytest.mark.parametrize("left, right", [("in 2017 -", "and"), ("COVID-", "19 crisis"),
                                        ("the region", "and")])
def test_line_ends_that_are_not_broken_words(left, right):
    assert join_hyphenated(left, right, VOCAB) is None


def test_hyphens_a_pdf_tool_dropped_come_back_from_the_text_itself():
    vocab = Vocabulary("a whole-of-government approach; a whole-of-government view; a "
                       "whole-ofgovernment plan and a wholeof-society one")
    text, repairs = restore_hyphens("a whole-ofgovernment plan and a wholeof-society one",
                                    vocab)
    assert text == "a whole-of-government plan and a whole-of-society one"
    assert repairs == [("whole-ofgovernment", "whole-of-government"),
                       ("wholeof-society", "whole-of-society")]
    assert restore_hyphens("an ordinary sentence", vocab) == ("an ordinary sentence", [])


@pytest.mark.parametrize(("text", "fixed"), [
    # one right spelling is enough to mend a compound the PDF tool broke
    ("a whole-of-government approach and a whole-ofgovernment plan",
     "a whole-of-government approach and a whole-of-government plan"),
    ("a whole-ofgovernment plan, then a whole-of-government approach",
     "a whole-of-government plan, then a whole-of-government approach"),
    # a word without a hyphen takes the other spelling only when the text prefers it
    ("cooperation and co-operation", "cooperation and co-operation"),
    ("co-operation, co-operation and cooperation", "co-operation, co-operation and "
     "co-operation"),
])
def test_a_broken_compound_is_mended_from_one_right_spelling(text, fixed):
    assert restore_hyphens(text, Vocabulary(text))[0] == fixed


# ---- date lines ----------------------------------------------------------------------------

@pytest.mark.parametrize("line, date, start, end, venue, doubt", [
    ("6 September 2017, 10:30-12:30 Hotel Savoyen – Mancini 3b", "2017-09-06", "10:30",
     "12:30", "Hotel Savoyen – Mancini 3b", False),
    ("Wednesday, 6 September 2017 | 10:30 – 12:30 | Room 3-4", "2017-09-06", "10:30",
     "12:30", "Room 3-4", False),
    ("September 6, 2017 from 10:30 am to 12:30 pm at Hotel X", "2017-09-06", "10:30", "12:30",
     "Hotel X", False),
    ("le 6 septembre 2017, de 10h30 à 12h30, Hôtel Savoyen", "2017-09-06", "10:30", "12:30",
     "Hôtel Savoyen", False),
    ("6 de septiembre de 2017, 10:30-12:30, Sala B", "2017-09-06", "10:30", "12:30",
     "Sala B", False),
    ("Palais des Nations, Room XX, 06/09/2017 10.30-12.30", "2017-09-06", "10:30", "12:30",
     "Palais des Nations, Room XX", True),
    ("5-6 September 2017", "2017-09-05", "", "", "", True),
    ("2017-09-06 14:00", "2017-09-06", "14:00", "", "", False),
])
def test_date_lines(line, date, start, end, venue, doubt):
    when = parse_when(line)
    assert (when.date, when.start, when.end, when.venue, bool(when.doubt)) == (
        date, start, end, venue, doubt)


def test_a_line_without_a_date():
    assert parse_when("GCM Cluster 3: International cooperation") is None


# ---- page furniture ------------------------------------------------------------------------

def test_page_furniture_is_left_out_and_page_breaks_are_marked():
    text = ("Running header of the report\n\nTitle line\n\nfirst page ends in the\n\n"
            "Page 1 of 2\n\fRunning header of the report\n\nmiddle of a sentence.\n"
            "- 2 -\n")
    notes = Notes("x.txt")
    lines = strip_furniture(text, notes)
    assert [ln.text for ln in lines] == ["Title line", "first page ends in the",
                                        "middle of a sentence."]
    assert [ln.number for ln in lines] == [3, 5, 10]
    assert [ln.break_before for ln in lines] == [False, False, True]
    (warning,) = notes.found
    assert warning.rule == "text-running-header" and warning.location.line == 1


# ---- robustness ----------------------------------------------------------------------------

_LINES = st.sampled_from([
    "", "", "Title of a workshop", "Session 1: Something", "6 September 2017, 10:30-12:30",
    "1. The session was chaired by Mr. A B, Director of C.", "2. Participants agreed.",
    "- a bullet", "o sub bullet", "\uf0b7 glyph", " - a) item;", "(b) item", "Question 1: Why?",
    "Page 2 of 3", "\f", "7", "Points of Convergence\tPractical Recommendations",
    "x\ty\tz", "Points of Convergence   Practical Recommendations   Challenges",
    "manage-", "ment and more", "**bold", "Chair: Ms. X", "   indented text", "\t",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=25).map("\n".join))
def test_any_text_gives_a_summary_or_an_input_error(text):
    try:
        summary = read_text(text, "any.txt")
    except InputError as exc:
        assert exc.diagnostics
        assert all(d.location.path == "any.txt" for d in exc.diagnostics)
    else:
        for diagnostic in summary.diagnostics:
            assert diagnostic.location.line is not None
