"""The seed session in French and in Spanish: same document shape as the English one,
localized headings, acronyms and typography."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gfmdreport import load
from gfmdreport import loads
from gfmdreport import render
from gfmdreport.inline import runs
from gfmdreport.labels import table_headings
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

from conftest import EXAMPLES

TRANSLATIONS = {
    "fr": EXAMPLES / "gcm-cluster-3.fr.yaml",
    "es": EXAMPLES / "gcm-cluster-3.es.yaml",
}
HEADINGS = {
    "fr": ("Points de convergence", "Recommandations pratiques",
           "Défis et questions à approfondir"),
    "es": ("Puntos de convergencia", "Recomendaciones prácticas",
           "Desafíos y cuestiones pendientes"),
}
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module", params=sorted(TRANSLATIONS))
def translation(request) -> tuple[str, SessionSummary]:
    return request.param, load(TRANSLATIONS[request.param])


def item_shape(items: tuple[Item, ...]) -> list:
    return [item_shape(item.items) for item in items]


def shape(summary: SessionSummary) -> list[tuple]:
    """The document with every text left out: block types, numbers and list nesting."""
    out: list[tuple] = []
    for block in summary.body:
        if isinstance(block, Paragraph):
            out.append(("paragraph", item_shape(block.items)))
        elif isinstance(block, Heading):
            out.append(("heading",))
        elif isinstance(block, Question):
            out.append(("question", block.number, item_shape(block.takeaways)))
        elif isinstance(block, SummaryTable):
            out.append(("table", [item_shape(c.items) for c in block.columns]))
    return out


def walk_items(items: tuple[Item, ...]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from walk_items(item.items)


def body_texts(summary: SessionSummary) -> list[str]:
    """Every prose text of the body, in document order."""
    texts: list[str] = []
    for block in summary.body:
        if isinstance(block, (Paragraph, Heading, Question)):
            texts.append(block.text)
        children = (block.items if isinstance(block, Paragraph) else
                    block.takeaways if isinstance(block, Question) else ())
        texts.extend(item.text for item in walk_items(children))
        if isinstance(block, SummaryTable):
            for column in block.columns:
                texts.append(column.heading)
                texts.extend(item.text for item in walk_items(column.items))
    return texts


def all_texts(summary: SessionSummary) -> list[str]:
    people = [*summary.chairs, *summary.rapporteurs]
    person_texts = [t for p in people for t in (p.honorific, p.role, p.organization)]
    return [summary.title, summary.session, *person_texts, *body_texts(summary)]


def test_same_shape_as_the_english_session(translation, example):
    language, summary = translation
    assert summary.language == language
    assert [b.type for b in summary.body] == [b.type for b in example.body]
    assert shape(summary) == shape(example)
    assert len(summary.chairs) == len(example.chairs) == 1
    assert len(summary.rapporteurs) == len(example.rapporteurs) == 2
    assert [len(p.items) for p in summary.paragraphs] == [0, 0, 4, 0, 0]
    assert [len(q.takeaways) for q in summary.questions] == [3, 4, 2]
    assert [len(c.items) for c in summary.table.columns] == [2, 1, 2]
    assert [n for n, _ in summary.numbered()] == [n for n, _ in example.numbered()]


def test_same_date_time_venue_and_people(translation, example):
    _, summary = translation
    assert (summary.date, summary.start_time, summary.end_time, summary.venue) == (
        example.date, example.start_time, example.end_time, example.venue)
    names = [p.name for p in (*summary.chairs, *summary.rapporteurs)]
    assert names == [p.name for p in (*example.chairs, *example.rapporteurs)]


def test_localized_table_headings(translation):
    language, summary = translation
    headings = tuple(c.heading for c in summary.table.columns)
    assert headings == HEADINGS[language] == table_headings(language)
    # The damaged cell of the seed's table stays as the extraction left it.
    assert [i.text for i in summary.table.columns[1].items] == ["U"]


def test_every_text_is_translated(translation, example):
    _, summary = translation
    pairs = list(zip(body_texts(summary), body_texts(example), strict=True))
    untouched = [en for tr, en in pairs if tr == en]
    assert untouched == ["U"]
    for text in all_texts(summary):
        # English acronyms give way to the United Nations ones (FMMD, OIM, PCR).
        assert not re.search(r"\b(GCM|GFMD|IOM|UN|RCPs?)\b", text), text
    roles = [p.role for p in (*summary.chairs, *summary.rapporteurs)]
    assert roles != [p.role for p in (*example.chairs, *example.rapporteurs)]
    assert all(p.organization == "OIM" for p in summary.rapporteurs if p.name.startswith("Mi"))


def test_bold_markup_kept_where_the_english_has_it(translation, example):
    _, summary = translation

    def bold(text: str) -> list[str]:
        return [r.text for r in runs(text) if r.bold]

    assert [len(bold(t)) for t in body_texts(summary)] == [
        len(bold(t)) for t in body_texts(example)]
    opening = summary.paragraphs[1].text
    assert bold(opening) == [{"fr": "M. Ola Henrikson", "es": "Sr. Ola Henrikson"}[
        summary.language]]


def test_localized_honorifics(translation):
    language, summary = translation
    honorifics = [p.honorific for p in (*summary.chairs, *summary.rapporteurs)]
    assert honorifics == {"fr": ["M.", "Dr", "Mme"], "es": ["Sr.", "Dr.", "Sra."]}[language]


def test_french_typography():
    summary = load(TRANSLATIONS["fr"])
    text = "\n".join(all_texts(summary))
    assert text.count(NNBSP) >= 9 and text.count(NBSP) >= 4
    # A narrow no-break space before ; ? !, a no-break space before : and inside « ».
    assert not re.findall(rf"[^{NNBSP}][;?!]", text)
    assert not re.findall(rf"[^{NBSP}]:", text)
    assert not re.findall(rf"«[^{NBSP}]|[^{NBSP}]»", text)
    assert "'" not in text and '"' not in text
    assert all(q.text.endswith(NNBSP + "?") for q in summary.questions)


def test_spanish_questions_and_quotes():
    summary = load(TRANSLATIONS["es"])
    assert all(q.text.startswith("¿") and q.text.endswith("?") for q in summary.questions)
    text = "\n".join(all_texts(summary))
    assert NBSP not in text and NNBSP not in text
    assert '"' not in text and text.count("“") == text.count("”") > 0


def test_no_break_spaces_survive_loading_while_other_white_space_folds():
    summary = loads(f"body:\n  - paragraph: >-\n      Il a dit{NBSP}:\n      « oui{NNBSP}!\n"
                    f"      »   ou{NBSP}« non »{NNBSP}?\n", "yaml")
    assert summary.body[0].text == f"Il a dit{NBSP}: « oui{NNBSP}! » ou{NBSP}« non »{NNBSP}?"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_interchange_round_trip_keeps_every_character(translation, fmt):
    _, summary = translation
    again = loads(render(summary, fmt), fmt)
    assert again == summary
    assert all_texts(again) == all_texts(summary)


def test_markdown_carries_the_localized_text(translation):
    language, summary = translation
    markdown = render(summary, "md").decode("utf-8")
    for heading in HEADINGS[language]:
        assert f"### {heading}\n" in markdown
    for question in summary.questions:
        assert question.text in markdown
