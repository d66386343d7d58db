"""gfmdreport serve's small helpers (gfmdreport/serve/notes.py): the report's file name,
the notes' language key, the source line of each element of the preview; and what the
serve command costs the other commands at start-up."""

from __future__ import annotations

import pytest

from gfmdreport import pipeline
from gfmdreport import render
from gfmdreport.diagnostics import UsageError
from gfmdreport.model import SessionSummary
from gfmdreport.serve.notes import MAX_NAME
from gfmdreport.serve.notes import SYNC_SELECTOR
from gfmdreport.serve.notes import content_disposition
from gfmdreport.serve.notes import report_filename
from gfmdreport.serve.notes import set_language
from gfmdreport.serve.notes import source_lines
from gfmdreport.testing import example_summary
from gfmdreport.testing.examples import NAMES

from conftest import EXAMPLES

# ---- the report's file name ------------------------------------------------------------------


@pytest.mark.parametrize("session, title, expected", [
    ("GCM Cluster 3: International cooperation", "", "GCM Cluster 3 - International "
     "cooperation.docx"),
    ("", "GFMD Thematic Workshop", "GFMD Thematic Workshop.docx"),
    ("", "", "notes.docx"),
    ("../../etc/passwd", "", "etc passwd.docx"),
    ("a\\b/c:d*e?f\"g<h>i|j", "", "a b c d e f g h i j.docx"),
    ("line\r\nbreak\x1b[2J and \u202eright-to-left", "", "line break [2J and right-to-left.docx"),
    ("CON", "", "CON_.docx"),
    ("...", "", "notes.docx"),
    ("   ", "  ", "notes.docx"),
])
def test_the_report_is_named_after_the_session(session, title, expected):
    summary = SessionSummary(title=title, session=session)
    assert report_filename(summary, ".docx", "notes") == expected


def test_a_long_session_title_is_cut_at_a_word():
    summary = pipeline.load(EXAMPLES / "gcm-cluster-3.md")
    name = report_filename(summary, ".docx")
    assert name == ("GCM Cluster 3 - International cooperation and governance of migration "
                    "in all its.docx")
    assert len(name) - len(".docx") <= MAX_NAME
    unbroken = SessionSummary(session="x" * 500)
    assert report_filename(unbroken, ".pdf") == "x" * MAX_NAME + ".pdf"


def test_without_anything_to_name_it_the_report_is_a_summary():
    assert report_filename(None, ".html") == "summary.html"


def test_the_download_names_the_file_for_every_client():
    value = content_disposition("Séance 3 - « Migration ».docx")
    assert value == ("attachment; filename=\"Seance 3 - Migration .docx\"; "
                     "filename*=UTF-8''S%C3%A9ance%203%20-%20%C2%AB%20Migration%20%C2%BB.docx")
    assert content_disposition("été.pdf").startswith('attachment; filename="ete.pdf"')
    assert content_disposition("会议.pdf").startswith('attachment; filename="summary.pdf";')
    assert content_disposition("会议").startswith('attachment; filename="summary";')


# ---- the language key ------------------------------------------------------------------------


def test_the_language_of_the_seed_notes_is_set_in_place():
    text = (EXAMPLES / "gcm-cluster-3.md").read_text("utf-8")
    changed = set_language(text, "md", "fr")
    assert changed == text.replace("\nlanguage: en\n", "\nlanguage: fr\n")
    assert pipeline.loads(changed, "md").language == "fr"
    yaml_text = (EXAMPLES / "gcm-cluster-3.yaml").read_text("utf-8")
    assert pipeline.loads(set_language(yaml_text, "yaml", "es"), "yaml").language == "es"


def test_only_the_top_level_language_key_is_changed():
    text = "---\ntitle: T\nlabels:\n  language: keep\nlanguage: en\n---\n\nlanguage: body\n"
    assert set_language(text, "md", "es") == text.replace("language: en", "language: es")


def test_notes_without_front_matter_get_one_that_reads_back():
    text = "# GFMD Thematic Workshop\n\nSession one\n\n6 September 2017, Geneva\n\nText.\n"
    changed = set_language(text, "md", "fr")
    summary = pipeline.loads(changed, "md")
    assert summary.language == "fr" and summary.title == "GFMD Thematic Workshop"


@pytest.mark.parametrize("code", ["", "EN", "en;rm -rf", "e", "toolonglanguage"])
def test_a_language_code_is_a_code(code):
    with pytest.raises(UsageError):
        set_language("---\nlanguage: en\n---\n", "md", code)


def test_the_language_of_other_formats_is_not_set_here():
    with pytest.raises(UsageError):
        set_language("x", "docx", "fr")


# ---- where each element of the preview comes from -------------------------------------------


def sync_elements(html: str) -> list:
    """The elements SYNC_SELECTOR finds, in document order (its XPath equivalent: the
    browser test checks the CSS selector itself on the page)."""
    import html5lib

    assert SYNC_SELECTOR == ("h1, ol.paragraphs > li, ol.letters li, h2, ul.takeaways li, "
                             ".summary-table th, .summary-table li")
    tree = html5lib.parse(html, treebuilder="lxml", namespaceHTMLElements=False)

    def has(cls: str) -> str:
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"

    return tree.xpath(f"//h1 | //ol[{has('paragraphs')}]/li | //ol[{has('letters')}]//li | "
                      f"//h2 | //ul[{has('takeaways')}]//li | //*[{has('summary-table')}]//th | "
                      f"//*[{has('summary-table')}]//li")


def from_examples():
    for name in ("gcm-cluster-3.md", "gcm-cluster-3.yaml", "gcm-cluster-3.fr.yaml",
                 "gcm-cluster-3.es.yaml"):
        yield name, pipeline.load(EXAMPLES / name)
    for name in NAMES:
        yield name, example_summary(name)


@pytest.mark.parametrize("name, summary", list(from_examples()), ids=lambda v: v
                         if isinstance(v, str) else "")
def test_every_element_of_the_page_gets_the_line_of_its_block(name, summary):
    lines = source_lines(summary)
    elements = sync_elements(render(summary, "html").decode("utf-8"))
    assert len(elements) == len(lines)
    if summary.source:  # read from a file: the lines are where the blocks are written
        text = (EXAMPLES / name).read_text("utf-8").split("\n")
        for element, line in zip(elements, lines, strict=True):
            assert 1 <= line <= len(text)
            if element.get("id", "").startswith("gfmd-question"):
                assert "question" in text[line - 1].lower(), (line, text[line - 1])


def test_the_seed_notes_lines_are_the_lines_of_the_blocks():
    summary = pipeline.load(EXAMPLES / "gcm-cluster-3.md")
    lines = source_lines(summary)
    assert lines[:4] == [6, 33, 40, 53]  # the title, two paragraphs, the heading
    # the last paragraph, the table's three column headings, then their items
    assert lines[-9:] == [159, 168, 173, 177, 170, 171, 175, 179, 180]


# ---- start-up ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["render", "gcm-cluster-3.md", "-t", "md"],
                                  ["validate", "gcm-cluster-3.md"], ["--help"],
                                  ["serve", "--help"]])
def test_serve_costs_the_other_commands_nothing_at_start_up(args, tmp_path):
    """Only ``serve`` itself imports the web server: help lists it without loading it."""
    from test_startup import imported

    (tmp_path / "gcm-cluster-3.md").write_bytes((EXAMPLES / "gcm-cluster-3.md").read_bytes())
    modules = imported(args, tmp_path)
    assert "gfmdreport" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in ("starlette", "uvicorn", "anyio",
                                                             "httpx")
                   or m.startswith("gfmdreport.serve"))
    assert heavy == []
