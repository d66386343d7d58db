"""The HTML and Markdown redlines, and ``gfmdreport diff OLD NEW -o/-t``.

HTML: the page with every deletion dropped reads as the new version's page without
changes, and with every insertion dropped as the old one's (text and structure); the
legend counts the changes. Markdown (CriticMarkup): accepting every change gives the new
version's Markdown notes and rejecting gives the old one's, byte for byte, on the
hand-made edits and on generated pairs."""

from __future__ import annotations

import html5lib
import pytest
from hypothesis import given
from hypothesis import settings
from redline_support import DATE
from redline_support import EDITS
from redline_support import EXAMPLE
from redline_support import example
from redline_support import revisions
from test_redline_properties import pairs

from gfmdreport import loads
from gfmdreport.cli import main
from gfmdreport.formats.html.writer import redline as html_redline
from gfmdreport.formats.markdown.critic import accept
from gfmdreport.formats.markdown.critic import critic
from gfmdreport.formats.markdown.critic import redline as md_redline
from gfmdreport.formats.markdown.critic import reject
from gfmdreport.formats.markdown.writer import render_markdown

XHTML = "{http://www.w3.org/1999/xhtml}"
OPTIONS = {"author": "A. Reviewer", "date": DATE}


# ---- Markdown ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EDITS))
def test_criticmarkup_accepted_is_new_and_rejected_is_old(name):
    old = example()
    new = EDITS[name](old)
    text = md_redline(old, new)
    assert "{++" in text or "{--" in text or "{~~" in text
    assert accept(text) == render_markdown(new)
    assert reject(text) == render_markdown(old)


def test_criticmarkup_of_one_word_is_a_substitution():
    old = example()
    text = md_redline(old, EDITS["one_word"](old))
    assert "major {~~recent~>new~~} advancements" in text
    assert text.count("{") - text.count("{~~") == render_markdown(old).count("{")


def test_criticmarkup_marks_a_removed_block_whole_and_keeps_blank_lines_out():
    text = critic("a\n\nb c\n\nd\n", "a\n\nd\n\ne\n")
    assert text == "a\n\n{--b c--}\n\nd\n\n{++e++}\n"
    assert accept(text) == "a\n\nd\n\ne\n" and reject(text) == "a\n\nb c\n\nd\n"


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(pairs())
def test_criticmarkup_both_ways_on_generated_pairs(pair):
    old, new = pair
    text = md_redline(old, new)
    assert accept(text) == render_markdown(new)
    assert reject(text) == render_markdown(old)


# ---- HTML -------------------------------------------------------------------------------

def _drop(page: bytes, marks: tuple[str, ...], classes: tuple[str, ...]) -> str:
    """The words of the article, leaving out the legend, the elements ``marks`` (tags)
    and those of a class in ``classes``."""
    root = html5lib.parse(page, namespaceHTMLElements=True)
    article = next(el for el in root.iter(f"{XHTML}article"))

    def words(el) -> list[str]:
        tag = el.tag.replace(XHTML, "")
        if tag in marks or tag == "aside" or set((el.get("class") or "").split()) & \
                set(classes):
            return []
        out = [el.text or ""]
        for child in el:
            out += words(child)
            out.append(child.tail or "")
        return out

    return " ".join("".join(words(article)).split())


@pytest.mark.parametrize("name", sorted(EDITS))
def test_the_page_shows_new_without_deletions_and_old_without_insertions(name):
    old = example()
    new = EDITS[name](old)
    page = html_redline(old, new, OPTIONS)
    legend = page.count(b"<ins>"), page.count(b"<del>"), page.count(b"reformatted")
    same_new = html_redline(new, new, OPTIONS)
    same_old = html_redline(old, old, OPTIONS)
    assert (same_new.count(b"<ins>"), same_new.count(b"<del>"),
            same_new.count(b"reformatted")) == (1, 1, 2)  # the legend's alone
    assert legend != (1, 1, 2)
    assert _drop(page, ("del",), ("deleted",)) == _drop(same_new, (), ())
    assert _drop(page, ("ins",), ("inserted",)) == _drop(same_old, (), ())


def test_the_legend_says_who_when_and_how_many():
    old = example()
    page = html_redline(old, EDITS["question_deleted"](old), OPTIONS).decode()
    assert "Changes by A. Reviewer, 2024-05-06 07:08 UTC" in page
    assert "1 change: 0 added, 1 removed, 0 changed" in page
    assert '<li class="deleted"><del>' in page


# ---- the command ------------------------------------------------------------------------

def run(args, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out = capsys.readouterr()
    return done.value.code or 0, out.out + out.err

@pytest.fixture()
def edited(tmp_path):
    from gfmdreport import render

    new = EDITS["paragraph_inserted"](example())
    path = tmp_path / "edited.yaml"
    path.write_bytes(render(new, "yaml"))
    return path


def test_diff_writes_a_word_redline_by_the_output_suffix(tmp_path, edited, capsys):
    out = tmp_path / "changes.docx"
    code, output = run(["diff", str(EXAMPLE), str(edited), "-o", str(out),
                                       "--author", "Desk Officer", "-q"], capsys)
    assert code == 1, output  # they differ, as diff(1) says
    data = out.read_bytes()
    found = revisions(data)
    assert found
    assert {el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author")
            for el in found} == {"Desk Officer"}
    assert loads(data, "docx").to_dict() == loads(edited.read_bytes(), "yaml").to_dict()


def test_diff_author_defaults_from_the_environment(tmp_path, edited, monkeypatch, capsys):
    monkeypatch.setenv("GFMDREPORT_AUTHOR", "Env Person")
    out = tmp_path / "changes.docx"
    run(["diff", str(EXAMPLE), str(edited), "-o", str(out), "-q"], capsys)
    authors = {el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                      "author") for el in revisions(out.read_bytes())}
    assert authors == {"Env Person"}


@pytest.mark.parametrize(("to", "mark"), [("md", "{++"), ("html", "<ins>")])
def test_diff_prints_a_text_redline(edited, to, mark, capsys):
    code, output = run(["diff", str(EXAMPLE), str(edited), "-t", to, "-q"], capsys)
    assert code == 1
    assert mark in output
    assert "paragraph 3" not in output  # the redline, not the listing


def test_diff_refuses_a_format_that_cannot_show_changes(edited, capsys):
    code, output = run(["diff", str(EXAMPLE), str(edited), "-t", "yaml"], capsys)
    assert code == 2
    assert "cannot show changes" in output


def test_diff_refuses_a_word_template_for_a_page(edited, capsys):
    code, output = run(["diff", str(EXAMPLE), str(edited), "-t", "html",
                                       "--reference-doc", str(EXAMPLE)], capsys)
    assert code == 2
    assert "Word redline only" in output


def test_diff_without_an_output_still_lists(edited, capsys):
    code, output = run(["diff", str(EXAMPLE), str(edited), "-q"], capsys)
    assert code == 1
    assert "+ paragraph 3" in output


def test_the_same_summaries_give_a_redline_without_changes(tmp_path, capsys):
    out = tmp_path / "same.docx"
    code, _output = run(["diff", str(EXAMPLE), str(EXAMPLE), "-o", str(out)], capsys)
    assert code == 0
    assert not revisions(out.read_bytes())

