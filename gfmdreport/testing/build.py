"""Summaries made for a test: from notes as a rapporteur types them, or from keyword
arguments on top of a complete, valid summary.

A rule's test needs a summary that breaks the rule (its positive case) and one that does
not (its negative case)::

    from gfmdreport.testing import make_summary, summary_from_notes

    def test_fires_on_a_question_without_takeaways(gfmd_plugins):
        summary = summary_from_notes('''
            ---
            title: Workshop
            ---
            ## Question 1: Why?
        ''')
        ...

    def test_quiet_on_a_complete_summary(gfmd_plugins):
        assert validate(make_summary(), plugins=gfmd_plugins(only=["rules"])) == []
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from gfmdreport.labels import table_headings
from gfmdreport.model import Block
from gfmdreport.model import Column
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable


def summary_from_notes(text: str, *, path: str = "notes.md", plugins: Any = None
                       ) -> SessionSummary:
    """The summary of Markdown notes, read as ``gfmdreport validate notes.md`` reads them
    (locations included, so a finding's line can be asserted). The text is dedented, so
    it may be written indented inside the test. gfmdreport's own Markdown reader reads
    it, whatever plugins the test chose for validating."""
    from gfmdreport.pipeline import loads
    from gfmdreport.testing.checks import builtin_plugins

    return loads(textwrap.dedent(text).strip("\n") + "\n", "md", path=path,
                 plugins=plugins or builtin_plugins())


def person(text: str | Person) -> Person:
    """A :class:`~gfmdreport.Person` from ``"Ms. Jane Doe, Director of Labour Migration,
    Ministry of Labour of Ghana"``, read by the recogniser the readers use (honorific,
    name, role and organisation), or the person given."""
    if isinstance(text, Person):
        return text
    from gfmdreport.recognize.people import parse_person

    found = parse_person(text, need_honorific=False)
    return found[0] if found is not None else Person(" ".join(text.split()))


def _items(values: Iterable[str | Item]) -> tuple[Item, ...]:
    return tuple(v if isinstance(v, Item) else Item(v) for v in values)


def make_summary(*, paragraphs: Sequence[str | Paragraph] | None = None,
                 questions: Sequence[str | tuple[str, Sequence[str | Item]] | Question]
                 | None = None,
                 table: Mapping[str, Sequence[str | Item]] | SummaryTable | None = None,
                 **fields: Any) -> SessionSummary:
    """A complete summary that every built-in rule accepts, with what is given replaced.

    ``fields`` are :class:`~gfmdreport.SessionSummary` fields (``title``, ``date``,
    ``language``, ``chairs``, ``body`` …); people may be given as strings (see
    :func:`person`), and ``body`` blocks as strings for paragraphs. Without ``body``,
    the body is built from ``paragraphs`` (strings), ``questions`` (strings, or
    ``(text, takeaways)`` pairs, numbered in order) and ``table`` (column heading →
    items), each defaulting to a short valid part: two paragraphs, two questions with
    takeaways and the closing table with the three headings of the summary's language.
    """
    language = fields.get("language", "en")
    words = _WORDS.get(language, _WORDS["en"])
    base = SessionSummary(
        title=words["title"], session=words["session"], date="2019-05-14",
        start_time="09:30", end_time="11:00", venue="Palais des Nations, Room XXIV",
        language=language, chairs=(person(words["chair"]),),
        rapporteurs=(person(words["rapporteur"]),),
    )
    if "body" in fields:
        body = tuple(Paragraph(b) if isinstance(b, str) else b for b in fields.pop("body"))
    else:
        body = _body(paragraphs, questions, table, table_headings(language), words)
    for key in ("chairs", "rapporteurs"):
        if key in fields:
            value = fields[key]
            fields[key] = tuple(person(p) for p in ([value] if isinstance(value, str)
                                                    else value))
    return dataclasses.replace(base, body=body, **fields)


def _body(paragraphs: Sequence[str | Paragraph] | None,
          questions: Sequence[Any] | None,
          table: Mapping[str, Sequence[str | Item]] | SummaryTable | None,
          headings: tuple[str, str, str], words: Mapping[str, Any]) -> tuple[Block, ...]:
    if paragraphs is None:
        paragraphs = words["paragraphs"]
    if questions is None:
        questions = words["questions"]
    if table is None:
        table = dict(zip(headings, ([item] for item in words["table"]), strict=True))
    blocks: list[Block] = [p if isinstance(p, Paragraph) else Paragraph(p)
                           for p in paragraphs]
    for number, question in enumerate(questions, 1):
        if isinstance(question, Question):
            blocks.append(question)
        elif isinstance(question, str):
            blocks.append(Question(number, question, (Item(words["point"]),)))
        else:
            text, takeaways = question
            blocks.append(Question(number, text, _items(takeaways)))
    if isinstance(table, SummaryTable):
        blocks.append(table)
    elif table:
        blocks.append(SummaryTable(tuple(Column(heading, _items(items))
                                         for heading, items in table.items())))
    return tuple(blocks)


_WORDS: Mapping[str, Mapping[str, Any]] = {
    "en": {
        "title": "GFMD Thematic Workshop on Labour Mobility",
        "session": "Session 1: Skills partnerships",
        "chair": "Ms. Amina Diallo, Director of Labour Migration, Ministry of Labour of Senegal",
        "rapporteur": "Mr. Tomás Herrera, Thematic expert rapporteur, International Labour "
                      "Organization",
        "paragraphs": ("The session was chaired by Ms. Amina Diallo.",
                       "The Chair invited participants to respond to the guiding questions."),
        "questions": (("How can skills partnerships be financed?",
                       ["Shared financing was widely supported."]),
                      ("What role should cities play?",
                       ["Cities match training to local demand."])),
        "table": ("Partnerships benefit both sides", "Pool training budgets",
                  "Sustaining funding"),
        "point": "A point was made.",
    },
    "fr": {
        "title": "Atelier thématique du FMMD sur la mobilité de la main-d’œuvre",
        "session": "Séance 1\u00a0: Partenariats pour les compétences",
        "chair": "Mme Amina Diallo, Directrice des migrations de travail, Ministère du "
                 "Travail du Sénégal",
        "rapporteur": "M. Tomás Herrera, Rapporteur thématique, Organisation internationale "
                      "du Travail",
        "paragraphs": ("La séance était présidée par Mme Amina Diallo.",
                       "La présidente a invité les participants à répondre aux questions."),
        "questions": (("Comment financer les partenariats pour les compétences\u202f?",
                       ["Le financement partagé a été largement soutenu."]),
                      ("Quel rôle pour les villes\u202f?",
                       ["Les villes adaptent la formation à la demande locale."])),
        "table": ("Les partenariats profitent aux deux parties",
                  "Mettre en commun les budgets de formation", "Pérenniser le financement"),
        "point": "Un point a été soulevé.",
    },
    "es": {
        "title": "Taller temático del FMMD sobre movilidad laboral",
        "session": "Sesión 1: Alianzas para las competencias",
        "chair": "Sra. Amina Diallo, Directora de Migración Laboral, Ministerio de Trabajo "
                 "de Senegal",
        "rapporteur": "Sr. Tomás Herrera, Relator temático, Organización Internacional del "
                      "Trabajo",
        "paragraphs": ("La sesión fue presidida por la Sra. Amina Diallo.",
                       "La presidenta invitó a los participantes a responder a las preguntas."),
        "questions": (("¿Cómo financiar las alianzas para las competencias?",
                       ["La financiación compartida recibió amplio apoyo."]),
                      ("¿Qué papel deben desempeñar las ciudades?",
                       ["Las ciudades adaptan la formación a la demanda local."])),
        "table": ("Las alianzas benefician a ambas partes",
                  "Poner en común los presupuestos de formación", "Sostener la financiación"),
        "point": "Se planteó un punto.",
    },
}
"""The default texts of :func:`make_summary`, in the summary's language."""


__all__ = ["make_summary", "person", "summary_from_notes"]
