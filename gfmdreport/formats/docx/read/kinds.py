"""Step 1 of reading a Word document's content: each paragraph is given a kind, from the
strongest sign it carries:

1. a style of the house-style contract (``GFMD Numbered Paragraph``, ``GFMD Takeaway``,
   ``GFMD Question`` …, docs/docx.md), as in every document gfmdreport writes;
2. Word's built-in styles: *Title*, *Subtitle*, *Heading 1…9*, *List Number*, *List
   Bullet* (and their levels 2…5);
3. Word list numbering: a first-level decimal list is the numbered paragraphs, letters
   and roman numerals the lettered sub-items, bullets the takeaways;
4. typed labels, read as the text reader reads them (``1.``, ``a)``, ``•``,
   ``Question 2:``), by :mod:`gfmdreport.recognize.lines`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.formats.docx.read.document import Document
from gfmdreport.formats.docx.read.document import Para
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.document import Table
from gfmdreport.formats.docx.read.markup import normalize
from gfmdreport.formats.docx.read.markup import squeeze
from gfmdreport.formats.docx.read.markup import strip_prefix
from gfmdreport.model import SummaryTable
from gfmdreport.recognize.lines import QUESTION_WORDS
from gfmdreport.recognize.lines import classify

CONTRACT_KINDS = {
    "gfmd session": "session",
    "gfmd session details": "details",
    "gfmd contents heading": "skip",
    "gfmd heading": "heading",
    "gfmd question": "question",
    "gfmd numbered paragraph": "paragraph",
    "gfmd lettered item": "letter",
    "gfmd takeaway": "bullet",
    "gfmd table heading": "text",
    "gfmd table item": "bullet",
    "gfmd table text": "text",
    "gfmd footer": "skip",
    # the styles earlier versions wrote for the title, headings and questions
    "gfmd title": "title",
}
"""What each paragraph style of the contract (docs/docx.md) holds. The title is in Word's
built-in Heading 1, section headings and questions in Heading 2, read as in any document
(but that the first Heading 1 of a document gfmdreport wrote is its title); a question's
words carry the character style ``GFMD Question Text``."""

_HEADING_STYLE = re.compile(r"^heading ([1-9])$")
_LIST_STYLE = re.compile(r"^list (number|bullet)(?: ([2-5]))?$")
_TOC_STYLE = re.compile(r"^(?:toc|contents) (?:[1-9]|heading)$|^index heading$")
_QUESTION_NUMBERING = re.compile(
    rf"^\s*(?:guiding\s+)?(?:{'|'.join(QUESTION_WORDS)}|q)\s*%\d", re.I)


@dataclass
class Entry:
    """A paragraph (or table) of the document with the kind the reader gave it."""

    kind: str
    """``title``, ``session``, ``details``, ``heading``, ``question``, ``paragraph``,
    ``letter``, ``bullet``, ``text``, ``table`` or ``skip``."""
    para: Para | None = None
    pieces: list[Piece] = field(default_factory=list)
    """The text after any typed label."""
    level: int = 0
    """List level: 0 for a top-level item."""
    number: int | None = None
    """A question's number; a typed paragraph number."""
    label: str = ""
    """A typed bullet glyph or letter."""
    typed: bool = False
    """The kind comes from a label typed in the text."""
    contract: bool = False
    """The kind comes from a style of the house-style contract."""
    unnumbered: bool = False
    """The paragraph's list (number, letter or bullet) is switched off in Word."""
    table: Table | None = None
    stacked: SummaryTable | None = None
    """A closing table written as headings and lists (read already)."""

    @property
    def ordinal(self) -> int:
        if self.para is not None:
            return self.para.ordinal
        return self.table.ordinal if self.table is not None else 0

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)



def uses_contract(document: Document) -> bool:
    """Whether the document is written in the house style's paragraph styles."""
    return any(name in document.style_names for name in CONTRACT_KINDS) and \
        any(_uses_contract(b) for b in document.blocks)


def _uses_contract(block: Para | Table) -> bool:
    if isinstance(block, Table):
        return block.style == "gfmd summary table"
    return any(s in CONTRACT_KINDS for s in block.styles)


class Classifier:
    """Gives each paragraph of a document its kind."""

    def __init__(self, labels: Mapping[str, str] | None, keep_empty: bool, *,
                 contract: bool = False, headings: frozenset[str] = frozenset()):
        self.labels = labels
        """The summary's own labels (from an embedded model), to read question labels."""
        self.keep_empty = keep_empty
        """Whether an empty paragraph in a style of the contract is kept."""
        self.contract = contract
        """The document is one gfmdreport wrote (its questions have their look)."""
        self._title_seen = False
        self.headings = headings
        """The section headings of the embedded model as the document shows them: such
        a heading stays a heading even when it reads like "Question 2: …"."""

    def entries(self, document: Document) -> list[Entry]:
        found = []
        for block in document.blocks:
            if isinstance(block, Table):
                found.append(Entry("table", table=block))
            else:
                found.append(self.classify(block))
        return found

    def classify(self, para: Para) -> Entry:
        text = para.text
        contract = next((CONTRACT_KINDS[s] for s in para.styles if s in CONTRACT_KINDS), None)
        if not text.strip() and not (contract and self.keep_empty and contract != "skip"):
            return Entry("skip", para)
        if contract is not None:
            entry = self._contract_entry(para, contract)
            entry.unnumbered = para.numbering_off
            return entry
        if para.question_look and (self.contract or para.outline is not None):
            return self._contract_entry(para, "question")
        if any(_TOC_STYLE.match(s) for s in para.styles):
            return Entry("skip", para)
        typed = self.typed(para)
        if para.has_style("title") or (self.contract and para.style == "heading 1"
                                       and not self._title_seen):
            # The writer puts the title in Heading 1, the top of the outline; a Heading 1
            # added further on in Word is a section heading.
            self._title_seen = True
            return Entry("title", para, para.pieces, contract=self.contract)
        if para.has_style("subtitle"):
            return Entry("session", para, para.pieces)
        heading = next((s for s in para.styles if _HEADING_STYLE.match(s)), None)
        # A bold heading's bold is its look, not emphasis, in a document typed by hand; in
        # one gfmdreport wrote, the look is the style's and bold runs are the text's.
        look = (lambda pieces: pieces) if self.contract else unbold
        if typed.kind == "question" and not (
                self.contract and heading and squeeze(text) in self.headings):
            typed.pieces = look(typed.pieces)
            return typed
        if heading or (para.outline is not None and para.numbering is None):
            return Entry("heading", para, look(para.pieces), contract=self.contract)
        numbering = para.numbering
        listed = next((m for s in para.styles if (m := _LIST_STYLE.match(s))), None)
        if numbering is not None and _QUESTION_NUMBERING.search(numbering.text):
            # Questions numbered by Word: "Question %1:" is the list's own text.
            return Entry("question", para, unbold(para.pieces), number=numbering.value)
        if listed and typed.kind == "text":
            # Word's "List Number 2" and the like are lists of their own, each starting
            # at its first level: the style's number says the depth.
            depth = int(listed.group(2) or 1) - 1 + min(para.own_level or 0, 8)
            if listed.group(1) == "bullet":
                return Entry("bullet", para, para.pieces, depth)
            if depth == 0:
                return Entry("paragraph", para, para.pieces)
            return Entry("letter", para, para.pieces, depth - 1)
        if numbering is not None:
            if numbering.bullet:
                return Entry("bullet", para, para.pieces, numbering.level)
            if numbering.decimal and numbering.level == 0:
                return Entry("paragraph", para, para.pieces)
            shift = 1 if numbering.first_format in ("decimal", "decimalZero") else 0
            return Entry("letter", para, para.pieces, max(0, numbering.level - shift))
        return typed

    def _contract_entry(self, para: Para, kind: str) -> Entry:
        level = para.numbering.level if para.numbering is not None else None
        if kind == "question":
            typed = self.typed(para, question_only=True)
            if typed.kind == "question":
                typed.contract = True
                return typed
            return Entry("question", para, para.pieces, contract=True)
        if kind == "letter":
            return Entry("letter", para, para.pieces, max(0, (level or 1) - 1), contract=True)
        if kind == "bullet":
            return Entry("bullet", para, para.pieces, level or 0, contract=True)
        return Entry(kind, para, para.pieces, contract=True)

    def typed(self, para: Para, question_only: bool = False) -> Entry:
        """The kind a label typed at the start of the text gives."""
        text = para.text.replace("\t", " ")
        lead = len(text) - len(text.lstrip())
        number = self._question_label(text.strip())
        if number is not None:
            found, offset = number
            return Entry("question", para, strip_prefix(para.pieces, lead + offset),
                         number=found, typed=True)
        if question_only:
            return Entry("text", para, para.pieces)
        start = classify(text.strip())
        pieces = strip_prefix(para.pieces, lead + start.offset)
        if start.kind == "question":
            return Entry("question", para, pieces, number=int(start.label), typed=True)
        if start.kind == "number":
            return Entry("paragraph", para, pieces, number=int(start.label), typed=True)
        if start.kind in ("letter", "bullet") and start.text:
            return Entry(start.kind, para, pieces, label=start.label, typed=True)
        return Entry("text", para, para.pieces)

    def _question_label(self, text: str) -> tuple[int, int] | None:
        """``(number, where the question's text starts)`` for "Question 2: …" in the
        summary's own wording of the label."""
        words = set(QUESTION_WORDS)
        if self.labels:
            words.add(self.labels.get("question", "question").lower())
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        # The space after the label is the writer's (no-break spaces after it are the
        # text's own: French typography puts one before a "»" that starts it).
        m = re.match(rf"^(?:{pattern})\s*(\d{{1,3}})\s*[:.)–—-][^\S\u00a0\u202f]*", text,
                     re.I)
        if m:
            return int(m.group(1)), m.end()
        start = classify(text)
        if start.kind == "question":
            return int(start.label), start.offset
        return None


def unbold(pieces: list[Piece]) -> list[Piece]:
    """A heading's text without the bold that covers all of it (the heading's look, not
    emphasis)."""
    shown = [p for p in normalize(pieces) if p.text.strip()]
    if shown and all(p.bold for p in shown):
        return [Piece(p.text, False, p.italic, p.code, p.href) for p in pieces]
    return pieces
