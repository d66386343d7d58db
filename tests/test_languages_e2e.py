"""The seed session in French and Spanish, through every built-in finished format: every
label, date and table heading in the summary's language, and the language marked."""

from __future__ import annotations

import io
import zipfile

import html5lib
import pytest

from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.labels import table_headings

from conftest import EXAMPLES

CASES = {
    "fr": {"date": "6 septembre 2017", "time": "10\u00a0h\u00a030 – 12\u00a0h\u00a030",
           "question": "Question\u00a02\u00a0:", "word_lang": "fr-FR",
           "page": "Page", "chair": "Présidence"},
    "es": {"date": "6 de septiembre de 2017", "time": "10:30–12:30",
           "question": "Pregunta 2:", "word_lang": "es-ES", "page": "Página",
           "chair": "Presidencia"},
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    language = request.param
    return language, load(EXAMPLES / f"gcm-cluster-3.{language}.yaml"), CASES[language]


def docx_text(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode(), z.read("word/styles.xml").decode()


def test_word_report_speaks_the_language(case):
    language, summary, want = case
    document, styles = docx_text(render(summary, "docx"))
    assert f'w:lang w:val="{want["word_lang"]}"' in styles  # Word spell-checks in it
    for heading in table_headings(language):
        assert heading in document
    assert want["date"] in document
    assert want["time"] in document
    # French typography: the question label's colon is held by a no-break space
    assert want["question"].replace("\u00a02", " 2") in document


def test_html_page_speaks_the_language(case):
    language, summary, want = case
    page = render(summary, "html").decode()
    root = html5lib.parse(page, namespaceHTMLElements=False)
    assert root.get("lang") == language
    text = "".join(root.itertext())
    for heading in table_headings(language):
        assert heading in text
    assert want["date"] in text and want["time"] in text
    assert want["chair"] in text
    assert want["question"].replace("\u00a02", " 2") in text


def test_markdown_notes_read_back_in_the_language(case):
    language, summary, _ = case
    notes = render(summary, "md").decode()
    label = "Question 2 :" if language == "fr" else "Pregunta 2:"
    assert f"## {label}" in notes
    assert loads(notes, "md") == summary  # no-break spaces of French typography kept


def test_french_notes_typed_with_a_space_before_the_colon_parse():
    notes = ("---\ntitle: Atelier\nlanguage: fr\n---\n\nLa séance est ouverte.\n\n"
             "## Question 1 : Comment faire ?\n\n- Ainsi.\n\n"
             "## Question 2: Et ensuite ?\n\n- Ensuite.\n")
    summary = loads(notes, "md")
    assert [(q.number, q.text) for q in summary.questions] == [
        (1, "Comment faire ?"), (2, "Et ensuite ?")]
