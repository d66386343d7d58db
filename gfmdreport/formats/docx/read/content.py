"""A session summary from what a Word document shows: its paragraphs, styles, lists and
tables.

Each paragraph is first given a kind, from the strongest sign it carries: a style of the
house-style contract, Word's built-in styles, Word list numbering, typed labels
(:mod:`.kinds`). Then the kinds are put together as the text reader does: the
paragraphs before the first numbered one give the title, session, date, time and venue
(:mod:`.header`); paragraphs take the lettered items after them; questions take the
bullets after them; the table is the closing table (:mod:`.body`); the chair and
rapporteurs come from the sentences that name them. Whatever is guessed with doubt
becomes a warning located at the paragraph it concerns (line = the paragraph's ordinal
in the document, counting from 1).
"""

from __future__ import annotations

import re

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.formats.docx.read.body import BodyBlock
from gfmdreport.formats.docx.read.body import BodyReader
from gfmdreport.formats.docx.read.context import Context
from gfmdreport.formats.docx.read.document import Document
from gfmdreport.formats.docx.read.header import HeaderReader
from gfmdreport.formats.docx.read.kinds import Classifier
from gfmdreport.formats.docx.read.kinds import Entry
from gfmdreport.formats.docx.read.kinds import uses_contract
from gfmdreport.model import Person
from gfmdreport.model import SessionSummary
from gfmdreport.recognize import people as people_mod
from gfmdreport.recognize.header import looks_like_prose
from gfmdreport.recognize.header import summary_fields
from gfmdreport.recognize.language import guess_language
from gfmdreport.recognize.text import Line

_BODY = {"paragraph", "question", "letter", "bullet", "table"}


class ContentReader(Context):
    """Reads a :class:`~.document.Document` into a session summary."""

    def __init__(self, document: Document, path: str | None, *, labels=None,
                 keep_empty: bool = False, people: bool = True,
                 refuse_others: bool = True, headings: frozenset[str] = frozenset(),
                 split_breaks: bool = True):
        super().__init__(path, contract=uses_contract(document), keep_empty=keep_empty,
                         split_breaks=split_breaks)
        self.doc = document
        self.kinds = Classifier(labels, keep_empty, contract=self.contract,
                                headings=headings)
        self.find_people = people
        """Whether to find the chair and rapporteurs in the text (not when an embedded
        model names them)."""
        self.refuse_others = refuse_others
        """Whether to refuse a document that does not look like a session summary."""
        self.details_text: str | None = None
        """The date-time-venue paragraph's text, lines joined with newlines."""

    def read(self) -> SessionSummary:
        entries = [e for e in self.kinds.entries(self.doc) if e.kind != "skip"]
        if not entries:
            raise InputError.single("docx-empty", "the document has no text to read",
                                    Location(self.path), "check that this is the right file")
        if not self.contract and self.refuse_others:
            self._refuse_non_summary(entries)
        k = 0
        while k < len(entries) and not self._starts_body(entries[k]):
            k += 1
        header = HeaderReader(self)
        meta = header.read(entries[:k])
        self.details_text = header.details_text
        body = BodyReader(self, self.kinds)
        blocks = body.read(body.stack_tables(entries[k:]), meta.pop("extra"))
        chairs, rapporteurs = self.people(blocks, meta.pop("people"))
        for ordinal, limit in self.doc.flattened:
            self.warn("docx-markup", f"the formatting of this paragraph changes more than "
                      f"{limit:,} times; kept its text without its formatting (bold, "
                      "italic, code and links)", ordinal,
                      "check the paragraph in Word: a real one changes formatting a few "
                      "dozen times at most")
        for ordinal in self.dropped_markup:
            self.warn("docx-markup", "formatting here (bold, italic or a link) cannot be "
                      "written as Markdown as it stands; kept the text without it",
                      ordinal, "check the bold and italic around this paragraph's words")
        frozen = tuple(body.freeze(b) for b in blocks)
        text = " ".join(e.para.text for e in entries if e.para is not None)
        return SessionSummary(**summary_fields(meta, chairs, rapporteurs),
                              language=self.language(text), body=frozen, source=self.path,
                              diagnostics=self.diagnostics())

    def _refuse_non_summary(self, entries: list[Entry]) -> None:
        """A document with neither numbered paragraphs nor questions is not a session
        summary (a letter, an agenda, a chapter): refused, as the text reader does."""
        if any(e.kind in ("paragraph", "question") for e in entries):
            return
        lists = sum(e.kind in ("letter", "bullet") for e in entries)
        found = "no numbered paragraph and no 'Question N:' heading"
        if lists:
            found += f", only {lists} list item{'s' if lists > 1 else ''}"
        raise InputError.single(
            "docx-not-a-summary", f"this document does not look like a session summary: "
            f"it has {found}", self.at(entries[0].ordinal),
            "a summary has numbered paragraphs ('1. The session was chaired by …', or "
            "Word's numbered list) and 'Question 1: …' headings; for notes, use the "
            "Markdown or YAML format")

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = []
        for d in self.notes.found:
            # The text reader's findings, renamed and located at paragraphs (no columns).
            rule = "docx-" + d.rule[len("text-"):] if d.rule.startswith("text-") else d.rule
            found.append(Diagnostic(d.severity, rule, d.message, self.at(d.location.line),
                                    d.hint))
        return tuple(sorted(found, key=lambda d: d.sort_key))

    def language(self, text: str) -> str:
        tag = (self.doc.language or "").split("-")[0].lower()
        if self.contract and tag in ("en", "fr", "es"):
            return tag
        return guess_language(text)

    def _starts_body(self, entry: Entry) -> bool:
        if entry.kind in _BODY:
            return True
        if entry.kind == "heading" and entry.contract:
            return True
        return entry.kind == "text" and looks_like_prose(entry.text)

    # ---- people ------------------------------------------------------------------------
    def people(self, blocks: list[BodyBlock], labels: list[tuple[str, Line]]
               ) -> tuple[tuple[Person, ...], tuple[Person, ...]]:
        if not self.find_people:
            return (), ()
        found = []
        for text, line in labels:
            found += people_mod.find_people(text, lambda _o, n=line.number: self.at(n),
                                            label_line=True)
        for block in blocks:
            if block.kind == "paragraph":
                found += find_people(block.source, block.loc)
        return people_mod.collect(found, self.notes)


def find_people(source: str, where: Location) -> list:
    """The people a paragraph's sentences name (as the text reader finds them)."""
    from gfmdreport.formats.docx.read.markup import plain_text

    text = re.sub(r"\s", " ", plain_text(source))
    return people_mod.find_people(text, lambda _offset: where)


def read_content(document: Document, path: str | None, *, labels=None,
                 keep_empty: bool = False, people: bool = True, refuse_others: bool = True,
                 headings: frozenset[str] = frozenset(), split_breaks: bool = True
                 ) -> tuple[SessionSummary, ContentReader]:
    """The summary a document's content shows, and the reader (what it noticed).
    ``headings``: the embedded model's section headings as shown; ``split_breaks``:
    whether a line break in a takeaway or a table cell parts two items (not in text
    as the writer wrote it)."""
    reader = ContentReader(document, path, labels=labels, keep_empty=keep_empty,
                           people=people, refuse_others=refuse_others, headings=headings,
                           split_breaks=split_breaks)
    return reader.read(), reader
